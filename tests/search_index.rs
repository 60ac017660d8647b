//! Builds the search index of the fixture site and writes it to
//! `tests/search-client/fixture-index/`, where the client's node tests
//! read it. Also checks that the build is deterministic.
//!
//! The fixture pages are hand-made `SearchDoc`s (tests/fixtures/search-site/
//! docs.json) until the fixture site can be built with the CLI.

use std::path::{Path, PathBuf};

use wegwijzer::render::search::{build_index, SearchDoc, Synonyms};

fn fixture() -> (Vec<SearchDoc>, Synonyms) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search-site");
    let docs: Vec<SearchDoc> =
        serde_json::from_slice(&std::fs::read(root.join("docs.json")).expect("read docs.json"))
            .expect("parse docs.json");
    let value: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root.join("synonyms.json")).expect("read synonyms.json"),
    )
    .expect("parse synonyms.json");
    let (synonyms, diags) = Synonyms::from_data(&value, Path::new("content/synoniemen.yaml"));
    assert!(diags.is_empty(), "{diags:?}");
    (docs, synonyms)
}

fn out_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search-client/fixture-index")
}

#[test]
fn builds_the_fixture_index_for_the_client_tests() {
    let (docs, synonyms) = fixture();
    let files = build_index(docs.clone(), &synonyms);

    // Same input, same bytes.
    assert_eq!(files, build_index(docs.clone(), &synonyms));

    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert!(paths.contains(&"search/meta.json"));
    assert!(paths.iter().all(|p| p.starts_with("search/")));

    let meta: serde_json::Value =
        serde_json::from_slice(&files.iter().find(|f| f.0 == "search/meta.json").unwrap().1)
            .unwrap();
    assert_eq!(meta["n"], docs.len());
    assert_eq!(meta["f"].as_str().unwrap().chars().count(), docs.len());
    // Page i is item i % k of fragment file i / k.
    let k = meta["k"].as_u64().unwrap() as usize;
    for (i, doc) in docs.iter().enumerate() {
        let path = format!("search/d/{}.json", i / k);
        let file = files.iter().find(|f| f.0 == path).expect("fragment file");
        let list: serde_json::Value = serde_json::from_slice(&file.1).unwrap();
        assert_eq!(list[i % k]["u"], doc.url.as_str(), "fragment {i}");
    }

    // Write for node, replacing what an earlier run left.
    let dir = out_dir();
    let _ = std::fs::remove_dir_all(&dir);
    for (path, bytes) in &files {
        let target = dir.join(path.strip_prefix("search/").unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
}
