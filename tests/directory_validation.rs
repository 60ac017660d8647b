//! Every validation rule of the institution files: each error names
//! file:line (and column), and a file's errors are reported all at once.

use std::path::PathBuf;

use chrono::NaiveDate;
use wegwijzer::diagnostics::{Diagnostic, Severity};
use wegwijzer::load::directory;
use wegwijzer::model::directory::Directory;

const FILE: &str = "content/instellingen/roc-test.yaml";

/// A valid file; tests change one line at a time, by its number.
const VALID: &str = "\
# test institution
name: ROC Test
short_name: Test
brin: 99XA
kind: roc
region: west
website: https://www.roc-test.example/
demo: true
locations:
  - key: centrum
    name: Centrum
    street: Teststraat 1
    postcode: 1234 AB
    city: Teststad
contacts:
  - role: vertrouwenspersoon
    email: vp@roc-test.example
    phone: 010 012 34 56
    locations: [centrum]
  - role: meldpunt-stagediscriminatie
    email: meldpunt@roc-test.example
    form: https://www.roc-test.example/melden
  - role: klachtencommissie
    email: klachten@roc-test.example
documents:
  - title: Klachtenregeling
    url: https://www.roc-test.example/klachten.pdf
checked: 2026-10-01
";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).expect("valid date")
}

/// VALID with line `n` (1-based) replaced by `text` (several lines allowed,
/// or none to delete it).
fn with_line(n: usize, text: &str) -> String {
    let mut lines: Vec<&str> = VALID.lines().collect();
    assert!(n >= 1 && n <= lines.len());
    if text.is_empty() {
        lines.remove(n - 1);
    } else {
        lines[n - 1] = text;
    }
    lines.join("\n") + "\n"
}

fn load(text: &str) -> (Directory, Vec<Diagnostic>) {
    directory::load(&[(PathBuf::from(FILE), text.to_string())], today())
}

fn diags(text: &str) -> Vec<Diagnostic> {
    load(text).1
}

/// The one diagnostic with `code`; fails with all diagnostics otherwise.
fn only<'a>(ds: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = ds.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "expected one `{code}` in {ds:#?}");
    found[0]
}

fn at(d: &Diagnostic, line: usize, col: usize) {
    assert_eq!(d.location(), format!("{FILE}:{line}:{col}"), "{d:#?}");
}

#[test]
fn the_valid_file_is_valid() {
    let (dir, ds) = load(VALID);
    assert!(ds.is_empty(), "{ds:#?}");
    let i = &dir.institutions[0];
    assert_eq!(i.slug, "roc-test");
    assert_eq!(i.contacts.len(), 3);
    assert_eq!(
        i.contacts[0].phone.as_ref().map(|p| p.href.as_str()),
        Some("tel:+31100123456")
    );
}

#[test]
fn yaml_syntax_errors_point_at_the_line() {
    let ds = diags(&with_line(5, "kind: roc\n\tregion: west"));
    let d = only(&ds, "yaml");
    assert_eq!(d.line, Some(6), "{d:#?}");
    assert!(d.hint.as_deref().unwrap_or("").contains("tab"), "{d:#?}");

    let ds = diags(&with_line(3, "short_name: \"Test"));
    assert!(only(&ds, "yaml").line.is_some());
}

#[test]
fn a_duplicate_key_points_at_the_second_one() {
    let ds = diags(&with_line(
        24,
        "    email: klachten@roc-test.example\n    email: x@roc-test.example",
    ));
    let d = only(&ds, "yaml");
    at(d, 25, 5);
    assert!(d.message.contains("`email` appears twice"), "{d:#?}");
}

#[test]
fn every_unknown_key_is_reported_with_a_suggestion() {
    let text = with_line(2, "naam: ROC Test");
    let text = text.replace("    email: klachten@", "    emial: klachten@");
    let ds = diags(&text);
    let unknown: Vec<&Diagnostic> = ds.iter().filter(|d| d.code == "unknown-key").collect();
    assert_eq!(unknown.len(), 2, "{ds:#?}");
    at(unknown[0], 2, 1);
    assert_eq!(unknown[0].message, "unknown key `naam`");
    assert_eq!(unknown[0].hint.as_deref(), Some("did you mean `name`?"));
    at(unknown[1], 24, 5);
    assert_eq!(unknown[1].hint.as_deref(), Some("did you mean `email`?"));
    // `name` is now missing too, and the contact lost its only channel.
    assert!(
        ds.iter()
            .any(|d| d.code == "missing-key" && d.message.contains("`name`")),
        "{ds:#?}"
    );
    assert!(ds.iter().any(|d| d.code == "directory-contact"), "{ds:#?}");
}

