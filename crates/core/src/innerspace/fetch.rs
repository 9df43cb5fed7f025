//! The fetch engine: date chunks run with bounded concurrency, each paged to completion under
//! the completeness rule of [`super::paging`], with progress and cancellation.
//!
//! All chunk futures are polled inside the caller's task (no spawning), so cancelling or
//! failing simply drops them, which aborts their HTTP requests. One failed chunk fails the
//! whole fetch: a partial result is never returned.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use chrono_tz::Tz;
use futures_util::StreamExt;
use serde::Serialize;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::graphql;
use super::paging::{Page, RowCaps, fetch_all};
use super::plan::{DateChunk, expected_periods};
use super::query::InsightTable;
use super::rows::{RawRow, parse_page};
use super::text::{PROBE, Prepared, ROOT};
use crate::auth::Session;
use crate::{Error, Result};

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

/// Chunk and page sizes. The defaults keep a year of hourly data for one building to six
/// chunks of at most 1,600 rows, fetched at once, each one page of 2,000.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FetchTuning {
    /// `limit` sent with each request (lowered to the row cap once one is known).
    pub page_size: usize,
    /// The most rows a chunk may be expected to hold.
    pub target_rows: usize,
    /// Chunks in flight at once.
    pub concurrency: usize,
}

impl Default for FetchTuning {
    fn default() -> Self {
        FetchTuning {
            page_size: 2_000,
            target_rows: 1_600,
            concurrency: 6,
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
        let answer = graphql::execute(job.session, "Insights", text, vars.clone()).await;
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
    let report = || {
        progress(FetchProgress {
            chunks_done: done.load(Ordering::Relaxed),
            chunks_total: total,
            rows: rows.load(Ordering::Relaxed),
            requests: requests.load(Ordering::Relaxed),
        })
    };
    let job = &job;
    let (host, requests_ref, rows_ref, done_ref, report) =
        (&host, &requests, &rows, &done, &report);

    let chunk_future = |chunk: DateChunk| async move {
        let page = |offset: usize, limit: usize, probe: Option<usize>| async move {
            let vars = job
                .prepared
                .page_variables(job.table, job.tz, chunk, offset, limit, probe);
            let mut data = execute_page(job, &vars, probe.is_some(), requests_ref).await?;
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
