//! The fetch engine: date chunks run at once, each paged to completion under the completeness
//! rule of [`super::paging`], with progress and cancellation.
//!
//! Every chunk of a fetch is sent in the same round, however many there are (a year of every
//! zone type by the hour is 31 chunks): one round trip, not one per six chunks. A view runs
//! several fetches side by side (its rows, their history, every zone, every zone type), so
//! what bounds the load on a server is not one fetch's concurrency but a gate per server
//! ([`MAX_IN_FLIGHT_PER_SERVER`] requests in flight, every fetch of the process to that server
//! counted), which requests pass in the order they asked.
//!
//! All chunk futures are polled inside the caller's task (no spawning), so cancelling or
//! failing simply drops them, which aborts their HTTP requests (and gives their places at the
//! gate back). One failed chunk fails the whole fetch: a partial result is never returned.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};

use chrono_tz::Tz;
use futures_util::StreamExt;
use serde::Serialize;
use serde_json::Value;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use super::graphql;
use super::paging::{Page, RowCaps, fetch_all};
use super::plan::{DateChunk, expected_periods};
use super::query::InsightTable;
use super::rows::{RawRow, parse_page};
use super::text::{PROBE, Prepared, ROOT};
use occudesk_auth::Session;
use occudesk_net::{Error, Result};

/// Sent after every response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FetchProgress {
    pub chunks_done: u32,
    pub chunks_total: u32,
    /// Rows received so far (v1: long rows, before pivoting).
    pub rows: u64,
    pub requests: u32,
}

/// Insight requests in flight to one server (scheme, host and port) at once, every fetch of
/// the process counted. A loaded year view sends about forty chunks at once (six for the
/// building's hours, five for every zone by the day, some thirty for every zone type by the
/// hour, one for the eight weeks before), so 48 lets it go in one round; it stays well within
/// what one HTTP/2 connection is allowed in parallel streams (100 or more on common servers),
/// and a server that is overloaded anyway answers 429, which the HTTP layer waits out.
pub const MAX_IN_FLIGHT_PER_SERVER: usize = 48;

/// Chunk and page sizes. The defaults keep a year of hourly data for one building to six
/// chunks of at most 1,600 rows, all fetched at once, each one page of 2,000.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FetchTuning {
    /// `limit` sent with each request (lowered to the row cap once one is known).
    pub page_size: usize,
    /// The most rows a chunk may be expected to hold.
    pub target_rows: usize,
    /// Chunks of one fetch in flight at once (all of them by default); every fetch to a server
    /// is bounded together by [`MAX_IN_FLIGHT_PER_SERVER`] as well.
    pub concurrency: usize,
}

impl Default for FetchTuning {
    fn default() -> Self {
        FetchTuning {
            page_size: 2_000,
            target_rows: 1_600,
            concurrency: MAX_IN_FLIGHT_PER_SERVER,
        }
    }
}

impl FetchTuning {
    /// The chunk target under a known row cap: a chunk should fit one capped page.
    pub fn target_under(&self, cap: Option<usize>) -> usize {
        match cap {
            Some(cap) => self.target_rows.min(cap.saturating_mul(4) / 5).max(1),
            None => self.target_rows,
        }
    }
}

/// One planned fetch.
pub(crate) struct Job<'a> {
    pub session: &'a Session,
    pub caps: &'a RowCaps,
    pub table: InsightTable,
    pub prepared: &'a Prepared,
    pub metrics: &'a [String],
    pub tz: Tz,
    pub granularity: super::query::Granularity,
    /// Series per period (entities × metrics for long tables), to predict a chunk's rows.
    pub series: usize,
    pub chunks: Vec<DateChunk>,
    pub tuning: FetchTuning,
}

