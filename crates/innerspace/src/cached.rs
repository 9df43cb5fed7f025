//! The fetch engine's side of the local cache: which days of a view are kept, which must be
//! asked for, storing what came back, and the answer when the service cannot be reached.
//!
//! A day is kept as final (never asked for again) only when it is both old and complete:
//!
//! - old: at least two local days old in the building's zone (for weekly and monthly
//!   periods: the whole period is), because InnerSpace publishes nightly and a published day
//!   never changes; the day before yesterday gives the nightly job a full day of slack;
//! - complete: it has rows, and every series in it has as many periods as the local day has
//!   (23, 24 or 25 hours; 92, 96 or 100 quarters; one day; one week or month on the day it
//!   starts). A publish can be late or partial: an old day that came back empty or short is
//!   kept as provisional and asked for again next time, never frozen.
//!
//! Provisional days are used only offline. "Reload" ([`Plan::reload_all`]) asks for every
//! day of a view again, final or not, without clearing the rest of the cache.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate};
use chrono_tz::Tz;

use super::Insights;
use super::entities::BuildingDetail;
use super::plan::{DateChunk, expected_periods};
use super::query::{Granularity, InsightQuery};
use super::rows::{self, RawRow};
use occudesk_auth::connections::Connection;
use occudesk_figures::time::local_date;
use occudesk_figures::{InsightResult, ResultSource};
use occudesk_net::{Error, Result};
use occudesk_store::cache::{DayCache, NewDay, Scope, StoredDay, ViewKey};

/// The cache's view of one fetch.
pub(super) struct Plan {
    cache: Option<(DayCache, ViewKey)>,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    granularity: Granularity,
    tz: Tz,
    /// Every kept day of the range, final or provisional.
    stored: BTreeMap<NaiveDate, StoredDay>,
    /// Ask for every day online, final or not (a reload); offline, the kept days still serve.
    reload: bool,
}

impl Plan {
    /// Reads what the cache holds for `query` from `query.from` to `to`. A cache that cannot
    /// be read is logged and treated as empty: the fetch goes on without it.
    pub async fn new(
        insights: &Insights,
        connection: &Connection,
        query: &InsightQuery,
        detail: &BuildingDetail,
        metrics: &[String],
        group: Option<String>,
        to: NaiveDate,
    ) -> Plan {
        let tz = detail.tz;
        let mut plan = Plan {
            cache: None,
            from: query.from,
            to,
            today: local_date(insights.now(), tz),
            granularity: query.granularity,
            tz,
            stored: BTreeMap::new(),
            reload: false,
        };
        let Some(cache) = insights.cache.clone() else {
            return plan;
        };
        let key = ViewKey {
            scope: Scope::of(connection),
            table: query.table.name().to_owned(),
            building_id: query.building_id,
            site_id: query.site_id,
            zone_id: query.zone_id,
            zone_type: query
                .zone_type
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
            group_id: group,
            granularity: query.granularity.as_str().to_owned(),
            metrics: metrics.to_vec(),
            time_zone: tz.name().to_owned(),
        };
        match cache.days(&key, plan.from, plan.to).await {
            Ok(days) => plan.stored = days.into_iter().map(|d| (d.day, d)).collect(),
            Err(e) => tracing::warn!(code = e.code(), "{e}"),
        }
        plan.cache = Some((cache, key));
        plan
    }

    pub fn has_cache(&self) -> bool {
        self.cache.is_some()
    }

