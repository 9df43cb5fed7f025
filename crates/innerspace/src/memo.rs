//! Finished results kept in memory, so flipping between views of the same query does not
//! fetch again. A small LRU; entries remember the exact connection they came from, so an
//! edited connection never serves an old answer (and [`InsightMemo::forget`] drops them).
//!
//! A result that shows provisional days (yesterday and today, or an old day that came back
//! empty or short: a late publish) is reused for [`PROVISIONAL_TTL`] only, then fetched again
//! (the local cache then asks only for the provisional days). A Load at 09:00, before the
//! nightly publish, is not what Load shows at 11:00.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::query::InsightQuery;
use occudesk_auth::connections::Connection;
use occudesk_figures::InsightResult;

/// Results kept by default (a year of hourly data is about a megabyte).
pub const DEFAULT_MEMO_ENTRIES: usize = 16;
/// Rows kept in all (about 150 bytes each): a few two-year PT15M zone results would otherwise
/// pin hundreds of megabytes. The newest result is always kept.
pub const MAX_MEMO_ROWS: usize = 500_000;
/// How long a result that shows provisional days is reused.
pub const PROVISIONAL_TTL: Duration = Duration::from_secs(5 * 60);

struct Entry {
    connection: Connection,
    query: InsightQuery,
    result: Arc<InsightResult>,
    /// When a result that shows provisional days was fetched; `None`: every day is final.
    provisional_since: Option<SystemTime>,
}

impl Entry {
    fn expired(&self, now: SystemTime) -> bool {
        self.provisional_since
            .is_some_and(|t| now.duration_since(t).unwrap_or_default() >= PROVISIONAL_TTL)
    }
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

    /// The result of `query` on `connection`, unless it shows provisional days and is older
    /// than [`PROVISIONAL_TTL`] at `now` (then it is dropped).
    pub fn get(
        &self,
        connection: &Connection,
        query: &InsightQuery,
        now: SystemTime,
    ) -> Option<Arc<InsightResult>> {
        let mut entries = self.lock();
        let pos = entries
            .iter()
            .position(|e| e.connection == *connection && e.query == *query)?;
        let entry = entries.remove(pos)?;
        if entry.expired(now) {
            return None;
        }
        let result = entry.result.clone();
        entries.push_front(entry);
        Some(result)
    }

    /// Keeps `result`; `provisional_since` is when it was fetched if it shows provisional days.
    pub fn put(
        &self,
        connection: &Connection,
        query: &InsightQuery,
        result: Arc<InsightResult>,
        provisional_since: Option<SystemTime>,
    ) {
        let mut entries = self.lock();
        entries.retain(|e| !(e.connection.id == connection.id && e.query == *query));
        entries.push_front(Entry {
            connection: connection.clone(),
            query: query.clone(),
            result,
            provisional_since,
        });
        entries.truncate(self.capacity);
        let mut rows = 0usize;
        let keep = entries
            .iter()
            .position(|e| {
                rows += e.result.rows.len();
                rows > MAX_MEMO_ROWS
            })
            .map_or(entries.len(), |first_over| first_over.max(1));
        entries.truncate(keep);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{Granularity, InsightTable};
    use occudesk_auth::connections::{ConnectionKind, DEFAULT_INNERSPACE_AUDIENCE};
    use occudesk_figures::InsightRow;
    use occudesk_figures::time::{parse_utc, to_local};

    fn connection(id: &str, name: &str) -> Connection {
        Connection {
            id: id.into(),
            name: name.into(),
            base_url: "https://api.innerspace.io".into(),
            client_id: "c".into(),
            kind: ConnectionKind::InnerspaceV2 {
                audience: DEFAULT_INNERSPACE_AUDIENCE.into(),
                group_id: None,
            },
            demo: false,
        }
    }

    fn query(building_id: i64) -> InsightQuery {
        InsightQuery {
            table: InsightTable::BuildingInsights,
            building_id,
            site_id: None,
            zone_id: None,
            zone_type: None,
            group_id: None,
            granularity: Granularity::Pt1h,
            from: "2025-01-01".parse().unwrap(),
            to: "2025-01-02".parse().unwrap(),
            metrics: vec![],
        }
    }

    fn result(rows: usize) -> Arc<InsightResult> {
        let t = parse_utc("2025-01-01T06:00:00Z").unwrap();
        let row = InsightRow {
            start_utc: t,
            start_local: to_local(t, chrono_tz::America::Chicago),
            date_partition: 20250101,
            building_id: 71,
            site_id: None,
            zone_id: None,
            zone_type: None,
            values: vec![],
        };
        Arc::new(InsightResult {
            time_zone: "America/Chicago".into(),
            time_zone_known: true,
            table: "BUILDING_INSIGHTS".into(),
            granularity: "PT1H".into(),
            columns: vec![],
            rows: vec![row; rows],
            group_id: None,
            notice: None,
            requests: 1,
            chunks: 1,
            source: Default::default(),
        })
    }

    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_764_000_000)
    }

    #[test]
    fn results_with_provisional_days_expire_and_final_ones_do_not() {
        let memo = InsightMemo::new(4);
        let c = connection("a", "A");
        memo.put(&c, &query(1), result(1), Some(now()));
        memo.put(&c, &query(2), result(1), None);
        let later = now() + PROVISIONAL_TTL - Duration::from_secs(1);
        assert!(memo.get(&c, &query(1), later).is_some());
        let expired = now() + PROVISIONAL_TTL;
        assert!(memo.get(&c, &query(1), expired).is_none());
        assert!(
            memo.get(&c, &query(1), now()).is_none(),
            "dropped, not hidden"
        );
        assert!(
            memo.get(&c, &query(2), expired + PROVISIONAL_TTL * 100)
                .is_some()
        );
    }

    #[test]
    fn least_recently_used_goes_first_and_edits_miss() {
        let memo = InsightMemo::new(2);
        let c = connection("a", "A");
        memo.put(&c, &query(1), result(1), None);
        memo.put(&c, &query(2), result(1), None);
        assert!(memo.get(&c, &query(1), now()).is_some());
        memo.put(&c, &query(3), result(1), None);
        assert!(
            memo.get(&c, &query(2), now()).is_none(),
            "least recently used"
        );
        assert!(memo.get(&c, &query(1), now()).is_some());
        assert!(
            memo.get(&connection("a", "A renamed"), &query(1), now())
                .is_none()
        );
        assert_eq!(memo.forget("a"), 2);
        assert!(memo.is_empty());
    }

    #[test]
    fn a_row_budget_bounds_memory_but_keeps_the_newest() {
        let memo = InsightMemo::new(16);
        let c = connection("a", "A");
        memo.put(&c, &query(1), result(MAX_MEMO_ROWS / 2), None);
        memo.put(&c, &query(2), result(MAX_MEMO_ROWS / 2), None);
        assert_eq!(memo.len(), 2);
        memo.put(&c, &query(3), result(MAX_MEMO_ROWS), None);
        assert_eq!(memo.len(), 1);
        assert!(memo.get(&c, &query(3), now()).is_some());
    }
}
