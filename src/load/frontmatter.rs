//! Front matter: the YAML between `---` lines at the top of a Markdown file.
//!
//! Parsing runs in two passes so that one file can report several problems:
//! first every top-level key is checked against the schema (each unknown key
//! gets its own error with a suggestion), then the known keys are read into
//! typed fields, which reports wrong types and impossible dates with their
//! position.

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};

use crate::diagnostics::{suggestion, Diagnostic};
use crate::load::positions::{self, Positions};
use crate::load::yaml;
use crate::model::FrontMatter;

pub const PAGE_KEYS: &[&str] = &[
    "title",
    "description",
    "updated",
    "weight",
    "draft",
    "template",
    "aliases",
    "audience",
    "theme",
    "keywords",
    "organisations",
    "first_help",
    "extra",
];
pub const SECTION_KEYS: &[&str] = &["sort_by", "page_template"];
pub const AUDIENCES: &[&str] = &["student", "medewerker"];
pub const SORT_KEYS: &[&str] = &["weight", "title", "updated"];

/// Unknown keys are left to the first pass, so serde only sees known ones.
#[derive(Deserialize, Default)]
struct Raw {
    title: Option<String>,
    description: Option<String>,
    #[serde(default, deserialize_with = "date")]
    updated: Option<NaiveDate>,
    weight: Option<i64>,
    draft: Option<bool>,
    template: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    audience: Vec<String>,
    theme: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    organisations: Vec<String>,
    #[serde(default)]
    first_help: Vec<String>,
    #[serde(default)]
    extra: Option<serde_json::Map<String, serde_json::Value>>,
    sort_by: Option<String>,
    page_template: Option<String>,
}

fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let s = String::deserialize(d)?;
    parse_date(&s).map(Some).map_err(serde::de::Error::custom)
}

/// A real calendar date in the form `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        format!("`{s}` is not a real date; write it as YYYY-MM-DD, for example 2026-11-28")
    })
}

fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    match OneOrMany::deserialize(d) {
        Ok(OneOrMany::One(s)) => Ok(vec![s]),
        Ok(OneOrMany::Many(v)) => Ok(v),
        Err(_) => Err(serde::de::Error::custom(
            "expected a word or a list of words, e.g. `student` or `[student, medewerker]`",
        )),
    }
}

/// The line and column of top-level `key`, or the front matter's first line.
fn key_at(at: &Positions, key: &str, first_line: usize) -> (usize, usize) {
    at.get(key).map_or((first_line, 1), |p| (p.line, p.key_col))
}

/// Reads each known key alone, so that every wrong value is reported at its
/// own key's line (serde stops at the first, and loses custom positions).
fn type_errors(
    value: &serde_yaml::Value,
    split: &Split,
    at: &Positions,
    file: &Path,
    known: &[&str],
) -> Vec<Diagnostic> {
    let Some(map) = value.as_mapping() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in map {
        let Some(key) = k.as_str().filter(|k| known.contains(k)) else {
            continue;
        };
        let mut one = serde_yaml::Mapping::new();
        one.insert(k.clone(), v.clone());
        if let Err(e) = serde_yaml::from_value::<Raw>(serde_yaml::Value::Mapping(one)) {
            let (line, col) = key_at(at, key, split.yaml_line);
            let msg = e.to_string();
            let hint = match key {
                "updated" => "write the date as YYYY-MM-DD, for example 2026-11-28",
                "weight" => "write a whole number, for example 10",
                "draft" => "write true or false",
                "aliases" | "keywords" | "organisations" | "first_help" => "write a list, for example [een, twee]",
                "extra" => "write a map of `key: value` lines, indented under extra:",
                _ => "write plain text; put it in quotes if it contains `: ` or starts with a special character",
            };
            out.push(
                Diagnostic::error("wrong-type", file, format!("`{key}`: {msg}"))
                    .at(line, col)
                    .hint(hint),
            );
        }
    }
    out
}

/// The parts of a Markdown file.
#[derive(Debug)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the first YAML line.
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based line of the first body line.
    pub body_line: usize,
}

