//! Everything the endpoints share.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use crate::auth::grants::Grants;
use crate::config::SimConfig;
use crate::counters::CounterBook;
use crate::data::calendar::History;
use crate::data::catalog::Catalog;
use crate::demo;
use crate::fault::FaultPlan;
use crate::graphql::endpoint::Endpoint;
use crate::recorder::Recorder;
use crate::tables;

pub struct SpatiafiUser {
    pub id: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub password_expired: bool,
}

/// An App Credential (OAuth 2.0 client) of a SpatiaFi user.
#[derive(Clone, Debug)]
pub struct AppClient {
    pub client_id: String,
    pub client_secret: String,
    pub user_id: String,
}

pub const SPATIAFI_USERS: [SpatiafiUser; 2] = [
    SpatiafiUser {
        id: "9221ffc9-640f-4372-86d3-ce642cba5603",
        email: demo::SPATIAFI_EMAIL,
        password: demo::SPATIAFI_PASSWORD,
        password_expired: false,
    },
    SpatiafiUser {
        id: "0b7c4e1a-2f3d-4e5a-9b6c-7d8e9fa0b1c2",
        email: demo::SPATIAFI_EXPIRED_EMAIL,
        password: demo::SPATIAFI_EXPIRED_PASSWORD,
        password_expired: true,
    },
];

pub struct AppState {
    pub config: SimConfig,
    pub catalog: Arc<Catalog>,
    /// The whole history; see [`AppState::history`] for what is published.
    pub history: History,
    /// Days at the end of the history not published yet (a late nightly publish).
    pub held_back: AtomicU32,
    pub v1: Endpoint,
    pub v2: Endpoint,
    pub grants: Grants,
    pub counters: CounterBook,
    pub recorder: Recorder,
    pub faults: FaultPlan,
    pub app_clients: Mutex<Vec<AppClient>>,
    /// `(client_id, jti)` of every accepted client assertion.
    pub used_jti: Mutex<HashSet<(String, String)>>,
    /// Key the simulator signs its own JWT access tokens with.
    pub signing_key: Vec<u8>,
    /// What tests change about `zone_occupancy`'s realtime readings.
    pub live: Arc<crate::tables::realtime::LiveFeed>,
}

impl AppState {
    /// The history as published now: without the days held back.
    pub fn history(&self) -> History {
        let held = i64::from(self.held_back.load(Ordering::Relaxed));
        let last = self.history.last - chrono::Duration::days(held);
        History {
            first: self.history.first,
            last: last.max(self.history.first - chrono::Duration::days(1)),
        }
    }

    pub fn new(config: SimConfig) -> Result<AppState, String> {
        let catalog = Arc::new(Catalog::with_buildings(config.seed, config.buildings));
        let history = History::new(config.today);
        let v1 = Endpoint::new(tables::v1_tables(config.zone_occupancy))?;
        let v2 = Endpoint::new(tables::v2_tables(config.schema))?;
        let signing_key = format!("occudesk-sim-signing-key-{}", config.seed).into_bytes();
        Ok(AppState {
            catalog,
            history,
            held_back: AtomicU32::new(0),
            v1,
            v2,
            grants: Grants::default(),
            counters: CounterBook::default(),
            recorder: Recorder::default(),
            faults: FaultPlan::default(),
            app_clients: Mutex::new(vec![AppClient {
                client_id: demo::SPATIAFI_CLIENT_ID.to_owned(),
                client_secret: demo::SPATIAFI_CLIENT_SECRET.to_owned(),
                user_id: SPATIAFI_USERS[0].id.to_owned(),
            }]),
            used_jti: Mutex::new(HashSet::new()),
            signing_key,
            live: Arc::default(),
            config,
        })
    }
}
