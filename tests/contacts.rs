//! Organisations named in Markdown (`[](contact:key)`) and the first-help
//! box: what a reader sees comes from content/organisaties.yaml.

mod support;
use support::{copy_dir, Site};

const ORGS: &str = "\
politie:
  name: Politie
  summary: Voor aangifte en advies.
  channels:
    - kind: phone
      value: \"0900-8844\"
      label: Geen spoed
    - kind: website
      value: https://www.politie.nl/
  anonymous: false
  source: https://www.politie.nl/
  checked: 2026-11-28
alarm:
  name: Alarmnummer 112
  summary: Bel 112 als er nu gevaar is.
  channels:
    - kind: phone
      value: \"112\"
  hours: 24 uur per dag
  cost: Gratis
  anonymous: false
  emergency: true
  source: https://www.politie.nl/
  checked: 2026-11-28
hulplijn:
  name: Hulplijn <b>Voorbeeld</b>
  summary: Luistert.
  channels:
    - kind: chat
      value: https://hulplijn.example/chat
  hours: Elke dag van 9 tot 17 uur
  cost: Gratis
  anonymous: true
  source: https://hulplijn.example/
  checked: 2026-11-28
";

fn site_with(page: &str) -> Site {
    let site = Site::fixture("basic");
    site.write("content/organisaties.yaml", ORGS);
    site.write("content/melden/hulp.md", page);
    site
}

#[test]
fn each_form_of_a_contact_renders_from_the_data() {
    let site = site_with(
        "---\ntitle: Klacht\n---\n\
         Volledig: [](contact:politie).\n\n\
         Nummer: [](contact:politie?phone).\n\n\
         Naam: [](contact:hulplijn?name).\n\n\
         Eigen woorden: [chat nu](contact:hulplijn).\n",
    );
    site.build_ok();
    let html = site.read("melden/hulp/index.html");
    assert!(
        html.contains(
            "Volledig: <span class=\"contact-inline\"><strong>Politie</strong>: bel \
             <a href=\"tel:09008844\">0900 8844</a> of kijk op \
             <a href=\"https://www.politie.nl/\">politie.nl</a></span>."
        ),
        "{html}"
    );
    assert!(
        html.contains("Nummer: <a href=\"tel:09008844\">0900 8844</a>."),
        "{html}"
    );
    // The name is escaped: data never becomes markup.
    assert!(
        html.contains(
            "Naam: <a href=\"https://hulplijn.example/chat\">Hulplijn &lt;b&gt;Voorbeeld&lt;/b&gt;</a>."
        ),
        "{html}"
    );
    assert!(
        html.contains("Eigen woorden: <a href=\"https://hulplijn.example/chat\">chat nu</a>."),
        "{html}"
    );
    // The search index knows the number the page shows.
    let index: String = walkdir::WalkDir::new(site.out().join("search"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    assert!(index.contains("8844"), "the index lacks the phone number");
}

#[test]
fn a_contact_with_hours_cost_and_anonymity_says_so() {
    let site = site_with("---\ntitle: Klacht\n---\nChat met [](contact:hulplijn).\n");
    site.build_ok();
    let html = site.read("melden/hulp/index.html");
    assert!(
        html.contains(
            "chat via <a href=\"https://hulplijn.example/chat\">hulplijn.example/chat</a> \
             (gratis, elke dag van 9 tot 17 uur, anoniem)</span>"
        ),
        "{html}"
    );
}

#[test]
fn an_unknown_contact_or_form_fails_at_its_line_and_column_and_keeps_the_output() {
    let site = Site::fixture("basic");
    site.build_ok();
    let before = site.snapshot();
    site.write(
        "content/melden/hulp.md",
        "---\ntitle: Klacht\n---\n\nBel [](contact:poltie) of [](contact:politie?telefoon).\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_stderr("content/melden/hulp.md:5:5")
        .assert_stderr("unknown organisation `poltie` in the link `contact:poltie`")
        .assert_stderr("did you mean `contact:politie`?")
        .assert_stderr("content/melden/hulp.md:5:27")
        .assert_stderr("unknown form `?telefoon`")
        .assert_stderr("Bel [](contact:poltie)");
    assert_eq!(before, site.snapshot(), "the old output changed");
}

/// The bundled theme's first-help box, on a student's situation page.
fn themed(front: &str) -> Site {
    let site = site_with(&format!(
        "---\ntitle: Iemand bedreigt me\naudience: student\ntheme: melden\n{front}---\n\
         Dat is niet jouw schuld.\n\n## Wat kun je doen?\n\nPraat erover.\n"
    ));
    let theme = site.root().join("themes/default");
    std::fs::remove_dir_all(&theme).unwrap();
    copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        &theme,
    );
    site
}

fn first_help_box(html: &str) -> &str {
    let start = html
        .find("<aside class=\"first-help\"")
        .expect("no first-help box");
    let end = start + html[start..].find("</aside>").unwrap();
    &html[start..end]
}

#[test]
fn the_first_help_box_shows_the_first_organisation_before_the_text() {
    let site = themed("organisations: [hulplijn, politie]\n");
    site.build_ok();
    let html = site.read("melden/hulp/index.html");
    let b = first_help_box(&html);
    assert!(b.contains("Hulplijn &lt;b&gt;Voorbeeld&lt;/b&gt;"), "{b}");
    assert!(
        b.contains("Elke dag van 9 tot 17 uur. Gratis. Je kunt anoniem blijven."),
        "{b}"
    );
    assert!(!b.contains("Politie"), "{b}");
    assert!(!b.contains("112"), "{b}");
    assert!(html.find("first-help") < html.find("Dat is niet jouw schuld"));
}

#[test]
fn first_help_chooses_and_an_emergency_number_says_bel_112() {
    let site = themed("first_help: [politie, alarm]\norganisations: [hulplijn]\n");
    site.build_ok();
    let html = site.read("melden/hulp/index.html");
    let b = first_help_box(&html);
    assert!(b.contains("<p class=\"fh-name\">Politie</p>"), "{b}");
    assert!(!b.contains("Hulplijn"), "{b}");
    assert!(
        b.contains("<strong>Ben je nu in gevaar?</strong> Bel <a href=\"tel:112\">112</a>"),
        "{b}"
    );
}

#[test]
fn first_help_names_known_organisations_and_at_most_two() {
    let site = themed("first_help: [politie, alarm, hulplijn, polite]\n");
    let run = site.build();
    assert_eq!(run.code, 1);
    run.assert_stderr("unknown organisation `polite` in `first_help`")
        .assert_stderr("did you mean `politie`?")
        .assert_stderr("`first_help` names 4 organisations; the box has room for two")
        .assert_stderr("content/melden/hulp.md:5");
}