    fn days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.from.iter_days().take_while(|d| *d <= self.to)
    }

    /// Ask for every day again (a reload): kept days, final or not, are replaced by what the
    /// service answers now. Offline the kept days still answer.
    pub fn reload_all(&mut self) {
        self.reload = true;
    }

    /// Whether `day` with `rows` is final: old enough and complete (module notes).
    fn is_final_with<'r>(
        &self,
        day: NaiveDate,
        rows: impl IntoIterator<Item = &'r RawRow>,
    ) -> bool {
        self.is_old(day) && is_complete(day, rows, self.granularity, self.tz)
    }

    /// Whether the service will never change `day`'s rows: the last day of the period that
    /// starts on it is at least two local days old.
    fn is_old(&self, day: NaiveDate) -> bool {
        let last = match self.granularity {
            Granularity::Pt15m | Granularity::Pt1h | Granularity::P1d => day,
            Granularity::P1w => {
                day + Duration::days(6 - i64::from(day.weekday().num_days_from_monday()))
            }
            Granularity::P1m => last_of_month(day),
        };
        last <= self.today - Duration::days(2)
    }

    /// Runs of days the cache cannot answer online (not kept, or kept only provisionally).
    pub fn missing_ranges(&self) -> Vec<(NaiveDate, NaiveDate)> {
        runs(
            self.days()
                .filter(|d| self.reload || !self.stored.get(d).is_some_and(|s| s.is_final)),
        )
    }

    /// The rows of the whole range: the final days from the cache and `fetched` (the missing
    /// days from the service), which are stored first. Returns them unmerged: the caller
    /// merges exactly as a fetch without the cache would.
    ///
    /// Also says whether any day of the range is provisional (not final), so a result that
    /// shows such days is not kept in memory for long.
    pub async fn online(self, fetched: Vec<RawRow>) -> (Vec<RawRow>, ResultSource, bool) {
        let Some((cache, key)) = &self.cache else {
            let days = self.days().count() as u32;
            let provisional = self.any_provisional(&fetched);
            return (
                fetched,
                ResultSource {
                    days_fetched: days,
                    ..ResultSource::default()
                },
                provisional,
            );
        };
        let missing: Vec<NaiveDate> = self
            .missing_ranges()
            .into_iter()
            .flat_map(|(a, b)| a.iter_days().take_while(move |d| *d <= b))
            .collect();
        let mut buckets: BTreeMap<NaiveDate, Vec<RawRow>> =
            missing.iter().map(|d| (*d, Vec::new())).collect();
        // Rows outside the asked days (a server that answers more than asked) are shown
        // but not kept: the cache holds only what it knows to be a whole day.
        let mut stray = Vec::new();
        for row in fetched {
            match buckets.get_mut(&day_of(&row, self.tz)) {
                Some(bucket) => bucket.push(row),
                None => stray.push(row),
            }
        }
        let new_days: Vec<NewDay> = buckets
            .into_iter()
            .map(|(day, rows)| NewDay {
                day,
                is_final: self.is_final_with(day, &rows),
                rows,
            })
            .collect();
        if let Err(e) = cache.put_days(key, &new_days).await {
            tracing::warn!(code = e.code(), "{e}");
        }
        let mut all = stray;
        let mut from_cache = 0u32;
        let reload = self.reload;
        for (_, day) in self
            .stored
            .into_iter()
            .filter(|(_, d)| d.is_final && !reload)
        {
            from_cache += 1;
            all.extend(day.rows);
        }
        let provisional = new_days.iter().any(|d| !d.is_final);
        for day in new_days {
            all.extend(day.rows);
        }
        let source = ResultSource {
            offline: false,
            fetched_at: None,
            days_from_cache: from_cache,
            days_fetched: missing.len() as u32,
        };
        (all, source, provisional)
    }

    /// Whether any day of the range, with the rows `fetched` for it, is not final.
    fn any_provisional(&self, fetched: &[RawRow]) -> bool {
        let mut by_day: BTreeMap<NaiveDate, Vec<&RawRow>> = BTreeMap::new();
        for row in fetched {
            by_day.entry(day_of(row, self.tz)).or_default().push(row);
        }
        self.days()
            .any(|day| !self.is_final_with(day, by_day.get(&day).into_iter().flatten().copied()))
    }

    /// The service could not be reached (`cause`): the view from the cache if every day of
    /// it is kept (final or provisional), else an error naming the days that are not.
    pub fn offline(
        self,
        query: &InsightQuery,
        detail: &BuildingDetail,
        metrics: &[String],
        cause: Error,
    ) -> Result<Arc<InsightResult>> {
        if self.cache.is_none() {
            return Err(cause);
        }
        let missing = runs(self.days().filter(|d| !self.stored.contains_key(d)));
        if !missing.is_empty() {
            let count = missing
                .iter()
                .map(|(a, b)| (*b - *a).num_days() as usize + 1)
                .sum();
            return Err(Error::CacheIncomplete {
                cause: cause.to_string(),
                count,
                missing: describe(&missing),
            });
        }
        let fetched_at = self.stored.values().map(|d| d.fetched_at).min();
        let provisional = self.stored.values().any(|d| !d.is_final);
        let days = self.stored.len() as u32;
        let raw: Vec<RawRow> = self.stored.into_values().flat_map(|d| d.rows).collect();
        let group = self
            .cache
            .as_ref()
            .and_then(|(_, key)| key.group_id.clone());
        let merged = rows::merge(query.table, metrics, self.tz, raw)?;
        let when = fetched_at.map_or_else(
            || "an earlier session".to_owned(),
            |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
        );
        let recent = if provisional {
            " The latest days may have changed since."
        } else {
            ""
        };
        let notice = format!(
            "Offline: cached data, fetched on {when}. The service could not be reached or is failing right now, so this view comes from this computer's cache.{recent} Load again when you are back online."
        );
        tracing::info!(
            code = cause.code(),
            "insight view served from the local cache"
        );
        Ok(Arc::new(InsightResult {
            time_zone: self.tz.name().to_owned(),
            time_zone_known: detail.building.time_zone_known,
            table: query.table.name().to_owned(),
            granularity: query.granularity.as_str().to_owned(),
            columns: merged.columns,
            rows: merged.rows,
            group_id: group.or(merged.group_id),
            notice: Some(notice),
            requests: 0,
            chunks: 0,
            source: ResultSource {
                offline: true,
                fetched_at,
                days_from_cache: days,
                days_fetched: 0,
            },
        }))
    }
}

