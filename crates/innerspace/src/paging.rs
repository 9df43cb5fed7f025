//! Paging under an undocumented row cap.
//!
//! Hasura (and so InnerSpace) silently truncates a result at a row limit the client is not
//! told about. A short page therefore proves nothing by itself. The rule:
//!
//! - `proven` is the largest number of rows any single response of the connection returned:
//!   the cap, if any, is at least that.
//! - A page of exactly `limit` rows is full: fetch the next one (offset += n).
//! - A page of `n < limit` rows with `n < proven` cannot have been truncated: complete.
//! - Otherwise (`n >= proven`, `n > 0`) ask once more at offset `n`. Nothing there: complete.
//!   Rows there: the server truncates at `n`; remember `cap = n`, keep those rows and page on
//!   with `limit = n`.
//!
//! So a silently truncated page is never taken as the end of the data.
//!
//! When the caller can predict a page's row count `e` (a chunk of hourly rows has exactly as
//! many rows as its local days have hours), that verification request is sent *with* the
//! first page, as a second root field (`probe`: one row at offset `e`) of the same GraphQL
//! request. If the page holds `e` rows and the probe is empty, the page is complete: the same
//! proof as the separate request, without its round trip. Any other outcome falls back to the
//! rule above.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use occudesk_net::Result;

/// What one connection's answers have taught us about its row cap. Shared by every chunk of
/// every fetch on the connection.
#[derive(Debug, Default)]
pub struct RowCaps {
    proven: AtomicUsize,
    /// 0 = no cap seen.
    cap: AtomicUsize,
}

impl RowCaps {
    /// The largest number of rows one response has carried.
    pub fn proven(&self) -> usize {
        self.proven.load(Ordering::Relaxed)
    }

    /// The row cap, once a truncated answer revealed it.
    pub fn cap(&self) -> Option<usize> {
        match self.cap.load(Ordering::Relaxed) {
            0 => None,
            n => Some(n),
        }
    }

    /// The `limit` to send: the page size, or less once a cap is known.
    pub fn limit(&self, page_size: usize) -> usize {
        let page = page_size.max(1);
        self.cap().map_or(page, |cap| cap.min(page))
    }

    fn observe(&self, rows: usize) {
        self.proven.fetch_max(rows, Ordering::Relaxed);
    }

    fn record_cap(&self, rows: usize) {
        if rows == 0 {
            return;
        }
        // Keep the smallest cap seen: different answers must never raise it.
        let _ = self
            .cap
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |old| {
                (old == 0 || rows < old).then_some(rows)
            });
    }
}

/// The row caps of one connection, one per table: Hasura sets its limits per table and role,
/// so what one table's answers proved says nothing about another's.
#[derive(Debug, Default)]
pub struct TableCaps {
    by_table: Mutex<HashMap<String, Arc<RowCaps>>>,
}

impl TableCaps {
    /// The caps of `table` (a root field name).
    pub fn of(&self, table: &str) -> Arc<RowCaps> {
        self.by_table
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .entry(table.to_owned())
            .or_default()
            .clone()
    }

    /// The row cap `table`'s answers revealed, if any.
    pub fn cap(&self, table: &str) -> Option<usize> {
        self.by_table
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(table)
            .and_then(|c| c.cap())
    }
}

/// One answer: its rows, and whether the probe (if one was asked for) found nothing.
#[derive(Debug)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub probe_empty: Option<bool>,
}

impl<T> Page<T> {
    pub fn rows(rows: Vec<T>) -> Page<T> {
        Page {
            rows,
            probe_empty: None,
        }
    }
}

