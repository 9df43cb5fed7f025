//! The command line, as clap sees it.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use occudesk_core::connections::{ServiceKind, SpatiafiAuthMethod};
use occudesk_core::innerspace::{Granularity, InsightTable};

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

    /// Run on demo data (the built-in simulator of both services) for this command only.
    #[arg(long, global = true)]
    pub demo: bool,

    /// Fetch every day from the service: neither read nor write the local cache of fetched
    /// days (cache.sqlite3 in the data folder) for this command.
    #[arg(long, global = true)]
    pub no_cache: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Saved connections: list, add, remove, test.
    #[command(subcommand)]
    Connection(ConnectionCommand),
    /// The buildings a connection sees, or one building's floors, sites and zones.
    Buildings(BuildingsArgs),
    /// Occupancy rows for a building, site or zone over a date range, as CSV or JSON.
    #[command(
        after_help = "Dates are the building's local dates, both included. Times in the output are in the
building's time zone (local_time, with its offset) and in UTC (utc_time).

Examples:
  occudesk-cli --demo insights --connection \"Demo InnerSpace (v2)\" --building 71 --granularity PT1H --from 2026-01-01 --to 2026-03-31 --out q1.csv
  occudesk-cli insights --connection HQ --building 71 --zone 7101 --granularity P1D --from 2026-05-01 --to 2026-05-31 --metric OCCUPANCY_MAX --format json"
    )]
    Insights(InsightsArgs),
    /// The local cache of fetched days, shared with the app: where it is, its size, clear it.
    #[command(subcommand)]
    Cache(CacheCommand),
}

#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Where the cache is, how big, how many days it holds, and its size limit.
    Info {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Delete every cached day (they are fetched again when next viewed).
    Clear,
}

#[derive(Debug, Args)]
pub struct BuildingsArgs {
    /// The connection's id or name.
    #[arg(long)]
    pub connection: String,
    /// Show this building's floors, sites and zones.
    #[arg(long)]
    pub building: Option<i64>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct InsightsArgs {
    /// The connection's id or name.
    #[arg(long)]
    pub connection: String,
    #[arg(long)]
    pub building: i64,
    /// A site (v1) or every zone of a site (v2).
    #[arg(long)]
    pub site: Option<i64>,
    #[arg(long, conflicts_with = "zone_type")]
    pub zone: Option<i64>,
    /// v2 only: one zone type (e.g. \"Meeting room\").
    #[arg(long)]
    pub zone_type: Option<String>,
    /// Group id (default: the connection's, else everyone on v2 and no filter on v1).
    #[arg(long)]
    pub group: Option<String>,
    /// Read this table instead of the one that fits the filters (e.g. building_features).
    #[arg(long)]
    pub table: Option<InsightTable>,
    /// PT15M, PT1H, P1D, P1W or P1M.
    #[arg(long)]
    pub granularity: Granularity,
    /// First local date (YYYY-MM-DD).
    #[arg(long)]
    pub from: NaiveDate,
    /// Last local date (YYYY-MM-DD), included.
    #[arg(long)]
    pub to: NaiveDate,
    /// A metric column (repeat for several). Default: OCCUPANCY_MEAN (v2) or occupancy_mean (v1).
    #[arg(long = "metric", value_name = "COL")]
    pub metrics: Vec<String>,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
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
