//! A directory of 1,000 institutions loads and yields its pages and files
//! without a noticeable cost per institution.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

mod support;

use chrono::NaiveDate;
use wegwijzer::load::directory;
use wegwijzer::model::config::Topic;

fn institution(n: usize) -> (PathBuf, String) {
    (
        PathBuf::from(format!("content/instellingen/schaalschool-{n}.yaml")),
        support::school_yaml(n),
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
