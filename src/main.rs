//! The command line: parse arguments, call the library, print diagnostics,
//! set the exit code. Nothing else lives here.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use wegwijzer::diagnostics::{self, Diagnostic};
use wegwijzer::BuildOptions;

/// wegwijzer builds the signposting site in content/ into a static site.
#[derive(Parser)]
#[command(name = "wegwijzer", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --output). The old output is replaced
    /// only when the build has no errors.
    Build {
        /// The site's folder: it holds site.yaml, content/ and themes/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: <root>/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override `base_url` from site.yaml, e.g. https://example.org/mbo/.
        #[arg(long)]
        base_url: Option<String>,
        /// Also build pages with `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print only errors and warnings, not the summary line.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Import institutions from DUO's open-data CSV as YAML stubs.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
}

#[derive(Subcommand)]
enum ImportWhat {
    /// Write content/instellingen/<slug>.yaml for each row; existing files are never overwritten.
    Instellingen {
        /// DUO's list of mbo institutions (`;`-separated, cp1252 or UTF-8).
        file: PathBuf,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn print_diagnostics(diags: &[Diagnostic], root: &std::path::Path) {
    if diags.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", diagnostics::render(diags, root, color));
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            quiet,
        } => {
            let opts = BuildOptions {
                root: root.clone(),
                output,
                base_url,
                drafts,
                ..Default::default()
            };
            let report = wegwijzer::build(&opts);
            let diags = report.diagnostics.sorted();
            print_diagnostics(&diags, &root);
            if report.ok() {
                if !quiet {
                    println!("{}", report.summary());
                }
                ExitCode::SUCCESS
            } else {
                eprintln!(
                    "error: the build failed with {} error(s) and {} warning(s); the output was not changed",
                    report.diagnostics.error_count(),
                    report.diagnostics.warning_count()
                );
                ExitCode::from(1)
            }
        }
        Command::Import {
            what: ImportWhat::Instellingen { file, root },
        } => {
            let out = root.join("content").join("instellingen");
            match wegwijzer::directory::import::import_csv(&file, &out) {
                Ok(report) => {
                    println!("{report}");
                    if report.has_errors() {
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}
