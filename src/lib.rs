//! wegwijzer: content/ + site.yaml + a theme → a static site.
//!
//! The pipeline follows the data: [`load`] → [`model`] → [`render`] →
//! [`write`]. `serve` and `check` reuse it.

// A `Diagnostic` is the error type of every stage. It is large, but errors
// are the rare path, and boxing it everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod diagnostics;
pub mod import;
pub mod load;
pub mod model;
pub mod new;
pub mod phone;
pub mod render;
pub mod serve;
pub mod suggest;
pub mod timing;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diagnostics::{Diagnostic, Diagnostics};
use render::{RenderOptions, RenderStats, Sink};

/// What a build needs to know.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Replace an output folder that holds files no build wrote.
    pub force: bool,
    pub today: Option<chrono::NaiveDate>,
    pub render: RenderOptions,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            ..Default::default()
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }

    fn load_options(&self) -> load::LoadOptions {
        load::LoadOptions {
            drafts: self.drafts,
            base_url: self.base_url.clone(),
            today: self.today,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub stats: RenderStats,
    pub elapsed: Duration,
    pub diagnostics: Diagnostics,
}

impl BuildReport {
    pub fn ok(&self) -> bool {
        !self.diagnostics.has_errors()
    }

    /// The one summary line `build` prints.
    pub fn summary(&self) -> String {
        format!(
            "Built {} pages, {} sections, {} files copied in {:.2} s",
            self.stats.pages,
            self.stats.sections,
            self.stats.files_copied,
            self.elapsed.as_secs_f64()
        )
    }
}

/// Loads and renders into `sink`. Shared by `build`, `check` and `serve`.
pub fn run(
    opts: &BuildOptions,
    sink: &dyn Sink,
) -> (Option<model::Site>, render::PageFacts, BuildReport) {
    let start = Instant::now();
    let mut diags = Diagnostics::new();
    let mut timer = timing::Timer::new();
    let site = load::load(&opts.root, &opts.load_options(), &mut diags);
    timer.lap("load");
    let (stats, findings, ds) = render::render(&site, sink, &opts.render);
    diags.extend(ds);
    let report = BuildReport {
        stats,
        elapsed: start.elapsed(),
        diagnostics: diags,
    };
    (Some(site), findings, report)
}

/// A good build kept in memory by `serve`, so that an edit of a page's
/// text re-renders that page and the search index, and nothing else.
pub struct Kept {
    pub site: model::Site,
    memo: render::Memo,
}

/// What [`Kept::edit`] did.
pub enum Edit {
    /// The new output files; warnings in the report.
    Rendered {
        files: Vec<render::OutputFile>,
        report: BuildReport,
        /// Whether the search index must be made again.
        search: bool,
    },
    /// The edit has errors; the kept site is as it was.
    Failed(BuildReport),
    /// The edit reaches further than the pages' own text: build it all.
    Everything,
}

/// As [`run`], and keeps the site and what rendering learnt when the build
/// has no errors.
pub fn run_kept(opts: &BuildOptions, sink: &dyn Sink) -> (BuildReport, Option<Kept>) {
    let start = Instant::now();
    let mut diags = Diagnostics::new();
    let site = load::load(&opts.root, &opts.load_options(), &mut diags);
    let (stats, _, ds, memo) = render::render_keeping(&site, sink, &opts.render, true);
    diags.extend(ds);
    let kept = match memo {
        Some(memo) if !diags.has_errors() => Some(Kept { site, memo }),
        _ => None,
    };
    let report = BuildReport {
        stats,
        elapsed: start.elapsed(),
        diagnostics: diags,
    };
    (report, kept)
}

impl Kept {
    /// Re-renders after the files `changed` (relative to the root) were
    /// saved, when they are all pages or sections whose front matter and
    /// place did not change, or all templates of the theme. Anything else
    /// (a new or deleted file, a title, data, CSS, `site.yaml`) is
    /// [`Edit::Everything`].
    pub fn edit(&mut self, opts: &BuildOptions, changed: &[PathBuf]) -> Edit {
        let start = Instant::now();
        let templates = Path::new("themes")
            .join(&self.site.config.theme)
            .join("templates");
        let institutions = Path::new("content").join("instellingen");
        let is_institution = |p: &Path| {
            p.parent() == Some(institutions.as_path())
                && p.extension().is_some_and(|e| e == "yaml" || e == "yml")
        };
        if !changed.is_empty() && changed.iter().all(|p| is_institution(p)) {
            return self.edit_directory(start);
        }
        // Markdown holds what `contact-inline.html` renders: every page may change.
        if changed.iter().any(|p| p.ends_with("contact-inline.html")) {
            return Edit::Everything;
        }
        if !changed.is_empty() && changed.iter().all(|p| p.starts_with(&templates)) {
            let report = |ds: Vec<Diagnostic>| edit_report(start, ds, 0);
            let (sources, ds) = load::theme::load_templates(&opts.root, &self.site.theme.dir);
            if !ds.is_empty() {
                return Edit::Failed(report(ds));
            }
            let old = std::mem::replace(&mut self.site.theme.templates, sources);
            let edit = match render::rerender_templates(&self.site, &mut self.memo) {
                Ok(Some((files, ds))) => Edit::Rendered {
                    report: report(ds),
                    files,
                    search: false,
                },
                Ok(None) => Edit::Everything,
                Err(ds) => Edit::Failed(report(ds)),
            };
            if !matches!(edit, Edit::Rendered { .. }) {
                self.site.theme.templates = old;
            }
            return edit;
        }
        let themes: Vec<&str> = self
            .site
            .config
            .themes
            .iter()
            .map(|t| t.key.as_str())
            .collect();
        let mut edited = Vec::new();
        let mut new_meta = Vec::new();
        let mut fresh = Vec::new();
        let mut diags = Diagnostics::new();
        for path in changed {
            let Some(i) = self.site.pages.iter().position(|p| &p.file == path) else {
                return Edit::Everything;
            };
            match load::reload_page(&opts.root, &self.site.pages[i], &themes, opts.drafts) {
                Ok(Some(page)) => {
                    let (new, old) = (&page.meta, &self.site.pages[i].meta);
                    // What adds or removes files, or reaches the directory.
                    if page.url != self.site.pages[i].url
                        || new.aliases != old.aliases
                        || new.organisations != old.organisations
                        || (new.theme != old.theme && !new.organisations.is_empty())
                        || new.draft != old.draft
                    {
                        return Edit::Everything;
                    }
                    new_meta.push(new != old);
                    edited.push(i);
                    fresh.push(page);
                }
                Ok(None) => return Edit::Everything,
                Err(ds) => diags.extend(ds),
            }
        }
        let report = |ds: Diagnostics, pages: usize| edit_report(start, ds, pages);
        if diags.has_errors() {
            return Edit::Failed(report(diags, 0));
        }
        let mut old: Vec<model::Page> = Vec::new();
        for (&i, page) in edited.iter().zip(fresh) {
            old.push(std::mem::replace(&mut self.site.pages[i], page));
        }
        let reorder = new_meta.contains(&true);
        if reorder {
            self.site.sort_sections();
        }
        match render::rerender_pages(&self.site, &mut self.memo, &edited, &new_meta) {
            Ok((files, ds)) => {
                diags.extend(ds);
                Edit::Rendered {
                    files,
                    report: report(diags, edited.len()),
                    search: true,
                }
            }
            Err(ds) => {
                for (&i, page) in edited.iter().zip(old) {
                    self.site.pages[i] = page;
                }
                if reorder {
                    self.site.sort_sections();
                }
                diags.extend(ds);
                Edit::Failed(report(diags, 0))
            }
        }
    }

    /// After an edit of institution files: their pages, vCards and open
    /// data, when no other page shows what changed.
    fn edit_directory(&mut self, start: Instant) -> Edit {
        let report = |ds: Vec<Diagnostic>| edit_report(start, ds, 0);
        let directory = match load::reload_directory(&self.site.root, self.site.today) {
            Ok(d) => d,
            Err(ds) => return Edit::Failed(report(ds)),
        };
        let old = std::mem::replace(&mut self.site.directory, directory);
        match render::rerender_directory(&self.site, &mut self.memo) {
            Ok(Some(((files, ds), search))) => Edit::Rendered {
                files,
                report: report(ds),
                search,
            },
            Ok(None) => {
                self.site.directory = old;
                Edit::Everything
            }
            Err(ds) => {
                self.site.directory = old;
                Edit::Failed(report(ds))
            }
        }
    }

    /// The search index's files as of now: work for another thread.
    pub fn search_job(&self) -> impl FnOnce() -> Vec<render::OutputFile> + Send + 'static {
        self.memo.search_job(&self.site.synonyms)
    }
}

