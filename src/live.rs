//! The incremental rebuild: the one place that decides what an edit
//! invalidates. `serve` keeps the last good build as a [`Live`] site; each
//! save becomes an [`Edit`]. An edit is a transaction: the site after the
//! edit and the render's changes are made beside the kept ones, and taken in
//! only when everything succeeded, so a failed edit leaves the kept build as
//! it was without anything to undo.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::render::{self, OutputFile, RenderState, RenderStats, Sink, Update};
use crate::{load, BuildOptions, BuildReport};

/// A good build kept in memory, so that an edit of a page's text
/// re-renders that page and the search index, and nothing else.
pub struct Live {
    pub site: Site,
    state: RenderState,
}

/// What [`Live::edit`] did.
pub enum Edit {
    /// The new output files; warnings in the report.
    Rendered {
        files: Vec<OutputFile>,
        report: BuildReport,
        /// Whether the search index must be made again.
        search: bool,
    },
    /// The edit has errors; the kept site is as it was.
    Failed(BuildReport),
    /// The edit reaches further than what can be re-rendered alone: the
    /// caller makes a full build.
    FullBuild,
}

/// Loads and renders into `sink`, and keeps the site and what rendering
/// learnt when the build has no errors.
pub fn build(opts: &BuildOptions, sink: &dyn Sink) -> (BuildReport, Option<Live>) {
    let start = Instant::now();
    let mut diags = Diagnostics::new();
    let site = load::load(&opts.root, &opts.load_options(), &mut diags);
    let (stats, _, ds, state) = render::render_keeping(&site, sink, &opts.render, true);
    diags.extend(ds);
    let live = match state {
        Some(state) if !diags.has_errors() => Some(Live { site, state }),
        _ => None,
    };
    let report = BuildReport {
        stats,
        elapsed: start.elapsed(),
        diagnostics: diags,
    };
    (report, live)
}

/// What kind of edit a set of saved paths (relative to the root) is.
enum Kind {
    Institutions,
    Templates,
    Pages,
    FullBuild,
}

fn classify(site: &Site, changed: &[PathBuf]) -> Kind {
    let templates = site.theme.templates_dir();
    let institutions = Path::new("content").join("instellingen");
    let is_institution = |p: &Path| {
        p.parent() == Some(institutions.as_path())
            && p.extension().is_some_and(|e| e == "yaml" || e == "yml")
    };
    if changed.is_empty() {
        Kind::FullBuild
    } else if changed.iter().all(|p| is_institution(p)) {
        Kind::Institutions
    // Markdown holds what `contact-inline.html` renders: every page may change.
    } else if changed.iter().any(|p| p.ends_with("contact-inline.html")) {
        Kind::FullBuild
    } else if changed.iter().all(|p| p.starts_with(&templates)) {
        Kind::Templates
    } else if changed
        .iter()
        .all(|p| site.pages.iter().any(|page| &page.file == p))
    {
        Kind::Pages
    } else {
        Kind::FullBuild
    }
}

impl Live {
    /// Re-renders after the files `changed` (relative to the root) were
    /// saved: pages whose place did not change, templates of the theme, or
    /// institution files. Anything else (a new or deleted file, aliases,
    /// data, CSS, `site.yaml`) is [`Edit::FullBuild`].
    pub fn edit(&mut self, opts: &BuildOptions, changed: &[PathBuf]) -> Edit {
        let start = Instant::now();
        let attempt = match classify(&self.site, changed) {
            Kind::Institutions => self.edit_directory(),
            Kind::Templates => self.edit_templates(opts),
            Kind::Pages => self.edit_pages(opts, changed),
            Kind::FullBuild => return Edit::FullBuild,
        };
        match attempt {
            Attempt::Done(next, update, pages) => {
                self.site = next;
                self.state.apply(update.changes);
                Edit::Rendered {
                    files: update.files,
                    report: edit_report(start, update.diagnostics, pages),
                    search: update.search,
                }
            }
            Attempt::Failed(ds) => Edit::Failed(edit_report(start, ds, 0)),
            Attempt::FullBuild => Edit::FullBuild,
        }
    }

    fn edit_templates(&self, opts: &BuildOptions) -> Attempt {
        let (sources, ds) = load::theme::load_templates(&opts.root, &self.site.theme.dir);
        if !ds.is_empty() {
            return Attempt::Failed(ds);
        }
        let mut next = self.site.clone();
        next.theme.templates = sources;
        Attempt::of(self.state.rerender_templates(&next), next, 0)
    }

    fn edit_pages(&self, opts: &BuildOptions, changed: &[PathBuf]) -> Attempt {
        let themes: Vec<&str> = self
            .site
            .config
            .themes
            .iter()
            .map(|t| t.key.as_str())
            .collect();
        let mut next = self.site.clone();
        let mut edited = Vec::new();
        let mut new_meta = Vec::new();
        let mut diags = Vec::new();
        for path in changed {
            let Some(i) = self.site.pages.iter().position(|p| &p.file == path) else {
                return Attempt::FullBuild;
            };
            let old = &self.site.pages[i];
            match load::reload_page(&opts.root, old, &themes, opts.drafts) {
                Ok(Some(page)) => {
                    let (new, was) = (&page.meta, &old.meta);
                    // What adds or removes files, or reaches the directory.
                    if page.url != old.url
                        || new.aliases != was.aliases
                        || new.organisations != was.organisations
                        || (new.theme != was.theme && !new.organisations.is_empty())
                        || new.draft != was.draft
                    {
                        return Attempt::FullBuild;
                    }
                    new_meta.push(new != was);
                    edited.push(i);
                    next.pages[i] = Arc::new(page);
                }
                Ok(None) => return Attempt::FullBuild,
                Err(ds) => diags.extend(ds),
            }
        }
        if diags.iter().any(Diagnostic::is_error) {
            return Attempt::Failed(diags);
        }
        if new_meta.contains(&true) {
            next.sort_sections();
        }
        let result = self
            .state
            .rerender_pages(&next, &edited, &new_meta)
            .map(|mut u| {
                diags.append(&mut u.diagnostics);
                u.diagnostics = diags;
                Some(u)
            });
        Attempt::of(result, next, edited.len())
    }

    /// Institution files: their pages, vCards and open data, when no other
    /// page shows what changed.
    fn edit_directory(&self) -> Attempt {
        let directory = match load::reload_directory(&self.site.root, self.site.today) {
            Ok(d) => d,
            Err(ds) => return Attempt::Failed(ds),
        };
        let mut next = self.site.clone();
        next.directory = Arc::new(directory);
        Attempt::of(self.state.rerender_directory(&next), next, 0)
    }

    /// The search index's files as of now: work for another thread.
    pub fn search_job(&self) -> impl FnOnce() -> Vec<OutputFile> + Send + 'static {
        self.state.search_job(&self.site.synonyms)
    }
}

/// An edit made beside the kept build: the site after it and the render's
/// update (with how many pages were edited), ready to be taken in.
// One is made per edit and moved once: its size does not matter.
#[allow(clippy::large_enum_variant)]
enum Attempt {
    Done(Site, Update, usize),
    Failed(Vec<Diagnostic>),
    FullBuild,
}

impl Attempt {
    fn of(result: Result<Option<Update>, Vec<Diagnostic>>, next: Site, pages: usize) -> Attempt {
        match result {
            Ok(Some(update)) => Attempt::Done(next, update, pages),
            Ok(None) => Attempt::FullBuild,
            Err(ds) => Attempt::Failed(ds),
        }
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
