//! When to try a request again, and how long to wait first.

use std::hash::{BuildHasher, Hasher, RandomState};
use std::time::{Duration, SystemTime};

/// The longest wait a server's `Retry-After` can ask of us, whatever it says (the policy's
/// `max_delay` may cap it further).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// The most jitter added to a server-given wait: 10 % of the wait (at least the policy's
/// `base_delay`, so "retry now" is spread too), but never more than this.
pub const MAX_SERVER_JITTER: Duration = Duration::from_secs(2);

/// How many attempts a request gets and how the waits between them grow.
///
/// Waits double from `base_delay` up to `max_delay`, with "full jitter" (a random wait between
/// half and all of the step) so many clients failing together do not retry in lockstep. A
/// server's `Retry-After` is honoured but never beyond `max_delay`, so one bad header cannot
/// freeze the app, and gets a little jitter on top (never less than the server asked), so the
/// many requests one rate limit refused together do not all come back in the same instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, including the first (at least 1).
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// One attempt only: for requests that must not run twice (creating an App Credential).
    pub fn no_retry() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Millisecond waits, so test suites that exercise retries stay fast.
    pub fn fast_for_tests() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(2),
            max_delay: Duration::from_millis(20),
        }
    }

    /// The wait before attempt `next_attempt` (2 for the first retry).
    pub fn delay(&self, next_attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(server_says) = retry_after {
            let wait = server_says.min(self.max_delay);
            let spread = (wait / 10).max(self.base_delay).min(MAX_SERVER_JITTER);
            return wait + spread.mul_f64(jitter_unit());
        }
        let doublings = next_attempt.saturating_sub(2).min(20);
        let step = self
            .base_delay
            .saturating_mul(1u32 << doublings)
            .min(self.max_delay);
        let half = step / 2;
        half + half.mul_f64(jitter_unit())
    }
}

/// A number in [0, 1) that differs per call. `RandomState` is seeded randomly per process and
/// per instance, which is plenty for spreading retries and saves a dependency on `rand`.
fn jitter_unit() -> f64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(0x6f63_6375);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Statuses worth another attempt: the server or a gateway is briefly unwell.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// `Retry-After` as a wait from now: delta-seconds or an HTTP-date (RFC 9110 §10.2.3), capped
/// at [`MAX_RETRY_AFTER`]. A date in the past means "now". Anything else is ignored (the
/// policy's backoff applies).
pub fn parse_retry_after(value: Option<&str>) -> Option<Duration> {
    parse_retry_after_at(value, SystemTime::now())
}

/// [`parse_retry_after`] against a given clock, for tests. A date is judged by our clock: if
/// it disagrees with the server's, the cap and the retry limit still bound the wait.
pub fn parse_retry_after_at(value: Option<&str>, now: SystemTime) -> Option<Duration> {
    let value = value?.trim();
    let wait = match value.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => httpdate::parse_http_date(value)
            .ok()?
            .duration_since(now)
            .unwrap_or(Duration::ZERO),
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_stay_capped() {
        let p = RetryPolicy {
            max_attempts: 6,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(300),
        };
        for _ in 0..50 {
            let d2 = p.delay(2, None);
            assert!(d2 >= Duration::from_millis(50) && d2 <= Duration::from_millis(100));
            let d3 = p.delay(3, None);
            assert!(d3 >= Duration::from_millis(100) && d3 <= Duration::from_millis(200));
            let d9 = p.delay(9, None);
            assert!(d9 >= Duration::from_millis(150) && d9 <= Duration::from_millis(300));
        }
    }

    #[test]
    fn retry_after_is_honoured_but_capped() {
        let p = RetryPolicy::fast_for_tests();
        // At least what the server said, plus at most the bounded jitter.
        let jitter = MAX_SERVER_JITTER.min(p.base_delay.max(p.max_delay / 10));
        let short = p.delay(2, Some(Duration::from_millis(5)));
        assert!(short >= Duration::from_millis(5) && short <= Duration::from_millis(5) + jitter);
        let long = p.delay(2, Some(Duration::from_secs(3600)));
        assert!(
            long >= p.max_delay && long <= p.max_delay + jitter,
            "{long:?}"
        );
        assert_eq!(parse_retry_after(Some(" 7 ")), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(None), None);
    }

    #[test]
    fn retry_after_dates_are_read_against_the_given_clock() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        // 1_445_412_480 is Wed, 21 Oct 2015 07:28:00 GMT.
        let date = Some("Wed, 21 Oct 2015 07:28:00 GMT");
        assert_eq!(
            parse_retry_after_at(date, now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after_at(date, now + Duration::from_secs(60)),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after_at(date, now - Duration::from_secs(3600)),
            Some(MAX_RETRY_AFTER)
        );
    }

    #[test]
    fn retry_after_as_an_http_date_is_honoured_and_capped() {
        // Long past: retry now. Far future: no more than the cap.
        assert_eq!(
            parse_retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after(Some("Wed, 21 Oct 2099 07:28:00 GMT")),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(
            parse_retry_after(Some("86400")),
            Some(MAX_RETRY_AFTER),
            "seconds are capped too"
        );
        assert_eq!(parse_retry_after(Some("soon")), None);
        assert_eq!(parse_retry_after(Some("-5")), None);
    }

    #[test]
    fn server_given_waits_get_a_little_bounded_jitter() {
        let p = RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(10),
        };
        let server_says = Duration::from_secs(2);
        let waits: Vec<Duration> = (0..200).map(|_| p.delay(2, Some(server_says))).collect();
        for w in &waits {
            // Never earlier than the server asked, never more than 10 % later.
            assert!(
                *w >= server_says && *w <= server_says + server_says / 10,
                "{w:?}"
            );
        }
        assert!(
            waits.iter().any(|w| *w != waits[0]),
            "concurrent 429s must not all retry in the same instant"
        );
        // Capped waits are jittered above the cap by the same bounded amount.
        for _ in 0..50 {
            let w = p.delay(2, Some(Duration::from_secs(3600)));
            assert!(
                w >= p.max_delay && w <= p.max_delay + p.max_delay / 10,
                "{w:?}"
            );
        }
    }

    #[test]
    fn jitter_varies() {
        let values: Vec<u64> = (0..20).map(|_| jitter_unit().to_bits()).collect();
        assert!(values.iter().any(|v| *v != values[0]));
        assert!((0..100).all(|_| (0.0..1.0).contains(&jitter_unit())));
    }

    #[test]
    fn which_statuses_retry() {
        for s in [429, 500, 502, 503, 504] {
            assert!(is_retryable_status(s));
        }
        for s in [200, 400, 401, 403, 404, 501] {
            assert!(!is_retryable_status(s));
        }
    }
}
