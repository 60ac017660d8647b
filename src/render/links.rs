//! What a link in Markdown may point at, and where it goes: pages by their
//! Markdown path, URLs of the site, static files, and anchors.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::contacts::InlineContact;
use crate::model::Site;
use crate::suggest::Suggester;

/// What a link may point at, for every page at once.
/// It owns its data, so that `serve` can keep it between edits.
#[derive(Default)]
pub struct LinkIndex {
    pub by_content_path: HashMap<String, usize>,
    /// URLs (without base path) of pages, generated pages and static files.
    pub urls: HashSet<String>,
    pub page_urls: Vec<String>,
    pub static_paths: HashSet<String>,
    pub failed: HashSet<String>,
    pub base_path: String,
    /// Organisations by key, as `[](contact:key)` renders them.
    pub contacts: HashMap<String, InlineContact>,
    /// Did-you-mean over `page_urls` and over the content paths, made at
    /// the first broken link: a good build never needs them.
    near_urls: OnceLock<Suggester>,
    near_paths: OnceLock<Suggester>,
}

impl LinkIndex {
    pub fn new(site: &Site, generated: impl IntoIterator<Item = String>) -> Self {
        let mut urls: HashSet<String> = site.pages.iter().map(|p| p.url.clone()).collect();
        urls.extend(generated);
        for f in &site.static_files {
            urls.insert(format!("/{}", f.output));
        }
        LinkIndex {
            by_content_path: site
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.content_path.clone(), i))
                .collect(),
            urls,
            page_urls: site.pages.iter().map(|p| p.url.clone()).collect(),
            static_paths: site.static_files.iter().map(|f| f.output.clone()).collect(),
            failed: site.failed_pages.iter().cloned().collect(),
            base_path: site.config.base_path(),
            contacts: HashMap::new(),
            near_urls: OnceLock::new(),
            near_paths: OnceLock::new(),
        }
    }

    fn near_url(&self, url: &str) -> Option<&str> {
        self.near_urls
            .get_or_init(|| Suggester::new(self.page_urls.iter().cloned()))
            .suggest(url)
    }

    fn near_path(&self, path: &str) -> Option<&str> {
        self.near_paths
            .get_or_init(|| {
                let mut paths: Vec<&String> = self.by_content_path.keys().collect();
                paths.sort_unstable();
                Suggester::new(paths.into_iter().cloned())
            })
            .suggest(path)
    }

    /// The root-relative URL with the base path: `/melden/` → `/sub/melden/`.
    pub fn url(&self, url: &str) -> String {
        format!("{}{}", self.base_path, url.trim_start_matches('/'))
    }
}

pub(super) fn is_external(dest: &str) -> bool {
    let lower = dest.to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || lower.starts_with("tel:")
}

/// A scheme other than the safe ones (`javascript:`, `data:`, …).
pub(super) fn has_unsafe_scheme(dest: &str) -> bool {
    let scheme_end = dest.find(':');
    let first_sep = dest.find(['/', '?', '#']);
    match (scheme_end, first_sep) {
        (Some(c), Some(s)) if s < c => false,
        (Some(c), _) => {
            let scheme = &dest[..c];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || "+-.".contains(ch))
                && !is_external(dest)
        }
        _ => false,
    }
}

/// `a/b/../c` → `a/c`; `None` when `..` leaves `content/`.
pub(super) fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

pub(super) enum Target {
    Page(usize, Option<String>),
    Url(String),
    Here(String),
}

/// Why a link goes nowhere: the message, a hint, and the cause that other
/// links to the same place share.
pub(super) struct Unresolved {
    pub(super) message: String,
    pub(super) hint: Option<String>,
    pub(super) cause: Option<String>,
}

impl Unresolved {
    fn new(message: String, hint: Option<String>) -> Self {
        Unresolved {
            message,
            hint,
            cause: None,
        }
    }
}

pub(super) fn resolve(index: &LinkIndex, from_dir: &str, dest: &str) -> Result<Target, Unresolved> {
    if let Some(anchor) = dest.strip_prefix('#') {
        return Ok(Target::Here(anchor.to_string()));
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path).replace("%20", " ");
    let joined = if let Some(abs) = path.strip_prefix('/') {
        abs.to_string()
    } else if from_dir.is_empty() {
        path.clone()
    } else {
        format!("{from_dir}/{path}")
    };
    if path.ends_with(".md") {
        let Some(norm) = normalize(&joined) else {
            return Err(Unresolved::new(
                format!("the link `{dest}` goes outside content/"),
                None,
            ));
        };
        return match index.by_content_path.get(norm.as_str()) {
            Some(&i) => Ok(Target::Page(i, anchor)),
            // Already reported where it failed to load.
            None if index.failed.contains(norm.as_str()) => Ok(Target::Url(format!("/{norm}"))),
            None => {
                let near = index
                    .near_path(&norm)
                    .map(|k| format!("did you mean `{k}`? (paths start in content/)"));
                Err(Unresolved {
                    message: format!(
                        "the link `{dest}` points to content/{norm}, which does not exist"
                    ),
                    hint: near,
                    cause: Some(format!(
                        "links point to content/{norm}, which does not exist"
                    )),
                })
            }
        };
    }
    if path.starts_with('/') {
        let url = path.clone();
        let with_slash = if url.ends_with('/') || url.contains('.') {
            url.clone()
        } else {
            format!("{url}/")
        };
        if index.urls.contains(&with_slash) {
            return Ok(Target::Url(with_slash));
        }
        let near = index
            .near_url(&with_slash)
            .map(|k| format!("did you mean `{k}`?"));
        let message = if dest == with_slash {
            format!("the link `{dest}` points to a page the site does not have")
        } else {
            format!("the link `{dest}` points to {with_slash}, which the site does not have")
        };
        return Err(Unresolved {
            message,
            hint: near,
            cause: Some(format!(
                "links point to {with_slash}, which the site does not have"
            )),
        });
    }
    let Some(norm) = normalize(&joined) else {
        return Err(Unresolved::new(
            format!("the link `{dest}` goes outside content/"),
            None,
        ));
    };
    if index.static_paths.contains(norm.as_str()) {
        return Ok(Target::Url(format!("/{norm}")));
    }
    let as_url = format!("/{}/", norm.trim_end_matches('/'));
    if index.urls.contains(&as_url) || norm.is_empty() {
        return Ok(Target::Url(if norm.is_empty() {
            "/".into()
        } else {
            as_url
        }));
    }
    Err(Unresolved {
        message: format!("the link `{dest}` points to content/{norm}, which does not exist"),
        hint: Some("link to the Markdown file, e.g. `../melden/vertrouwenspersoon.md`".into()),
        cause: Some(format!(
            "links point to content/{norm}, which does not exist"
        )),
    })
}
