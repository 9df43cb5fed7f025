//! Per-client request counters, for tests ("did the client cache its token?").

use std::collections::BTreeMap;
use std::sync::Mutex;

#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Counters {
    /// Token or session requests naming this client id (or SpatiaFi user email),
    /// successful or not.
    pub token_requests: u64,
    /// Authenticated API requests made with a token or session of this client.
    pub api_requests: u64,
    /// Rows returned to this client by GraphQL queries.
    pub rows: u64,
}

#[derive(Default)]
pub struct CounterBook {
    by_client: Mutex<BTreeMap<String, Counters>>,
}

impl CounterBook {
    fn update(&self, client: &str, f: impl FnOnce(&mut Counters)) {
        if let Ok(mut map) = self.by_client.lock() {
            f(map.entry(client.to_owned()).or_default());
        }
    }

    pub fn token_request(&self, client: &str) {
        self.update(client, |c| c.token_requests += 1);
    }

    pub fn api_request(&self, client: &str) {
        self.update(client, |c| c.api_requests += 1);
    }

    pub fn rows(&self, client: &str, n: u64) {
        self.update(client, |c| c.rows += n);
    }

    pub fn get(&self, client: &str) -> Counters {
        self.by_client
            .lock()
            .ok()
            .and_then(|m| m.get(client).copied())
            .unwrap_or_default()
    }

    pub fn all(&self) -> BTreeMap<String, Counters> {
        self.by_client.lock().map(|m| m.clone()).unwrap_or_default()
    }
}