#[test]
fn wrong_types_are_reported_each() {
    let text = with_line(8, "demo: ja");
    let text = text.replace("    locations: [centrum]", "    locations: centrum");
    let ds = diags(&text);
    let types: Vec<&Diagnostic> = ds.iter().filter(|d| d.code == "yaml-type").collect();
    assert_eq!(types.len(), 2, "{ds:#?}");
    at(types[0], 8, 7);
    assert!(
        types[0]
            .message
            .contains("`demo` must be `true` or `false`"),
        "{types:#?}"
    );
    at(types[1], 19, 16);
}

#[test]
fn missing_keys_are_reported_where_they_belong() {
    let ds = diags(&with_line(4, ""));
    let d = only(&ds, "missing-key");
    at(d, 1, 1);
    assert_eq!(d.message, "missing key `brin`");

    // A location without a postcode: reported at its `- ` line.
    let ds = diags(&with_line(13, ""));
    let d = only(&ds, "missing-key");
    at(d, 10, 3);
    assert!(d.message.contains("`postcode`"), "{d:#?}");

    let ds = diags(&with_line(2, "name:"));
    at(only(&ds, "missing-key"), 2, 1);
}

#[test]
fn required_roles() {
    let ds = diags(&with_line(16, "  - role: studentbegeleider"));
    let d = only(&ds, "directory-missing-role");
    at(d, 15, 1);
    assert!(d.message.contains("`vertrouwenspersoon`"), "{d:#?}");

    let ds = diags(&with_line(20, "  - role: veiligheidscoordinator"));
    let d = only(&ds, "directory-missing-role");
    assert!(
        d.message.contains("`meldpunt-stagediscriminatie`"),
        "{d:#?}"
    );
    assert!(
        d.hint.as_deref().unwrap_or("").contains("Stagepact"),
        "{d:#?}"
    );
}

#[test]
fn unknown_roles_kinds_and_regions_get_suggestions() {
    let ds = diags(&with_line(23, "  - role: klachtencomissie"));
    let d = only(&ds, "directory-role");
    at(d, 23, 11);
    assert_eq!(d.hint.as_deref(), Some("did you mean `klachtencommissie`?"));

    let ds = diags(&with_line(5, "kind: mbo"));
    let d = only(&ds, "directory-kind");
    at(d, 5, 7);
    assert!(
        d.hint.as_deref().unwrap_or("").contains("`vakinstelling`"),
        "{d:#?}"
    );

    let ds = diags(&with_line(6, "region: noordwest"));
    at(only(&ds, "directory-region"), 6, 9);
}

#[test]
fn email_syntax() {
    let ds = diags(&with_line(17, "    email: vp at roc-test.example"));
    let d = only(&ds, "directory-email");
    at(d, 17, 12);
    assert!(d.message.contains("`vp at roc-test.example`"), "{d:#?}");
}

#[test]
fn phone_numbers() {
    let ds = diags(&with_line(18, "    phone: 010 012 34"));
    let d = only(&ds, "directory-phone");
    at(d, 18, 12);
    assert_eq!(d.severity, Severity::Error);
    assert!(d.message.contains("8 digits"), "{d:#?}");

    let (dir, ds) = load(&with_line(18, "    phone: +32 2 012 34 56"));
    let d = only(&ds, "directory-phone");
    assert_eq!(d.severity, Severity::Warning);
    at(d, 18, 12);
    // A warning keeps the institution.
    assert_eq!(dir.institutions.len(), 1);
}

#[test]
fn postcodes() {
    let ds = diags(&with_line(13, "    postcode: 1234ab"));
    let d = only(&ds, "directory-postcode");
    at(d, 13, 15);
    assert_eq!(d.hint.as_deref(), Some("write it as `1234 AB`"));
}

#[test]
fn brin_codes() {
    let ds = diags(&with_line(4, "brin: 9XA"));
    at(only(&ds, "directory-brin"), 4, 7);
}

#[test]
fn only_https_urls() {
    for (n, line, col) in [
        (7, "website: http://www.roc-test.example/", 10),
        (22, "    form: javascript:alert(1)", 11),
        (
            27,
            "    url: \"https://www.roc-test.example/\\\"><script>\"",
            10,
        ),
    ] {
        let (dir, ds) = load(&with_line(n, line));
        at(only(&ds, "directory-url"), n, col);
        assert!(
            dir.institutions.is_empty(),
            "a file with errors is left out"
        );
    }
}

#[test]
fn location_references() {
    let ds = diags(&with_line(19, "    locations: [centrum, centrun]"));
    let d = only(&ds, "directory-location");
    // In a flow list, the position of the list itself.
    at(d, 19, 16);
    assert!(d.message.contains("`centrun`"), "{d:#?}");
    assert_eq!(d.hint.as_deref(), Some("did you mean `centrum`?"));

    let text = VALID.replace(
        "contacts:\n",
        "  - key: centrum\n    name: B\n    street: C 1\n    postcode: 1234 AB\n    city: D\ncontacts:\n",
    );
    let ds = diags(&text);
    let d = only(&ds, "directory-duplicate");
    at(d, 15, 10);
}