/// The local day a row belongs to: its `DATE_PARTITION` (v2), else the local date of its
/// start (v1, whose queries are bounded by local midnights).
fn day_of(row: &RawRow, tz: Tz) -> NaiveDate {
    row.partition
        .and_then(|p| {
            let (y, m, d) = (p / 10_000, (p / 100) % 100, p % 100);
            NaiveDate::from_ymd_opt(
                i32::try_from(y).ok()?,
                u32::try_from(m).ok()?,
                u32::try_from(d).ok()?,
            )
        })
        .unwrap_or_else(|| local_date(row.start, tz))
}

/// Whether `rows` (the rows of local `day`) are the whole day: rows of at least one series,
/// and every series with as many distinct periods as the day has. A day on which no period
/// starts (a Tuesday at `P1W`) is whole when it is empty.
fn is_complete<'r>(
    day: NaiveDate,
    rows: impl IntoIterator<Item = &'r RawRow>,
    granularity: Granularity,
    tz: Tz,
) -> bool {
    let expected = expected_periods(
        DateChunk {
            first: day,
            last: day,
        },
        granularity,
        tz,
    );
    type Series<'a> = (
        i64,
        Option<i64>,
        Option<i64>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
    );
    let mut periods: BTreeMap<Series, BTreeSet<i64>> = BTreeMap::new();
    for r in rows {
        let series = (
            r.building_id,
            r.site_id,
            r.zone_id,
            r.zone_type.as_deref(),
            r.group_id.as_deref(),
            r.named.as_ref().map(|(name, _)| name.as_str()),
        );
        periods
            .entry(series)
            .or_default()
            .insert(r.start.timestamp_millis());
    }
    if expected == 0 || periods.is_empty() {
        return expected == 0 && periods.is_empty();
    }
    periods.values().all(|starts| starts.len() == expected)
}

