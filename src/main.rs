//! The command line: parse arguments, call the library, print diagnostics,
//! set the exit code. Nothing else lives here.

mod cli;

use std::fmt::Display;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, ImportWhat, NewWhat};
use wegwijzer::check::Format;
use wegwijzer::diagnostics;

// Rendering makes many small, short-lived strings on several threads;
// mimalloc is faster at that than the system allocator and gives memory
// back, so `serve` stays flat over many rebuilds.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build(args) => {
            let report = wegwijzer::build(&args.options());
            diagnostics::print(&report.diagnostics.sorted(), &args.root);
            if report.ok() {
                if !args.quiet {
                    println!("{}", report.summary());
                }
                return ExitCode::SUCCESS;
            }
            eprintln!(
                "error: the build failed with {} error(s) and {} warning(s); the output was not changed",
                report.diagnostics.error_count(),
                report.diagnostics.warning_count()
            );
            ExitCode::from(1)
        }
        Command::Serve(args) => outcome(wegwijzer::serve::serve(&args.options())),
        Command::Check(args) => {
            let report = wegwijzer::check::check(&args.options());
            match args.format {
                Format::Text => print!("{}", report.to_text(args.strict)),
                Format::Json => println!("{:#}", report.to_json(args.strict)),
            }
            ExitCode::from(report.exit_code(args.strict))
        }
        Command::New { what } => {
            let today = chrono::Local::now().date_naive();
            let made = match what {
                NewWhat::Page { path, root } => wegwijzer::new::page(&root, &path, today),
                NewWhat::Instelling { slug, roles, root } => {
                    wegwijzer::new::institution(&root, &slug, &roles, today)
                }
            };
            outcome(made.map(|path| println!("Created {}", path.display())))
        }
        Command::Import {
            what: ImportWhat::Instellingen { file, root },
        } => {
            let out = root.join("content").join("instellingen");
            match wegwijzer::import::import_csv(&file, &out) {
                Ok(report) => {
                    println!("{report}");
                    ExitCode::from(u8::from(report.has_errors()))
                }
                Err(e) => outcome::<()>(Err(e)),
            }
        }
    }
}

/// Exit 0, or print the error and exit 1.
fn outcome<T>(result: Result<T, impl Display>) -> ExitCode {
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
