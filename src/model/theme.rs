//! The active theme as data: its templates' sources and its static files,
//! read by `load::theme`, so that rendering never reads a file.

use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// `themes/<name>`, relative to the site root.
    pub dir: PathBuf,
    /// Each template's source, by its name below `templates/`.
    pub templates: BTreeMap<String, String>,
    /// Each file below `static/` (CSS, JS, images), by its path there.
    pub files: Vec<ThemeFile>,
}

#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// The path below `static/`, with `/`: `css/site.css`.
    pub path: String,
    pub bytes: Vec<u8>,
}

impl Theme {
    /// `themes/<name>/templates`, relative to the site root.
    pub fn templates_dir(&self) -> PathBuf {
        self.dir.join("templates")
    }
}
