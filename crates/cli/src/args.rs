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
    /// Saved connections: list, add, remove, test, doctor.
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
    /// The summary figures of a range: peak, mean, utilization, busiest weekday and hour.
    #[command(
        after_help = "Figures (JSON keys): peak = the largest OCCUPANCY_MAX (OCCUPANCY_MEAN without a max) and
peak_at its period's local start; mean = the mean of OCCUPANCY_MEAN over all periods;
mean_occupied = the same over periods above 0; capacity = the zone's, or the sum over the
zones; utilization_mean_pct / utilization_peak_pct = 100 x mean / capacity and 100 x peak /
capacity; mean_office_hours / utilization_office_hours_pct = the same over periods starting
08:00-18:00 local, Monday to Friday; busiest_weekday (ISO 1-7) and busiest_hour (0-23) in local time; share_under_60,
share_60_100, share_over_100 = fractions of periods by peak / capacity."
    )]
    Summary(SummaryArgs),
    /// Draw a chart to an SVG or PNG file (the format follows the file's extension).
    Chart(ChartArgs),
    /// One self-contained HTML file to hand on: figures with their definitions, and charts.
    #[command(
        after_help = "The file holds the building, range and time zone, where the rows came from (connection,
fetched at, from the cache or not, offline or not, row count), the summary and planning figures
each with its one-line definition, the time series, the heatmap, the planning chart, the unusual
days and, when the range holds 20 weeks by the hour, the forecast after it. CSS and SVG are
inline; it has no script and refers to nothing outside itself, and prints one section a page.

Example:
  occudesk-cli --demo report --connection \"Demo InnerSpace (v2)\" --building 71 --from 2026-09-01 --to 2026-11-22 --out report.html"
    )]
    Report(ReportArgs),
    /// How much space is really needed: percentiles of working days' peaks against capacity.
    #[command(
        after_help = "Figures (JSON keys): daily_peak = the day's largest OCCUPANCY_MAX (OCCUPANCY_MEAN without a
max); working days = ISO weekdays 1-5 with a daily peak above 0; p50/p90/p95_daily_peak over
working days (linear interpolation, as numpy); needed_capacity = ceil(p90_daily_peak x (1 +
buffer)); surplus = capacity - needed_capacity; surplus_pct = 100 x surplus / capacity."
    )]
    Plan(PlanArgs),
    /// Unusual working days: each day's mean against the same weekday in the 8 weeks before.
    #[command(
        after_help = "A day is flagged when |z| >= 3.5, z = 0.6745 x (daily_mean - median) / MAD over the
same weekday's daily means in the 8 weeks before it (at least 4 such days; no verdict when
MAD is 0). The history is fetched automatically."
    )]
    Anomalies(AnomaliesArgs),
    /// Daily peaks ahead: p10/p50/p90/p95 per working weekday, overflow risk, and a backtest.
    #[command(after_help = crate::plan_ahead::FORECAST_HELP)]
    Forecast(ForecastArgs),
    /// What if floors, zone types or buildings shared one space: combined need against separate.
    #[command(after_help = crate::plan_ahead::WHATIF_HELP)]
    Whatif(WhatIfArgs),
    /// Every zone of a building now (zone_occupancy): latest reading against capacity, by floor.
    #[command(
        after_help = "Figures: people = the zone's latest zone_occupancy reading from the last hour; full = 100 x
people / capacity; a floor's full = its zones' people / their capacity, over zones with both.
Zones whose reading is more than 15 minutes older than the building's newest are marked behind.
Times are the building's local time. A connection whose tenant has no zone_occupancy table is
told live data is not available (exit 0).

Example:
  occudesk-cli live --connection \"My token\" --building 71 --format json"
    )]
    Live(LiveArgs),
    /// The rows behind a view (building, site, zone or zone type) as files for other tools.
    #[command(after_help = crate::portfolio::EXPORT_HELP)]
    Export(ExportArgs),
    /// Every building of a connection at a glance: summary and planning figures, one row each.
    #[command(after_help = crate::portfolio::PORTFOLIO_HELP)]
    Portfolio(PortfolioArgs),
    /// SpatiaFi: manage App Credentials.
    #[command(subcommand)]
    Spatiafi(SpatiafiCommand),
    /// The settings file itself: restore its last good copy.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// The local cache of fetched days, shared with the app: where it is, its size, clear it.
    #[command(subcommand)]
    Cache(CacheCommand),
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

#[derive(Debug, Subcommand)]
pub enum SpatiafiCommand {
    /// App Credentials (OAuth clients) of your SpatiaFi account: list, create, delete.
    #[command(subcommand)]
    Clients(ClientsCommand),
}

/// How to sign in to SpatiaFi (Basic sign-in, a 15-minute token, never saved).
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct SignInArgs {
    /// A saved SpatiaFi connection that signs in with email and password (password from the
    /// keyring).
    #[arg(long, value_name = "NAME")]
    pub connection: Option<String>,
    /// Your SpatiaFi email; the password is read from standard input or a no-echo prompt.
    #[arg(long, value_name = "ADDRESS")]
    pub email: Option<String>,
}

