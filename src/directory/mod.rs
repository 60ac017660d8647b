//! The directory of institutions: one YAML file per school in
//! `content/instellingen/`, validated into [`Institution`]s, and turned into
//! page contexts, vCards and the open-data JSON.
//!
//! This module does no I/O (except the importer): the core hands it the
//! files' text and writes what it returns.

pub mod import;
mod opendata;
pub(crate) mod pages;
mod parse;
mod positions;
pub mod schema;
mod vcard;

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

use crate::diagnostics::Diagnostic;
use crate::phone::Phone;
pub use pages::GeneratedPage;
pub use schema::{Group, Kind, Region, Role};

/// Every valid institution, sorted by name (A–Z, ignoring case and accents).
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub institutions: Vec<Institution>,
}

/// One school, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Institution {
    /// The file name without `.yaml`; the last part of its URL.
    pub slug: String,
    /// The file, relative to the site root.
    pub file: PathBuf,
    pub name: String,
    pub short_name: Option<String>,
    pub brin: String,
    pub kind: Kind,
    pub region: Region,
    pub website: String,
    /// Fictional demo data.
    pub demo: bool,
    pub locations: Vec<Location>,
    pub contacts: Vec<Contact>,
    pub documents: Vec<Document>,
    pub checked: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub key: String,
    pub name: String,
    pub street: String,
    /// `1234 AB`
    pub postcode: String,
    pub city: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    /// Unique within the institution: the role, with `-2`, `-3`… for a
    /// second or third contact of the same role. Names the vCard.
    pub id: String,
    pub role: Role,
    /// From outside the school (e.g. an external vertrouwenspersoon).
    pub external: bool,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<Phone>,
    /// An https URL of a web form.
    pub form: Option<String>,
    pub hours: Option<String>,
    /// Keys of the institution's locations this contact serves (none: all).
    pub locations: Vec<String>,
    pub languages: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub url: String,
}

impl Institution {
    /// The city of the first location: where the school is, for lists.
    pub fn city(&self) -> Option<&str> {
        self.locations.first().map(|l| l.city.as_str())
    }

    pub fn location_name(&self, key: &str) -> Option<&str> {
        self.locations
            .iter()
            .find(|l| l.key == key)
            .map(|l| l.name.as_str())
    }
}

/// Validates the institution files. `files` holds each file's path relative
/// to the site root (`content/instellingen/<slug>.yaml`) and its text. Files
/// with errors are left out of the directory; all their problems are in the
/// diagnostics. `today` decides which `checked` dates are stale.
pub fn load(files: &[(PathBuf, String)], today: NaiveDate) -> (Directory, Vec<Diagnostic>) {
    let parsed: Vec<(Option<Institution>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|(path, text)| parse::parse_file(path, text, today))
        .collect();

    let mut diags = Vec::new();
    let mut institutions = Vec::new();
    // Cross-file checks: slug and BRIN must be unique.
    let mut slugs: HashMap<String, PathBuf> = HashMap::new();
    let mut brins: HashMap<String, PathBuf> = HashMap::new();
    for ((path, text), (inst, file_diags)) in files.iter().zip(parsed) {
        let mut ok = !file_diags.iter().any(Diagnostic::is_error);
        diags.extend(file_diags);
        let slug = parse::slug_of(path);
        if let Some(first) = slugs.get(&slug) {
            diags.push(
                Diagnostic::error(
                    "directory-duplicate",
                    path,
                    format!("the slug `{slug}` is already used by {}", first.display()),
                )
                .at(1, 1)
                .hint("each institution needs its own file name"),
            );
            ok = false;
        } else {
            slugs.insert(slug, path.clone());
        }
        let Some(inst) = inst else { continue };
        if let Some(first) = brins.get(&inst.brin) {
            let (line, col) = positions::Positions::scan(text).value("brin");
            diags.push(
                Diagnostic::error(
                    "directory-duplicate",
                    path,
                    format!(
                        "BRIN code `{}` is already used by {}",
                        inst.brin,
                        first.display()
                    ),
                )
                .at(line, col)
                .hint("one file per institution: merge the two files"),
            );
            ok = false;
        } else {
            brins.insert(inst.brin.clone(), path.clone());
        }
        if ok {
            institutions.push(inst);
        }
    }
    institutions.sort_by_cached_key(|i| (sort_key(&i.name), i.slug.clone()));
    (Directory { institutions }, diags)
}

/// A key that sorts names A–Z regardless of case and accents.
pub(crate) fn sort_key(s: &str) -> String {
    fold(s)
}

/// Lower case, without accents: `Ëindhoven` → `eindhoven`.
pub(crate) fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A URL-safe slug: lower case ASCII letters, digits and single dashes.
pub(crate) fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// JSON text that is safe inside an HTML `<script>` element: `<`, `>` and
/// `&` are written as `\u003c` etc., so data cannot close the element.
pub fn script_safe_json(value: &serde_json::Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_and_slugify() {
        assert_eq!(fold("Élan École"), "elan ecole");
        assert_eq!(
            slugify("ROC Zeeënland – Café & Co."),
            "roc-zeeenland-cafe-co"
        );
        assert_eq!(slugify("  --  "), "");
    }

    #[test]
    fn script_safe_json_cannot_close_a_script() {
        let v = serde_json::json!({"name": "</script><script>alert(1)</script>&"});
        let s = script_safe_json(&v);
        assert!(!s.contains('<') && !s.contains('&'), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
