//! The command line: parse arguments, call the library, print diagnostics,
//! set the exit code. Nothing else lives here.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use wegwijzer::diagnostics::{self, Diagnostic};
use wegwijzer::BuildOptions;

// Rendering makes many small, short-lived strings on several threads;
// mimalloc is faster at that than the system allocator and gives memory
// back, so `serve` stays flat over many rebuilds.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        /// Replace an output folder that holds files no build wrote. Never
        /// the site's own folder, content/, themes/ or site.yaml.
        #[arg(long)]
        force: bool,
    },
    /// Build into memory and preview at http://127.0.0.1:1111/; rebuilds and
    /// reloads open pages when content/, the theme or site.yaml change.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 0 picks a free port.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; other machines can see the preview only
        /// when it is not loopback.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Also build pages with `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Check the site before publishing: everything `build` checks, plus
    /// links, the directory, readability and content hygiene. Writes nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Also fail (exit 1) on warnings.
        #[arg(long)]
        strict: bool,
        /// `text` for people, `json` for CI.
        #[arg(long, default_value = "text")]
        format: wegwijzer::check::Format,
        /// Check as if today were this date (YYYY-MM-DD); for tests.
        #[arg(long, hide = true)]
        today: Option<chrono::NaiveDate>,
    },
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

#[derive(Subcommand)]
enum NewWhat {
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
            force,
        } => {
            let opts = BuildOptions {
                root: root.clone(),
                output,
                base_url,
                drafts,
                force,
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
        Command::Serve {
            root,
            port,
            bind,
            drafts,
        } => {
            let opts = wegwijzer::serve::ServeOptions {
                port,
                bind,
                drafts,
                ..wegwijzer::serve::ServeOptions::new(root)
            };
            match wegwijzer::serve::serve(&opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Check {
            root,
            strict,
            format,
            today,
        } => {
            let opts = BuildOptions {
                root,
                today,
                ..Default::default()
            };
            let report = wegwijzer::check::check(&opts);
            match format {
                wegwijzer::check::Format::Text => print!("{}", report.to_text(strict)),
                wegwijzer::check::Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&report.to_json(strict)).unwrap_or_default()
                ),
            }
            ExitCode::from(report.exit_code(strict))
        }
        Command::New { what } => {
            let today = chrono::Local::now().date_naive();
            let made = match what {
                NewWhat::Page { path, root } => wegwijzer::new::page(&root, &path, today),
                NewWhat::Instelling { slug, roles, root } => {
                    wegwijzer::new::institution(&root, &slug, &roles, today)
                }
            };
            match made {
                Ok(path) => {
                    println!("Created {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
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
