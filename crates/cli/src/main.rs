//! `occudesk-cli`: the desktop app's connections, headless, over the same core.

mod args;
mod commands;
mod secret_input;

use std::process::ExitCode;

use clap::Parser;
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
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(exit_code(e.code()))
        }
    }
}

/// Groups error codes into the exit codes documented in `--help`.
fn exit_code(code: &str) -> u8 {
    match code.split('.').next().unwrap_or_default() {
        "input" => 2,
        "connection" => 3,
        "keyring" => 4,
        "auth" => 5,
        "net" | "api" | "graphql" => 6,
        _ => 1,
    }
}