#[derive(Debug, Args)]
pub struct SignInOptions {
    #[command(flatten)]
    pub who: SignInArgs,
    /// SpatiaFi address with --email (default https://auth.spatiafi.com).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

/// What a query covers: a connection, a building (or one of its sites, zones or zone types)
/// and a range of the building's local dates.
#[derive(Debug, Args)]
pub struct ScopeArgs {
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
    /// First local date (YYYY-MM-DD).
    #[arg(long)]
    pub from: NaiveDate,
    /// Last local date (YYYY-MM-DD), included.
    #[arg(long)]
    pub to: NaiveDate,
}

#[derive(Debug, Args)]
pub struct InsightsArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Ask for every day of the range again, also days the local cache keeps as final, and
    /// keep the new answer (for data you suspect; the rest of the cache stays).
    #[arg(long)]
    pub refresh: bool,
    /// Read this table instead of the one that fits the filters (e.g. building_features).
    #[arg(long)]
    pub table: Option<InsightTable>,
    /// PT15M, PT1H, P1D, P1W or P1M.
    #[arg(long)]
    pub granularity: Granularity,
    /// A metric column (repeat for several). Default: OCCUPANCY_MEAN (v2) or occupancy_mean (v1).
    #[arg(long = "metric", value_name = "COL")]
    pub metrics: Vec<String>,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Report {
    Json,
    Text,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// PT15M, PT1H, P1D, P1W or P1M.
    #[arg(long, default_value = "PT1H")]
    pub granularity: Granularity,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Report,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChartChoice {
    /// Mean and peak over time, capacity as a reference line.
    Timeseries,
    /// Mean occupancy by local weekday and hour.
    Heatmap,
    /// The six most used zones over time.
    Compare,
    /// Every zone, most used first.
    Ranking,
    /// v1: the share of a week's visitors who came on 1 to 7 days.
    WeeklyVisits,
}

#[derive(Debug, Args)]
pub struct ChartArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,
    #[arg(long, value_enum, default_value = "timeseries")]
    pub kind: ChartChoice,
    /// PT15M, PT1H, P1D, P1W or P1M.
    #[arg(long, default_value = "PT1H")]
    pub granularity: Granularity,
    /// FILE.svg or FILE.png.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Size in pixels.
    #[arg(long, default_value_t = 1600)]
    pub width: u32,
    #[arg(long, default_value_t = 900)]
    pub height: u32,
    /// Draw for a dark background.
    #[arg(long)]
    pub dark: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// PT15M, PT1H, P1D, P1W or P1M.
    #[arg(long, default_value = "PT1H")]
    pub granularity: Granularity,
    /// FILE.html.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// One plan per zone type (v2), ranked by surplus.
    #[arg(long, conflicts_with_all = ["site", "zone", "zone_type"])]
    pub by_zone_type: bool,
    /// Headroom on top of the 90th percentile of daily peaks (0.1 = 10 %).
    #[arg(long, default_value_t = occudesk_core::insights::planning::DEFAULT_BUFFER)]
    pub buffer: f64,
    /// Periods the daily peaks are read from.
    #[arg(long, default_value = "PT1H")]
    pub granularity: Granularity,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Report,
}

#[derive(Debug, Args)]
pub struct AnomaliesArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Periods the daily means are computed from.
    #[arg(long, default_value = "PT1H")]
    pub granularity: Granularity,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Report,
}

#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// The connection's id or name.
    #[arg(long)]
    pub connection: String,
    #[arg(long)]
    pub building: i64,
    /// Every zone of a site (v2), or a site (v1).
    #[arg(long, conflicts_with_all = ["zone", "zone_type"])]
    pub site: Option<i64>,
    #[arg(long, conflicts_with = "zone_type")]
    pub zone: Option<i64>,
    /// v2 only: one zone type (e.g. \"Meeting room\").
    #[arg(long)]
    pub zone_type: Option<String>,
    /// Group id (default: the connection's, else everyone on v2 and no filter on v1).
    #[arg(long)]
    pub group: Option<String>,
    /// Weeks forecast after --as-of.
    #[arg(long, default_value_t = occudesk_core::insights::forecast::DEFAULT_WEEKS)]
    pub weeks: u32,
    /// Weeks of history each weekday's forecast rests on.
    #[arg(long, default_value_t = occudesk_core::insights::forecast::DEFAULT_HISTORY_WEEKS)]
    pub history_weeks: u32,
    /// The last day of history, a local date (default: today); the forecast starts the day after.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// A proposed capacity for the overflow risk (default: the capacity of what is forecast).
    #[arg(long, value_name = "C")]
    pub capacity: Option<f64>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Report,
}

