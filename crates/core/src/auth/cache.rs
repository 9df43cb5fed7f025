//! One connection's token: reused until shortly before it expires, fetched by one caller at a
//! time however many are waiting for it.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use tokio::sync::Mutex;

use super::token::Token;
use crate::{Error, Result};

/// What a caller needs from the cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    /// A token that is not due for refresh.
    Fresh,
    /// The API refused the token of this generation: any other (newer) fresh token will do,
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
}

/// The lock is held across the fetch: that is the single flight. Callers that queued behind a
/// fetch find its token (or its error) when they get the lock, instead of fetching again.
#[derive(Default)]
pub struct TokenCache {
    slot: Mutex<Slot>,
    /// Fetches finished (either way). Read before waiting for the lock, so a caller knows
    /// whether a fetch completed while it waited.
    fetches: AtomicU64,
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
        let seen = self.fetches.load(Ordering::Acquire);
        let mut slot = self.slot.lock().await;
        let at = now();
        if let Want::Replacing(refused) = want
            && slot.generation == refused
        {
            // Known bad: never hand it out again.
            slot.token = None;
        }
        if want != Want::New {
            if let Some(token) = slot.token.as_ref().filter(|t| !t.needs_refresh(at)) {
                return Ok(Lease {
                    token: token.clone(),
                    generation: slot.generation,
                });
            }
            if self.fetches.load(Ordering::Acquire) != seen
                && let Some(failure) = &slot.last_failure
            {
                // The fetch we queued behind failed. If it was only an early refresh, the
                // current token is still good: use it, as the caller that fetched did.
                if want == Want::Fresh
                    && let Some(token) = slot.token.as_ref().filter(|t| t.expires_at() > at)
                {
                    return Ok(Lease {
                        token: token.clone(),
                        generation: slot.generation,
                    });
                }
                return Err(failure.clone());
            }
        }
        let result = fetch().await;
        self.fetches.fetch_add(1, Ordering::Release);
        match result {
            Ok(token) => {
                slot.generation += 1;
                slot.token = Some(token.clone());
                slot.last_failure = None;
                Ok(Lease {
                    token,
                    generation: slot.generation,
                })
            }
            Err(e) => {
                slot.last_failure = Some(e.clone());
                // An early refresh that failed (service briefly down) is no reason to stop
                // using a token that has not expired yet.
                if want == Want::Fresh
                    && let Some(token) = slot.token.as_ref().filter(|t| t.expires_at() > at)
                {
                    tracing::debug!(code = e.code(), "refresh failed; keeping the current token");
                    return Ok(Lease {
                        token: token.clone(),
                        generation: slot.generation,
                    });
                }
                Err(e)
            }
        }
    }

    /// The cached token, if any (for status displays).
    pub async fn current(&self) -> Option<Token> {
        self.slot.lock().await.token.clone()
    }

    /// Forgets the token (e.g. after the connection's secret changed).
    pub async fn clear(&self) {
        let mut slot = self.slot.lock().await;
        slot.token = None;
        slot.last_failure = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::clock::{Clock, ManualClock};
    use crate::auth::token::TokenKind;
    use std::sync::Arc;
    use std::sync::atomic::AtomicU64;
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
        cache.clear().await;
        assert!(cache.current().await.is_none());
    }
}
