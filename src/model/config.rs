//! `site.yaml`: the site's settings, validated once so that nothing deeper
//! re-checks them.

use serde::{Deserialize, Serialize};

/// A topic of the site ("thema"): pages name it in their `theme` key, and the
/// directory gets a route page per institution for each.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub key: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_base_url")]
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_quick_exit")]
    pub quick_exit_url: String,
    #[serde(default = "default_readability")]
    pub readability_threshold: f64,
    #[serde(default)]
    pub themes: Vec<Topic>,
    #[serde(default)]
    pub menu: Vec<MenuItem>,
}

pub const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "quick_exit_url",
    "readability_threshold",
    "themes",
    "menu",
];

fn default_base_url() -> String {
    "/".into()
}
fn default_language() -> String {
    "nl".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_quick_exit() -> String {
    "https://www.knmi.nl/nederland-nu/weer".into()
}
fn default_readability() -> f64 {
    60.0
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "wegwijzer".into(),
            description: String::new(),
            base_url: default_base_url(),
            language: default_language(),
            theme: default_theme(),
            quick_exit_url: default_quick_exit(),
            readability_threshold: default_readability(),
            themes: Vec::new(),
            menu: Vec::new(),
        }
    }
}

impl Config {
    /// The path part of `base_url`, always starting and ending with `/`, so
    /// that a site published under a sub-path gets working links.
    pub fn base_path(&self) -> String {
        let rest = match self.base_url.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
            None => self.base_url.as_str(),
        };
        let trimmed = rest.trim_matches('/');
        if trimmed.is_empty() {
            "/".into()
        } else {
            format!("/{trimmed}/")
        }
    }

    /// `base_url` with exactly one trailing slash.
    pub fn base_url_slash(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }

    pub fn topic(&self, key: &str) -> Option<&Topic> {
        self.themes.iter().find(|t| t.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_from_base_url() {
        let mut c = Config::default();
        assert_eq!(c.base_path(), "/");
        c.base_url = "https://example.org".into();
        assert_eq!(c.base_path(), "/");
        c.base_url = "https://example.org/mbo".into();
        assert_eq!(c.base_path(), "/mbo/");
        assert_eq!(c.base_url_slash(), "https://example.org/mbo/");
    }
}
