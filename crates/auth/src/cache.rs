//! One connection's token: reused until shortly before it expires, fetched by one caller at a
//! time however many are waiting for it.
//!
//! Two locks. `slot` guards the cached token and is only held for a few instructions, never
//! across a fetch, so reading a valid token never waits. `flight` is held across every fetch:
//! it is the single flight. A caller that needs a token it does not have (none cached, expired,
//! refused by the API, "Test connection") waits for the flight; a caller whose token is merely
//! due for refresh takes the flight only if it is free and otherwise goes on with the token it
//! has, so a slow or failing refresh (retries and Retry-After waits can take half a minute)
//! holds up no one but the one caller doing it.
//!
//! The refresh runs in the first caller that finds the token due, not in a spawned task: the
//! fetch borrows the session's provider and HTTP client, which are not `'static`.

use std::future::Future;
use std::sync::PoisonError;
use std::time::{Duration, SystemTime};

use tokio::sync::{Mutex, MutexGuard};

use super::token::Token;
use occudesk_net::{Error, Result};

/// The wait after a failed early refresh before the next one; doubles with each failure in a
/// row up to [`REFRESH_BACKOFF_MAX`]. Without it every new wave of requests would start its
/// own refresh against a service that is failing.
pub const REFRESH_BACKOFF_MIN: Duration = Duration::from_secs(5);
pub const REFRESH_BACKOFF_MAX: Duration = Duration::from_secs(30);

/// What a caller needs from the cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    /// A token that is not due for refresh (or, while a refresh is under way or backing off,
    /// one that has not expired).
    Fresh,
    /// The API refused the token of this generation: any other (newer) valid token will do,
    /// otherwise fetch one. Concurrent callers refused the same token share one renewal.
    Replacing(u64),
    /// A newly fetched token, whatever is cached ("Test connection").
    New,
}

/// A token handed out, with the generation that identifies it in the cache.
#[derive(Clone, Debug)]
pub struct Lease {
    pub token: Token,
    pub generation: u64,
}

#[derive(Default)]
struct Slot {
    token: Option<Token>,
    generation: u64,
    last_failure: Option<Error>,
    /// Fetches finished (either way). Read before waiting for the flight, so a caller knows
    /// whether a fetch completed while it waited.
    fetches: u64,
    /// After a failed early refresh, no other early refresh starts before this time.
    refresh_not_before: Option<SystemTime>,
    /// Early refreshes that failed in a row (for the growing back-off).
    refresh_failures: u32,
}

impl Slot {
    fn lease(&self, token: &Token) -> Lease {
        Lease {
            token: token.clone(),
            generation: self.generation,
        }
    }

    /// Drops the cached token if it is the one the API refused: never hand it out again.
    fn forget_refused(&mut self, want: Want) {
        if let Want::Replacing(refused) = want
            && self.generation == refused
        {
            self.token = None;
        }
    }

    /// The cached token if it is not due for refresh at `at`.
    fn fresh(&self, at: SystemTime) -> Option<Lease> {
        let token = self.token.as_ref().filter(|t| !t.needs_refresh(at))?;
        Some(self.lease(token))
    }

    /// The cached token if it has not expired at `at` (due for refresh or not).
    fn unexpired(&self, at: SystemTime) -> Option<Lease> {
        let token = self.token.as_ref().filter(|t| t.expires_at() > at)?;
        Some(self.lease(token))
    }

    fn backing_off(&self, at: SystemTime) -> bool {
        self.refresh_not_before.is_some_and(|t| at < t)
    }
}

/// What a caller does after looking at the cache.
enum Next<'a> {
    Done(Result<Lease>),
    /// The token is due for refresh and the flight was free: this caller refreshes, the token
    /// it has stays usable meanwhile (and if the refresh fails).
    RefreshEarly(MutexGuard<'a, ()>),
    /// No usable token: wait for the flight.
    Wait,
}

/// See the module documentation for how the two locks share the work.
#[derive(Default)]
pub struct TokenCache {
    slot: std::sync::Mutex<Slot>,
    flight: Mutex<()>,
}

