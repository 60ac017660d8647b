//! `wegwijzer check`: fixture sites with one planted problem of each kind,
//! a clean site that reports nothing, the JSON output and the exit codes.

mod support;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use support::Site;
use wegwijzer::check::{self, Report};
use wegwijzer::BuildOptions;

const TODAY: &str = "2026-11-28";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

/// A copy of `tests/fixtures/<name>` with the real theme.
fn site(name: &str) -> Site {
    let s = Site::fixture(name);
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    support::copy_dir(&theme, &s.root().join("themes/default"));
    s
}

fn check(s: &Site) -> Report {
    check::check(&BuildOptions {
        root: s.root().to_path_buf(),
        today: Some(today()),
        ..Default::default()
    })
}

/// Every finding as (level, file, line, code), in report order.
fn found(r: &Report) -> Vec<(&'static str, String, usize, &'static str)> {
    r.findings
        .iter()
        .map(|f| {
            (
                f.severity.name(),
                f.file.to_string_lossy().replace('\\', "/"),
                f.line.unwrap_or(0),
                f.code,
            )
        })
        .collect()
}

fn expect(
    list: &[(&'static str, &str, usize, &'static str)],
) -> Vec<(&'static str, String, usize, &'static str)> {
    list.iter()
        .map(|(l, f, n, c)| (*l, f.to_string(), *n, *c))
        .collect()
}