fn last_of_month(day: NaiveDate) -> NaiveDate {
    let (y, m) = if day.month() == 12 {
        (day.year() + 1, 1)
    } else {
        (day.year(), day.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(day)
}

/// Consecutive days (sorted) as inclusive runs.
fn runs(days: impl Iterator<Item = NaiveDate>) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for day in days {
        match out.last_mut() {
            Some((_, last)) if last.succ_opt() == Some(day) => *last = day,
            _ => out.push((day, day)),
        }
    }
    out
}

/// "2026-01-01 to 2026-01-05, 2026-02-03" (the first few runs, then how many more).
fn describe(runs: &[(NaiveDate, NaiveDate)]) -> String {
    const SHOWN: usize = 5;
    let mut parts: Vec<String> = runs
        .iter()
        .take(SHOWN)
        .map(|(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a} to {b}")
            }
        })
        .collect();
    if runs.len() > SHOWN {
        parts.push(format!("and {} more ranges", runs.len() - SHOWN));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn runs_join_consecutive_days() {
        let days = [
            d("2026-01-01"),
            d("2026-01-02"),
            d("2026-01-03"),
            d("2026-01-07"),
        ];
        let r = runs(days.into_iter());
        assert_eq!(
            r,
            [
                (d("2026-01-01"), d("2026-01-03")),
                (d("2026-01-07"), d("2026-01-07"))
            ]
        );
        assert_eq!(describe(&r), "2026-01-01 to 2026-01-03, 2026-01-07");
        assert!(runs(std::iter::empty()).is_empty());
    }

    fn hour_rows(day: &str, tz: Tz, hours: std::ops::Range<i64>, zone: Option<i64>) -> Vec<RawRow> {
        let start = occudesk_figures::time::local_day_start(tz, d(day));
        hours
            .map(|h| RawRow {
                start: start + Duration::hours(h),
                partition: None,
                building_id: 71,
                site_id: None,
                zone_id: zone,
                zone_type: None,
                group_id: None,
                values: vec![Some(1.0)],
                named: None,
            })
            .collect()
    }

    #[test]
    fn a_day_is_complete_only_with_every_period_of_every_series() {
        let chicago = chrono_tz::America::Chicago;
        let g = Granularity::Pt1h;
        let whole = hour_rows("2025-03-10", chicago, 0..24, None);
        assert!(is_complete(d("2025-03-10"), &whole, g, chicago));
        assert!(
            !is_complete(d("2025-03-10"), &[], g, chicago),
            "empty: late publish"
        );
        assert!(
            !is_complete(d("2025-03-10"), &whole[..20], g, chicago),
            "short"
        );
        // 23 hours on the spring-forward day, 25 on the fall-back day.
        let spring = hour_rows("2025-03-09", chicago, 0..23, None);
        assert!(is_complete(d("2025-03-09"), &spring, g, chicago));
        let fall = hour_rows("2025-11-02", chicago, 0..25, None);
        assert!(is_complete(d("2025-11-02"), &fall, g, chicago));
        assert!(!is_complete(d("2025-11-02"), &fall[..24], g, chicago));
        // Two zones: one of them short is not whole.
        let mut zones = hour_rows("2025-03-10", chicago, 0..24, Some(1));
        zones.extend(hour_rows("2025-03-10", chicago, 0..23, Some(2)));
        assert!(!is_complete(d("2025-03-10"), &zones, g, chicago));
        // Weekly rows start on Mondays: a Tuesday is whole when empty.
        assert!(is_complete(d("2025-03-11"), &[], Granularity::P1w, chicago));
        let monday = hour_rows("2025-03-10", chicago, 0..1, None);
        assert!(is_complete(
            d("2025-03-10"),
            &monday,
            Granularity::P1w,
            chicago
        ));
        assert!(!is_complete(
            d("2025-03-10"),
            &[],
            Granularity::P1w,
            chicago
        ));
    }

    #[test]
    fn a_day_is_final_at_two_days_old_and_a_period_when_all_of_it_is() {
        let plan = |g| Plan {
            cache: None,
            from: d("2026-11-01"),
            to: d("2026-12-03"),
            today: d("2026-12-03"),
            granularity: g,
            tz: Tz::UTC,
            stored: BTreeMap::new(),
            reload: false,
        };
        let hours = plan(Granularity::Pt1h);
        assert!(hours.is_old(d("2026-12-01")));
        assert!(!hours.is_old(d("2026-12-02")), "yesterday");
        assert!(!hours.is_old(d("2026-12-03")), "today");
        let weeks = plan(Granularity::P1w);
        // Monday 2026-11-23 ends Sunday 11-29: final. Monday 11-30 ends 12-06: not yet.
        assert!(weeks.is_old(d("2026-11-23")));
        assert!(!weeks.is_old(d("2026-11-30")));
        let months = plan(Granularity::P1m);
        assert!(
            months.is_old(d("2026-11-01")),
            "November ended 11-30, before 12-01"
        );
        assert!(!months.is_old(d("2026-12-01")));
        assert_eq!(last_of_month(d("2026-12-15")), d("2026-12-31"));
    }
}
