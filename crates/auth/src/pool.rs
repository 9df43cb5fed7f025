//! The pool of sessions, one per connection id, so every query of a connection shares one token.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use secrecy::SecretString;

use super::clock::{Clock, ShowTime, show_utc};
use super::session::Session;
use crate::connections::Connection;
use occudesk_net::Result;
use occudesk_net::http::HttpClient;

pub struct SessionPool {
    http: HttpClient,
    clock: Arc<dyn Clock>,
    show: ShowTime,
    pool: Mutex<Pool>,
}

#[derive(Default)]
struct Pool {
    by_id: HashMap<String, Arc<Session>>,
    /// Bumped by [`SessionPool::invalidate`], so a session built from a secret read before an
    /// edit is never kept after it.
    epochs: HashMap<String, u64>,
}

impl Pool {
    fn epoch(&self, id: &str) -> u64 {
        self.epochs.get(id).copied().unwrap_or_default()
    }
}

impl std::fmt::Debug for SessionPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut ids: Vec<String> = self.lock().by_id.keys().cloned().collect();
        ids.sort();
        f.debug_struct("SessionPool")
            .field("connections", &ids)
            .finish_non_exhaustive()
    }
}

impl SessionPool {
    pub fn new(http: HttpClient, clock: Arc<dyn Clock>) -> SessionPool {
        SessionPool {
            http,
            clock,
            show: show_utc(),
            pool: Mutex::new(Pool::default()),
        }
    }

    /// Sessions' messages write times the way `show` does (the user's time display).
    pub fn with_show_time(mut self, show: ShowTime) -> SessionPool {
        self.show = show;
        self
    }

    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// The clock sessions judge expiry by, for sessions made outside the pool.
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    /// The session of a connection, if one exists.
    pub fn get(&self, connection_id: &str) -> Option<Arc<Session>> {
        self.lock().by_id.get(connection_id).cloned()
    }

    /// The session of `connection`, creating it with the secret from `load_secret` (called
    /// only when needed, e.g. a keyring read). A session made for a different version of the
    /// connection (edited since) is replaced. If the connection is invalidated while the
    /// secret loads, the new session serves this caller but is not kept: its secret may be
    /// the one the edit replaced.
    pub async fn get_or_create<F, Fut>(
        &self,
        connection: &Connection,
        load_secret: F,
    ) -> Result<Arc<Session>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<SecretString>>,
    {
        let epoch = {
            let pool = self.lock();
            if let Some(existing) = pool
                .by_id
                .get(&connection.id)
                .filter(|s| s.connection() == connection)
            {
                return Ok(existing.clone());
            }
            pool.epoch(&connection.id)
        };
        let session = self.build(connection, load_secret().await?)?;
        let mut pool = self.lock();
        if pool.epoch(&connection.id) != epoch {
            return Ok(session);
        }
        // Another caller may have created one while the secret loaded: keep theirs, so both
        // share one token.
        match pool.by_id.get(&connection.id) {
            Some(existing) if existing.connection() == connection => Ok(existing.clone()),
            _ => {
                pool.by_id.insert(connection.id.clone(), session.clone());
                Ok(session)
            }
        }
    }

    /// Creates (or replaces) the session of `connection` with `secret`.
    pub fn insert(&self, connection: &Connection, secret: SecretString) -> Result<Arc<Session>> {
        let session = self.build(connection, secret)?;
        self.lock()
            .by_id
            .insert(connection.id.clone(), session.clone());
        Ok(session)
    }

    /// Drops a connection's session (call when it is edited, its secret changes, or it is
    /// deleted). Requests already running finish with the old one. Returns whether one existed.
    pub fn invalidate(&self, connection_id: &str) -> bool {
        let mut pool = self.lock();
        *pool.epochs.entry(connection_id.to_owned()).or_default() += 1;
        pool.by_id.remove(connection_id).is_some()
    }

    fn build(&self, connection: &Connection, secret: SecretString) -> Result<Arc<Session>> {
        Ok(Arc::new(
            Session::new(connection, secret, self.http.clone(), self.clock.clone())?
                .with_show_time(self.show.clone()),
        ))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pool> {
        // A panic elsewhere while holding the lock leaves a usable map (inserts and removes
        // are single operations), so recover it rather than fail every later call.
        self.pool
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SystemClock;
    use crate::connections::ConnectionDraft;
    use occudesk_net::http::HttpConfig;

    fn connection() -> Connection {
        ConnectionDraft {
            name: "HQ".into(),
            kind: "innerspace-v2".into(),
            client_id: "c".into(),
            ..Default::default()
        }
        .validate()
        .unwrap()
    }

    #[tokio::test]
    async fn a_session_built_from_a_secret_read_before_an_edit_is_not_kept() {
        let pool = SessionPool::new(
            HttpClient::new(HttpConfig::for_tests()).unwrap(),
            Arc::new(SystemClock),
        );
        let c = connection();
        let session = pool
            .get_or_create(&c, || async {
                // The edit lands while the keyring read is still running.
                pool.invalidate(&c.id);
                Ok(SecretString::from("old secret"))
            })
            .await
            .unwrap();
        assert_eq!(session.connection(), &c);
        assert!(pool.get(&c.id).is_none(), "the stale session was kept");

        let kept = pool
            .get_or_create(&c, || async { Ok(SecretString::from("new secret")) })
            .await
            .unwrap();
        assert!(Arc::ptr_eq(&kept, &pool.get(&c.id).unwrap()));
    }
}
