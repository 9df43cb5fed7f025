//! Simulated InnerSpace (v2 and v1) and SpatiaFi services.
//!
//! A strict simulator: it accepts what the real services accept and rejects
//! what they would reject (see `shared/api.md`), so client bugs show up in
//! tests. Used by every test and benchmark and as the app's demo mode.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sim = occudesk_sim::Sim::start("127.0.0.1:0".parse().unwrap(), Default::default()).await?;
//! println!("InnerSpace v2 token URL: {}/v2/oauth/token", sim.url());
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Data is generated on demand as a pure function of the seed, the entity and
//! the time, so startup is instant and two years of 15-minute data for every
//! zone never sit in memory.

mod auth;
mod config;
mod counters;
mod data;
pub mod demo;
mod fault;
mod graphql;
mod http_util;
mod recorder;
mod routes;
mod server;
mod spatiafi_clients;
mod state;
mod tables;
mod time_parse;

pub use config::{SimConfig, V1Shape};
pub use counters::Counters;
pub use fault::Fault;
pub use recorder::RecordedRequest;
pub use server::{RESERVED_PREFIX, Sim};