#[test]
fn clean_site_reports_nothing() {
    let s = site("check-clean");
    let r = check(&s);
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    assert!(r.stale.is_empty());
    let run = s.run(&["check", "--strict", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("check passed (strict): 0 errors, 0 warnings, 0 notes in 0 files"),
        "{}",
        run.stdout
    );
    // check never writes output.
    assert!(!s.out().exists());
}

#[test]
fn every_planted_problem_is_reported_at_its_file_and_line() {
    let s = site("check-problems");
    let r = check(&s);
    assert_eq!(
        found(&r),
        expect(&[
            ("note", "content/handboeken/protocol.md", 8, "long-sentence"),
            ("warning", "content/leeg/_index.md", 1, "empty-section"),
            (
                "warning",
                "content/melden/alias-bestand.md",
                6,
                "alias-file"
            ),
            ("error", "content/melden/alias.md", 6, "alias-collision"),
            (
                "warning",
                "content/melden/geen-beschrijving.md",
                2,
                "no-description"
            ),
            ("warning", "content/melden/grote-kop.md", 9, "heading-h1"),
            ("warning", "content/melden/koppen.md", 13, "heading-skip"),
            ("warning", "content/melden/lang-woord.md", 12, "long-word"),
            ("warning", "content/melden/lange-zin.md", 9, "long-sentence"),
            ("warning", "content/melden/lege-kop.md", 9, "empty-heading"),
            ("error", "content/melden/links.md", 7, "bad-external-link"),
            ("warning", "content/melden/links.md", 9, "insecure-link"),
            ("error", "content/melden/links.md", 11, "bad-external-link"),
            ("warning", "content/melden/moeilijk.md", 7, "readability"),
            ("warning", "content/melden/oud.md", 4, "stale-page"),
            ("warning", "content/melden/plaatje.md", 9, "image-no-alt"),
            ("warning", "content/melden/placeholder.md", 9, "placeholder"),
            ("warning", "content/melden/toekomst.md", 4, "future-date"),
            ("error", "content/woordenlijst.yaml", 3, "glossary"),
        ])
    );
    // The long word that keywords, the glossary, brackets or a capital
    // (a name) explain is not reported; the one nothing explains is.
    let page = r
        .pages
        .iter()
        .find(|p| p.file.ends_with("lang-woord.md"))
        .unwrap();
    let words: Vec<&str> = page.long_words.iter().map(|w| w.word.as_str()).collect();
    assert_eq!(words, ["stagecontractformulier"]);
    // Readability never fails a plain build: only the check-only errors do.
    s.build_ok();
}

#[test]
fn directory_and_organisation_problems() {
    let s = site("check-directory");
    let r = check(&s);
    assert_eq!(
        found(&r),
        expect(&[
            (
                "warning",
                "content/instellingen/roc-buitenland.yaml",
                16,
                "directory-phone"
            ),
            (
                "warning",
                "content/instellingen/roc-echt.yaml",
                5,
                "example-data"
            ),
            (
                "error",
                "content/instellingen/roc-geen-meldpunt.yaml",
                13,
                "directory-missing-role"
            ),
            (
                "warning",
                "content/instellingen/roc-nooit.yaml",
                1,
                "directory-stale"
            ),
            (
                "warning",
                "content/instellingen/roc-oud.yaml",
                18,
                "directory-stale"
            ),
            (
                "error",
                "content/instellingen/roc-zonder-locatie.yaml",
                7,
                "missing-key"
            ),
            (
                "warning",
                "content/organisaties.yaml",
                9,
                "organisation-stale"
            ),
            (
                "warning",
                "content/organisaties.yaml",
                15,
                "phone-not-dutch"
            ),
        ])
    );
    // Not checked for 12 months: never checked first, then oldest first,
    // institutions and organisations together.
    let stale: Vec<(&str, PathBuf, usize, Option<String>)> = r
        .stale
        .iter()
        .map(|s| {
            (
                s.kind,
                s.file.clone(),
                s.line,
                s.checked.map(|d| d.to_string()),
            )
        })
        .collect();
    assert_eq!(
        stale,
        [
            (
                "institution",
                "content/instellingen/roc-nooit.yaml".into(),
                1,
                None
            ),
            (
                "organisation",
                "content/organisaties.yaml".into(),
                9,
                Some("2025-01-15".into())
            ),
            (
                "institution",
                "content/instellingen/roc-oud.yaml".into(),
                18,
                Some("2025-06-30".into())
            ),
        ]
    );
    let run = s.run(&["check", "--today", TODAY]);
    assert_eq!(run.code, 1);
    let text = &run.stdout;
    let never = text
        .find("never       content/instellingen/roc-nooit.yaml:1")
        .unwrap();
    let old = text
        .find("2025-06-30  content/instellingen/roc-oud.yaml:18")
        .unwrap();
    assert!(never < old, "{text}");
}

#[test]
fn text_output_is_grouped_by_file_with_lines_then_a_summary() {
    let s = site("check-problems");
    let run = s.run(&["check", "--today", TODAY]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let out = &run.stdout;
    let links = out.find("content/melden/links.md\n").unwrap();
    let rest = &out[links..];
    assert!(
        rest.contains(
            "  7      error[bad-external-link]: the link `https://www.politie..nl/` is not valid"
        ),
        "{out}"
    );
    assert!(rest.contains("  9      warning[insecure-link]"), "{out}");
    assert!(
        out.contains("External links: 3 links to 1 domain\n  www.politie.nl  3\n"),
        "{out}"
    );
    assert!(out.trim_end().ends_with("1 below 60)"), "{out}");
    assert!(
        out.contains("check failed: 4 errors, 14 warnings, 1 note in 17 files"),
        "{out}"
    );
}

#[test]
fn json_output_parses_and_matches_the_report() {
    let s = site("check-problems");
    let run = s.run(&["check", "--format", "json", "--today", TODAY]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value =
        serde_json::from_str(&run.stdout).expect("check --format json is JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["passed"], false);
    assert_eq!(v["exit_code"], 1);
    assert_eq!(v["today"], TODAY);
    assert_eq!(v["summary"]["errors"], 4);
    assert_eq!(v["summary"]["warnings"], 14);
    assert_eq!(v["summary"]["notes"], 1);
    assert_eq!(v["summary"]["readability_threshold"], 60.0);
    let files = v["files"].as_array().unwrap();
    let links = files
        .iter()
        .find(|f| f["file"] == "content/melden/links.md")
        .unwrap();
    let first = &links["findings"][0];
    assert_eq!(first["level"], "error");
    assert_eq!(first["code"], "bad-external-link");
    assert_eq!(first["line"], 7);
    assert!(first["hint"].is_string());
    let page = v["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["file"] == "content/melden/lange-zin.md")
        .unwrap();
    assert_eq!(page["student"], true);
    assert_eq!(page["long_sentences"][0]["line"], 9);
    assert_eq!(page["long_sentences"][0]["words"], 24);
    assert!(page["flesch_douma"].is_number());
    assert_eq!(v["external_domains"][0]["domain"], "www.politie.nl");
    assert_eq!(v["external_domains"][0]["links"], 3);
    assert!(v["stale"].as_array().unwrap().is_empty());

    let clean = site("check-clean");
    let run = clean.run(&["check", "--format", "json", "--strict", "--today", TODAY]);
    assert_eq!(run.code, 0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["passed"], true);
    assert_eq!(v["files"], serde_json::json!([]));
}

#[test]
fn warnings_fail_only_with_strict() {
    let s = site("check-clean");
    s.write(
        "content/melden/kort.md",
        "---\ntitle: Kort\nupdated: 2026-11-01\n---\nHier lees je wat je kunt doen.\n",
    );
    let plain = s.run(&["check", "--today", TODAY]);
    assert_eq!(plain.code, 0, "{}", plain.stdout);
    assert!(
        plain.stdout.contains("check passed: 0 errors, 1 warning"),
        "{}",
        plain.stdout
    );
    let strict = s.run(&["check", "--strict", "--today", TODAY]);
    assert_eq!(strict.code, 1);
    assert!(
        strict.stdout.contains("check failed (strict)"),
        "{}",
        strict.stdout
    );
}

#[test]
fn build_errors_are_check_errors_with_their_location() {
    let s = site("check-clean");
    s.write(
        "content/melden/kapot.md",
        "---\ntitle: Kapot\ntitel: x\ndescription: Een kapotte pagina.\n---\nLees [dit](bestaat-niet.md).\n",
    );
    let r = check(&s);
    assert_eq!(
        found(&r),
        expect(&[("error", "content/melden/kapot.md", 3, "unknown-key")])
    );
    s.remove("content/melden/kapot.md");
    s.write(
        "content/melden/kapot.md",
        "---\ntitle: Kapot\ndescription: Een kapotte pagina.\n---\nLees [dit](bestaat-niet.md#kop).\n",
    );
    let r = check(&s);
    assert_eq!(
        found(&r),
        expect(&[("error", "content/melden/kapot.md", 5, "broken-link")])
    );
    assert_eq!(s.run(&["check", "--today", TODAY]).code, 1);
}

#[test]
fn bad_format_is_refused() {
    let s = site("check-clean");
    let run = s.run(&["check", "--format", "xml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown format `xml`"),
        "{}",
        run.stderr
    );
}

#[test]
fn readability_warns_only_on_student_pages() {
    let s = site("check-clean");
    let hard = "Organisaties informeren medewerkers over procedures. Coördinatoren evalueren beleidsstukken periodiek.";
    s.write(
        "content/handboeken/moeilijk.md",
        format!("---\ntitle: Moeilijk\ndescription: Voor medewerkers.\naudience: medewerker\n---\n{hard}\n"),
    );
    // No audience of its own: the section's (student) counts.
    s.write(
        "content/melden/moeilijk.md",
        format!("---\ntitle: Moeilijk\ndescription: Voor studenten.\n---\n{hard}\n"),
    );
    let r = check(&s);
    assert_eq!(
        found(&r),
        expect(&[("warning", "content/melden/moeilijk.md", 5, "readability")])
    );
    let staff = r
        .pages
        .iter()
        .find(|p| p.file.ends_with("handboeken/moeilijk.md"))
        .unwrap();
    assert!(!staff.student);
    assert!(staff.readability.flesch_douma.unwrap() < 0.0);
    assert_eq!(r.count(wegwijzer::diagnostics::Severity::Warning), 1);
}

#[test]
fn a_situation_page_without_an_early_contact_is_a_warning() {
    let s = site("check-clean");
    let filler = "Dit is een zin van acht woorden lang. ".repeat(20);
    let page = |body: &str, orgs: &str| {
        format!(
            "---\ntitle: Iemand volgt me\ndescription: Wat je kunt doen.\nupdated: 2026-11-01\n\
             audience: student\ntheme: melden\n{orgs}---\n{body}\n"
        )
    };
    // A contact after 160 words, and no first-help box.
    s.write(
        "content/melden/volgen.md",
        page(&format!("{filler}\n\nBel [](contact:politie?phone)."), ""),
    );
    // One with its contact in the first words.
    s.write(
        "content/melden/vroeg.md",
        page(&format!("Bel [](contact:politie?phone).\n\n{filler}"), ""),
    );
    // One with a first-help box.
    s.write(
        "content/melden/kader.md",
        page(&filler, "organisations: [politie]\n"),
    );
    let r = check(&s);
    let late: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.code == "contact-late")
        .collect();
    assert_eq!(late.len(), 1, "{late:#?}");
    assert_eq!(late[0].file, PathBuf::from("content/melden/volgen.md"));
    assert_eq!(late[0].line, Some(8));
    assert!(
        late[0]
            .message
            .contains("no contact in its first 150 words: the first contact comes after 161 words"),
        "{}",
        late[0].message
    );
    assert_eq!(r.exit_code(true), 1);
    assert_eq!(r.exit_code(false), 0);
}
