//! `occudesk-cli`: the desktop app's connections, headless, over the same core.

mod args;
mod commands;
mod insights;
mod live;
mod plan_ahead;
mod portfolio;
mod secret_input;
mod spatiafi;
mod table;

use std::process::ExitCode;

use clap::Parser;
use occudesk_core::ErrorKind;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    // RUST_LOG=debug logs every request; secrets and tokens are never logged.
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(commands::Failure { error, hint }) => {
            eprintln!("error: {error}");
            if let Some(hint) = hint {
                eprintln!("{hint}");
            }
            ExitCode::from(exit_code(error.kind()))
        }
    }
}

/// The exit codes documented in `--help`, by the kind of error core reports.
fn exit_code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::Input => 2,
        ErrorKind::NotFound => 3,
        ErrorKind::Keyring => 4,
        ErrorKind::Auth => 5,
        ErrorKind::Service => 6,
        ErrorKind::Local => 1,
    }
}
