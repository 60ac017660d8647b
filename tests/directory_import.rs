//! `import instellingen`: stubs from DUO's CSV (fixture in cp1252, with one
//! malformed row), never overwriting, and stubs the directory can read.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use wegwijzer::import::import_csv;
use wegwijzer::load::directory;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/duo/adressen-mbo.csv")
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).expect("valid date")
}

fn names(paths: &[PathBuf]) -> Vec<String> {
    let mut v: Vec<String> = paths
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn imports_every_good_row_and_reports_the_malformed_one() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("content/instellingen");
    let report = import_csv(&fixture(), &out).expect("the import runs");

    assert_eq!(
        names(&report.written),
        [
            "aoc-demohoeve.yaml",
            "groene-academie-fictief-locatie-de-akker.yaml",
            "roc-voorbeeldstad.yaml",
            "vakcollege-cafe-fictief.yaml",
            "vakschool-zeeenland-fictief.yaml",
        ]
    );
    assert!(report.skipped.is_empty(), "{report:#?}");
    assert_eq!(report.errors.len(), 1, "{report:#?}");
    assert_eq!(report.errors[0].line, 5);
    assert!(
        report.errors[0]
            .message
            .contains("6 fields, the header has 13"),
        "{report:#?}"
    );
    assert!(report.has_errors());
    let printed = report.to_string();
    assert!(printed.contains("line 5: "), "{printed}");
    assert!(
        printed.ends_with("5 written, 0 skipped, 1 rows with errors"),
        "{printed}"
    );
}

#[test]
fn stubs_hold_the_csv_data() {
    let tmp = tempfile::tempdir().expect("temp dir");
    import_csv(&fixture(), tmp.path()).expect("the import runs");

    // cp1252 decoded; quoted field with `;` and doubled quotes.
    let stub = read(tmp.path(), "vakschool-zeeenland-fictief.yaml");
    assert!(
        stub.contains("name: \"Vakschool Zeeënland Fictief\"\n"),
        "{stub}"
    );
    assert!(stub.contains("region: zuid\n"), "{stub}");
    assert!(stub.contains("street: \"Kerkstraat 12 A\"\n"), "{stub}");
    assert!(stub.contains("postcode: \"6211 XM\"\n"), "{stub}");
    assert!(
        stub.contains("city: \"'s-Voorbeeldbosch aan de Maas\"\n"),
        "{stub}"
    );
    assert!(stub.contains("kind: vakinstelling"), "{stub}");
    assert!(stub.contains("website: \"\""), "{stub}");
    assert!(stub.contains("line 4"), "names its CSV line: {stub}");

    let stub = read(tmp.path(), "groene-academie-fictief-locatie-de-akker.yaml");
    assert!(
        stub.contains("name: \"Groene Academie Fictief; locatie \\\"De Akker\\\"\"\n"),
        "{stub}"
    );
    assert!(stub.contains("region: noord\n"), "{stub}");
    assert!(stub.contains("city: \"Testerveen\""), "{stub}");
    assert!(
        stub.contains("website: \"https://www.groene-academie-fictief.example/\""),
        "{stub}"
    );
    assert!(stub.contains("phone: \"050 012 34 56\""), "{stub}");

    let stub = read(tmp.path(), "roc-voorbeeldstad.yaml");
    assert!(stub.contains("brin: 99XA\n"), "{stub}");
    assert!(stub.contains("kind: roc "), "{stub}");
    assert!(stub.contains("region: west\n"), "{stub}");
    assert!(
        stub.contains("website: \"https://www.roc-voorbeeldstad.example/\""),
        "{stub}"
    );
    assert!(stub.contains("street: \"Voorbeeldlaan 1\""), "{stub}");

    let stub = read(tmp.path(), "vakcollege-cafe-fictief.yaml");
    assert!(stub.contains("name: \"Vakcollege Café Fictief\""), "{stub}");
    assert!(
        stub.contains("website: \"https://www.vakcollege-cafe.example/\""),
        "http becomes https: {stub}"
    );

    let stub = read(tmp.path(), "aoc-demohoeve.yaml");
    assert!(stub.contains("name: \"AOC Demohoeve\""), "{stub}");
    assert!(stub.contains("kind: aoc "), "{stub}");
    assert!(stub.contains("region: oost\n"), "{stub}");
    assert!(!stub.contains("checked: 2"), "no checked date: {stub}");
}

