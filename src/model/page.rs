//! A page or section of `content/`, its front matter, and the files that
//! are copied as they are.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::positions::Positions;

/// The validated front matter of a page or section.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: String,
    pub description: Option<String>,
    pub updated: Option<NaiveDate>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub template: Option<String>,
    pub aliases: Vec<String>,
    pub audience: Vec<String>,
    pub theme: Option<String>,
    pub keywords: Vec<String>,
    pub organisations: Vec<String>,
    /// The one or two organisations of the first-help box; by default the
    /// first of `organisations`.
    pub first_help: Vec<String>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub sort_by: Option<String>,
    pub page_template: Option<String>,
    /// Where each key is in the file, for messages about its value.
    pub positions: Positions,
}

impl FrontMatter {
    pub fn line_of(&self, key: &str) -> usize {
        self.positions.get(key).map_or(1, |p| p.line)
    }
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
    /// For page bundles: the bundle's other files, as indexes of
    /// `Site::static_files`.
    pub assets: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct StaticFile {
    pub source: PathBuf,
    /// Output-relative path (the same as its content-relative path).
    pub output: String,
    pub in_bundle: bool,
    /// Its size in bytes, for the download link.
    pub size: u64,
}
