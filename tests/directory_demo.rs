//! The bundled demo directory: valid, complete and plainly fictional.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use wegwijzer::load::directory;
use wegwijzer::model::directory::Region;

fn demo_files() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<(PathBuf, String)> = std::fs::read_dir(root.join("content/instellingen"))
        .expect("content/instellingen exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable file");
            let rel = p.strip_prefix(root).expect("inside the repo").to_path_buf();
            (rel, text)
        })
        .collect();
    files.sort();
    files
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).expect("valid date")
}

#[test]
fn the_demo_directory_is_valid_and_fresh() {
    let files = demo_files();
    let (dir, diags) = directory::load(&files, today());
    assert!(diags.is_empty(), "{diags:#?}");
    assert!(dir.institutions.len() >= 12, "{}", dir.institutions.len());
    for region in Region::ALL {
        assert!(
            dir.institutions
                .iter()
                .filter(|i| i.region == region)
                .count()
                >= 2,
            "{region:?}"
        );
    }
}

#[test]
fn the_demo_data_is_plainly_fictional() {
    let files = demo_files();
    let (dir, _) = directory::load(&files, today());
    for (path, text) in &files {
        assert!(
            text.starts_with("# "),
            "{}: starts with a comment for editors",
            path.display()
        );
        assert!(
            text.contains("reach no one"),
            "{}: says the phone numbers are fake",
            path.display()
        );
    }
    for i in &dir.institutions {
        assert!(i.demo, "{}", i.slug);
        assert!(
            i.website.starts_with("https://www.") && i.website.ends_with(".example/"),
            "{}",
            i.website
        );
        assert!(i.brin.starts_with("99X"), "{}", i.brin);
        for c in &i.contacts {
            if let Some(e) = &c.email {
                assert!(e.ends_with(".example"), "{e}");
            }
            if let Some(p) = &c.phone {
                // Area code, then a subscriber number starting with 0.
                let digits: String = p.display.chars().filter(char::is_ascii_digit).collect();
                let area = if p.display.split(' ').next().map_or(0, str::len) == 3 {
                    3
                } else {
                    4
                };
                assert_eq!(&digits[area..=area], "0", "{}: {}", i.slug, p.display);
            }
            for u in c.form.iter() {
                assert!(u.contains(".example/"), "{u}");
            }
        }
        for d in &i.documents {
            assert!(d.url.contains(".example/"), "{}", d.url);
        }
    }
}

#[test]
fn the_demo_directory_varies() {
    let (dir, _) = directory::load(&demo_files(), today());
    let all = || dir.institutions.iter().flat_map(|i| i.contacts.iter());
    assert!(all().any(|c| c.external));
    assert!(all().any(|c| c.languages.len() > 2));
    assert!(all().any(|c| !c.locations.is_empty()));
    assert!(dir.institutions.iter().any(|i| i.locations.len() >= 3));
    assert!(dir.institutions.iter().any(|i| i.documents.len() >= 2));
    assert!(dir.institutions.iter().any(|i| i.documents.is_empty()));
}
