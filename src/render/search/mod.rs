//! The static search index: Dutch-aware, sharded, loaded on demand by
//! `themes/default/static/js/search.js`. See the README, section "Search".
//!
//! The build does all language work: folding, stop words, stemming (our
//! port of Snowball 3's Dutch stemmer), compound splitting against the
//! site's vocabulary, synonyms, and BM25F scores. The client only folds the
//! query and looks its words up in the shards, which map surface words to
//! terms and carry the terms' postings.

mod compound;
mod index;
mod stem;
mod synonyms;
pub mod text;

use serde::{Deserialize, Serialize};

pub use index::build_index;
pub use synonyms::Synonyms;

/// One searchable page (or directory entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchDoc {
    /// The page's URL from the root, base path included: "/melden/vertrouwenspersoon/".
    pub url: String,
    pub title: String,
    /// Display name of its section, e.g. "Melden".
    pub section: String,
    /// Theme key: melden | inclusie | seksuele-grenzen | criminaliteit.
    #[serde(default)]
    pub theme: Option<String>,
    /// "student", "medewerker"; empty means everyone.
    #[serde(default)]
    pub audience: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub description: String,
    /// The body as plain text, split at headings; the first part (text
    /// before the first heading) has anchor `None`.
    #[serde(default)]
    pub parts: Vec<DocPart>,
}

/// A stretch of a page's body under one heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocPart {
    pub anchor: Option<String>,
    pub heading: String,
    pub level: u8,
    pub text: String,
}