impl TokenCache {
    pub async fn lease<F, Fut>(
        &self,
        now: impl Fn() -> SystemTime,
        want: Want,
        fetch: F,
    ) -> Result<Lease>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Token>>,
    {
        let (seen, next) = self.look(&now, want);
        let flight = match next {
            Next::Done(result) => return result,
            Next::RefreshEarly(flight) => {
                let result = fetch().await;
                return self.record(result, &now, want, true, flight);
            }
            Next::Wait => self.flight.lock().await,
        };
        if let Some(result) = self.after_waiting(&now, want, seen) {
            return result;
        }
        let result = fetch().await;
        self.record(result, &now, want, false, flight)
    }

    /// The first look, without waiting for anything. Also returns the fetch count seen.
    fn look(&self, now: &impl Fn() -> SystemTime, want: Want) -> (u64, Next<'_>) {
        let mut slot = self.slot();
        let seen = slot.fetches;
        let at = now();
        slot.forget_refused(want);
        if want == Want::New {
            return (seen, Next::Wait);
        }
        if let Some(lease) = slot.fresh(at) {
            return (seen, Next::Done(Ok(lease)));
        }
        let Some(lease) = slot.unexpired(at) else {
            return (seen, Next::Wait);
        };
        if slot.backing_off(at) {
            return (seen, Next::Done(Ok(lease)));
        }
        // Taken while holding the slot, so no fetch can finish between the look and the take.
        match self.flight.try_lock() {
            Ok(flight) => (seen, Next::RefreshEarly(flight)),
            // Someone is fetching already; this token is good until it expires.
            Err(_) => (seen, Next::Done(Ok(lease))),
        }
    }

    /// After waiting for the flight: the token or error of the fetch we waited for, if it
    /// serves this caller; `None` to fetch.
    fn after_waiting(
        &self,
        now: &impl Fn() -> SystemTime,
        want: Want,
        seen: u64,
    ) -> Option<Result<Lease>> {
        if want == Want::New {
            return None;
        }
        let mut slot = self.slot();
        let at = now();
        slot.forget_refused(want);
        if let Some(lease) = slot.fresh(at) {
            return Some(Ok(lease));
        }
        if slot.fetches != seen
            && let Some(failure) = &slot.last_failure
        {
            // The fetch we queued behind failed: share its outcome instead of asking again at
            // once. If it was only an early refresh, the current token is still good.
            return Some(slot.unexpired(at).ok_or_else(|| failure.clone()));
        }
        None
    }

    /// Stores a fetch's outcome and answers the caller that fetched. `early` is an early
    /// refresh, whose failure starts the back-off.
    fn record(
        &self,
        result: Result<Token>,
        now: &impl Fn() -> SystemTime,
        want: Want,
        early: bool,
        flight: MutexGuard<'_, ()>,
    ) -> Result<Lease> {
        // Dropped after `slot` (reverse order): the flight is released only once the outcome is
        // stored, so a caller that waited for it finds it.
        let _flight = flight;
        let mut slot = self.slot();
        slot.fetches += 1;
        match result {
            Ok(token) => {
                slot.generation += 1;
                let lease = slot.lease(&token);
                slot.token = Some(token);
                slot.last_failure = None;
                slot.refresh_not_before = None;
                slot.refresh_failures = 0;
                Ok(lease)
            }
            Err(e) => {
                slot.last_failure = Some(e.clone());
                // Read the clock again: the fetch (with its retries and waits) may have
                // outlasted the token it would fall back to.
                let at = now();
                if early {
                    slot.refresh_failures = slot.refresh_failures.saturating_add(1);
                    let doublings = (slot.refresh_failures - 1).min(8);
                    let wait = REFRESH_BACKOFF_MIN
                        .saturating_mul(1 << doublings)
                        .min(REFRESH_BACKOFF_MAX);
                    slot.refresh_not_before = Some(at + wait);
                }
                // An early refresh that failed (service briefly down) is no reason to stop
                // using a token that has not expired yet; an expired one is never handed out.
                if want != Want::New
                    && let Some(lease) = slot.unexpired(at)
                {
                    tracing::debug!(code = e.code(), "refresh failed; keeping the current token");
                    return Ok(lease);
                }
                Err(e)
            }
        }
    }

    /// The cached token, if any (for status displays).
    pub async fn current(&self) -> Option<Token> {
        self.slot().token.clone()
    }

