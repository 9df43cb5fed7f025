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

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::Result;

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

/// Fetches every page of one request. `page(offset, limit)` sends one request and returns
/// its rows; `T` is whatever a row is parsed into.
pub async fn fetch_all<T, F, Fut>(caps: &RowCaps, page_size: usize, mut page: F) -> Result<Vec<T>>
where
    F: FnMut(usize, usize) -> Fut,
    Fut: Future<Output = Result<Vec<T>>>,
{
    let mut rows: Vec<T> = Vec::new();
    let mut offset = 0usize;
    // Rows of the previous page when it looked complete only because of its size.
    let mut verifying: Option<usize> = None;
    loop {
        let limit = caps.limit(page_size);
        let batch = page(offset, limit).await?;
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
        let rows = futures_util::FutureExt::now_or_never(fetch_all(caps, page_size, |o, l| {
            let r = serve(total, cap, &log, o, l);
            async move { Ok(r) }
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

    #[test]
    fn errors_end_the_fetch() {
        let caps = RowCaps::default();
        let result = futures_util::FutureExt::now_or_never(fetch_all::<usize, _, _>(
            &caps,
            10,
            |_, _| async { Err(crate::Error::Cancelled) },
        ))
        .unwrap();
        assert_eq!(result.unwrap_err().code(), "query.cancelled");
    }
}
