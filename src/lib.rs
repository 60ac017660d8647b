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
pub mod live;
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

/// What [`run`] made: the loaded site, what rendering saw of its pages
/// (for `check`), and the report.
pub struct Run {
    pub site: model::Site,
    pub facts: render::PageFacts,
    pub report: BuildReport,
}

/// Loads and renders into `sink`. Shared by `build` and `check`; `serve`
/// uses [`live::build`], which also keeps what it rendered.
pub fn run(opts: &BuildOptions, sink: &dyn Sink) -> Run {
    let start = Instant::now();
    let mut diags = Diagnostics::new();
    let mut timer = timing::Timer::new();
    let site = load::load(&opts.root, &opts.load_options(), &mut diags);
    timer.lap("load");
    let (stats, facts, ds) = render::render(&site, sink, &opts.render);
    diags.extend(ds);
    let report = BuildReport {
        stats,
        elapsed: start.elapsed(),
        diagnostics: diags,
    };
    Run {
        site,
        facts,
        report,
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
    let mut report = run(opts, &staging).report;
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
