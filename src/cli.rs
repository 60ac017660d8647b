//! The command line's shape (clap): each command's arguments, and what they
//! mean as the library's options. Parsing and validating happen here, once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use wegwijzer::BuildOptions;

/// wegwijzer builds the signposting site in content/ into a static site.
#[derive(Parser)]
#[command(name = "wegwijzer", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --output). The old output is replaced
    /// only when the build has no errors.
    Build(BuildArgs),
    /// Build into memory and preview at http://127.0.0.1:1111/; rebuilds and
    /// reloads open pages when content/, the theme or site.yaml change.
    Serve(ServeArgs),
    /// Check the site before publishing: everything `build` checks, plus
    /// links, the directory, readability and content hygiene. Writes nothing.
    Check(CheckArgs),
    /// Start a new page or institution file; never overwrites a file.
    New {
        #[command(subcommand)]
        what: NewWhat,
    },
    /// Import institutions from DUO's open-data CSV as YAML stubs.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
}

#[derive(Args)]
pub struct BuildArgs {
    /// The site's folder: it holds site.yaml, content/ and themes/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site (default: <root>/public).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Override `base_url` from site.yaml, e.g. https://example.org/mbo/.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Also build pages with `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Print only errors and warnings, not the summary line.
    #[arg(long, short)]
    pub quiet: bool,
    /// Replace an output folder that holds files no build wrote. Never
    /// the site's own folder, content/, themes/ or site.yaml.
    #[arg(long)]
    pub force: bool,
}

#[derive(Args)]
pub struct ServeArgs {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// 0 picks a free port.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on; other machines can see the preview only
    /// when it is not loopback.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Also build pages with `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Args)]
pub struct CheckArgs {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Also fail (exit 1) on warnings.
    #[arg(long)]
    pub strict: bool,
    /// `text` for people, `json` for CI.
    #[arg(long, default_value = "text")]
    pub format: wegwijzer::check::Format,
    /// Check as if today were this date (YYYY-MM-DD); for tests.
    #[arg(long, hide = true)]
    pub today: Option<chrono::NaiveDate>,
}

#[derive(Subcommand)]
pub enum ImportWhat {
    /// Write content/instellingen/<slug>.yaml for each row; existing files are never overwritten.
    Instellingen {
        /// DUO's list of mbo institutions (`;`-separated, cp1252 or UTF-8).
        file: PathBuf,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum NewWhat {
    /// Write content/<section>/<slug>.md with front matter and a skeleton.
    Page {
        /// `<section>/<slug>`, e.g. `melden/mijn-pagina`.
        path: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write content/instellingen/<slug>.yaml with every field explained.
    Instelling {
        slug: String,
        /// Only these contact roles besides the required ones (default: all).
        #[arg(long = "role")]
        roles: Vec<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

impl BuildArgs {
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            drafts: self.drafts,
            force: self.force,
            ..Default::default()
        }
    }
}

impl ServeArgs {
    pub fn options(&self) -> wegwijzer::serve::ServeOptions {
        wegwijzer::serve::ServeOptions {
            port: self.port,
            bind: self.bind.clone(),
            drafts: self.drafts,
            ..wegwijzer::serve::ServeOptions::new(self.root.clone())
        }
    }
}

impl CheckArgs {
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            today: self.today,
            ..Default::default()
        }
    }
}
