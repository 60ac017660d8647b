//! One test per kind of input error: the message names the file and line and
//! shows the offending line, the exit code is 1, and the previous output is
//! byte-for-byte what it was.

mod support;
use support::{Run, Site};

/// Builds the fixture, applies `edit`, builds again and checks that the
/// failed build left the old output alone.
fn broken(edit: impl FnOnce(&Site)) -> Run {
    let site = Site::fixture("basic");
    site.build_ok();
    let before = site.snapshot();
    edit(&site);
    let run = site.build();
    assert_eq!(
        run.code, 1,
        "expected failure:\n{}{}",
        run.stdout, run.stderr
    );
    assert_eq!(before, site.snapshot(), "the old output changed");
    assert!(
        run.stderr.contains("the output was not changed"),
        "{}",
        run.stderr
    );
    run
}

const PAGE: &str = "content/melden/klacht.md";

#[test]
fn yaml_with_a_tab() {
    broken(|s| s.write(PAGE, "---\ntitle: x\n\tweight: 2\n---\n"))
        .assert_stderr("content/melden/klacht.md:3:")
        .assert_stderr("weight: 2")
        .assert_stderr("YAML does not allow tabs; indent with spaces");
}

#[test]
fn yaml_with_bad_indentation() {
    broken(|s| s.write(PAGE, "---\ntitle: x\nkeywords:\n  - a\n - b\n---\n"))
        .assert_stderr("content/melden/klacht.md:5:")
        .assert_stderr("indentation");
}

#[test]
fn yaml_with_an_unclosed_quote() {
    broken(|s| s.write(PAGE, "---\ntitle: \"x\ndescription: y\n---\n"))
        .assert_stderr("content/melden/klacht.md:")
        .assert_stderr("quote is opened but never closed");
}

#[test]
fn front_matter_never_closed() {
    broken(|s| s.write(PAGE, "---\ntitle: x\n\nTekst\n"))
        .assert_stderr("content/melden/klacht.md:1:1")
        .assert_stderr("the front matter is never closed")
        .assert_stderr("add a line with only `---`");
}

#[test]
fn unknown_key_suggests_the_right_one() {
    broken(|s| s.write(PAGE, "---\ntitle: x\ntitel: y\n---\n"))
        .assert_stderr("content/melden/klacht.md:3:1")
        .assert_stderr("unknown key `titel`")
        .assert_stderr("titel: y")
        .assert_stderr("did you mean `title`?");
}

#[test]
fn wrong_type_and_impossible_date() {
    broken(|s| {
        s.write(
            PAGE,
            "---\ntitle: x\nweight: zwaar\nupdated: 2026-02-30\n---\n",
        )
    })
    .assert_stderr("content/melden/klacht.md:3:1")
    .assert_stderr("`weight`: invalid type")
    .assert_stderr("write a whole number")
    .assert_stderr("content/melden/klacht.md:4:1")
    .assert_stderr("`2026-02-30` is not a real date");
}

#[test]
fn missing_title() {
    broken(|s| s.write(PAGE, "---\ndescription: geen titel\n---\n"))
        .assert_stderr("content/melden/klacht.md:1:1")
        .assert_stderr("the page has no `title`")
        .assert_stderr("add a line `title: …`");
}

#[test]
fn two_pages_with_the_same_url() {
    broken(|s| {
        s.write("content/melden/Klacht.md", "---\ntitle: Hoofdletter\n---\n");
    })
    .assert_stderr("two pages would be written to /melden/klacht/")
    .assert_stderr("content/melden/Klacht.md")
    .assert_stderr("content/melden/klacht.md");
}

#[test]
fn template_missing() {
    broken(|s| s.write(PAGE, "---\ntitle: x\ntemplate: handboek.html\n---\n"))
        .assert_stderr("content/melden/klacht.md:3")
        .assert_stderr("the template `handboek.html` does not exist")
        .assert_stderr("did you mean `handbook.html`?");
}

#[test]
fn template_with_a_syntax_error() {
    broken(|s| {
        s.write(
            "themes/default/templates/section.html",
            "{% extends \"base.html\" %}\n{% block main %}{{ section.title }\n{% endblock %}\n",
        )
    })
    .assert_stderr("themes/default/templates/section.html:2:")
    .assert_stderr("fix the Tera syntax");
}

#[test]
fn file_not_utf8() {
    broken(|s| s.write(PAGE, b"---\ntitle: caf\xe9\n---\n"))
        .assert_stderr("content/melden/klacht.md:2:11")
        .assert_stderr("the file is not UTF-8")
        .assert_stderr("save the file as UTF-8");
}

#[test]
fn broken_link_and_anchor() {
    broken(|s| {
        s.write(PAGE, "---\ntitle: x\n---\n## Wat kun je doen?\n\nZie [dit](vertrouwenspersom.md).\n\nEn [dat](vertrouwenspersoon.md#bestaat-niet).\n");
    })
    .assert_stderr("content/melden/klacht.md:6")
    .assert_stderr("points to content/melden/vertrouwenspersom.md, which does not exist")
    .assert_stderr("did you mean `melden/vertrouwenspersoon.md`?")
    .assert_stderr("content/melden/klacht.md:8")
    .assert_stderr("the anchor `#bestaat-niet` does not exist");
}

#[test]
fn every_error_of_a_run_is_reported() {
    let run = broken(|s| {
        s.write(PAGE, "---\ntitel: x\n---\n");
        s.write("content/melden/b.md", "---\ntitle: b\n");
        s.write("content/melden/c.md", "---\ntitle: c\n---\n[x](nope.md)\n");
    });
    run.assert_stderr("unknown key `titel`")
        .assert_stderr("the front matter is never closed")
        .assert_stderr("nope.md");
    assert!(
        run.stderr.contains("failed with 4 error(s)"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_organisation_key() {
    broken(|s| s.write(PAGE, "---\ntitle: x\norganisations: [polite]\n---\n"))
        .assert_stderr("content/melden/klacht.md:3")
        .assert_stderr("unknown organisation `polite`")
        .assert_stderr("did you mean `politie`?");
}

#[test]
fn huge_and_empty_files_do_not_panic() {
    let site = Site::fixture("basic");
    site.write("content/melden/leeg.md", "");
    let run = site.build();
    assert_eq!(run.code, 1);
    run.assert_stderr("content/melden/leeg.md:1:1")
        .assert_stderr("this page has no front matter");

    // 50 MB of Markdown builds, without a panic or a hang.
    let line = "Dit is een zin met **vet** en een [link](https://example.org/) erin.\n\n";
    let big = format!(
        "---\ntitle: Groot\n---\n{}",
        line.repeat(50 * 1024 * 1024 / line.len())
    );
    site.write("content/melden/leeg.md", big);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::metadata(site.out().join("melden/leeg/index.html"))
            .unwrap()
            .len()
            > 50 * 1024 * 1024
    );
}