/// The gate of the server `origin`, shared by every fetch to it while any holds it (then
/// dropped, so the process keeps no gate per server ever asked).
fn server_gate(origin: &str) -> Arc<Semaphore> {
    static GATES: OnceLock<Mutex<HashMap<String, Weak<Semaphore>>>> = OnceLock::new();
    // Each critical section is one map operation, so a poisoned map is still whole.
    let mut gates = GATES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(gate) = gates.get(origin).and_then(Weak::upgrade) {
        return gate;
    }
    gates.retain(|_, gate| gate.strong_count() > 0);
    let gate = Arc::new(Semaphore::new(MAX_IN_FLIGHT_PER_SERVER));
    gates.insert(origin.to_owned(), Arc::downgrade(&gate));
    gate
}

/// What names one server: the origin of the connection's address.
fn origin(base_url: &str) -> String {
    url::Url::parse(base_url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|_| base_url.to_owned())
}

/// Extra attempts of one page after an answer that may be a passing accident. The HTTP layer
/// already retried 5xx, 429 and dropped connections; it cannot judge a 200 whose body is an
/// HTML page or cut-off JSON (a proxy hiccup), nor a session that other requests of this
/// fetch used up between its renewal and this request's retry (servers that limit a
/// session's uses). Both are worth asking again; anything else is final.
fn page_retries(error: &Error) -> u32 {
    match error {
        Error::UnexpectedResponse { .. } => 2,
        Error::AuthRejected => 1,
        _ => 0,
    }
}

async fn execute_page(
    job: &Job<'_>,
    gate: &Semaphore,
    vars: &Value,
    probe: bool,
    requests: &AtomicU32,
) -> Result<serde_json::Map<String, Value>> {
    let text = if probe {
        &job.prepared.probe_text
    } else {
        &job.prepared.text
    };
    let mut attempt = 0;
    loop {
        // The gate is never closed; were it, the request would simply not wait.
        let permit = gate.acquire().await;
        let answer = graphql::execute(job.session, "Insights", text, vars.clone()).await;
        drop(permit);
        requests.fetch_add(1, Ordering::Relaxed);
        match answer {
            Err(e) if attempt < page_retries(&e) => attempt += 1,
            other => return other,
        }
    }
}