/// Fetches every page of one request. `page(offset, limit, probe)` sends one request and
/// returns its rows; with `probe: Some(e)` it also asks whether a row exists at offset `e`.
/// `predicted` is the exact number of rows expected, when the caller knows it.
pub async fn fetch_all<T, F, Fut>(
    caps: &RowCaps,
    page_size: usize,
    predicted: Option<usize>,
    mut page: F,
) -> Result<Vec<T>>
where
    F: FnMut(usize, usize, Option<usize>) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    let mut rows: Vec<T> = Vec::new();
    let mut offset = 0usize;
    // Rows of the previous page when it looked complete only because of its size.
    let mut verifying: Option<usize> = None;
    loop {
        let limit = caps.limit(page_size);
        // Worth it only when a page of `e` rows would otherwise need a verification request.
        let probe = predicted.filter(|&e| offset == 0 && e > 0 && e < limit && e >= caps.proven());
        let answer = page(offset, limit, probe).await?;
        let batch = answer.rows;
        let n = batch.len();
        caps.observe(n);
        if let Some(previous) = verifying.take() {
            if n == 0 {
                return Ok(rows);
            }
            // More rows after a short page: the server cut that page at its cap.
            caps.record_cap(previous);
        }
        if n == 0 {
            return Ok(rows);
        }
        offset += n;
        rows.extend(batch);
        if n >= limit {
            continue;
        }
        if n < caps.proven() {
            return Ok(rows);
        }
        if let (Some(e), Some(empty)) = (probe, answer.probe_empty)
            && e == n
        {
            if empty {
                return Ok(rows);
            }
            // Rows after a short page: the server cut it at its cap.
            caps.record_cap(n);
            continue;
        }
        verifying = Some(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    /// A server with `total` rows that silently returns at most `cap` per answer.
    fn serve(
        total: usize,
        cap: usize,
        log: &RefCell<Vec<(usize, usize)>>,
        offset: usize,
        limit: usize,
    ) -> Vec<usize> {
        log.borrow_mut().push((offset, limit));
        (offset..total).take(limit.min(cap)).collect()
    }

    fn run(
        caps: &RowCaps,
        total: usize,
        cap: usize,
        page_size: usize,
    ) -> (Vec<usize>, Vec<(usize, usize)>) {
        let log = RefCell::new(Vec::new());
        let rows =
            futures_util::FutureExt::now_or_never(fetch_all(caps, page_size, None, |o, l, _| {
                let r = serve(total, cap, &log, o, l);
                async move { Ok(Page::rows(r)) }
            }))
            .unwrap()
            .unwrap();
        (rows, log.into_inner())
    }

    #[test]
    fn a_silently_truncated_page_is_never_complete() {
        let caps = RowCaps::default();
        let (rows, log) = run(&caps, 1_700, 500, 2_000);
        assert_eq!(rows, (0..1_700).collect::<Vec<_>>());
        // 500 (suspicious) → verify at 500 finds rows → cap 500 → pages of 500; the last page
        // (200 < 500 proven) is complete without asking again.
        assert_eq!(log, [(0, 2000), (500, 2000), (1000, 500), (1500, 500)]);
        assert_eq!(caps.cap(), Some(500));
        // Now the cap is known: a short page below it is proven complete.
        let (rows, log) = run(&caps, 300, 500, 2_000);
        assert_eq!(rows.len(), 300);
        assert_eq!(log, [(0, 500)]);
    }

    #[test]
    fn short_pages_below_the_proven_size_need_no_verification() {
        let caps = RowCaps::default();
        let (rows, log) = run(&caps, 1_500, 10_000, 2_000);
        assert_eq!(rows.len(), 1_500);
        assert_eq!(log, [(0, 2000), (1500, 2000)], "first answer is verified");
        assert_eq!(caps.cap(), None);
        let (rows, log) = run(&caps, 1_200, 10_000, 2_000);
        assert_eq!(rows.len(), 1_200);
        assert_eq!(log, [(0, 2000)]);
        // Larger than anything seen so far: verified again.
        let (_, log) = run(&caps, 1_800, 10_000, 2_000);
        assert_eq!(log.len(), 2);
        assert_eq!(caps.proven(), 1_800);
    }

    #[test]
    fn full_pages_continue_and_empty_ends() {
        let caps = RowCaps::default();
        let (rows, log) = run(&caps, 4_000, 10_000, 2_000);
        assert_eq!(rows.len(), 4_000);
        assert_eq!(log, [(0, 2000), (2000, 2000), (4000, 2000)]);
        let (rows, log) = run(&caps, 0, 10_000, 2_000);
        assert!(rows.is_empty());
        assert_eq!(log, [(0, 2000)]);
    }

    /// As `run`, with a predicted row count and probes answered like the server would.
    fn run_predicted(
        caps: &RowCaps,
        total: usize,
        cap: usize,
        predicted: usize,
    ) -> (usize, Vec<(usize, usize, Option<usize>)>) {
        let log = RefCell::new(Vec::new());
        let rows = futures_util::FutureExt::now_or_never(fetch_all(
            caps,
            2_000,
            Some(predicted),
            |o, l, probe| {
                log.borrow_mut().push((o, l, probe));
                let rows: Vec<usize> = (o..total).take(l.min(cap)).collect();
                let probe_empty = probe.map(|e| e >= total);
                async move { Ok(Page { rows, probe_empty }) }
            },
        ))
        .unwrap()
        .unwrap();
        (rows.len(), log.into_inner())
    }

    #[test]
    fn a_predicted_count_verifies_in_the_same_request() {
        let caps = RowCaps::default();
        // Exactly as predicted and nothing after: complete in one request.
        assert_eq!(
            run_predicted(&caps, 1_464, 10_000, 1_464),
            (1_464, vec![(0, 2000, Some(1_464))])
        );
        // Truncated exactly where predicted: the probe sees more rows, so paging goes on.
        let caps = RowCaps::default();
        let (n, log) = run_predicted(&caps, 1_700, 1_464, 1_464);
        assert_eq!(n, 1_700);
        assert_eq!(log, [(0, 2000, Some(1_464)), (1_464, 1_464, None)]);
        assert_eq!(caps.cap(), Some(1_464));
        // Fewer rows than predicted: the ordinary verification request.
        let caps = RowCaps::default();
        let (n, log) = run_predicted(&caps, 1_000, 10_000, 1_464);
        assert_eq!(n, 1_000);
        assert_eq!(log, [(0, 2000, Some(1_464)), (1_000, 2000, None)]);
        // Once a larger answer has been seen, no probe is needed.
        let (_, log) = run_predicted(&caps, 900, 10_000, 900);
        assert_eq!(log, [(0, 2000, None)]);
    }

    #[test]
    fn errors_end_the_fetch() {
        let caps = RowCaps::default();
        let result = futures_util::FutureExt::now_or_never(fetch_all::<usize, _, _>(
            &caps,
            10,
            None,
            |_, _, _| async { Err(occudesk_net::Error::Cancelled) },
        ))
        .unwrap();
        assert_eq!(result.unwrap_err().code(), "query.cancelled");
    }
}
