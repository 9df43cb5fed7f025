//! Simulator settings.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::NaiveDate;

/// Which token response shape the v1 token endpoint serves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum V1Shape {
    /// Per client id: [`crate::demo::V1_CLIENT_ID`] (and any other client) gets the
    /// deprecated top-level shape, [`crate::demo::V1_NESTED_CLIENT_ID`] the nested one.
    #[default]
    PerClient,
    /// Deprecated: `{"access_token", "token_type", "expires_in"}` for every client.
    TopLevel,
    /// Transitional: `{"oauth_token": {"access_token", ...}}` for every client.
    Nested,
}

/// Which columns the v2 tables have.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SchemaProfile {
    /// Everything the demo shows: the contract's columns plus `ZONE.FLOOR_ID`, coordinates on
    /// buildings and every metric column (`OCCUPANCY_MIN`, `..._PERCENT_CAPACITY_MAX`,
    /// `CAPACITY` on the zone insight tables).
    #[default]
    Full,
    /// Exactly the columns `shared/api.md` §1.3 lists: no `FLOOR_ID` on `ZONE`, no
    /// coordinates on `BUILDING`, and on the insight tables only the documented key columns
    /// plus the four metrics the simulator promises (`OCCUPANCY_MEAN`, `OCCUPANCY_MAX`,
    /// `OCCUPANCY_POS_MEAN`, `OCCUPANCY_PERCENT_CAPACITY_MEAN`). A client that asks for
    /// anything else gets the GraphQL error a real tenant without that column gives.
    Contract,
}

#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Seeds data and random faults; the same seed gives the same data.
    pub seed: u64,
    /// "Today" for the data: history ends the day before.
    pub today: NaiveDate,
    /// Added to every response.
    pub latency: Duration,
    /// Probability (0..1) that a request gets a random fault.
    pub fault_rate: f64,
    /// Lifetime of InnerSpace v2 sessions.
    pub session_ttl: Duration,
    /// Uses after which a v2 session expires; `None` = unlimited.
    pub session_max_uses: Option<u32>,
    /// Lifetime of InnerSpace v1 bearer tokens.
    pub token_ttl: Duration,
    /// Lifetime of SpatiaFi access tokens (15 minutes in the real service).
    pub spatiafi_token_ttl: Duration,
    /// Maximum rows per root field; more are silently dropped, as Hasura does.
    pub row_cap: usize,
    /// Smaller caps for some tables, by root field name (`"ZONE"`, `"ZONE_INSIGHTS"`): Hasura
    /// limits rows per table and role, so one table's cap says nothing about another's.
    pub table_row_caps: BTreeMap<String, usize>,
    /// Shape of v1 token responses.
    pub v1_shape: V1Shape,
    /// Serve App Credentials at the trailing-slash paths (`/api/v1/clients/`, as a FastAPI
    /// router declared with the slash does) and answer the slash-less forms with 307 to them.
    /// Off: the slash-less forms serve and the slash forms redirect (POST/DELETE) or serve (GET).
    pub clients_trailing_slash: bool,
    /// Which columns the v2 tables have.
    pub schema: SchemaProfile,
    /// Answer GraphQL introspection (`__type`, `__schema`). Off: such queries fail
    /// validation, as on a server that hides its schema.
    pub introspection: bool,
    /// The v1 API has `zone_occupancy` (realtime readings and hourly history). Off: a tenant
    /// without it. v2 never has it (its reference lists it as coming).
    pub zone_occupancy: bool,
    /// How many buildings: the five named ones (71–75) first, then generated ones (ids from
    /// 100; deterministic per seed, in varied time zones, hemispheres and sizes) for
    /// portfolio tests and benchmarks. Fewer than five keeps the first ones.
    pub buildings: usize,
}

impl Default for SimConfig {
    fn default() -> SimConfig {
        SimConfig {
            seed: 42,
            today: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default(),
            latency: Duration::ZERO,
            fault_rate: 0.0,
            session_ttl: Duration::from_secs(3600),
            session_max_uses: None,
            token_ttl: Duration::from_secs(3600),
            spatiafi_token_ttl: Duration::from_secs(15 * 60),
            row_cap: 10_000,
            table_row_caps: BTreeMap::new(),
            v1_shape: V1Shape::PerClient,
            clients_trailing_slash: false,
            schema: SchemaProfile::Full,
            introspection: true,
            zone_occupancy: true,
            buildings: crate::data::catalog::NAMED_BUILDINGS,
        }
    }
}
