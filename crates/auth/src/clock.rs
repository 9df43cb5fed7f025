//! The time tokens are judged against. Injectable so tests can step past an expiry without
//! waiting for it.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> SystemTime;
}

/// The computer's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that moves only when told to.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<SystemTime>,
}

impl ManualClock {
    pub fn new(start: SystemTime) -> ManualClock {
        ManualClock {
            now: Mutex::new(start),
        }
    }

    /// Starts at the real current time, so absolute expiries sent by a server (`expires_at`,
    /// a JWT's `exp`) make sense against it.
    pub fn starting_now() -> ManualClock {
        ManualClock::new(SystemTime::now())
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *now += by;
    }

    pub fn set(&self, to: SystemTime) {
        *self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A clock that always says the same instant: a pinned calendar (`OCCUDESK_TODAY`, tests), for
/// what needs only "today", never for token lifetimes.
#[derive(Clone, Copy, Debug)]
pub struct FixedClock(SystemTime);

impl FixedClock {
    pub fn at(now: SystemTime) -> FixedClock {
        FixedClock(now)
    }

    /// 12:00 UTC on `day`: the same date in every zone from UTC−12 to UTC+11.
    pub fn noon_utc(day: chrono::NaiveDate) -> FixedClock {
        let noon = day.and_time(chrono::NaiveTime::MIN) + chrono::Duration::hours(12);
        FixedClock(noon.and_utc().into())
    }
}

impl Clock for FixedClock {
    fn now(&self) -> SystemTime {
        self.0
    }
}

/// How a moment is written in messages ("14:05"). The app passes the user's time display; the
/// default writes UTC and says so.
pub type ShowTime = std::sync::Arc<dyn Fn(SystemTime) -> String + Send + Sync>;

/// "14:05 UTC": what messages say when the app has not said how times are shown.
pub fn show_utc() -> ShowTime {
    std::sync::Arc::new(|t| {
        chrono::DateTime::<chrono::Utc>::from(t)
            .format("%H:%M UTC")
            .to_string()
    })
}

/// Seconds since the Unix epoch (0 for times before it).
pub fn unix_secs(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let clock = ManualClock::new(start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::from_secs(5));
        assert_eq!(unix_secs(clock.now()), 1_005);
        clock.set(start);
        assert_eq!(clock.now(), start);
    }

    #[test]
    fn fixed_clock_is_noon_utc_of_its_day() {
        let day = chrono::NaiveDate::from_ymd_opt(2028, 2, 29).unwrap();
        let clock = FixedClock::noon_utc(day);
        let now = chrono::DateTime::<chrono::Utc>::from(clock.now());
        assert_eq!(now.to_rfc3339(), "2028-02-29T12:00:00+00:00");
        assert_eq!(clock.now(), clock.now());
    }
}
