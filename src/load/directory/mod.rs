//! The directory's files, `content/instellingen/<slug>.yaml`: parsed and
//! validated into the model's [`Directory`], every problem at its line.

mod parse;
pub mod schema;

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::model::directory::{sort_key, Directory, Institution};

pub(crate) use parse::{check_brin, check_postcode, check_url};

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
            let (line, col) = crate::load::positions::scan(text).value("brin");
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