#[test]
fn a_contact_needs_a_way_to_reach_it() {
    let ds = diags(&with_line(24, ""));
    at(only(&ds, "directory-contact"), 23, 3);
}

#[test]
fn duplicate_slugs_and_brin_codes_across_files() {
    let other = VALID.replace("name: ROC Test", "name: ROC Ander");
    let files = vec![
        (PathBuf::from(FILE), VALID.to_string()),
        (
            PathBuf::from("content/instellingen/roc-ander.yaml"),
            other.clone(),
        ),
        (
            PathBuf::from("content/instellingen/roc-test.yml"),
            other.replace("99XA", "99XB"),
        ),
    ];
    let (dir, ds) = directory::load(&files, today());
    let dups: Vec<&Diagnostic> = ds
        .iter()
        .filter(|d| d.code == "directory-duplicate")
        .collect();
    assert_eq!(dups.len(), 2, "{ds:#?}");
    assert_eq!(
        dups[0].location(),
        "content/instellingen/roc-ander.yaml:4:7"
    );
    assert!(dups[0].message.contains(FILE), "{dups:#?}");
    assert_eq!(dups[1].location(), "content/instellingen/roc-test.yml:1:1");
    assert!(dups[1].message.contains("`roc-test`"), "{dups:#?}");
    assert_eq!(dir.institutions.len(), 1);
}

#[test]
fn a_file_name_must_be_a_slug() {
    let (_, ds) = directory::load(
        &[(
            PathBuf::from("content/instellingen/ROC Test.yaml"),
            VALID.to_string(),
        )],
        today(),
    );
    let d = only(&ds, "directory-slug");
    assert_eq!(d.location(), "content/instellingen/ROC Test.yaml:1:1");
    assert!(
        d.hint.as_deref().unwrap_or("").contains("`roc-test.yaml`"),
        "{d:#?}"
    );
}

#[test]
fn stale_and_missing_checked_dates_are_warnings_naming_the_file() {
    let (dir, ds) = load(&with_line(28, "checked: 2025-11-27"));
    let d = only(&ds, "directory-stale");
    assert_eq!(d.severity, Severity::Warning);
    at(d, 28, 10);
    assert!(d.message.contains(FILE), "{d:#?}");
    assert!(d.message.contains("more than 12 months"), "{d:#?}");
    assert_eq!(dir.institutions.len(), 1);

    // Exactly 12 months is still fresh.
    assert!(diags(&with_line(28, "checked: 2025-11-28")).is_empty());

    let ds = diags(&with_line(28, ""));
    let d = only(&ds, "directory-stale");
    assert!(d.message.contains("no `checked` date"), "{d:#?}");
    at(d, 1, 1);

    let ds = diags(&with_line(28, "checked: 2026-02-30"));
    let d = only(&ds, "directory-date");
    assert_eq!(d.severity, Severity::Error);
    at(d, 28, 10);
}

#[test]
fn all_errors_of_a_file_are_reported_at_once() {
    let text = with_line(4, "brin: 9XA");
    let text = text.replace("postcode: 1234 AB", "postcode: 12345");
    let text = text.replace("vp@roc-test.example", "vp@@roc-test.example");
    let text = text.replace("form: https://", "form: http://");
    let ds = diags(&text);
    let codes: Vec<&str> = ds.iter().map(|d| d.code).collect();
    for code in [
        "directory-brin",
        "directory-postcode",
        "directory-email",
        "directory-url",
    ] {
        assert!(codes.contains(&code), "{code} in {ds:#?}");
    }
    assert!(
        ds.iter().all(|d| d.line.is_some() && d.column.is_some()),
        "{ds:#?}"
    );
}

#[test]
fn institutions_are_sorted_ignoring_case_and_accents() {
    let mk = |slug: &str, name: &str, brin: &str| {
        (
            PathBuf::from(format!("content/instellingen/{slug}.yaml")),
            VALID
                .replace("name: ROC Test", &format!("name: {name}"))
                .replace("99XA", brin),
        )
    };
    let files = vec![
        mk("zeta", "zeta school", "99XA"),
        mk("elan", "Élan", "99XB"),
        mk("alfa", "Alfa", "99XC"),
        mk("echo", "echo", "99XD"),
    ];
    let (dir, ds) = directory::load(&files, today());
    assert!(ds.is_empty(), "{ds:#?}");
    let names: Vec<&str> = dir.institutions.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["Alfa", "echo", "Élan", "zeta school"]);
}

#[test]
fn empty_and_odd_files() {
    let ds = diags("");
    at(only(&ds, "yaml"), 1, 1);
    let ds = diags("- a\n- b\n");
    assert!(only(&ds, "yaml").message.contains("not a list"), "{ds:#?}");
    let ds = diags("name: a\n---\nname: b\n");
    assert!(
        only(&ds, "yaml")
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("---"),
        "{ds:#?}"
    );
}
