//! Inferring a building's IANA time zone from when its days start (v1 connections).
//!
//! **Decision.** v1 tables carry no time zone, but `P1D` periods start at local midnight
//! (api.md §1.5). A zone fits when every observed day start is the first instant of its local
//! date in that zone. Zones with the same rules over the observed days cannot be told apart
//! (Chicago and Winnipeg; Sydney and Melbourne), so among the fits we prefer a well-known
//! business zone from [`PREFERRED`], then a canonical `Area/City` name, alphabetically. No fit
//! at all (a building whose days do not start at local midnight, or too few rows): UTC, marked
//! as not known, so the window can say so. A year of day starts includes both DST changes,
//! which is what separates most zones.

use chrono::{DateTime, Utc};
use chrono_tz::{TZ_VARIANTS, Tz};

use occudesk_figures::time::{local_date, local_day_start};

/// Preferred when several zones fit equally, in order.
const PREFERRED: [&str; 40] = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Toronto",
    "America/Vancouver",
    "America/Mexico_City",
    "America/Bogota",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "America/Santiago",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Amsterdam",
    "Europe/Zurich",
    "Europe/Stockholm",
    "Europe/Helsinki",
    "Europe/Athens",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Hong_Kong",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Perth",
    "Australia/Brisbane",
    "Australia/Adelaide",
    "Australia/Sydney",
    "Pacific/Auckland",
];

/// Regions of canonical `Area/City` names (not `Etc/`, `US/`, `SystemV/` and the like).
const AREAS: [&str; 9] = [
    "Africa/",
    "America/",
    "Antarctica/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
];

/// The zone whose local midnights are `day_starts`, if any fits.
pub fn guess_zone(day_starts: &[DateTime<Utc>]) -> Option<Tz> {
    if day_starts.is_empty() {
        return None;
    }
    let fits = |tz: &Tz| {
        day_starts
            .iter()
            .all(|start| local_day_start(*tz, local_date(*start, *tz)) == *start)
    };
    for name in PREFERRED {
        if let Ok(tz) = name.parse::<Tz>()
            && fits(&tz)
        {
            return Some(tz);
        }
    }
    let mut candidates: Vec<Tz> = TZ_VARIANTS.iter().copied().filter(fits).collect();
    candidates.sort_by_key(|tz| {
        let name = tz.name();
        let canonical = AREAS.iter().any(|a| name.starts_with(a));
        (!canonical, name)
    });
    candidates.into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn year_of_starts(tz: Tz) -> Vec<DateTime<Utc>> {
        let first = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        first
            .iter_days()
            .take(365)
            .map(|d| local_day_start(tz, d))
            .collect()
    }

    #[test]
    fn a_year_of_midnights_names_the_zone() {
        for tz in [
            chrono_tz::America::Chicago,
            chrono_tz::Europe::London,
            chrono_tz::Australia::Sydney,
            chrono_tz::America::Phoenix,
            chrono_tz::Asia::Singapore,
            chrono_tz::Asia::Kathmandu,
        ] {
            assert_eq!(guess_zone(&year_of_starts(tz)), Some(tz), "{tz}");
        }
    }

    #[test]
    fn starts_that_are_not_midnights_fit_no_zone() {
        let odd: Vec<DateTime<Utc>> = year_of_starts(chrono_tz::America::Chicago)
            .into_iter()
            .map(|t| t + chrono::Duration::minutes(7))
            .collect();
        assert_eq!(guess_zone(&odd), None);
        assert_eq!(guess_zone(&[]), None);
    }
}
