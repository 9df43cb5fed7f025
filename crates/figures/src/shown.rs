//! Times as the window shows them: in the building's zone (the default, what analysts compare
//! across sites) or in this computer's zone, on a 24- or 12-hour clock, always labelled with
//! the zone in use.
//!
//! Only the presentation changes: rows, figures, the cache and CSV export stay in UTC and the
//! building's local time. Conversions go through the zone's rules (chrono-tz), never by adding
//! a fixed offset, so both DST edges of either zone stay right.
//!
//! This computer's zone is found here, in Rust, rather than asked of the window: Rust draws the
//! chart ticks and tooltips, so the zone must be known without a round trip, and one answer
//! serves the charts, the window (through `app_info`) and the CLI alike. The `TZ` variable
//! wins when it names an IANA zone (as it does for the C library and the webview's own
//! clock); otherwise the system setting, through the `iana-time-zone` crate (already in the
//! tree through chrono's `clock` feature; it reads `/etc/localtime`, the registry on Windows
//! and the system time zone on macOS, and is widely used and maintained).

use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

pub use occudesk_charts::Clock;

/// The zone times of day are shown in. Either way the zone in use is named beside them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeDisplay {
    /// The building's own time zone (what analysts compare across sites).
    #[default]
    BuildingLocal,
    /// This computer's time zone.
    ThisComputer,
}

/// Which times a Desk call shows: the window's follow the setting; the CLI's and exported data
/// stay building-local on a 24-hour clock (scripts read them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Times {
    BuildingLocal,
    AsSet,
}

/// This computer's time zone, and whether it could be found at all (UTC when not).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComputerZone {
    pub tz: Tz,
    pub known: bool,
}

impl ComputerZone {
    /// Asks the system now (the computer may have travelled since the app started).
    pub fn detect() -> ComputerZone {
        let from_env = std::env::var("TZ")
            .ok()
            .and_then(|v| zone_from_tz_variable(&v));
        let found = from_env.or_else(|| {
            iana_time_zone::get_timezone()
                .ok()
                .and_then(|name| name.parse::<Tz>().ok())
        });
        match found {
            Some(tz) => ComputerZone { tz, known: true },
            None => {
                tracing::warn!("this computer's time zone could not be found; showing UTC");
                ComputerZone {
                    tz: Tz::UTC,
                    known: false,
                }
            }
        }
    }
}

/// The zone a `TZ` value names: `Europe/London` or `:Europe/London`. POSIX rule strings
/// (`CET-1CEST,M3.5.0,M10.5.0/3`) and file paths name no IANA zone and give `None`.
pub fn zone_from_tz_variable(value: &str) -> Option<Tz> {
    let name = value.trim().trim_start_matches(':');
    let name = name.strip_prefix("/usr/share/zoneinfo/").unwrap_or(name);
    name.parse::<Tz>().ok()
}

/// The time display setting with what it means on this computer now, for the window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeView {
    pub display: TimeDisplay,
    pub clock: Clock,
    /// This computer's IANA zone, e.g. `Europe/London` (`UTC` when it could not be found).
    pub computer_zone: String,
    pub computer_zone_known: bool,
}

impl TimeView {
    pub fn new(display: TimeDisplay, clock: Clock, computer: &ComputerZone) -> TimeView {
        TimeView {
            display,
            clock,
            computer_zone: computer.tz.name().to_owned(),
            computer_zone_known: computer.known,
        }
    }
}

/// The zone and clock times of one result are shown in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownTime {
    pub zone: Tz,
    pub clock: Clock,
    /// The building's zone (not this computer's).
    pub building: bool,
    /// False when the zone was not learnt (a building's unknown zone, or a computer whose zone
    /// could not be found): times are then in UTC, and the label says why.
    pub known: bool,
}

impl ShownTime {
    /// Building-local time on a 24-hour clock: what the CLI and exports of data use.
    pub fn building_local(building_zone: Tz, known: bool) -> ShownTime {
        ShownTime {
            zone: building_zone,
            clock: Clock::H24,
            building: true,
            known,
        }
    }

    /// What the setting asks for, for a building in `building_zone`.
    pub fn as_set(
        display: TimeDisplay,
        clock: Clock,
        building_zone: Tz,
        building_known: bool,
        computer: &ComputerZone,
    ) -> ShownTime {
        match display {
            TimeDisplay::BuildingLocal => ShownTime {
                clock,
                ..ShownTime::building_local(building_zone, building_known)
            },
            TimeDisplay::ThisComputer => ShownTime {
                zone: computer.tz,
                clock,
                building: false,
                known: computer.known,
            },
        }
    }

    /// What the time axis and the window say about the zone in use, naming it.
    pub fn label(&self) -> String {
        let zone = self.zone.name();
        match (self.building, self.known) {
            (true, true) => format!("Building local time ({zone})"),
            (true, false) => "UTC (the building's time zone is not known)".to_owned(),
            (false, true) => format!("This computer's time ({zone})"),
            (false, false) => "UTC (this computer's time zone could not be found)".to_owned(),
        }
    }

    /// The instant in the shown zone, with its offset there.
    pub fn at(&self, instant: DateTime<Utc>) -> DateTime<FixedOffset> {
        instant.with_timezone(&self.zone).fixed_offset()
    }

