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
    // Line by line: a `\` continuation would eat the YAML indentation.
    let text = [
        format!("name: Schaalschool {n}"),
        format!("brin: {brin}"),
        "kind: roc".into(),
        format!("region: {region}"),
        format!("website: https://www.schaal-{n}.example/"),
        "demo: true".into(),
        "locations:".into(),
        "  - key: a".into(),
        "    name: A".into(),
        format!("    street: Straat {n}"),
        "    postcode: 1234 AB".into(),
        format!("    city: Stad {n}"),
        "contacts:".into(),
        "  - role: vertrouwenspersoon".into(),
        format!("    email: vp@schaal-{n}.example"),
        "    phone: 010 012 34 56".into(),
        "  - role: meldpunt-stagediscriminatie".into(),
        format!("    email: meldpunt@schaal-{n}.example"),
        "  - role: klachtencommissie".into(),
        format!("    form: https://www.schaal-{n}.example/klacht"),
        "checked: 2026-10-01".into(),
    ]
    .join("\n");
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
    // The A–Z list, a chooser page per theme, and per school its page and
    // one per theme.
    assert_eq!(pages.len(), 1 + 4 + 1000 * 5);
    let out = dir.files("/");
    assert_eq!(out.len(), 1 + 3000);
    let elapsed = start.elapsed();
    // Generous for an unoptimised build on a shared machine; a release
    // build takes a small fraction of this.
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
    eprintln!("1,000 institutions: {elapsed:?}");
}
