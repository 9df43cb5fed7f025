//! The per-connection status the list shows after "Test connection" (never tested / OK until
//! HH:MM / failed: reason). The test itself is [`crate::Desk::test_connection`].

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use serde::Serialize;

use crate::Result;
use crate::auth::{TokenStatus, unix_secs};

/// The outcome of the last test of a connection.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(
    tag = "state",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Health {
    Ok {
        /// Unix seconds when the token expires.
        expires_at: u64,
        checked_at: u64,
    },
    Failed {
        code: &'static str,
        message: String,
        checked_at: u64,
    },
}

impl Health {
    fn of(outcome: &Result<TokenStatus>) -> Health {
        let checked_at = unix_secs(std::time::SystemTime::now());
        match outcome {
            Ok(status) => Health::Ok {
                expires_at: status.expires_at,
                checked_at,
            },
            Err(e) => Health::Failed {
                code: e.code(),
                message: e.to_string(),
                checked_at,
            },
        }
    }
}

/// Last test results by connection id, in memory only (like the tokens they describe).
#[derive(Default)]
pub struct HealthBoard {
    by_id: Mutex<Board>,
}

#[derive(Default)]
struct Board {
    health: HashMap<String, Health>,
    /// Bumped when a connection is edited or deleted, so a test that started before cannot
    /// report on credentials that no longer exist.
    epochs: HashMap<String, u64>,
}

impl HealthBoard {
    /// The connection's current epoch; pass it to [`record_if_current`](Self::record_if_current).
    pub fn epoch(&self, id: &str) -> u64 {
        self.map().epochs.get(id).copied().unwrap_or_default()
    }

    /// Records the outcome unless the connection changed since `epoch`; returns whether it did.
    /// Checked and recorded under one lock, so an edit cannot land in between.
    pub fn record_if_current(&self, id: &str, epoch: u64, outcome: &Result<TokenStatus>) -> bool {
        let mut board = self.map();
        let current = board.epochs.get(id).copied().unwrap_or_default() == epoch;
        if current {
            board.health.insert(id.to_owned(), Health::of(outcome));
        }
        current
    }

    pub fn get(&self, id: &str) -> Option<Health> {
        self.map().health.get(id).cloned()
    }

    /// After an edit or delete the old result no longer describes the connection.
    pub fn forget(&self, id: &str) {
        let mut board = self.map();
        board.health.remove(id);
        *board.epochs.entry(id.to_owned()).or_default() += 1;
    }

    fn map(&self) -> std::sync::MutexGuard<'_, Board> {
        self.by_id.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn records_success_and_failure_and_forgets() {
        let board = HealthBoard::default();
        assert_eq!(board.get("c"), None);
        board.record_if_current(
            "c",
            0,
            &Ok(TokenStatus {
                expires_at: 100,
                remaining_secs: 50,
                lifetime_secs: 60,
            }),
        );
        assert!(matches!(
            board.get("c"),
            Some(Health::Ok {
                expires_at: 100,
                ..
            })
        ));
        board.record_if_current("c", 0, &Err(Error::KeyringLocked));
        let json = serde_json::to_value(board.get("c").unwrap()).unwrap();
        assert_eq!(json["state"], "failed");
        assert_eq!(json["code"], "keyring.locked");
        assert!(json["checkedAt"].as_u64().unwrap() > 0);
        board.forget("c");
        assert_eq!(board.get("c"), None);
    }

    #[test]
    fn a_test_that_started_before_an_edit_is_not_recorded() {
        let board = HealthBoard::default();
        let before = board.epoch("c");
        board.forget("c"); // the connection was edited while the test ran
        assert!(!board.record_if_current("c", before, &Err(Error::KeyringLocked)));
        assert_eq!(board.get("c"), None);
        let now = board.epoch("c");
        assert!(board.record_if_current("c", now, &Err(Error::KeyringLocked)));
        assert!(board.get("c").is_some());
    }
}