/// Every row of every chunk, and the number of requests sent.
pub(crate) async fn run(
    job: Job<'_>,
    progress: &(dyn Fn(FetchProgress) + Send + Sync),
    cancel: &CancellationToken,
) -> Result<(Vec<RawRow>, u32)> {
    if cancel.is_cancelled() {
        return Err(Error::Cancelled);
    }
    let requests = AtomicU32::new(0);
    let rows = AtomicU64::new(0);
    let done = AtomicU32::new(0);
    let total = job.chunks.len() as u32;
    let host = graphql::host(job.session.connection());
    let gate = server_gate(&origin(&job.session.connection().base_url));
    let report = || {
        progress(FetchProgress {
            chunks_done: done.load(Ordering::Relaxed),
            chunks_total: total,
            rows: rows.load(Ordering::Relaxed),
            requests: requests.load(Ordering::Relaxed),
        })
    };
    let (job, gate) = (&job, gate.as_ref());
    let (host, requests_ref, rows_ref, done_ref, report) =
        (&host, &requests, &rows, &done, &report);

    let chunk_future = |chunk: DateChunk| async move {
        let page = |offset: usize, limit: usize, probe: Option<usize>| async move {
            let vars = job
                .prepared
                .page_variables(job.table, job.tz, chunk, offset, limit, probe);
            let mut data = execute_page(job, gate, &vars, probe.is_some(), requests_ref).await?;
            let probe_empty = match (probe, data.get(PROBE)) {
                (None, _) => None,
                (Some(_), Some(Value::Array(list))) => Some(list.is_empty()),
                (Some(_), _) => {
                    return Err(Error::UnexpectedResponse {
                        host: host.clone(),
                        what: "a GraphQL answer without the requested rows".into(),
                    });
                }
            };
            let list = match data.remove(ROOT) {
                Some(Value::Array(list)) => list,
                _ => {
                    return Err(Error::UnexpectedResponse {
                        host: host.clone(),
                        what: "a GraphQL answer without the requested rows".into(),
                    });
                }
            };
            let parsed = parse_page(job.table, job.metrics, list, host)?;
            rows_ref.fetch_add(parsed.len() as u64, Ordering::Relaxed);
            report();
            Ok(Page {
                rows: parsed,
                probe_empty,
            })
        };
        let predicted = expected_periods(chunk, job.granularity, job.tz).saturating_mul(job.series);
        let result = fetch_all(job.caps, job.tuning.page_size, Some(predicted), page).await;
        done_ref.fetch_add(1, Ordering::Relaxed);
        if result.is_ok() {
            report();
        }
        result
    };

    let work = async {
        let mut stream = futures_util::stream::iter(job.chunks.iter().copied().map(chunk_future))
            .buffer_unordered(job.tuning.concurrency.max(1));
        let mut all: Vec<RawRow> = Vec::new();
        while let Some(chunk_rows) = stream.next().await {
            // Returning here drops the stream and with it every request still in flight.
            all.extend(chunk_rows?);
        }
        Ok(all)
    };
    let all = tokio::select! {
        biased;
        _ = cancel.cancelled() => return Err(Error::Cancelled),
        all = work => all?,
    };
    Ok((all, requests.load(Ordering::Relaxed)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_gate_per_server_while_any_fetch_holds_it() {
        // Names no server a test of this process talks to.
        let a = origin("http://gate.invalid:4100/");
        assert_eq!(a, origin("http://gate.invalid:4100"));
        assert_eq!(a, origin("http://GATE.invalid:4100/v2/api"));
        assert_ne!(a, origin("http://gate.invalid:4101"));
        assert_ne!(a, origin("https://gate.invalid:4100"));

        let first = server_gate(&a);
        let second = server_gate(&a);
        assert!(Arc::ptr_eq(&first, &second), "two fetches, one gate");
        assert!(!Arc::ptr_eq(
            &first,
            &server_gate(&origin("http://gate.invalid:4101"))
        ));
        assert_eq!(first.available_permits(), MAX_IN_FLIGHT_PER_SERVER);

        // Every fetch's requests count against the same bound.
        let held: Vec<_> = (0..MAX_IN_FLIGHT_PER_SERVER)
            .map(|_| first.try_acquire().expect("a place"))
            .collect();
        assert!(second.try_acquire().is_err(), "the bound is shared");
        drop(held);
        assert!(second.try_acquire().is_ok());

        // Once no fetch holds it, the gate goes; the next fetch gets a fresh one.
        drop((first, second));
        assert_eq!(
            server_gate(&a).available_permits(),
            MAX_IN_FLIGHT_PER_SERVER
        );
    }

    #[test]
    fn a_year_view_of_one_building_goes_in_one_round() {
        use super::super::plan::plan_chunks;
        use super::super::query::Granularity;
        let target = FetchTuning::default().target_rows;
        let from: chrono::NaiveDate = "2025-01-01".parse().unwrap();
        let to: chrono::NaiveDate = "2025-12-31".parse().unwrap();
        let chunks = |g, series| plan_chunks(from, to, g, series, target).len();
        // The unusual days' baseline: the eight weeks before the range.
        let (history, before) = (from - chrono::Duration::weeks(8), from.pred_opt().unwrap());
        // Building 71 of the simulator: 18 zones of 5 types. The rows by the hour, the eight
        // weeks before them, every zone by the day, every zone type by the hour.
        let parts = [
            chunks(Granularity::Pt1h, 1),
            plan_chunks(history, before, Granularity::Pt1h, 1, target).len(),
            chunks(Granularity::P1d, 18),
            chunks(Granularity::Pt1h, 5),
        ];
        assert_eq!(parts, [6, 1, 5, 31]);
        assert!(
            parts
                .iter()
                .all(|&n| n <= FetchTuning::default().concurrency)
        );
        assert!(parts.iter().sum::<usize>() <= MAX_IN_FLIGHT_PER_SERVER);
    }
}
