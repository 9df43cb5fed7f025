//! Finished results kept in memory, so flipping between views of the same query does not
//! fetch again. A small LRU; entries remember the exact connection they came from, so an
//! edited connection never serves an old answer (and [`InsightMemo::forget`] drops them).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use super::query::InsightQuery;
use crate::connections::Connection;
use crate::insights::InsightResult;

/// Results kept by default (a year of hourly data is about a megabyte).
pub const DEFAULT_MEMO_ENTRIES: usize = 16;

struct Entry {
    connection: Connection,
    query: InsightQuery,
    result: Arc<InsightResult>,
}

pub struct InsightMemo {
    capacity: usize,
    /// Most recently used first.
    entries: Mutex<VecDeque<Entry>>,
}

impl std::fmt::Debug for InsightMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InsightMemo")
            .field("capacity", &self.capacity)
            .field("entries", &self.len())
            .finish()
    }
}

impl Default for InsightMemo {
    fn default() -> Self {
        InsightMemo::new(DEFAULT_MEMO_ENTRIES)
    }
}

impl InsightMemo {
    pub fn new(capacity: usize) -> InsightMemo {
        InsightMemo {
            capacity: capacity.max(1),
            entries: Mutex::new(VecDeque::new()),
        }
    }

    pub fn get(&self, connection: &Connection, query: &InsightQuery) -> Option<Arc<InsightResult>> {
        let mut entries = self.lock();
        let pos = entries
            .iter()
            .position(|e| e.connection == *connection && e.query == *query)?;
        let entry = entries.remove(pos)?;
        let result = entry.result.clone();
        entries.push_front(entry);
        Some(result)
    }

    pub fn put(&self, connection: &Connection, query: &InsightQuery, result: Arc<InsightResult>) {
        let mut entries = self.lock();
        entries.retain(|e| !(e.connection.id == connection.id && e.query == *query));
        entries.push_front(Entry {
            connection: connection.clone(),
            query: query.clone(),
            result,
        });
        entries.truncate(self.capacity);
    }

    /// Drops every result of a connection; returns how many.
    pub fn forget(&self, connection_id: &str) -> usize {
        let mut entries = self.lock();
        let before = entries.len();
        entries.retain(|e| e.connection.id != connection_id);
        before - entries.len()
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Entry>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