/// The report of an edit that started at `start` and rendered `pages`.
fn edit_report(
    start: Instant,
    ds: impl IntoIterator<Item = Diagnostic>,
    pages: usize,
) -> BuildReport {
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(ds);
    BuildReport {
        stats: RenderStats {
            pages,
            ..Default::default()
        },
        elapsed: start.elapsed(),
        diagnostics,
    }
}

/// Builds the site into the output folder. The output is replaced only when
/// the build has no errors; otherwise it is left exactly as it was.
pub fn build(opts: &BuildOptions) -> BuildReport {
    let start = Instant::now();
    let output = opts.output_dir();
    if let Err(d) = write::guard_output(&opts.root, &output, opts.force) {
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(d);
        return BuildReport {
            elapsed: start.elapsed(),
            diagnostics,
            ..Default::default()
        };
    }
    let staging = match write::Staging::new(&output) {
        Ok(s) => s,
        Err(e) => {
            return failed(
                start,
                &output,
                format!("cannot create a staging folder next to it: {e}"),
            )
        }
    };
    let (_, _, mut report) = run(opts, &staging);
    let mut timer = timing::Timer::new();
    if report.diagnostics.has_errors() {
        staging.discard();
    } else if let Err(e) = staging.commit() {
        report.diagnostics.push(
            Diagnostic::error("write", display_path(&output, &opts.root), format!("cannot replace the output folder: {e}"))
                .hint("check that the folder is writable and the disk is not full; the old output is untouched"),
        );
    }
    timer.lap("swap");
    report.elapsed = start.elapsed();
    report
}

fn display_path(p: &Path, root: &Path) -> PathBuf {
    p.strip_prefix(root)
        .map_or_else(|_| p.to_path_buf(), Path::to_path_buf)
}

fn failed(start: Instant, output: &Path, message: String) -> BuildReport {
    let mut diagnostics = Diagnostics::new();
    diagnostics.push(Diagnostic::error("write", output, message).hint(
        "check that the folder is writable and the disk is not full; the old output is untouched",
    ));
    BuildReport {
        elapsed: start.elapsed(),
        diagnostics,
        ..Default::default()
    }
}