/// Finds the front matter. `text` must already have had its BOM removed and
/// CRLF turned into LF.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let rest = match text.strip_prefix("---\n") {
        Some(rest) => rest,
        None if text.trim_end() == "---" => "",
        None => {
            return Err(Diagnostic::error(
                "front-matter-missing",
                file,
                "this page has no front matter",
            )
            .at(1, 1)
            .hint("start the file with a `---` line, then `title: …`, then another `---` line"))
        }
    };
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            return Ok(Split {
                yaml: &rest[..offset],
                yaml_line: 2,
                body: &rest[offset + line.len()..],
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        "front-matter-unclosed",
        file,
        "the front matter is never closed",
    )
    .at(1, 1)
    .hint("add a line with only `---` after the last front matter line"))
}

/// Reads and validates front matter. All problems found are returned.
pub fn parse(
    split: &Split,
    file: &Path,
    is_section: bool,
    themes: &[&str],
) -> Result<FrontMatter, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let at = positions::scan_from(split.yaml, split.yaml_line);
    let value = match yaml::parse_value(split.yaml, file, split.yaml_line) {
        Ok(v) => v,
        Err(d) => return Err(vec![d]),
    };
    let known: Vec<&str> = if is_section {
        PAGE_KEYS.iter().chain(SECTION_KEYS).copied().collect()
    } else {
        PAGE_KEYS.to_vec()
    };
    match &value {
        serde_yaml::Value::Null => {}
        serde_yaml::Value::Mapping(map) => {
            for key in map.keys() {
                let name = match key {
                    serde_yaml::Value::String(s) => s.clone(),
                    other => yaml::describe(other),
                };
                if known.contains(&name.as_str()) {
                    continue;
                }
                let (line, col) = key_at(&at, &name, split.yaml_line);
                let hint = if !is_section && SECTION_KEYS.contains(&name.as_str()) {
                    format!("`{name}` only applies to sections (_index.md)")
                } else {
                    suggestion(&name, &known)
                };
                errors.push(
                    Diagnostic::error("unknown-key", file, format!("unknown key `{name}`"))
                        .at(line, col)
                        .hint(hint),
                );
            }
        }
        other => {
            return Err(vec![Diagnostic::error(
                "yaml-type",
                file,
                format!(
                    "front matter must be a list of `key: value` lines, not {}",
                    yaml::describe(other)
                ),
            )
            .at(split.yaml_line, 1)
            .hint("write for example `title: Mijn pagina`")]);
        }
    }

    let raw: Raw = if value.is_null() {
        Raw::default()
    } else {
        match serde_yaml::from_value(value.clone()) {
            Ok(raw) => raw,
            Err(e) => {
                errors.extend(type_errors(&value, split, &at, file, known.as_slice()));
                if errors.is_empty() {
                    errors.push(yaml::error_diagnostic(
                        &e,
                        split.yaml,
                        file,
                        split.yaml_line,
                    ));
                }
                return Err(errors);
            }
        }
    };

    let at_key = |key: &str| key_at(&at, key, split.yaml_line);
    let title = match raw.title {
        Some(t) if !t.trim().is_empty() => t,
        _ => {
            let (line, col) = if raw.title.is_some() {
                at_key("title")
            } else {
                (1, 1)
            };
            errors.push(
                Diagnostic::error("missing-title", file, "the page has no `title`")
                    .at(line, col)
                    .hint("add a line `title: …` to the front matter"),
            );
            String::new()
        }
    };
    for a in &raw.audience {
        if !AUDIENCES.contains(&a.as_str()) {
            let (line, col) = at_key("audience");
            errors.push(
                Diagnostic::error("unknown-value", file, format!("unknown audience `{a}`"))
                    .at(line, col)
                    .hint(suggestion(a, AUDIENCES)),
            );
        }
    }
    if let Some(theme) = &raw.theme {
        if !themes.contains(&theme.as_str()) {
            let (line, col) = at_key("theme");
            errors.push(
                Diagnostic::error("unknown-value", file, format!("unknown theme `{theme}`"))
                    .at(line, col)
                    .hint(format!(
                        "{} (themes are set in site.yaml)",
                        suggestion(theme, themes)
                    )),
            );
        }
    }
    if let Some(sort) = &raw.sort_by {
        if !SORT_KEYS.contains(&sort.as_str()) {
            let (line, col) = at_key("sort_by");
            errors.push(
                Diagnostic::error(
                    "unknown-value",
                    file,
                    format!("unknown sort order `{sort}`"),
                )
                .at(line, col)
                .hint(suggestion(sort, SORT_KEYS)),
            );
        }
    }
    for alias in &raw.aliases {
        if let Err(why) = crate::model::check_url_path(alias) {
            let (line, col) = at_key("aliases");
            errors.push(
                Diagnostic::error("bad-alias", file, format!("alias `{alias}` {why}"))
                    .at(line, col)
                    .hint("write an alias as a path from the site root, e.g. `/oud/adres/`"),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(FrontMatter {
        positions: at,
        title,
        description: raw.description.filter(|d| !d.trim().is_empty()),
        updated: raw.updated,
        weight: raw.weight,
        draft: raw.draft.unwrap_or(false),
        template: raw.template,
        aliases: raw.aliases,
        audience: raw.audience,
        theme: raw.theme,
        keywords: raw.keywords,
        organisations: raw.organisations,
        first_help: raw.first_help,
        extra: raw.extra.unwrap_or_default(),
        sort_by: raw.sort_by,
        page_template: raw.page_template,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(text: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
        let s = split(text, Path::new("p.md")).map_err(|d| vec![d])?;
        parse(&s, Path::new("p.md"), false, &["melden"])
    }

    #[test]
    fn reads_all_keys() {
        let f = fm("---\ntitle: Hoi\nupdated: 2026-11-28\naudience: student\nkeywords: [a, b]\ntheme: melden\nextra:\n  x: 1\n---\nbody\n").unwrap();
        assert_eq!(f.title, "Hoi");
        assert_eq!(f.updated, NaiveDate::from_ymd_opt(2026, 11, 28));
        assert_eq!(f.audience, vec!["student"]);
        assert_eq!(f.keywords, vec!["a", "b"]);
        assert_eq!(f.extra["x"], serde_json::json!(1));
    }

    #[test]
    fn reports_every_unknown_key_with_position_and_suggestion() {
        let errs = fm("---\ntitle: x\ntitel: y\ndescriptoin: z\n---\n").unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!((errs[0].line, errs[0].column), (Some(3), Some(1)));
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `title`?"));
        assert_eq!(errs[1].line, Some(4));
        assert_eq!(errs[1].hint.as_deref(), Some("did you mean `description`?"));
    }

    #[test]
    fn impossible_date_and_wrong_type_are_located() {
        let errs = fm("---\ntitle: x\nupdated: 2026-02-30\n---\n").unwrap_err();
        assert_eq!(errs[0].line, Some(3));
        assert!(
            errs[0].message.contains("not a real date"),
            "{}",
            errs[0].message
        );
        let errs = fm("---\ntitle: x\nweight: zwaar\n---\n").unwrap_err();
        assert_eq!(errs[0].line, Some(3));
        assert!(
            errs[0].message.contains("invalid type"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn missing_title_and_unclosed() {
        let errs = fm("---\ndescription: x\n---\n").unwrap_err();
        assert_eq!(errs[0].code, "missing-title");
        let errs = fm("---\ntitle: x\n").unwrap_err();
        assert_eq!(errs[0].code, "front-matter-unclosed");
        let errs = fm("").unwrap_err();
        assert_eq!(errs[0].code, "front-matter-missing");
    }

    #[test]
    fn unknown_theme_suggests() {
        let errs = fm("---\ntitle: x\ntheme: meldne\n---\n").unwrap_err();
        assert_eq!(
            errs[0].hint.as_deref(),
            Some("did you mean `melden`? (themes are set in site.yaml)")
        );
    }
}
