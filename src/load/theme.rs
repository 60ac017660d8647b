//! The active theme: every template's source and every static file, read
//! once, so that rendering works from memory.

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::load::{is_ignored_name, read_text};
use crate::model::theme::{Theme, ThemeFile};

/// Reads `themes/<name>/`: what cannot be read is an error at its file.
pub fn load(root: &Path, name: &str) -> (Theme, Vec<Diagnostic>) {
    let dir = Path::new("themes").join(name);
    let (templates, mut diags) = load_templates(root, &dir);
    let mut files = Vec::new();
    for (rel, abs) in walk(&root.join(&dir).join("static")) {
        match std::fs::read(&abs) {
            Ok(bytes) => files.push(ThemeFile { path: rel, bytes }),
            Err(e) => diags.push(Diagnostic::error(
                "io",
                dir.join("static").join(&rel),
                format!("cannot read: {e}"),
            )),
        }
    }
    (
        Theme {
            dir,
            templates,
            files,
        },
        diags,
    )
}

/// The templates of the theme in `dir` (relative to `root`), by name.
pub fn load_templates(
    root: &Path,
    dir: &Path,
) -> (std::collections::BTreeMap<String, String>, Vec<Diagnostic>) {
    let rel_dir = dir.join("templates");
    let mut templates = std::collections::BTreeMap::new();
    let mut diags = Vec::new();
    for (rel, abs) in walk(&root.join(&rel_dir)) {
        match read_text(&abs, &rel_dir.join(&rel)) {
            Ok(text) => {
                templates.insert(rel, text);
            }
            Err(d) => diags.push(d),
        }
    }
    (templates, diags)
}

/// The files below `dir`, sorted, as (path with `/`, absolute path);
/// editors' temp and hidden files left out.
fn walk(dir: &Path) -> Vec<(String, std::path::PathBuf)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && !is_ignored_name(&e.file_name().to_string_lossy()))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            Some((
                rel.to_string_lossy().replace('\\', "/"),
                e.path().to_path_buf(),
            ))
        })
        .collect()
}
