//! Load: walk `content/`, read every file, split and check front matter, and
//! parse the YAML data. The result is a [`Site`] model and the diagnostics.

pub mod directory;
pub mod frontmatter;
pub mod glossary;
pub mod organisations;
pub mod positions;
pub mod theme;
mod tree;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{suggestion, Diagnostic, Diagnostics};
use crate::model::config::{self, Config};
use crate::model::{self, Page, Site, StaticFile};
use crate::render::search::Synonyms;

/// What a file in `content/` is, by its place and name.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Section,
    Page,
    Bundle,
    Data(String),
    Directory,
    Static,
}

/// The content-relative path with `/` separators.
fn content_path(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Editors' temp, swap and backup files, and hidden files, are never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.ends_with(".orig")
}

fn classify(rel: &str) -> Kind {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    match name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()) {
        Some(ext) if ext == "md" => match name {
            "_index.md" => Kind::Section,
            "index.md" => Kind::Bundle,
            _ => Kind::Page,
        },
        Some(ext) if (ext == "yaml" || ext == "yml") && dir.is_empty() => {
            Kind::Data(name.rsplit_once('.').map_or(name, |(s, _)| s).to_string())
        }
        Some(ext) if (ext == "yaml" || ext == "yml") && dir == "instellingen" => Kind::Directory,
        _ => Kind::Static,
    }
}

/// Reads a file as text: a leading BOM is dropped and CRLF becomes LF, so
/// positions stay right; bytes that are not UTF-8 are an error at their line.
pub fn read_text(abs: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(abs).map_err(|e| {
        Diagnostic::error("io", rel, format!("cannot read the file: {e}"))
            .hint("check that the file exists and can be read")
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
            let col = String::from_utf8_lossy(&bytes[..valid])
                .rsplit('\n')
                .next()
                .map_or(0, |l| l.chars().count())
                + 1;
            return Err(Diagnostic::error(
                "not-utf8",
                rel,
                format!("the file is not UTF-8 (byte 0x{:02X} at byte {valid})", bytes[valid]),
            )
            .at(line, col)
            .hint("save the file as UTF-8 in your editor (text copied from Word is often Windows-1252)"));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    })
}

/// Options that change what is loaded.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub drafts: bool,
    pub base_url: Option<String>,
    /// "Today", for freshness checks; fixed in tests.
    pub today: Option<chrono::NaiveDate>,
}

fn load_config(root: &Path, diags: &mut Diagnostics) -> Config {
    let rel = Path::new("site.yaml");
    let abs = root.join(rel);
    if !abs.exists() {
        diags.push(
            Diagnostic::error("config", rel, "site.yaml is missing")
                .hint("create site.yaml with at least `title: …` (see README.md)"),
        );
        return Config::default();
    }
    let text = match read_text(&abs, rel) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return Config::default();
        }
    };
    let value = match yaml::parse_value(&text, rel, 1) {
        Ok(v) => v,
        Err(d) => {
            diags.push(d);
            return Config::default();
        }
    };
    if let serde_yaml::Value::Mapping(map) = &value {
        let at = positions::scan(&text);
        for key in map.keys().filter_map(|k| k.as_str()) {
            if !config::KEYS.contains(&key) {
                let (line, col) = at.key(key);
                diags.push(
                    Diagnostic::error("unknown-key", rel, format!("unknown key `{key}`"))
                        .at(line, col)
                        .hint(suggestion(key, config::KEYS)),
                );
            }
        }
    }
    match yaml::from_str::<Config>(&text, rel) {
        Ok(c) => c,
        Err(d) => {
            if d.code != "yaml" || !d.message.starts_with("unknown field") {
                diags.push(d);
            }
            Config::default()
        }
    }
}

