//! `occudesk-sim`: runs the simulated InnerSpace and SpatiaFi services.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use chrono::NaiveDate;
use clap::{Parser, ValueEnum};
use occudesk_sim::{SchemaProfile, Sim, SimConfig, V1Shape, demo};

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Shape {
    /// Deprecated shape for the v1 demo client, nested for the nested demo client.
    PerClient,
    /// `{"access_token", "token_type", "expires_in"}` for every client.
    TopLevel,
    /// `{"oauth_token": {...}}` for every client.
    Nested,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Schema {
    /// The contract's columns plus extras (a zone's FLOOR_ID, more metrics): the demo.
    Full,
    /// Exactly the v2 columns shared/api.md lists.
    Contract,
}

/// Simulated InnerSpace (v1, v2) and SpatiaFi APIs on one address.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to bind (0 picks a free one).
    #[arg(long, short, default_value_t = 8787)]
    port: u16,
    /// Seed for data and random faults.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// "Today" (YYYY-MM-DD): history ends the day before. Defaults to the library default.
    #[arg(long)]
    today: Option<NaiveDate>,
    /// Latency added to every response, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Probability (0..1) of a random fault per request.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    fault_rate: f64,
    /// InnerSpace v2 session lifetime, seconds.
    #[arg(long, default_value_t = 3600)]
    session_ttl: u64,
    /// InnerSpace v2 session maximum number of uses (unlimited if absent).
    #[arg(long)]
    session_max_uses: Option<u32>,
    /// InnerSpace v1 bearer token lifetime, seconds.
    #[arg(long, default_value_t = 3600)]
    token_ttl: u64,
    /// SpatiaFi access token lifetime, seconds.
    #[arg(long, default_value_t = 900)]
    spatiafi_token_ttl: u64,
    /// Maximum rows per GraphQL root field (silently truncated).
    #[arg(long, default_value_t = 10_000)]
    row_cap: usize,
    /// A smaller cap for one table, as TABLE=ROWS (repeatable), e.g. ZONE=10.
    #[arg(long, value_parser = parse_table_cap)]
    table_row_cap: Vec<(String, usize)>,
    /// Days at the end of the history held back (a late publish).
    #[arg(long, default_value_t = 0)]
    hold_back_days: u32,
    /// Shape of InnerSpace v1 token responses.
    #[arg(long, value_enum, default_value_t = Shape::PerClient)]
    v1_shape: Shape,
    /// Serve App Credentials at `/api/v1/clients/` and redirect the slash-less forms (307).
    #[arg(long)]
    clients_trailing_slash: bool,
    /// Which columns the v2 tables have.
    #[arg(long, value_enum, default_value_t = Schema::Full)]
    schema: Schema,
    /// Refuse GraphQL introspection, as a server that hides its schema does.
    #[arg(long)]
    no_introspection: bool,
    /// A tenant without `zone_occupancy` (no live data on v1).
    #[arg(long)]
    no_zone_occupancy: bool,
    /// How many buildings: the five named ones, then generated ones (a larger portfolio).
    #[arg(long, default_value_t = 5)]
    buildings: usize,
}

fn parse_table_cap(s: &str) -> Result<(String, usize), String> {
    let (table, rows) = s.split_once('=').ok_or("expected TABLE=ROWS")?;
    let rows = rows.parse().map_err(|e| format!("{e}"))?;
    Ok((table.to_owned(), rows))
}

fn parse_rate(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|e| format!("{e}"))?;
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err("must be between 0 and 1".into())
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let defaults = SimConfig::default();
    let config = SimConfig {
        seed: args.seed,
        today: args.today.unwrap_or(defaults.today),
        latency: Duration::from_millis(args.latency_ms),
        fault_rate: args.fault_rate,
        session_ttl: Duration::from_secs(args.session_ttl),
        session_max_uses: args.session_max_uses,
        token_ttl: Duration::from_secs(args.token_ttl),
        spatiafi_token_ttl: Duration::from_secs(args.spatiafi_token_ttl),
        row_cap: args.row_cap,
        table_row_caps: args.table_row_cap.into_iter().collect(),
        v1_shape: match args.v1_shape {
            Shape::PerClient => V1Shape::PerClient,
            Shape::TopLevel => V1Shape::TopLevel,
            Shape::Nested => V1Shape::Nested,
        },
        clients_trailing_slash: args.clients_trailing_slash,
        schema: match args.schema {
            Schema::Full => SchemaProfile::Full,
            Schema::Contract => SchemaProfile::Contract,
        },
        introspection: !args.no_introspection,
        zone_occupancy: !args.no_zone_occupancy,
        buildings: args.buildings,
    };
    let sim = Sim::start(SocketAddr::new(args.host, args.port), config).await?;
    sim.hold_back(args.hold_back_days);
    let url = sim.url();
    println!("occudesk-sim listening on {url}");
    println!();
    println!("InnerSpace v2   token POST {url}/v2/oauth/token   API POST {url}/v2/api");
    println!(
        "  client_id={}  client_secret={}  audience={}",
        demo::V2_CLIENT_ID,
        demo::V2_CLIENT_SECRET,
        demo::V2_AUDIENCE
    );
    println!("InnerSpace v1   token POST {url}/api/rest/oauth/token   API POST {url}/");
    println!(
        "  deprecated shape:   client_id={}  client_secret={}",
        demo::V1_CLIENT_ID,
        demo::V1_CLIENT_SECRET
    );
    println!(
        "  transitional shape: client_id={}  client_secret={}",
        demo::V1_NESTED_CLIENT_ID,
        demo::V1_NESTED_CLIENT_SECRET
    );
    println!("  group ids: {}", sim.v1_groups().join("  "));
    println!("SpatiaFi        base {url}");
    println!(
        "  user:          email={}  password={}",
        demo::SPATIAFI_EMAIL,
        demo::SPATIAFI_PASSWORD
    );
    println!(
        "  expired user:  email={}  password={}",
        demo::SPATIAFI_EXPIRED_EMAIL,
        demo::SPATIAFI_EXPIRED_PASSWORD
    );
    println!(
        "  app credential: client_id={}  client_secret={}",
        demo::SPATIAFI_CLIENT_ID,
        demo::SPATIAFI_CLIENT_SECRET
    );
    println!("Counters: GET {url}/__sim/counters    Ctrl-C to stop.");
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}
