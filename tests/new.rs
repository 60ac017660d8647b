//! `wegwijzer new page` and `wegwijzer new instelling`: what they write,
//! that the result builds and loads, and what they refuse.

mod support;

use std::path::{Path, PathBuf};

use support::Site;
use wegwijzer::load::frontmatter;

fn site() -> Site {
    let s = Site::fixture("check-clean");
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    support::copy_dir(&theme, &s.root().join("themes/default"));
    s
}

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

fn read(s: &Site, rel: &str) -> String {
    std::fs::read_to_string(s.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn meta(s: &Site, rel: &str) -> wegwijzer::model::FrontMatter {
    let text = read(s, rel);
    let split = frontmatter::split(&text, Path::new(rel)).unwrap();
    frontmatter::parse(&split, Path::new(rel), false, &["melden"]).unwrap()
}

#[test]
fn new_page_in_a_theme_section_is_a_student_page_that_builds() {
    let s = site();
    let run = s.run(&["new", "page", "melden/iemand-scheldt-me-uit"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "Created content/melden/iemand-scheldt-me-uit.md"
    );
    let m = meta(&s, "content/melden/iemand-scheldt-me-uit.md");
    assert_eq!(m.title, "Iemand scheldt me uit");
    assert_eq!(m.updated.map(|d| d.to_string()), Some(today()));
    assert_eq!(m.audience, ["student"]);
    assert_eq!(m.theme.as_deref(), Some("melden"));
    assert_eq!(m.template, None);
    let text = read(&s, "content/melden/iemand-scheldt-me-uit.md");
    // The situation-page pattern, in order.
    let order = [
        "**Ben je in gevaar?** Bel 112.",
        "## Wat kun je doen?",
        "Jij kiest welke stappen je neemt.",
        "## Hier kun je terecht",
        "[contactpersonen van jouw school](/instellingen/)",
        "## Goed om te weten",
        "## Bronnen",
    ];
    let mut at = 0;
    for part in order {
        let i = text[at..]
            .find(part)
            .unwrap_or_else(|| panic!("{part:?} missing or out of order:\n{text}"));
        at += i;
    }
    s.build_ok();
    // check reminds the editor of what is left to write.
    let run = s.run(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let f = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "content/melden/iemand-scheldt-me-uit.md")
        .expect("the new page has findings");
    let codes: Vec<&str> = f["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"no-description"), "{codes:?}");
    assert!(codes.contains(&"placeholder"), "{codes:?}");
    assert_eq!(v["summary"]["errors"], 0);
}

#[test]
fn new_page_in_handboeken_is_a_handbook_for_staff() {
    let s = site();
    let run = s.run(&["new", "page", "handboeken/melding-van-een-student"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let m = meta(&s, "content/handboeken/melding-van-een-student.md");
    assert_eq!(m.title, "Melding van een student");
    assert_eq!(m.audience, ["medewerker"]);
    assert_eq!(m.theme, None);
    assert_eq!(m.template.as_deref(), Some("handbook.html"));
    let text = read(&s, "content/handboeken/melding-van-een-student.md");
    assert!(text.contains("## Wat moet je vastleggen?"), "{text}");
    assert!(text.contains("## Wie moet je informeren?"), "{text}");
    assert!(!text.contains("Bel 112"), "{text}");
    s.build_ok();
}

#[test]
fn new_page_refuses_unknown_sections_bad_slugs_and_existing_files() {
    let s = site();
    let run = s.run(&["new", "page", "meldne/x"]);
    assert_eq!(run.code, 1);
    run.assert_stderr("there is no section `meldne`")
        .assert_stderr("did you mean `melden`?")
        .assert_stderr("sections: `handboeken`, `melden`");

    let run = s.run(&["new", "page", "losse-pagina"]);
    assert_eq!(run.code, 1);
    run.assert_stderr("write the page as <section>/<slug>");

    let run = s.run(&["new", "page", "melden/Mijn Pagina"]);
    assert_eq!(run.code, 1);
    run.assert_stderr("e.g. `mijn-pagina`");

    let before = read(&s, "content/melden/klacht.md");
    let run = s.run(&["new", "page", "melden/klacht"]);
    assert_eq!(run.code, 1);
    run.assert_stderr("already exists; `new` never overwrites a file");
    assert_eq!(read(&s, "content/melden/klacht.md"), before);
}

#[test]
fn new_instelling_loads_without_errors() {
    let s = site();
    let run = s.run(&["new", "instelling", "roc-nieuwstad"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "Created content/instellingen/roc-nieuwstad.yaml"
    );
    let rel = "content/instellingen/roc-nieuwstad.yaml";
    let text = read(&s, rel);
    // Every field of the schema is in the file, with a comment.
    for key in [
        "name:",
        "short_name:",
        "brin:",
        "kind:",
        "region:",
        "website:",
        "demo:",
        "locations:",
        "key:",
        "street:",
        "postcode:",
        "city:",
        "contacts:",
        "role:",
        "external:",
        "email:",
        "phone:",
        "form:",
        "hours:",
        "languages:",
        "documents:",
        "title:",
        "url:",
        "checked:",
    ] {
        assert!(text.contains(key), "{key} missing:\n{text}");
    }
    assert!(text.contains(&format!("checked: {}", today())), "{text}");
    // Loads with the directory loader, with the other institution.
    let files = vec![
        (PathBuf::from(rel), text),
        (
            PathBuf::from("content/instellingen/roc-proef.yaml"),
            read(&s, "content/instellingen/roc-proef.yaml"),
        ),
    ];
    let (dir, diags) = wegwijzer::load::directory::load(&files, chrono::Local::now().date_naive());
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(dir.institutions.len(), 2);
    let inst = dir
        .institutions
        .iter()
        .find(|i| i.slug == "roc-nieuwstad")
        .unwrap();
    assert_eq!(inst.contacts.len(), 6);
    s.build_ok();

    // A second new file gets another placeholder BRIN code, so both load.
    let run = s.run(&[
        "new",
        "instelling",
        "vakschool-twee",
        "--role",
        "klachtencommissie",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let two = read(&s, "content/instellingen/vakschool-twee.yaml");
    assert!(two.contains("role: klachtencommissie"), "{two}");
    assert!(!two.contains("role: studentbegeleider"), "{two}");
    s.build_ok();
    // Until the example values are replaced, check says so.
    let run = s.run(&["check"]);
    assert!(
        run.stdout.contains("warning[example-data]"),
        "{}",
        run.stdout
    );
}

#[test]
fn new_instelling_refuses_unknown_roles_and_existing_files() {
    let s = site();
    let run = s.run(&["new", "instelling", "roc-x", "--role", "vertrouwenspersoo"]);
    assert_eq!(run.code, 1);
    run.assert_stderr("there is no role `vertrouwenspersoo`")
        .assert_stderr("did you mean `vertrouwenspersoon`?")
        .assert_stderr("`meldpunt-stagediscriminatie`");
    assert!(!s.root().join("content/instellingen/roc-x.yaml").exists());

    let before = read(&s, "content/instellingen/roc-proef.yaml");
    let run = s.run(&["new", "instelling", "roc-proef"]);
    assert_eq!(run.code, 1);
    run.assert_stderr("already exists");
    assert_eq!(read(&s, "content/instellingen/roc-proef.yaml"), before);

    let run = s.run(&["new", "instelling", "ROC Proef"]);
    assert_eq!(run.code, 1);
    run.assert_stderr("e.g. `roc-proef`");
}