/// Loads the whole site under `root`. Problems go to `diags`; the model is
/// returned even when there are errors, so that every stage can report.
pub fn load(root: &Path, opts: &LoadOptions, diags: &mut Diagnostics) -> Site {
    let mut config = load_config(root, diags);
    if let Some(url) = &opts.base_url {
        config.base_url = url.clone();
    }
    let today = opts
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let theme_dir = root.join("themes").join(&config.theme);
    let (theme, ds) = theme::load(root, &config.theme);
    diags.extend(ds);
    if !theme_dir.is_dir() {
        diags.push(
            Diagnostic::error(
                "theme-missing",
                "site.yaml",
                format!("the theme `{}` does not exist", config.theme),
            )
            .hint(format!(
                "create themes/{}/templates/, or set `theme:` in site.yaml",
                config.theme
            )),
        );
    }

    let content_dir = root.join("content");
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    if !content_dir.is_dir() {
        diags.push(
            Diagnostic::error("content-missing", "content", "there is no content/ folder")
                .hint("create content/_index.md for the home page"),
        );
    }
    for entry in WalkDir::new(&content_dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()))
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map_or_else(|| PathBuf::from("content"), Path::to_path_buf);
                diags.push(Diagnostic::error("io", path, format!("cannot read: {e}")));
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(&content_dir) else {
            continue;
        };
        if entry.path_is_symlink() {
            diags.push(
                Diagnostic::warning(
                    "symlink",
                    Path::new("content").join(rel),
                    "symbolic links are not followed, so this is left out",
                )
                .hint("copy the file into content/ instead of linking to it"),
            );
            continue;
        }
        if entry.file_type().is_file() {
            files.push((content_path(rel), entry.into_path()));
        }
    }

    let themes: Vec<&str> = config.themes.iter().map(|t| t.key.as_str()).collect();
    let bundle_dirs: Vec<String> = files
        .iter()
        .filter(|(rel, _)| classify(rel) == Kind::Bundle)
        .map(|(rel, _)| rel.rsplit_once('/').map_or("", |(d, _)| d).to_string())
        .collect();

    let results: Vec<(String, Loaded, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|(rel, abs)| {
            let file = Path::new("content").join(rel);
            let kind = classify(rel);
            let text = || read_text(abs, &file);
            let (loaded, ds) = match kind {
                Kind::Section | Kind::Page | Kind::Bundle => match text() {
                    Ok(t) => load_page(rel, file, t, kind, &themes, opts.drafts),
                    Err(d) => (Loaded::Skip, vec![d]),
                },
                Kind::Data(name) => match text() {
                    Ok(t) => match yaml::parse_value(&t, &file, 1) {
                        Ok(v) => {
                            let at = positions::scan(&t);
                            (Loaded::Data(name, file, yaml::to_json(&v), t, at), vec![])
                        }
                        Err(d) => (Loaded::Skip, vec![d]),
                    },
                    Err(d) => (Loaded::Skip, vec![d]),
                },
                Kind::Directory => match text() {
                    Ok(t) => (Loaded::Directory(file, t), vec![]),
                    Err(d) => (Loaded::Skip, vec![d]),
                },
                Kind::Static => {
                    let in_bundle = bundle_dirs
                        .iter()
                        .any(|d| !d.is_empty() && rel.starts_with(&format!("{d}/")));
                    (
                        Loaded::Static(StaticFile {
                            source: abs.clone(),
                            output: rel.clone(),
                            in_bundle,
                            size: std::fs::metadata(abs).map_or(0, |m| m.len()),
                        }),
                        vec![],
                    )
                }
            };
            (rel.clone(), loaded, ds)
        })
        .collect();

    let mut pages = Vec::new();
    let mut data = BTreeMap::new();
    let mut data_sources = BTreeMap::new();
    let mut directory_files = Vec::new();
    let mut statics = Vec::new();
    let mut failed_pages = Vec::new();
    for (rel, loaded, ds) in results {
        if matches!(loaded, Loaded::Skip) && !ds.is_empty() {
            failed_pages.push(rel);
        }
        diags.extend(ds);
        match loaded {
            Loaded::Page(p) => pages.push(std::sync::Arc::new(*p)),
            Loaded::Data(name, file, value, text, positions) => {
                data.insert(name.clone(), value);
                data_sources.insert(name, (file, text, positions));
            }
            Loaded::Directory(file, text) => directory_files.push((file, text)),
            Loaded::Static(s) => statics.push(s),
            Loaded::Skip => {}
        }
    }

    let organisations = match data_sources.get(organisations::DATA_NAME) {
        Some((file, text, positions)) => {
            let (orgs, ds) = organisations::load(text, positions, file);
            diags.extend(ds);
            orgs
        }
        None => BTreeMap::new(),
    };
    let synonyms = match (data.get("synoniemen"), data_sources.get("synoniemen")) {
        (Some(v), Some((file, _, _))) => {
            let (s, ds) = Synonyms::from_data(v, file);
            diags.extend(ds);
            s
        }
        _ => Synonyms::empty(),
    };
    // Only `check` reports a glossary's problems: it never fails a build.
    let (glossary, glossary_problems) = match data_sources.get(glossary::DATA_NAME) {
        Some((file, text, positions)) => glossary::parse(text, positions, file),
        None => (Vec::new(), Vec::new()),
    };
    let (directory, ds) = directory::load(&directory_files, today);
    diags.extend(ds);

    let mut site = Site {
        root: root.to_path_buf(),
        config,
        pages,
        data,
        data_files: data_sources
            .into_iter()
            .map(|(name, (file, _, positions))| (name, model::DataFile { file, positions }))
            .collect(),
        organisations,
        glossary,
        glossary_problems,
        directory: std::sync::Arc::new(directory),
        synonyms,
        static_files: statics,
        theme,
        today,
        failed_pages,
    };
    tree::link_tree(&mut site, diags);
    check_page_references(&site, diags);
    site
}