    /// Never held across an await: its guard is not `Send`, so a session future holding it
    /// there could not be spawned, and the compiler would say so.
    fn slot(&self) -> std::sync::MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, ManualClock};
    use crate::token::TokenKind;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Duration;

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    async fn fetch(count: Arc<AtomicU64>, now: u64, ok: bool) -> Result<Token> {
        let n = count.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(5)).await;
        if ok {
            Ok(Token::new(
                format!("t{n}").into(),
                TokenKind::Bearer,
                at(now),
                at(now + 600),
            ))
        } else {
            Err(Error::AuthInvalidClient)
        }
    }

    #[tokio::test]
    async fn reuses_until_refresh_time_then_fetches() {
        let cache = TokenCache::default();
        let count = Arc::new(AtomicU64::new(0));
        let c = count.clone();
        let first = cache
            .lease(|| at(0), Want::Fresh, || fetch(c, 0, true))
            .await
            .unwrap();
        for s in [1, 100, 539] {
            let c = count.clone();
            let again = cache
                .lease(|| at(s), Want::Fresh, || fetch(c, s, true))
                .await
                .unwrap();
            assert_eq!(again.generation, first.generation);
        }
        assert_eq!(count.load(Ordering::SeqCst), 1);
        // 600 s lifetime → 60 s skew → refresh from 540 s.
        let c = count.clone();
        let renewed = cache
            .lease(|| at(540), Want::Fresh, || fetch(c, 540, true))
            .await
            .unwrap();
        assert_eq!(renewed.generation, first.generation + 1);
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_fetch_and_one_renewal() {
        let cache = Arc::new(TokenCache::default());
        let count = Arc::new(AtomicU64::new(0));
        let mut tasks = Vec::new();
        for _ in 0..32 {
            let (cache, count) = (cache.clone(), count.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .lease(|| at(0), Want::Fresh, || fetch(count, 0, true))
                    .await
                    .map(|l| l.generation)
            }));
        }
        let mut generations = Vec::new();
        for t in tasks {
            generations.push(t.await.unwrap().unwrap());
        }
        assert_eq!(count.load(Ordering::SeqCst), 1);
        let refused = generations[0];
        let mut tasks = Vec::new();
        for _ in 0..32 {
            let (cache, count) = (cache.clone(), count.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .lease(|| at(1), Want::Replacing(refused), || fetch(count, 1, true))
                    .await
                    .map(|l| l.generation)
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap(), refused + 1);
        }
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn callers_queued_behind_a_failed_early_refresh_keep_the_valid_token() {
        let cache = Arc::new(TokenCache::default());
        let count = Arc::new(AtomicU64::new(0));
        let c = count.clone();
        let first = cache
            .lease(|| at(0), Want::Fresh, || fetch(c, 0, true))
            .await
            .unwrap();
        // At 550 s the 600 s token is due for refresh (skew 60 s) but not expired.
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (cache, count) = (cache.clone(), count.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .lease(|| at(550), Want::Fresh, || fetch(count, 550, false))
                    .await
                    .map(|l| l.generation)
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap(), first.generation);
        }
        assert_eq!(
            count.load(Ordering::SeqCst),
            2,
            "one failed refresh, shared"
        );
    }

    #[tokio::test]
    async fn callers_queued_behind_a_failed_fetch_share_its_error() {
        let cache = Arc::new(TokenCache::default());
        let count = Arc::new(AtomicU64::new(0));
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (cache, count) = (cache.clone(), count.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .lease(|| at(0), Want::Fresh, || fetch(count, 0, false))
                    .await
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap_err().code(), "auth.invalid_client");
        }
        assert_eq!(count.load(Ordering::SeqCst), 1);
        // A later, separate attempt tries again.
        let c = count.clone();
        assert!(
            cache
                .lease(|| at(0), Want::Fresh, || fetch(c, 0, true))
                .await
                .is_ok()
        );
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_early_refresh_keeps_the_unexpired_token() {
        let cache = TokenCache::default();
        let count = Arc::new(AtomicU64::new(0));
        let c = count.clone();
        let first = cache
            .lease(|| at(0), Want::Fresh, || fetch(c, 0, true))
            .await
            .unwrap();
        let c = count.clone();
        let kept = cache
            .lease(|| at(560), Want::Fresh, || fetch(c, 560, false))
            .await
            .unwrap();
        assert_eq!(kept.generation, first.generation);
        let c = count.clone();
        let err = cache
            .lease(|| at(600), Want::Fresh, || fetch(c, 600, false))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "auth.invalid_client");
    }

    /// Polls a future once: `Some` if it answered without waiting for anything.
    fn answered_at_once<F: Future>(future: F) -> Option<F::Output> {
        let mut future = std::pin::pin!(future);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match future.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(out) => Some(out),
            std::task::Poll::Pending => None,
        }
    }

    #[tokio::test]
    async fn a_failed_refresh_that_outlasts_the_token_is_an_error_not_an_expired_token() {
        let clock = Arc::new(ManualClock::new(at(0)));
        let cache = TokenCache::default();
        let count = Arc::new(AtomicU64::new(0));
        let c = count.clone();
        cache
            .lease(|| clock.now(), Want::Fresh, || fetch(c, 0, true))
            .await
            .unwrap();
        // Due for refresh at 550 s, valid until 600 s; the refresh (retries, Retry-After waits)
        // takes until 610 s and fails: the token it would fall back to has expired meanwhile.
        clock.set(at(550));
        let slow_failure = {
            let clock = clock.clone();
            || async move {
                clock.advance(Duration::from_secs(60));
                Err::<Token, _>(Error::ServerError { status: 503 })
            }
        };
        let err = cache
            .lease(|| clock.now(), Want::Fresh, slow_failure)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "api.server_error");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_slow_failing_refresh_stalls_nobody_and_is_not_retried_by_every_wave() {
        let clock = Arc::new(ManualClock::new(at(0)));
        let cache = Arc::new(TokenCache::default());
        let count = Arc::new(AtomicU64::new(0));
        let c = count.clone();
        let first = cache
            .lease(|| clock.now(), Want::Fresh, || fetch(c, 0, true))
            .await
            .unwrap();
        clock.set(at(550));
        // The first caller in the refresh window refreshes; its refresh hangs until released,
        // then fails.
        let started = Arc::new(tokio::sync::Notify::new());
        let release = Arc::new(tokio::sync::Notify::new());
        let refresher = tokio::spawn({
            let (cache, clock, count) = (cache.clone(), clock.clone(), count.clone());
            let (started, release) = (started.clone(), release.clone());
            async move {
                cache
                    .lease(
                        || clock.now(),
                        Want::Fresh,
                        || async move {
                            count.fetch_add(1, Ordering::SeqCst);
                            started.notify_one();
                            release.notified().await;
                            Err::<Token, _>(Error::ServerError { status: 503 })
                        },
                    )
                    .await
                    .map(|l| l.generation)
            }
        });
        started.notified().await;
        // Everyone else gets the still-valid token without waiting, and starts no fetch.
        for _ in 0..8 {
            let c = count.clone();
            let lease =
                answered_at_once(cache.lease(|| clock.now(), Want::Fresh, || fetch(c, 550, true)))
                    .expect("answered without waiting for the refresh")
                    .unwrap();
            assert_eq!(lease.generation, first.generation);
        }
        assert_eq!(count.load(Ordering::SeqCst), 2, "one refresh in flight");
        release.notify_one();
        assert_eq!(refresher.await.unwrap().unwrap(), first.generation);

        // The next wave, right after the failure: the valid token, no new refresh yet.
        clock.advance(Duration::from_secs(1));
        for _ in 0..8 {
            let c = count.clone();
            let lease = cache
                .lease(|| clock.now(), Want::Fresh, || fetch(c, 551, true))
                .await
                .unwrap();
            assert_eq!(lease.generation, first.generation);
        }
        assert_eq!(
            count.load(Ordering::SeqCst),
            2,
            "backing off after a failure"
        );

        // After the back-off one refresh runs again, and succeeds.
        clock.advance(Duration::from_secs(30));
        let c = count.clone();
        let renewed = cache
            .lease(|| clock.now(), Want::Fresh, || fetch(c, 581, true))
            .await
            .unwrap();
        assert_eq!(renewed.generation, first.generation + 1);
        assert_eq!(count.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn new_always_fetches() {
        let cache = TokenCache::default();
        let count = Arc::new(AtomicU64::new(0));
        for _ in 0..3 {
            let c = count.clone();
            cache
                .lease(|| at(0), Want::New, || fetch(c, 0, true))
                .await
                .unwrap();
        }
        assert_eq!(count.load(Ordering::SeqCst), 3);
        assert!(cache.current().await.is_some());
    }
}
