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
//! # Endpoints (one address serves all three services)
//!
//! | service | method and path | auth |
//! |---|---|---|
//! | InnerSpace v2 | `POST /v2/oauth/token` (JSON) → `{session_id, expires_in}` | client id + secret + audience |
//! | | `POST /v2/api` (GraphQL, UPPER_SNAKE tables) | `X-Session-Id` |
//! | InnerSpace v1 | `POST /api/rest/oauth/token` (form or JSON) → bearer JWT | client id + secret |
//! | | `POST /` (GraphQL, lowercase long tables) | `Authorization: Bearer` |
//! | SpatiaFi | `GET /api/v1/auth/jwt/token/basic` | HTTP Basic email/password |
//! | | `POST /api/v1/auth/jwt/token` (form): password / client_credentials grants | basic, post or jwt client auth |
//! | | `GET`/`POST /api/v1/clients`, `DELETE /api/v1/clients/{id}` (+ trailing-slash forms) | Bearer |
//! | simulator | `GET /__sim/counters` (never recorded or faulted) | none |
//!
//! Error bodies for each auth failure are listed in the modules that produce
//! them (`auth::innerspace`, `auth::spatiafi`, `graphql`, `spatiafi_clients`).
//!
//! # Data decisions
//!
//! - Buildings 71 (America/Chicago, main site 900000222), 72 (Europe/London),
//!   73 (Australia/Sydney), 74 (Asia/Singapore), 75 (America/Phoenix); one site
//!   per floor, six zones per floor. Ids, names and zones are fixed;
//!   capacities and every value depend on the seed.
//! - `BUILDING_INSIGHTS` has one row per building and period; its `SITE_ID` is
//!   the building's main site. v1 `site_*` tables have one series per site.
//! - History: the two years up to the day before `today`, in each building's
//!   local dates. Only complete periods are published (a `P1W` or `P1M` that
//!   is cut by either end of the history has no row).
//! - Periods start at local midnight (weeks on Monday, months on the 1st);
//!   `DATE_PARTITION` is the local start date, `DATE_TIME_START` the UTC start.
//! - `OCCUPANCY_POS_MEAN` is person-time over occupied time; percentages are of
//!   the entity's capacity (sum of its zones' capacities).
//! - Group ids: v2 rows carry the nil UUID. v1 tables serve two groups for every
//!   series: `all-<uuid>` (everyone, see [`Sim::v1_group_id`]) and
//!   `visitors-<uuid>` (15 % of the people: counts and percentages scaled by
//!   0.15, capacity not; see [`Sim::v1_groups`]). Filtering on another group
//!   matches nothing.
//! - Schema profiles ([`SchemaProfile`]): `full` (the default, demo data) and
//!   `contract` (exactly the v2 columns `shared/api.md` lists).
//! - v1 features: `weekly_frequency_dist` at `P1W`, a JSON object
//!   `{"1": share, ..., "7": share}`: the share of the week's visitors who came
//!   on exactly that many days (shares sum to 1, rounded to 4 decimals).
//!
//! Data is generated on demand as a pure function of the seed, the entity and
//! the time, so startup is instant and two years of 15-minute data for every
//! zone never sit in memory. Queries without `order_by` stop generating once
//! they have enough rows; sorted queries without bounds on time, date or
//! entity generate everything they could match and are slow (seconds).

// Handlers return a ready error response as `Err` and hand it straight to
// axum; boxing it to shrink the `Result` would buy nothing on this path.
#![allow(clippy::result_large_err)]

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

pub use config::{SchemaProfile, SimConfig, V1Shape};
pub use counters::Counters;
pub use fault::Fault;
pub use recorder::RecordedRequest;
pub use server::{RESERVED_PREFIX, Sim};