/// What one file of `content/` became.
enum Loaded {
    Page(Box<Page>),
    Data(
        String,
        PathBuf,
        serde_json::Value,
        String,
        model::positions::Positions,
    ),
    Directory(PathBuf, String),
    Static(StaticFile),
    Skip,
}

/// One page or section from its text.
fn load_page(
    rel: &str,
    file: PathBuf,
    text: String,
    kind: Kind,
    themes: &[&str],
    drafts: bool,
) -> (Loaded, Vec<Diagnostic>) {
    let split = match frontmatter::split(&text, &file) {
        Ok(s) => s,
        Err(d) => return (Loaded::Skip, vec![d]),
    };
    let is_section = kind == Kind::Section;
    let meta = match frontmatter::parse(&split, &file, is_section, themes) {
        Ok(m) => m,
        Err(ds) => return (Loaded::Skip, ds),
    };
    if meta.draft && !drafts {
        return (Loaded::Skip, vec![]);
    }
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let url_path = match kind {
        Kind::Section | Kind::Bundle => dir.clone(),
        _ => {
            let stem = rel.strip_suffix(".md").unwrap_or(rel);
            stem.to_string()
        }
    };
    let url = match model::url_for(&url_path) {
        Ok(u) => u,
        Err(why) => {
            return (
                Loaded::Skip,
                vec![
                    Diagnostic::error("bad-path", &file, format!("the file name {why}"))
                        .hint("use lowercase letters, digits and `-` in file and folder names"),
                ],
            )
        }
    };
    let body_line = split.body_line;
    let body = split.body.to_string();
    let page = Page {
        file,
        content_path: rel.to_string(),
        dir,
        is_section,
        url,
        meta,
        body,
        body_line,
        parent: None,
        children: Vec::new(),
        subsections: Vec::new(),
        assets: Vec::new(),
    };
    (Loaded::Page(Box::new(page)), vec![])
}

/// Reads `old`'s file again, for `serve`: the page as it is now, with its
/// place in the site (section, children, attachments) kept. `None` when it
/// is no longer an ordinary page (now a draft, or gone).
pub fn reload_page(
    root: &Path,
    old: &Page,
    themes: &[&str],
    drafts: bool,
) -> Result<Option<Page>, Vec<Diagnostic>> {
    let abs = root.join(&old.file);
    if !abs.is_file() {
        return Ok(None);
    }
    let text = read_text(&abs, &old.file).map_err(|d| vec![d])?;
    let kind = classify(&old.content_path);
    match load_page(
        &old.content_path,
        old.file.clone(),
        text,
        kind,
        themes,
        drafts,
    ) {
        (Loaded::Page(p), _) => Ok(Some(Page {
            parent: old.parent,
            children: old.children.clone(),
            subsections: old.subsections.clone(),
            assets: old.assets.clone(),
            ..*p
        })),
        (_, ds) if ds.is_empty() => Ok(None),
        (_, ds) => Err(ds),
    }
}

