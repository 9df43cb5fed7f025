//! Sessions by connection id, shared by the app and the CLI so every query of a connection uses
//! the same token.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use secrecy::SecretString;

use super::clock::Clock;
use super::session::Session;
use crate::Result;
use crate::connections::Connection;
use crate::http::HttpClient;

pub struct Sessions {
    http: HttpClient,
    clock: Arc<dyn Clock>,
    by_id: Mutex<HashMap<String, Arc<Session>>>,
}

impl std::fmt::Debug for Sessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sessions")
            .field("connections", &self.ids())
            .finish_non_exhaustive()
    }
}

impl Sessions {
    pub fn new(http: HttpClient, clock: Arc<dyn Clock>) -> Sessions {
        Sessions {
            http,
            clock,
            by_id: Mutex::new(HashMap::new()),
        }
    }

    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// The session of a connection, if one exists.
    pub fn get(&self, connection_id: &str) -> Option<Arc<Session>> {
        self.map().get(connection_id).cloned()
    }

    /// The session of `connection`, creating it with the secret from `load_secret` (called
    /// only when needed, e.g. a keyring read). A session made for a different version of the
    /// connection (edited since) is replaced.
    pub async fn get_or_create<F, Fut>(
        &self,
        connection: &Connection,
        load_secret: F,
    ) -> Result<Arc<Session>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<SecretString>>,
    {
        if let Some(existing) = self.current(connection) {
            return Ok(existing);
        }
        let secret = load_secret().await?;
        let session = Arc::new(Session::new(
            connection,
            secret,
            self.http.clone(),
            self.clock.clone(),
        )?);
        // Another caller may have created one while the secret loaded: keep theirs, so both
        // share one token.
        let mut map = self.map();
        match map.get(&connection.id) {
            Some(existing) if existing.connection() == connection => Ok(existing.clone()),
            _ => {
                map.insert(connection.id.clone(), session.clone());
                Ok(session)
            }
        }
    }

    /// Creates (or replaces) the session of `connection` with `secret`.
    pub fn insert(&self, connection: &Connection, secret: SecretString) -> Result<Arc<Session>> {
        let session = Arc::new(Session::new(
            connection,
            secret,
            self.http.clone(),
            self.clock.clone(),
        )?);
        self.map().insert(connection.id.clone(), session.clone());
        Ok(session)
    }

    /// Drops a connection's session (call when it is edited, its secret changes, or it is
    /// deleted). Requests already running finish with the old one. Returns whether one existed.
    pub fn invalidate(&self, connection_id: &str) -> bool {
        self.map().remove(connection_id).is_some()
    }

    pub fn clear(&self) {
        self.map().clear();
    }

    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.map().keys().cloned().collect();
        ids.sort();
        ids
    }

    fn current(&self, connection: &Connection) -> Option<Arc<Session>> {
        self.map()
            .get(&connection.id)
            .filter(|s| s.connection() == connection)
            .cloned()
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Session>>> {
        // A panic elsewhere while holding the lock leaves a usable map (inserts and removes
        // are single operations), so recover it rather than fail every later call.
        self.by_id
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
