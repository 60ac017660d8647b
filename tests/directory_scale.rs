//! A directory of 1,000 institutions loads and yields its pages and files
//! without a noticeable cost per institution.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use wegwijzer::config::Topic;
use wegwijzer::directory;

fn institution(n: usize) -> (PathBuf, String) {
    let region = ["noord", "oost", "zuid", "west"][n % 4];
    // BRIN codes 00AA…99ZZ are enough for 1,000 distinct ones.
    let letters = |k: usize| (b'A' + (k % 26) as u8) as char;
    let brin = format!(
        "{:02}{}{}",
        n % 100,
        letters(n / 100),
        letters(n / 2600 + 7)
    );
    let text = format!(
        "name: Schaalschool {n}\nbrin: {brin}\nkind: roc\nregion: {region}\n\
website: https://www.schaal-{n}.example/\ndemo: true\nlocations:\n  - key: a\n    name: A\n\
    street: Straat {n}\n    postcode: 1234 AB\n    city: Stad {n}\ncontacts:\n\
  - role: vertrouwenspersoon\n    email: vp@schaal-{n}.example\n    phone: 010 012 34 56\n\
  - role: meldpunt-stagediscriminatie\n    email: meldpunt@schaal-{n}.example\n\
  - role: klachtencommissie\n    form: https://www.schaal-{n}.example/klacht\n\
checked: 2026-10-01\n"
    );
    (
        PathBuf::from(format!("content/instellingen/schaalschool-{n}.yaml")),
        text,
    )
}

#[test]
fn a_thousand_institutions() {
    let files: Vec<(PathBuf, String)> = (0..1000).map(institution).collect();
    let themes: Vec<Topic> = ["melden", "inclusie", "seksuele-grenzen", "criminaliteit"]
        .iter()
        .map(|k| Topic {
            key: k.to_string(),
            title: k.to_string(),
            description: String::new(),
        })
        .collect();
    let start = Instant::now();
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).expect("valid date");
    let (dir, diags) = directory::load(&files, today);
    assert!(diags.is_empty(), "{:#?}", &diags[..diags.len().min(3)]);
    assert_eq!(dir.institutions.len(), 1000);
    let pages = dir.pages("/", &themes, &BTreeMap::new());
    assert_eq!(pages.len(), 1 + 1000 * 5);
    let out = dir.files("/");
    assert_eq!(out.len(), 1 + 3000);
    let elapsed = start.elapsed();
    // Generous for an unoptimised build on a shared machine; a release
    // build takes a small fraction of this.
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
    eprintln!("1,000 institutions: {elapsed:?}");
}
