//! The site as plain data: sections, pages, organisations, the directory and
//! the config. Nothing here reads files or renders.

pub mod organisation;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::directory::Directory;
use crate::load::frontmatter::FrontMatter;
use crate::render::search::Synonyms;

pub use organisation::Organisation;

#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    /// Sections and pages. Sections have `is_section`; the home page is the
    /// section at URL `/`.
    pub pages: Vec<Page>,
    /// `content/*.yaml`, by file stem.
    pub data: BTreeMap<String, serde_json::Value>,
    pub organisations: BTreeMap<String, Organisation>,
    pub directory: Directory,
    pub synonyms: Synonyms,
    /// Files in `content/` that are copied as they are.
    pub static_files: Vec<StaticFile>,
    pub theme_dir: PathBuf,
    pub today: NaiveDate,
    /// Content paths of pages that failed to load: links to them are not
    /// reported again as broken.
    pub failed_pages: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Page {
    /// Relative to the site root, e.g. `content/melden/x.md`.
    pub file: PathBuf,
    /// Relative to `content/`, with `/`: `melden/x.md`.
    pub content_path: String,
    /// The folder that relative links start from (content-relative).
    pub dir: String,
    pub is_section: bool,
    /// From the site root, without the base path: `/melden/x/`.
    pub url: String,
    pub meta: FrontMatter,
    pub body: String,
    /// The 1-based line of the file where `body` starts.
    pub body_line: usize,
    /// The index of the section the page belongs to.
    pub parent: Option<usize>,
    /// For sections: their pages, in the section's order.
    pub children: Vec<usize>,
    pub subsections: Vec<usize>,
    /// For page bundles: the output paths of the bundle's other files.
    pub assets: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct StaticFile {
    pub source: PathBuf,
    /// Output-relative path (the same as its content-relative path).
    pub output: String,
    pub in_bundle: bool,
}

impl Site {
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

/// Connects pages to their sections, sorts sections, attaches bundle files,
/// and reports two pages that would be written to the same URL.
pub fn link_tree(site: &mut Site, diags: &mut Diagnostics) {
    // Same URL: report both files, sorted, so the message is stable.
    let mut by_url: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        by_url.entry(p.url.clone()).or_default().push(i);
        for alias in &p.meta.aliases {
            by_url
                .entry(url_for(alias.trim_matches('/')).unwrap_or_else(|_| alias.clone()))
                .or_default()
                .push(i);
        }
    }
    for (url, owners) in &by_url {
        if owners.len() > 1 {
            let mut files: Vec<String> = owners
                .iter()
                .map(|&i| site.pages[i].file.display().to_string())
                .collect();
            files.sort();
            files.dedup();
            for &i in owners {
                let others: Vec<&String> = files
                    .iter()
                    .filter(|f| **f != site.pages[i].file.display().to_string())
                    .collect();
                let with = if others.is_empty() {
                    "itself (an alias repeats the page's own URL)".to_string()
                } else {
                    others
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                diags.push(
                    Diagnostic::error(
                        "duplicate-url",
                        &site.pages[i].file,
                        format!("two pages would be written to {url}: this one and {with}"),
                    )
                    .at_line(1)
                    .hint("rename one of the files, or change its alias"),
                );
            }
        }
    }

    let sections: HashMap<String, usize> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_section)
        .map(|(i, p)| (p.dir.clone(), i))
        .collect();
    let parent_of = |dir: &str| -> Option<usize> {
        let mut d = dir.to_string();
        loop {
            if let Some(&i) = sections.get(&d) {
                return Some(i);
            }
            if d.is_empty() {
                return None;
            }
            d = d
                .rsplit_once('/')
                .map_or(String::new(), |(a, _)| a.to_string());
        }
    };
    for i in 0..site.pages.len() {
        let p = &site.pages[i];
        let parent = if p.is_section {
            if p.dir.is_empty() {
                None
            } else {
                parent_of(p.dir.rsplit_once('/').map_or("", |(a, _)| a))
            }
        } else {
            let bundle = p.content_path.ends_with("/index.md");
            let start = if bundle {
                p.dir.rsplit_once('/').map_or("", |(a, _)| a)
            } else {
                &p.dir
            };
            parent_of(start)
        };
        site.pages[i].parent = parent;
        if let Some(s) = parent {
            if site.pages[i].is_section {
                site.pages[s].subsections.push(i);
            } else {
                site.pages[s].children.push(i);
            }
        }
    }

    // Bundle files belong to their bundle page.
    let bundles: HashMap<String, usize> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.content_path.ends_with("/index.md"))
        .map(|(i, p)| (p.dir.clone(), i))
        .collect();
    for f in &site.static_files {
        if !f.in_bundle {
            continue;
        }
        let dir = f.output.rsplit_once('/').map_or("", |(d, _)| d);
        if let Some(&i) = bundles.get(dir) {
            site.pages[i].assets.push(f.output.clone());
        }
    }

    sort_sections(site);
}

/// Puts every section's pages and subsections in the section's order.
pub fn sort_sections(site: &mut Site) {
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
        site.pages[i].children = children;
        site.pages[i].subsections = subsections;
    }
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