#[derive(Debug, Args)]
pub struct PortfolioArgs {
    /// The connection's id or name (InnerSpace).
    #[arg(long)]
    pub connection: String,
    /// First local day of each building (YYYY-MM-DD).
    #[arg(long)]
    pub from: NaiveDate,
    /// Last local day, included.
    #[arg(long)]
    pub to: NaiveDate,
    /// Added on top of the p90 daily peak for needed_capacity (0.1 = 10 %).
    #[arg(long, default_value_t = occudesk_core::insights::planning::DEFAULT_BUFFER)]
    pub buffer: f64,
    #[arg(long, value_enum, default_value = "text")]
    pub format: PortfolioFormat,
    /// Also write each building's hourly rows as Parquet under DIR, Hive-partitioned
    /// (building_id=…/month=YYYY-MM/part-0.parquet).
    #[arg(long, value_name = "DIR")]
    pub rows_out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// PT15M, PT1H, P1D, P1W or P1M.
    #[arg(long, default_value = "PT1H")]
    pub granularity: Granularity,
    #[arg(long, value_enum)]
    pub format: ExportFileFormat,
    /// The folder the partitions go in (created when missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFileFormat {
    /// Apache Parquet, Hive-partitioned by building and local month.
    Parquet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PortfolioFormat {
    Json,
    Csv,
    Text,
}

#[derive(Debug, Args)]
pub struct LiveArgs {
    /// The connection's id or name.
    #[arg(long)]
    pub connection: String,
    #[arg(long)]
    pub building: i64,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Report,
}

#[derive(Debug, Args)]
pub struct WhatIfArgs {
    /// The connection's id or name.
    #[arg(long)]
    pub connection: String,
    /// The building whose floors (--site) or zone types (--zone-type) are combined.
    #[arg(
        long,
        required_unless_present = "buildings",
        conflicts_with = "buildings"
    )]
    pub building: Option<i64>,
    /// A site (floor) to combine; repeat for several.
    #[arg(long = "site", value_name = "ID", conflicts_with = "zone_types")]
    pub sites: Vec<i64>,
    /// A zone type to combine (v2); repeat for several.
    #[arg(long = "zone-type", value_name = "TYPE")]
    pub zone_types: Vec<String>,
    /// Whole buildings of the connection to combine, e.g. 71,72.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub buildings: Vec<i64>,
    /// Group id (default: the connection's, else everyone on v2 and no filter on v1).
    #[arg(long)]
    pub group: Option<String>,
    /// A proposed capacity for the combined space: the working days above it are counted.
    #[arg(long, value_name = "C")]
    pub capacity: Option<f64>,
    /// Headroom on top of the 90th percentile of daily peaks (0.1 = 10 %).
    #[arg(long, default_value_t = occudesk_core::insights::planning::DEFAULT_BUFFER)]
    pub buffer: f64,
    /// First local date (YYYY-MM-DD).
    #[arg(long)]
    pub from: NaiveDate,
    /// Last local date (YYYY-MM-DD), included.
    #[arg(long)]
    pub to: NaiveDate,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Report,
}

#[derive(Debug, Subcommand)]
pub enum ClientsCommand {
    /// List App Credentials, whether this computer holds each secret, and which connections
    /// use each.
    #[command(after_help = "Example:
  printf '%s' \"$PASSWORD\" | occudesk-cli spatiafi clients list --email me@example.com")]
    List(SignInOptions),
    /// Create an App Credential. Its secret is stored in the keyring before it is printed
    /// (the service shows it only this once).
    Create {
        #[command(flatten)]
        sign_in: SignInOptions,
        /// Also save a SpatiaFi connection with this name using the new credential, and test it.
        #[arg(long, value_name = "NAME")]
        as_connection: Option<String>,
        /// Sign-in method of that connection.
        #[arg(long, value_parser = client_method_parser(), default_value = "client_secret_jwt")]
        auth_method: SpatiafiAuthMethod,
        /// Create even if the account already has nine or more (SpatiaFi advises one per app).
        #[arg(long)]
        allow_many: bool,
    },
    /// Delete an App Credential on SpatiaFi and every copy of its secret on this computer.
    Delete {
        /// The client id to delete.
        client_id: String,
        #[command(flatten)]
        sign_in: SignInOptions,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

/// The client-credential methods only (an App Credential is not a person).
fn client_method_parser() -> impl TypedValueParser<Value = SpatiafiAuthMethod> {
    let methods = SpatiafiAuthMethod::ALL
        .into_iter()
        .filter(|m| !m.is_personal());
    PossibleValuesParser::new(methods.map(|m| {
        PossibleValue::new(m.id())
            .alias(m.id().replace('_', "-"))
            .help(m.label())
    }))
    .try_map(|id| SpatiafiAuthMethod::parse(&id))
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
  printf '%s' \"$TOKEN\" | occudesk-cli connection add --name Mine --kind innerspace-token
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
    /// Replace the stored secret, read from standard input: paste a new personal token when
    /// the old one expires (or a rotated client secret).
    #[command(after_help = "Example:
  printf '%s' \"$TOKEN\" | occudesk-cli connection renew \"My token\"")]
    Renew {
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
    /// Client id (for SpatiaFi email sign-in: the email address; none for innerspace-token,
    /// whose bearer token is read like a secret).
    #[arg(long, default_value = "")]
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
