//! Golden output: every file a build writes, byte for byte, so that a
//! change of the code that was meant to keep the output is proven to.
//!
//! The `basic` fixture is kept whole, one snapshot per file, to review.
//! The bundled site is kept as a list of every file with its size and hash,
//! which shows which files a change touched; its content changes often.
//! After a deliberate change: `INSTA_UPDATE=always cargo test --test golden`,
//! then read the diff of `tests/snapshots/`.

use std::collections::BTreeMap;
use std::path::Path;

use wegwijzer::render::MemorySink;
use wegwijzer::BuildOptions;

fn build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        today: chrono::NaiveDate::from_ymd_opt(2026, 12, 4),
        ..Default::default()
    };
    let sink = MemorySink::default();
    let report = wegwijzer::run(&opts, &sink).report;
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.location(), d.message))
        .collect();
    assert!(!report.diagnostics.has_errors(), "{errors:#?}");
    sink.0.into_inner().unwrap()
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

#[test]
fn the_basic_fixture_builds_to_the_same_bytes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
    let files = build(&root);
    let mut s = settings();
    s.set_snapshot_path("snapshots/basic");
    s.bind(|| {
        insta::assert_snapshot!(
            "_files",
            files.keys().cloned().collect::<Vec<_>>().join("\n")
        );
        for (path, bytes) in &files {
            let name = path.replace(['/', '.'], "_");
            match std::str::from_utf8(bytes) {
                Ok(text) => insta::assert_snapshot!(name, text),
                Err(_) => insta::assert_snapshot!(name, blake3::hash(bytes).to_hex().as_str()),
            }
        }
    });
}

#[test]
fn the_bundled_site_builds_to_the_same_bytes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = build(root);
    let list: String = files
        .iter()
        .map(|(path, bytes)| {
            format!(
                "{path}  {}  {}\n",
                bytes.len(),
                &blake3::hash(bytes).to_hex()[..16]
            )
        })
        .collect();
    settings().bind(|| insta::assert_snapshot!("bundled_site", list));
}