/// Reads every institution file again, for `serve`, as [`load`] does.
pub fn reload_directory(
    root: &Path,
    today: chrono::NaiveDate,
) -> Result<crate::model::directory::Directory, Vec<Diagnostic>> {
    let dir = root.join("content").join("instellingen");
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for entry in WalkDir::new(&dir)
        .min_depth(1)
        .max_depth(1)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("instellingen/{name}");
        if is_ignored_name(&name)
            || entry.path_is_symlink()
            || !entry.file_type().is_file()
            || classify(&rel) != Kind::Directory
        {
            continue;
        }
        let file = Path::new("content").join(&rel);
        match read_text(entry.path(), &file) {
            Ok(text) => files.push((file, text)),
            Err(d) => errors.push(d),
        }
    }
    let (directory, ds) = directory::load(&files, today);
    errors.extend(ds);
    if errors.iter().any(Diagnostic::is_error) {
        Err(errors)
    } else {
        Ok(directory)
    }
}

/// Front matter keys that point at other data: organisation keys.
fn check_page_references(site: &Site, diags: &mut Diagnostics) {
    let keys: Vec<&str> = site.organisations.keys().map(String::as_str).collect();
    for page in &site.pages {
        for (field, list) in [
            ("organisations", &page.meta.organisations),
            ("first_help", &page.meta.first_help),
        ] {
            for key in list {
                if site.organisations.contains_key(key) {
                    continue;
                }
                diags.push(
                    Diagnostic::error(
                        "unknown-organisation",
                        &page.file,
                        format!("unknown organisation `{key}` in `{field}`"),
                    )
                    .at_line(page.meta.line_of(field))
                    .hint(format!(
                        "{} (organisations are in content/{}.yaml)",
                        suggestion(key, &keys),
                        organisations::DATA_NAME
                    )),
                );
            }
        }
        if page.meta.first_help.len() > 2 {
            diags.push(
                Diagnostic::error(
                    "first-help",
                    &page.file,
                    format!(
                        "`first_help` names {} organisations; the box has room for two",
                        page.meta.first_help.len()
                    ),
                )
                .at_line(page.meta.line_of("first_help"))
                .hint("keep the one or two that help first; the rest go in `organisations`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_place_and_name() {
        assert_eq!(classify("_index.md"), Kind::Section);
        assert_eq!(classify("melden/_index.md"), Kind::Section);
        assert_eq!(classify("melden/x.md"), Kind::Page);
        assert_eq!(classify("handboeken/a/index.md"), Kind::Bundle);
        assert_eq!(
            classify("organisaties.yaml"),
            Kind::Data("organisaties".into())
        );
        assert_eq!(classify("instellingen/roc.yaml"), Kind::Directory);
        assert_eq!(classify("handboeken/a/f.pdf"), Kind::Static);
    }

    #[test]
    fn ignores_editor_files() {
        for n in [".x.md.swp", "x.md~", "#x.md#", ".hidden", "x.swp"] {
            assert!(is_ignored_name(n), "{n}");
        }
        assert!(!is_ignored_name("x.md"));
    }

    #[test]
    fn read_text_strips_bom_and_crlf_and_locates_bad_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        std::fs::write(&p, b"\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\n").unwrap();
        assert_eq!(
            read_text(&p, Path::new("a.md")).unwrap(),
            "---\ntitle: x\n---\n"
        );
        std::fs::write(&p, b"ok\nbad \xE9 byte\n").unwrap();
        let d = read_text(&p, Path::new("a.md")).unwrap_err();
        assert_eq!((d.line, d.column), (Some(2), Some(5)));
    }
}
