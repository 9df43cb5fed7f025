//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use occudesk_core::connections::{ServiceKind, SpatiafiAuthMethod};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  unexpected failure (for example the settings file cannot be written)
  2  bad usage or invalid input
  3  no such connection
  4  the system keyring is locked or unavailable
  5  the service refused the credentials
  6  network or service failure

Set RUST_LOG=debug to log every request made (secrets and tokens are never logged).";

/// Manage Occupancy Desk connections from the command line.
///
/// Uses the same settings file and the same system keyring as the desktop app, so a connection
/// added here shows up in the app and the other way round. Secrets are read from standard input
/// or a prompt, never from arguments (which other users can see in the process list).
#[derive(Debug, Parser)]
#[command(name = "occudesk-cli", version, after_help = EXIT_CODES)]
pub struct Cli {
    /// Folder holding settings.json (default: $OCCUDESK_DATA_DIR, else the app's data folder).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Saved connections: list, add, remove, test, doctor.
    #[command(subcommand)]
    Connection(ConnectionCommand),
    /// The settings file itself: restore its last good copy.
    #[command(subcommand)]
    Settings(SettingsCommand),
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Put the last good copy of the settings back in place of a damaged settings file.
    ///
    /// Every time the settings are read successfully, a copy is kept in
    /// settings.last-good.json. This shows what the copy holds and what would be lost, asks
    /// for confirmation, then restores it; the damaged file is kept beside it.
    Restore {
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConnectionCommand {
    /// List connections and whether a secret is stored for each.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Add a connection. The secret is read from standard input, or asked for at a prompt.
    #[command(after_help = "Examples:
  occudesk-cli connection add --name HQ --kind innerspace-v2 --client-id abc123
  printf '%s' \"$SECRET\" | occudesk-cli connection add --name Labs --kind spatiafi --client-id 0oa1b2 --auth-method client_secret_jwt")]
    Add(AddArgs),
    /// Remove a connection and its keyring entry.
    Remove {
        /// The connection's id or name.
        connection: String,
    },
    /// Get a token with the stored secret and report how long it lasts.
    Test {
        /// The connection's id or name.
        connection: String,
    },
    /// List keyring entries of this app (service "occudesk") that no connection uses.
    ///
    /// Such entries are left when a program is killed between storing a secret and saving its
    /// connection. Only the connections in this data folder count: if you keep several data
    /// folders (OCCUDESK_DATA_DIR) with one keyring, the others' entries are listed too, so do
    /// not use --fix then.
    Doctor {
        /// Remove the entries listed.
        #[arg(long)]
        fix: bool,
    },
}

/// `--kind` values: core's table of kinds.
fn kind_parser() -> impl TypedValueParser<Value = ServiceKind> {
    PossibleValuesParser::new(ServiceKind::ALL.map(|k| PossibleValue::new(k.id()).help(k.label())))
        .try_map(|id| ServiceKind::parse(&id))
}

/// `--auth-method` values: core's table of SpatiaFi sign-in methods.
fn auth_method_parser() -> impl TypedValueParser<Value = SpatiafiAuthMethod> {
    PossibleValuesParser::new(SpatiafiAuthMethod::ALL.map(|m| {
        // Dashed aliases keep `--auth-method client-secret-jwt` (earlier releases) working.
        PossibleValue::new(m.id())
            .alias(m.id().replace('_', "-"))
            .help(m.label())
    }))
    .try_map(|id| SpatiafiAuthMethod::parse(&id))
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// A name to recognise the connection by.
    #[arg(long)]
    pub name: String,
    #[arg(long, value_parser = kind_parser())]
    pub kind: ServiceKind,
    /// Client id (for SpatiaFi email sign-in: the email address).
    #[arg(long)]
    pub client_id: String,
    /// Service address; defaults to the kind's public address. https:// unless on this computer.
    #[arg(long)]
    pub base_url: Option<String>,
    /// InnerSpace v2 audience (default https://global-config.innerspace.io).
    #[arg(long)]
    pub audience: Option<String>,
    /// InnerSpace group id (default: everyone on v2, no filter on v1).
    #[arg(long)]
    pub group_id: Option<String>,
    /// SpatiaFi sign-in method.
    #[arg(long, value_parser = auth_method_parser(), default_value = "client_secret_jwt")]
    pub auth_method: SpatiafiAuthMethod,
    /// Save without a secret (add one later in the app).
    #[arg(long)]
    pub no_secret: bool,
}
