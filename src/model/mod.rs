//! The site as plain data: sections, pages, organisations, the directory and
//! the config. Nothing here reads files or renders.

pub mod config;
pub mod directory;
pub mod organisation;
mod page;
pub mod positions;
pub mod theme;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::render::search::Synonyms;
use directory::Directory;

pub use config::Config;
pub use organisation::Organisation;
pub use page::{FrontMatter, Page, StaticFile};

/// Cheap to clone: pages and the directory are shared, so that `serve` can
/// make the site after an edit beside the one it serves.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    /// Sections and pages. Sections have `is_section`; the home page is the
    /// section at URL `/`.
    pub pages: Vec<Arc<Page>>,
    /// `content/*.yaml`, by file stem.
    pub data: BTreeMap<String, serde_json::Value>,
    /// Where each of those files is, and where its keys are.
    pub data_files: BTreeMap<String, DataFile>,
    pub organisations: BTreeMap<String, Organisation>,
    /// The words `content/woordenlijst.yaml` explains.
    pub glossary: Vec<String>,
    /// What is wrong with the glossary: `check` reports it, `build` does not.
    pub glossary_problems: Vec<crate::diagnostics::Diagnostic>,
    pub directory: Arc<Directory>,
    pub synonyms: Synonyms,
    /// Files in `content/` that are copied as they are.
    pub static_files: Vec<StaticFile>,
    pub theme: theme::Theme,
    pub today: NaiveDate,
    /// Content paths of pages that failed to load: links to them are not
    /// reported again as broken.
    pub failed_pages: Vec<String>,
}

/// A data file of `content/`: its path from the site root and the
/// positions of its keys, so that later stages can point into it.
#[derive(Debug, Clone, Default)]
pub struct DataFile {
    pub file: PathBuf,
    pub positions: positions::Positions,
}

impl Site {
    /// Puts every section's pages and subsections in the section's order.
    pub fn sort_sections(&mut self) {
        let site = self;
        let pages = &site.pages;
        let mut sorted: Vec<(usize, Vec<usize>, Vec<usize>)> = Vec::new();
        for (i, s) in pages.iter().enumerate().filter(|(_, p)| p.is_section) {
            let by = s.meta.sort_by.as_deref().unwrap_or("weight");
            let order = |list: &[usize]| {
                let mut v = list.to_vec();
                // Keys computed once per page, not per comparison.
                v.sort_by_cached_key(|&k| {
                    let p = &pages[k];
                    let weight = match by {
                        "title" | "updated" => 0,
                        _ => p.meta.weight.unwrap_or(i64::MAX),
                    };
                    // Newest first.
                    let updated = match by {
                        "updated" => std::cmp::Reverse(p.meta.updated),
                        _ => std::cmp::Reverse(None),
                    };
                    (weight, updated, p.meta.title.to_lowercase(), p.url.clone())
                });
                v
            };
            sorted.push((i, order(&s.children), order(&s.subsections)));
        }
        for (i, children, subsections) in sorted {
            // A shared section is copied only when its order changes.
            if site.pages[i].children != children || site.pages[i].subsections != subsections {
                let section = Arc::make_mut(&mut site.pages[i]);
                section.children = children;
                section.subsections = subsections;
            }
        }
    }

    /// Whether page `i` is a student's situation page: for students, about
    /// a theme, not a section.
    pub fn is_situation(&self, i: usize) -> bool {
        let p = &self.pages[i];
        !p.is_section && p.meta.theme.is_some() && p.meta.audience.iter().any(|a| a == "student")
    }

    /// What page `i`'s first-help box shows: its `first_help`, or on a
    /// situation page its first organisation; and an emergency number
    /// (112) that either list names, for its own line.
    pub fn first_help(&self, i: usize) -> (Vec<&Organisation>, Option<&Organisation>) {
        let meta = &self.pages[i].meta;
        let named = |keys: &'_ [String]| -> Vec<&Organisation> {
            keys.iter()
                .filter_map(|k| self.organisations.get(k))
                .collect()
        };
        let first: Vec<&Organisation> = if meta.first_help.is_empty() {
            named(&meta.organisations)
                .into_iter()
                .filter(|o| !o.emergency)
                .take(usize::from(self.is_situation(i)))
                .collect()
        } else {
            named(&meta.first_help)
                .into_iter()
                .filter(|o| !o.emergency)
                .collect()
        };
        let emergency = named(&meta.first_help)
            .into_iter()
            .chain(named(&meta.organisations))
            .find(|o| o.emergency);
        (first, emergency)
    }

    pub fn home(&self) -> Option<usize> {
        self.pages.iter().position(|p| p.is_section && p.url == "/")
    }

    /// Pages and sections by content path, for link resolution.
    pub fn by_content_path(&self) -> HashMap<&str, usize> {
        self.pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.content_path.as_str(), i))
            .collect()
    }
}

/// Checks that a URL path is safe to become a folder in the output: no `..`,
/// no backslashes, no empty or hidden parts, no control characters.
pub fn check_url_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err("must start with `/`".into());
    }
    for part in path.split('/').filter(|p| !p.is_empty()) {
        if part == "." || part == ".." || part.starts_with('.') {
            return Err("must not contain `.` or `..` parts".into());
        }
        if part
            .chars()
            .any(|c| c.is_control() || c == '\\' || c == '%' || c == '?' || c == '#')
        {
            return Err("contains a character that is not allowed in a URL path".into());
        }
        if !part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
        {
            return Err("may only use letters a–z, digits, `-`, `_`, `.` and `~`".into());
        }
    }
    Ok(())
}

/// The URL for a content-relative path without extension (`melden/x`):
/// `/melden/x/`. File names become lowercase URLs.
pub fn url_for(path: &str) -> Result<String, String> {
    if path.is_empty() {
        return Ok("/".into());
    }
    let url = format!("/{}/", path.to_lowercase());
    check_url_path(&url)?;
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_are_checked() {
        assert_eq!(url_for("melden/x").unwrap(), "/melden/x/");
        assert_eq!(url_for("Melden/X").unwrap(), "/melden/x/");
        assert!(url_for("a b").is_err());
        assert!(check_url_path("/../etc/").is_err());
        assert!(check_url_path("/oud/pad/").is_ok());
        assert!(check_url_path("oud").is_err());
        assert!(check_url_path("/a\\b/").is_err());
    }
}
