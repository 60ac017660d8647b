//! The editors' guide (`content/handboeken/redactie/`) may not lie: every
//! example in it is loaded with the real loader for its kind, every command
//! in it parses, its list of messages matches the codes in the source, and
//! the bundled site passes `check --strict`.
//!
//! A code block says what it is in its info string after the language:
//! ```` ```yaml instelling ````, ```` ```yaml organisaties ````, ```` ```yaml
//! synoniemen ````, ```` ```yaml woordenlijst ````, ```` ```yaml site ````,
//! ```` ```yaml frontmatter ```` (front matter without the `---` lines),
//! ```` ```markdown ```` (a page; checked when it starts with `---`),
//! ```` ```text json ```` (JSON), and `fout` for an example of a mistake,
//! which must fail.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use serde_json::Value;
use wegwijzer::load::glossary;
use wegwijzer::load::{frontmatter, yaml};
use wegwijzer::model::Config;
use wegwijzer::render::search::Synonyms;
use wegwijzer::BuildOptions;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn guide_dir() -> PathBuf {
    repo().join("content/handboeken/redactie")
}

struct Example {
    file: String,
    info: String,
    text: String,
}

fn examples() -> Vec<Example> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(guide_dir())
        .expect("the guide exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    assert!(files.len() >= 7, "{files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut current: Option<(String, String)> = None;
        for ev in Parser::new(&text) {
            match ev {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    current = Some((info.to_string(), String::new()));
                }
                Event::Text(t) => {
                    if let Some((_, body)) = &mut current {
                        body.push_str(&t);
                    }
                }
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((info, text)) = current.take() {
                        out.push(Example {
                            file: name.clone(),
                            info,
                            text,
                        });
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn themes() -> Vec<String> {
    let text = std::fs::read_to_string(repo().join("site.yaml")).unwrap();
    let config: Config = yaml::from_str(&text, Path::new("site.yaml")).unwrap();
    config.themes.into_iter().map(|t| t.key).collect()
}

fn front_matter(
    text: &str,
) -> Result<wegwijzer::model::FrontMatter, Vec<wegwijzer::diagnostics::Diagnostic>> {
    let themes = themes();
    let themes: Vec<&str> = themes.iter().map(String::as_str).collect();
    let file = Path::new("content/voorbeeld.md");
    let split = frontmatter::split(text, file).map_err(|d| vec![d])?;
    frontmatter::parse(&split, file, false, &themes)
}

/// Every kind of example is there, and each one loads (or, for `fout`,
/// fails) with the loader the site itself uses.
#[test]
fn every_example_in_the_guide_is_valid() {
    let examples = examples();
    let mut kinds = BTreeSet::new();
    for ex in &examples {
        let mut words = ex.info.split_whitespace();
        let lang = words.next().unwrap_or("");
        let kind = words.next().unwrap_or("");
        let wrong = ex.info.split_whitespace().any(|w| w == "fout");
        let at = format!("{} ({})", ex.file, ex.info);
        // A wider line makes the block scroll inside the page column
        // (1280 px wide: 67 characters), and a scrolling block that cannot
        // get keyboard focus is an axe violation.
        for line in ex.text.lines() {
            assert!(
                line.chars().count() <= 64,
                "{at}: the line is wider than 64 characters: {line:?}"
            );
        }
        kinds.insert(format!("{lang} {kind}").trim().to_string());
        match (lang, kind) {
            ("markdown", _) if ex.text.starts_with("---\n") => {
                let r = front_matter(&ex.text);
                if wrong {
                    let errs = r.expect_err(&at);
                    assert!(!errs.is_empty(), "{at}");
                } else if let Err(e) = r {
                    panic!("{at}: {e:#?}\n{}", ex.text);
                }
            }
            ("markdown", _) => assert!(!wrong, "{at}: a `fout` example must start with ---"),
            ("yaml", "frontmatter") => {
                let r = front_matter(&format!("---\n{}---\n", ex.text));
                assert_eq!(r.is_err(), wrong, "{at}: {r:#?}");
            }
            ("yaml", "organisaties") => {
                let (orgs, diags) = wegwijzer::load::organisations::load(
                    &ex.text,
                    &wegwijzer::load::positions::scan(&ex.text),
                    Path::new("content/organisaties.yaml"),
                );
                assert!(diags.is_empty(), "{at}: {diags:#?}");
                assert!(!orgs.is_empty(), "{at}");
            }
            ("yaml", "instelling") => {
                let (dir, diags) = wegwijzer::load::directory::load(
                    &[(
                        PathBuf::from("content/instellingen/roc-voorbeeldstad.yaml"),
                        ex.text.clone(),
                    )],
                    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
                );
                assert!(diags.is_empty(), "{at}: {diags:#?}");
                assert_eq!(dir.institutions.len(), 1, "{at}");
            }
            ("yaml", "synoniemen") => {
                let v: serde_yaml::Value = serde_yaml::from_str(&ex.text).expect(&at);
                let (syn, diags) =
                    Synonyms::from_data(&yaml::to_json(&v), Path::new("content/synoniemen.yaml"));
                assert!(diags.is_empty(), "{at}: {diags:#?}");
                assert!(!syn.is_empty(), "{at}");
            }
            ("yaml", "woordenlijst") => {
                let at_keys = wegwijzer::load::positions::scan(&ex.text);
                let (g, diags) = glossary::parse(&ex.text, &at_keys, Path::new(glossary::FILE));
                assert!(diags.is_empty(), "{at}: {diags:#?}");
                assert!(!g.is_empty(), "{at}");
            }
            ("yaml", "site") => {
                let r = yaml::from_str::<Config>(&ex.text, Path::new("site.yaml"));
                assert!(r.is_ok(), "{at}: {r:#?}");
            }
            ("yaml", other) => {
                assert_eq!(other, "", "{at}: unknown kind of example");
                serde_yaml::from_str::<serde_yaml::Value>(&ex.text).expect(&at);
            }
            // JSON is shown unhighlighted: highlighting would make the page
            // heavier than the page budget.
            ("text", "json") => {
                serde_json::from_str::<Value>(&ex.text).expect(&at);
            }
            ("text", _) => {}
            _ => panic!("{at}: unknown example language"),
        }
    }
    for want in [
        "markdown",
        "markdown fout",
        "yaml frontmatter",
        "yaml organisaties",
        "yaml instelling",
        "yaml synoniemen",
        "yaml woordenlijst",
        "yaml site",
        "text json",
        "text",
    ] {
        assert!(
            kinds.contains(want),
            "the guide has no `{want}` example: {kinds:?}"
        );
    }
}

/// Every `wegwijzer …` command in the guide is one the program accepts.
#[test]
fn every_command_in_the_guide_parses() {
    let mut n = 0;
    for ex in examples().iter().filter(|e| e.info == "text") {
        for line in ex.text.lines() {
            let Some(args) = line.strip_prefix("wegwijzer ") else {
                continue;
            };
            let mut args: Vec<&str> = args.split_whitespace().collect();
            args.push("--help");
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_wegwijzer"))
                .args(&args)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}: `{line}` is not a valid command:\n{}",
                ex.file,
                String::from_utf8_lossy(&out.stderr)
            );
            n += 1;
        }
    }
    assert!(n >= 5, "only {n} commands found");
}

/// The JSON example of `check` has exactly the keys of the real output.
#[test]
fn the_json_example_matches_the_real_output() {
    let ex = examples()
        .into_iter()
        .find(|e| e.info == "text json")
        .expect("a json example");
    let doc: Value = serde_json::from_str(&ex.text).unwrap();

    let today = NaiveDate::from_ymd_opt(2026, 11, 28);
    let real = |fixture: &str| {
        let site = support::Site::fixture(fixture);
        support::copy_dir(
            &repo().join("themes/default"),
            &site.root().join("themes/default"),
        );
        wegwijzer::check::check(&BuildOptions {
            root: site.root().to_path_buf(),
            today,
            ..Default::default()
        })
        .to_json(false)
    };
    let problems = real("check-problems");
    let directory = real("check-directory");

    fn keys(v: &Value) -> BTreeSet<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    }
    let pairs: Vec<(&str, &Value, &Value)> = vec![
        ("top", &doc, &problems),
        ("summary", &doc["summary"], &problems["summary"]),
        ("files[0]", &doc["files"][0], &problems["files"][0]),
        (
            "findings[0]",
            &doc["files"][0]["findings"][0],
            &problems["files"][0]["findings"][0],
        ),
        ("pages[0]", &doc["pages"][0], &problems["pages"][0]),
        (
            "external_domains[0]",
            &doc["external_domains"][0],
            &problems["external_domains"][0],
        ),
        ("stale[0]", &doc["stale"][0], &directory["stale"][0]),
    ];
    for (what, documented, actual) in pairs {
        assert!(!keys(actual).is_empty(), "{what}: the real output has none");
        assert_eq!(keys(documented), keys(actual), "{what}");
    }
    let long = problems["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| !p["long_sentences"].as_array().unwrap().is_empty())
        .unwrap();
    assert_eq!(
        keys(&doc["pages"][0]["long_sentences"][0]),
        keys(&long["long_sentences"][0])
    );
    let words = problems["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| !p["long_words"].as_array().unwrap().is_empty())
        .unwrap();
    assert_eq!(
        keys(&doc["pages"][0]["long_words"][0]),
        keys(&words["long_words"][0])
    );
}

/// The diagnostic codes in the source: the first string argument of
/// `Diagnostic::error(`/`warning(`, `error_at_value(` and `finding(`
/// (after the level), and every `"directory-…"` literal.
fn source_codes() -> BTreeSet<String> {
    let is_code = |s: &str| {
        !s.is_empty()
            && s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    let mut out = BTreeSet::new();
    for entry in walkdir::WalkDir::new(repo().join("src"))
        .into_iter()
        .flatten()
    {
        if entry.path().extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        // Leave out unit tests: they may use made-up codes.
        let text = text.split("#[cfg(test)]").next().unwrap_or("");
        for marker in [
            "Diagnostic::error(",
            "Diagnostic::warning(",
            "error_at_value(",
            "finding(",
        ] {
            for (i, _) in text.match_indices(marker) {
                let mut rest = text[i + marker.len()..].trim_start();
                if marker == "finding(" {
                    // The code comes after the level.
                    rest = rest.split_once(',').map_or("", |(_, r)| r.trim_start());
                }
                if let Some(lit) = rest.strip_prefix('"') {
                    let lit = lit.split('"').next().unwrap_or("");
                    if is_code(lit) {
                        out.insert(lit.to_string());
                    }
                }
            }
        }
        for (i, _) in text.match_indices("\"directory-") {
            let lit = text[i + 1..].split('"').next().unwrap_or("");
            if is_code(lit) {
                out.insert(lit.to_string());
            }
        }
    }
    out
}

/// The codes in the first column of the tables of the messages page.
fn documented_codes() -> BTreeSet<String> {
    let text = std::fs::read_to_string(guide_dir().join("meldingen.md")).unwrap();
    text.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_guide_explains_every_message_and_no_other() {
    let source = source_codes();
    let documented = documented_codes();
    assert!(source.len() > 40, "{source:?}");
    let missing: Vec<&String> = source.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "add these codes to content/handboeken/redactie/meldingen.md: {missing:?}"
    );
    let stale: Vec<&String> = documented.difference(&source).collect();
    assert!(
        stale.is_empty(),
        "meldingen.md explains codes that no longer exist: {stale:?}"
    );
    // Codes quoted in the guide's sample output exist too.
    for ex in examples().iter().filter(|e| e.info == "text") {
        for part in ex.text.split('[').skip(1) {
            let code = part.split(']').next().unwrap_or("");
            if code.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !code.is_empty() {
                assert!(source.contains(code), "{}: `{code}` is not a code", ex.file);
            }
        }
    }
}

/// The bundled site passes `check --strict`. "Today" is the newest
/// `updated` date of the content, so the test does not age.
#[test]
fn the_bundled_site_passes_check_strict() {
    let newest = walkdir::WalkDir::new(repo().join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .flat_map(|t| {
            t.lines()
                .filter_map(|l| l.strip_prefix("updated:"))
                .filter_map(|d| {
                    NaiveDate::parse_from_str(d.trim().trim_matches('"'), "%Y-%m-%d").ok()
                })
                .collect::<Vec<_>>()
        })
        .max()
        .expect("the content has dates");
    let report = wegwijzer::check::check(&BuildOptions {
        root: repo(),
        today: Some(newest),
        ..Default::default()
    });
    assert_eq!(
        report.exit_code(true),
        0,
        "check --strict fails on the bundled site:\n{}",
        report.to_text(true)
    );
    let guide: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.file.starts_with("content/handboeken/redactie"))
        .collect();
    assert!(guide.is_empty(), "the guide itself: {guide:#?}");
}