    /// `Tue 2026-05-12 11:00`, or `Tue 2026-05-12 11:00 AM` on a 12-hour clock.
    pub fn stamp(&self, instant: DateTime<Utc>) -> String {
        let t = instant.with_timezone(&self.zone);
        format!(
            "{} {}",
            t.format("%a %Y-%m-%d"),
            t.format(self.clock.time_format())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_utc;

    const CHICAGO: Tz = chrono_tz::America::Chicago;
    const LONDON: Tz = chrono_tz::Europe::London;

    fn computer(tz: Tz) -> ComputerZone {
        ComputerZone { tz, known: true }
    }

    fn at(text: &str) -> DateTime<Utc> {
        parse_utc(text).unwrap()
    }

    #[test]
    fn twelve_hour_clock_says_12_am_at_midnight_and_12_pm_at_noon() {
        let shown = ShownTime::as_set(
            TimeDisplay::BuildingLocal,
            Clock::H12,
            CHICAGO,
            true,
            &computer(LONDON),
        );
        // Chicago midnight and noon on a summer day (UTC−5).
        assert_eq!(
            shown.stamp(at("2026-07-01T05:00:00Z")),
            "Wed 2026-07-01 12:00 AM"
        );
        assert_eq!(
            shown.stamp(at("2026-07-01T17:00:00Z")),
            "Wed 2026-07-01 12:00 PM"
        );
        assert_eq!(
            shown.stamp(at("2026-07-01T05:15:00Z")),
            "Wed 2026-07-01 12:15 AM"
        );
        assert_eq!(
            shown.stamp(at("2026-07-02T04:45:00Z")),
            "Wed 2026-07-01 11:45 PM"
        );
        let h24 = ShownTime {
            clock: Clock::H24,
            ..shown
        };
        assert_eq!(
            h24.stamp(at("2026-07-01T05:00:00Z")),
            "Wed 2026-07-01 00:00"
        );
        assert_eq!(
            h24.stamp(at("2026-07-01T17:00:00Z")),
            "Wed 2026-07-01 12:00"
        );
    }

    #[test]
    fn this_computers_zone_shows_the_same_instant_on_its_own_clock() {
        let shown = ShownTime::as_set(
            TimeDisplay::ThisComputer,
            Clock::H24,
            CHICAGO,
            true,
            &computer(LONDON),
        );
        // 11:00 in Chicago (CDT, UTC−5) is 17:00 in London (BST, UTC+1).
        let peak = at("2026-05-12T16:00:00Z");
        assert_eq!(shown.stamp(peak), "Tue 2026-05-12 17:00");
        assert_eq!(shown.at(peak).to_rfc3339(), "2026-05-12T17:00:00+01:00");
        assert_eq!(shown.label(), "This computer's time (Europe/London)");
        // A late evening in Chicago is the next morning in London.
        assert_eq!(
            shown.stamp(at("2026-05-13T03:30:00Z")),
            "Wed 2026-05-13 04:30"
        );
        let building = ShownTime::as_set(
            TimeDisplay::BuildingLocal,
            Clock::H24,
            CHICAGO,
            true,
            &computer(LONDON),
        );
        assert_eq!(building.stamp(peak), "Tue 2026-05-12 11:00");
        assert_eq!(building.label(), "Building local time (America/Chicago)");
    }

    #[test]
    fn dst_edges_follow_the_shown_zones_rules() {
        // 2026-03-08: Chicago springs forward (02:00 → 03:00) while London is still on GMT;
        // the zones are 6 hours apart before it and 5 after.
        let london = ShownTime::as_set(
            TimeDisplay::ThisComputer,
            Clock::H12,
            CHICAGO,
            true,
            &computer(LONDON),
        );
        let chicago = ShownTime {
            zone: CHICAGO,
            building: true,
            ..london.clone()
        };
        let before = at("2026-03-08T07:30:00Z");
        let after = at("2026-03-08T08:30:00Z");
        assert_eq!(chicago.stamp(before), "Sun 2026-03-08 1:30 AM");
        assert_eq!(chicago.stamp(after), "Sun 2026-03-08 3:30 AM");
        assert_eq!(london.stamp(before), "Sun 2026-03-08 7:30 AM");
        assert_eq!(london.stamp(after), "Sun 2026-03-08 8:30 AM");
        // 2026-10-25: London falls back; 01:30 happens twice, told apart by the offset.
        let first = at("2026-10-25T00:30:00Z");
        let second = at("2026-10-25T01:30:00Z");
        assert_eq!(london.stamp(first), london.stamp(second));
        assert_eq!(london.at(first).to_rfc3339(), "2026-10-25T01:30:00+01:00");
        assert_eq!(london.at(second).to_rfc3339(), "2026-10-25T01:30:00+00:00");
    }

    #[test]
    fn unknown_zones_say_utc_and_why() {
        let unknown = ComputerZone {
            tz: Tz::UTC,
            known: false,
        };
        let shown = ShownTime::as_set(
            TimeDisplay::ThisComputer,
            Clock::H24,
            CHICAGO,
            true,
            &unknown,
        );
        assert_eq!(
            shown.label(),
            "UTC (this computer's time zone could not be found)"
        );
        let building = ShownTime::building_local(Tz::UTC, false);
        assert_eq!(
            building.label(),
            "UTC (the building's time zone is not known)"
        );
    }

    #[test]
    fn the_tz_variable_names_a_zone_or_nothing() {
        assert_eq!(zone_from_tz_variable("Europe/London"), Some(LONDON));
        assert_eq!(zone_from_tz_variable(":America/Chicago"), Some(CHICAGO));
        assert_eq!(
            zone_from_tz_variable("/usr/share/zoneinfo/Asia/Tokyo"),
            Some(chrono_tz::Asia::Tokyo)
        );
        assert_eq!(zone_from_tz_variable("CET-1CEST,M3.5.0,M10.5.0/3"), None);
        assert_eq!(zone_from_tz_variable(""), None);
    }
}