#[test]
fn stubs_are_valid_yaml_that_asks_for_the_contacts() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let report = import_csv(&fixture(), tmp.path()).expect("the import runs");
    let files: Vec<(PathBuf, String)> = report
        .written
        .iter()
        .map(|p| {
            let rel =
                PathBuf::from("content/instellingen").join(p.file_name().expect("a file name"));
            (rel, fs::read_to_string(p).expect("readable"))
        })
        .collect();
    let (_, diags) = directory::load(&files, today());
    let mut codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    codes.dedup();
    // Only what the editor must still do: contacts, a check date, and the
    // website where DUO had none.
    assert_eq!(
        codes,
        ["directory-missing-role", "directory-stale", "missing-key"],
        "{diags:#?}"
    );
    assert!(
        diags
            .iter()
            .filter(|d| d.code == "missing-key")
            .all(|d| d.message == "`website` is empty"),
        "{diags:#?}"
    );

    // Filled in, a stub is a valid institution file.
    let (path, text) = files
        .iter()
        .find(|(p, _)| p.ends_with("roc-voorbeeldstad.yaml"))
        .expect("the stub");
    let filled = text.replace(
        "contacts: []\n",
        "contacts:\n  - role: vertrouwenspersoon\n    email: vp@roc-voorbeeldstad.example\n  - role: meldpunt-stagediscriminatie\n    email: meldpunt@roc-voorbeeldstad.example\n",
    ) + "checked: 2026-11-28\n";
    let (dir, diags) = directory::load(&[(path.clone(), filled)], today());
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(dir.institutions[0].locations[0].postcode, "3011 XP");
}

#[test]
fn never_overwrites_and_skips_known_brin_codes() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let edited = "# edited by hand\nname: ROC Voorbeeldstad\n";
    fs::write(tmp.path().join("roc-voorbeeldstad.yaml"), edited).expect("write");
    // The same institution, renamed by an editor: found by its BRIN code.
    fs::write(
        tmp.path().join("aoc-de-hoeve.yaml"),
        "name: AOC De Hoeve\nbrin: 99XF  # DUO\n",
    )
    .expect("write");

    let report = import_csv(&fixture(), tmp.path()).expect("the import runs");
    assert_eq!(report.written.len(), 3, "{report:#?}");
    assert_eq!(report.skipped.len(), 2, "{report:#?}");
    assert_eq!(read(tmp.path(), "roc-voorbeeldstad.yaml"), edited);
    assert!(!tmp.path().join("aoc-demohoeve.yaml").exists());
    let reasons: Vec<&str> = report.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert!(reasons.iter().any(|r| r.contains("exists")), "{reasons:?}");
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("99XF") && r.contains("aoc-de-hoeve.yaml")),
        "{reasons:?}"
    );

    // A second run writes nothing.
    let again = import_csv(&fixture(), tmp.path()).expect("the import runs");
    assert!(again.written.is_empty(), "{again:#?}");
    assert_eq!(again.skipped.len(), 5);
}

#[test]
fn reads_utf8_with_a_bom() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let bytes = fs::read(fixture()).expect("fixture");
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    let mut utf8 = b"\xEF\xBB\xBF".to_vec();
    utf8.extend_from_slice(text.as_bytes());
    let csv = tmp.path().join("utf8.csv");
    fs::write(&csv, utf8).expect("write");
    let out = tmp.path().join("out");
    let report = import_csv(&csv, &out).expect("the import runs");
    assert_eq!(report.written.len(), 5);
    assert!(read(&out, "vakschool-zeeenland-fictief.yaml").contains("Zeeënland"));
}

#[test]
fn a_file_without_the_needed_columns_is_refused() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let csv = tmp.path().join("x.csv");
    fs::write(&csv, "NAAM;PLAATS\r\nROC A;Stad\r\n").expect("write");
    let e = import_csv(&csv, &tmp.path().join("out")).expect_err("refused");
    assert!(e.contains("INSTELLINGSCODE"), "{e}");
    let e = import_csv(&tmp.path().join("missing.csv"), tmp.path()).expect_err("refused");
    assert!(e.contains("missing.csv"), "{e}");
}

#[test]
fn bad_rows_do_not_stop_the_others() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let csv = tmp.path().join("x.csv");
    fs::write(
        &csv,
        "INSTELLINGSCODE;INSTELLINGSNAAM;PROVINCIE\n\
         99XA;\"ROC Open;Utrecht\n\
         9XA;ROC Kort;Utrecht\n\
         99XB;;Utrecht\n\
         99XC;ROC Goed;Utrecht\n\
         99XC;ROC Dubbel;Utrecht\n\
         99XD;ROC Nergens;Vlaanderen\n",
    )
    .expect("write");
    let out = tmp.path().join("out");
    let report = import_csv(&csv, &out).expect("the import runs");
    let lines: Vec<usize> = report.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [2, 3, 4, 6], "{report:#?}");
    assert!(report.errors[0].message.contains("not closed"));
    assert!(report.errors[1].message.contains("BRIN"));
    assert!(report.errors[3].message.contains("line 5"));
    assert_eq!(
        names(&report.written),
        ["roc-goed.yaml", "roc-nergens.yaml"]
    );
    let stub = read(&out, "roc-nergens.yaml");
    assert!(
        stub.contains("region: \"\"  # fill in noord, oost, zuid or west (DUO: Vlaanderen)"),
        "{stub}"
    );
}
