//! Loaded views: the unit of work between a front door and the figures.
//!
//! A view is fetched once, with everything its tabs draw from (the rows, the eight weeks
//! before them for unusual days, the hourly basis of a summed view's peaks, every zone for
//! Compare, every zone type for Planning, v1's weekly visits), under one progress report and
//! one Cancel. It is then kept in memory under an id, and the summary, the charts, the plan,
//! the anomalies, the exports and the table's pages are all read from it without a request.
//! Views are kept most recently used first, within a budget of rows across all of them.

use std::collections::{BTreeMap, VecDeque};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{Datelike, Duration, Months, Utc};
use tokio_util::sync::CancellationToken;

use super::Desk;
use super::chart_options::ChartOptions;
use super::figures::{
    self, COMPARE_DAILY_AFTER_DAYS, Chart, ChartKind, ExportFormat, WEEKLY_FEATURE, view_metrics,
};
use super::view::{LoadedView, RowSort, RowsPage, ViewInfo};
use crate::auth::Session;
use crate::innerspace::{
    self, ApiVersion, BuildingDetail, FetchProgress, Freshness, Granularity, InsightQuery,
    InsightTable, Level,
};
use crate::insights::InsightResult;
use crate::insights::anomalies::{self, Anomaly};
use crate::insights::columns::MEAN_COLUMN;
use crate::insights::planning::Plan;
use crate::insights::shown::Times;
use crate::insights::stats::Summary;
use crate::insights::summed;
use crate::{Error, Result};

/// The rows all loaded views may hold together, unless a front door sets another budget.
pub const DEFAULT_ROW_BUDGET: u64 = 5_000_000;

/// Loaded views, most recently used last, within a budget of rows.
pub(super) struct ViewStore {
    state: Mutex<StoreState>,
}

struct StoreState {
    views: VecDeque<Arc<LoadedView>>,
    budget: u64,
    opened: u64,
}

impl Default for ViewStore {
    fn default() -> Self {
        ViewStore {
            state: Mutex::new(StoreState {
                views: VecDeque::new(),
                budget: DEFAULT_ROW_BUDGET,
                opened: 0,
            }),
        }
    }
}

impl ViewStore {
    fn lock(&self) -> MutexGuard<'_, StoreState> {
        // Each critical section is one list operation, so a poisoned list is still whole.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn budget(&self) -> u64 {
        self.lock().budget
    }

    fn next_id(&self) -> String {
        let mut state = self.lock();
        state.opened += 1;
        format!("view-{}", state.opened)
    }

    /// Keeps `view`, dropping the least recently used others until all fit the budget.
    fn keep(&self, view: LoadedView) -> Arc<LoadedView> {
        let view = Arc::new(view);
        let mut state = self.lock();
        state.views.push_back(view.clone());
        while state.views.len() > 1
            && state.views.iter().map(|v| v.held_rows).sum::<u64>() > state.budget
        {
            state.views.pop_front();
        }
        view
    }

    pub(super) fn get(&self, id: &str) -> Result<Arc<LoadedView>> {
        let mut state = self.lock();
        let at = state.views.iter().position(|v| v.id == id).ok_or_else(|| {
            Error::invalid(
                "viewId",
                "This view is no longer in memory (newer views needed the room, or the connection changed). Choose Load again; days kept in the cache cost no request.",
            )
        })?;
        let view = state
            .views
            .remove(at)
            .ok_or_else(|| Error::invalid("viewId", "gone"))?;
        state.views.push_back(view.clone());
        Ok(view)
    }

    pub(super) fn forget_connection(&self, connection_id: &str) {
        self.lock()
            .views
            .retain(|v| v.connection_id != connection_id);
    }
}

/// The queries one view fetches, all at once.
struct ViewPlan {
    main: InsightQuery,
    /// The same-weekday baseline of unusual days: the eight weeks before the range at the
    /// view's granularity, or (weeks, months) the days of the baseline and the range.
    baseline: InsightQuery,
    /// A summed view by day, week or month: its zones by the hour, for each period's peak.
    hourly: Option<InsightQuery>,
    /// `None`: the zones are the main rows.
    zones: Option<Result<InsightQuery>>,
    /// `None`: the zone types are the main rows.
    zone_types: Option<Result<InsightQuery>>,
    weekly: Result<InsightQuery>,
}

impl ViewPlan {
    /// The most rows the view's fetches can bring, each part counted.
    fn expected_rows(&self, detail: &BuildingDetail) -> u64 {
        [
            Some(&self.main),
            Some(&self.baseline),
            self.hourly.as_ref(),
            as_part(&self.zones).and_then(Result::ok),
            as_part(&self.zone_types).and_then(Result::ok),
            self.weekly.as_ref().ok(),
        ]
        .into_iter()
        .flatten()
        .map(|q| innerspace::expected_rows(q, detail))
        .sum()
    }
}

/// Adds up the progress of a view's parts into one report.
struct Combined<'a> {
    parts: Mutex<[Option<FetchProgress>; 6]>,
    report: &'a (dyn Fn(FetchProgress) + Send + Sync),
}

impl Combined<'_> {
    fn update(&self, part: usize, progress: FetchProgress) {
        self.lock()[part] = Some(progress);
        (self.report)(self.total());
    }

    /// Every part's progress added up: what was sent for this view, not what a result
    /// answered from memory once cost.
    fn total(&self) -> FetchProgress {
        self.lock().iter().flatten().fold(
            FetchProgress {
                chunks_done: 0,
                chunks_total: 0,
                rows: 0,
                requests: 0,
            },
            |sum, p| FetchProgress {
                chunks_done: sum.chunks_done + p.chunks_done,
                chunks_total: sum.chunks_total + p.chunks_total,
                rows: sum.rows + p.rows,
                requests: sum.requests + p.requests,
            },
        )
    }

    fn lock(&self) -> MutexGuard<'_, [Option<FetchProgress>; 6]> {
        self.parts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Desk {
    /// Fetches a view: `query`'s rows with the mean and the peak, and everything its tabs
    /// draw from, in one go; then keeps it under the id it returns. `fetch_id` names the
    /// load for [`cancel_fetch`](Self::cancel_fetch), which stops every part of it, from
    /// the moment this is called; a new load under the same id cancels the old one.
    /// A view that could hold more rows than the budget is refused before any request.
    pub async fn open_view(
        &self,
        connection_id: &str,
        query: &InsightQuery,
        freshness: Freshness,
        fetch_id: &str,
        progress: impl Fn(FetchProgress) + Send + Sync,
    ) -> Result<ViewInfo> {
        let loaded = self
            .fetches
            .run(fetch_id, |cancel| async move {
                Box::pin(self.load_view(connection_id, query, freshness, &progress, &cancel)).await
            })
            .await?;
        Ok(self.views.keep(loaded).info())
    }

    /// What a loaded view is; an error when it is no longer in memory.
    pub fn view_info(&self, view_id: &str) -> Result<ViewInfo> {
        Ok(self.views.get(view_id)?.info())
    }

    /// A page of a view's table, in `sort`'s order (time as answered when `None`).
    pub fn view_rows(
        &self,
        view_id: &str,
        offset: usize,
        limit: usize,
        sort: Option<RowSort>,
    ) -> Result<RowsPage> {
        self.views.get(view_id)?.page(offset, limit, sort)
    }

    /// The summary figures of a view (README, "Summary figures"). With [`Times::AsSet`] the
    /// peak's time is in the zone the time display setting chooses.
    pub fn view_summary(&self, view_id: &str, times: Times) -> Result<Summary> {
        let view = self.views.get(view_id)?;
        let shown = self.shown_time(times, &view.rows);
        Ok(figures::summary(&view, &shown))
    }

    /// A chart of a view; time axes and tooltips in the zone and on the clock `times` asks.
    pub fn view_chart(
        &self,
        view_id: &str,
        kind: ChartKind,
        options: &ChartOptions,
        times: Times,
    ) -> Result<Chart> {
        let view = self.views.get(view_id)?;
        let shown = self.shown_time(times, &view.rows);
        Ok(figures::draw(&view, kind, options, &shown)?.chart)
    }

    /// Capacity planning for what the view covers (one plan per zone type for a zone-type
    /// view without a zone type).
    pub fn view_plan(&self, view_id: &str, buffer: f64) -> Result<Vec<Plan>> {
        figures::plans(&*self.views.get(view_id)?, buffer)
    }

    /// One plan per zone type of the view's building (InnerSpace v2).
    pub fn view_plans_by_zone_type(&self, view_id: &str, buffer: f64) -> Result<Vec<Plan>> {
        figures::plans_by_zone_type(&*self.views.get(view_id)?, buffer)
    }

    /// Unusual working days of the view's range, each against the same weekday in the eight
    /// weeks before it.
    pub fn view_anomalies(&self, view_id: &str) -> Result<Vec<Anomaly>> {
        self.views.get(view_id)?.anomalies.clone()
    }

    /// Writes a chart of a view (SVG or PNG) or the rows behind it (CSV) to `path`.
    pub async fn export_view(
        &self,
        view_id: &str,
        kind: ChartKind,
        options: &ChartOptions,
        format: ExportFormat,
        path: &Path,
        times: Times,
    ) -> Result<()> {
        let view = self.views.get(view_id)?;
        let shown = self.shown_time(times, &view.rows);
        let bytes = figures::export_bytes(&view, kind, options, format, &shown)?;
        self.write_export(path, bytes).await
    }

    /// Writes an export's bytes to `path`, off the async threads.
    pub(super) async fn write_export(&self, path: &Path, bytes: Vec<u8>) -> Result<()> {
        let path = path.to_owned();
        let written = tokio::task::spawn_blocking(move || {
            std::fs::write(&path, bytes).map_err(|e| (path, e.to_string()))
        })
        .await
        .map_err(|e| Error::invalid("path", format!("The export failed: {e}")))?;
        written.map_err(|(path, e)| {
            Error::invalid("path", format!("Could not write {}: {e}", path.display()))
        })
    }

    /// Bounds the rows all loaded views hold together (tests; the default is
    /// [`DEFAULT_ROW_BUDGET`]).
    pub fn set_view_row_budget(&self, rows: u64) {
        self.views.lock().budget = rows;
    }

    async fn load_view(
        &self,
        connection_id: &str,
        query: &InsightQuery,
        freshness: Freshness,
        progress: &(dyn Fn(FetchProgress) + Send + Sync),
        cancel: &CancellationToken,
    ) -> Result<LoadedView> {
        let session = self.session(connection_id).await?;
        // The look-ups a view needs (metric lists, the building) go in one round.
        let (plan, detail) = tokio::try_join!(
            self.plan_view(&session, query),
            self.insights.building_detail(&session, query.building_id)
        )?;
        let expected = plan.expected_rows(&detail);
        let budget = self.views.budget();
        if expected > budget {
            return Err(too_many_rows(&plan.main, expected, budget));
        }
        let combined = Combined {
            parts: Mutex::new([None; 6]),
            report: progress,
        };
        let combined = &combined;
        let on = |part: usize| move |p: FetchProgress| combined.update(part, p);
        let (p0, p1, p2, p3, p4, p5) = (on(0), on(1), on(2), on(3), on(4), on(5));
        let (main, baseline, hourly, zones, zone_types, weekly) = tokio::join!(
            self.fetch_part(&session, Some(Ok(&plan.main)), freshness, &p0, cancel),
            self.fetch_part(&session, Some(Ok(&plan.baseline)), freshness, &p1, cancel),
            self.fetch_part(
                &session,
                plan.hourly.as_ref().map(Ok),
                freshness,
                &p2,
                cancel
            ),
            self.fetch_part(&session, as_part(&plan.zones), freshness, &p3, cancel),
            self.fetch_part(&session, as_part(&plan.zone_types), freshness, &p4, cancel),
            self.fetch_part(
                &session,
                Some(plan.weekly.as_ref().map_err(Clone::clone)),
                freshness,
                &p5,
                cancel
            ),
        );
        let rows = main.unwrap_or(Err(Error::Cancelled))?;
        let hourly = hourly.transpose()?;
        let requests = combined.total().requests;
        let id = self.views.next_id();
        let connection_id = connection_id.to_owned();
        let (zones_are_main, zone_types_are_main) =
            (plan.zones.is_none(), plan.zone_types.is_none());
        let query = plan.main;
        // Summing zones and judging days reads every row: off the async threads.
        tokio::task::spawn_blocking(move || {
            let series = one_series(&rows, &query, hourly.as_deref());
            let anomalies = baseline
                .unwrap_or(Err(Error::Cancelled))
                .map(|b| judge_days(&b, &series, &query));
            let zones = zones.unwrap_or_else(|| Ok(rows.clone()));
            let zone_types = zone_types.unwrap_or_else(|| Ok(rows.clone()));
            let weekly = weekly.unwrap_or(Err(Error::Cancelled));
            let held = |r: &Result<Arc<InsightResult>>, main: bool| match r {
                Ok(r) if !main => r.rows.len() as u64,
                _ => 0,
            };
            let held_rows = rows.rows.len() as u64
                + if Arc::ptr_eq(&series, &rows) {
                    0
                } else {
                    series.rows.len() as u64
                }
                + held(&zones, zones_are_main)
                + held(&zone_types, zone_types_are_main)
                + held(&weekly, false);
            LoadedView {
                id,
                connection_id,
                query,
                detail,
                fetched_at: Utc::now(),
                rows,
                series,
                anomalies,
                zones,
                zone_types,
                weekly,
                requests,
                held_rows,
                order: Default::default(),
            }
        })
        .await
        .map_err(|e| Error::invalid("view", format!("The view could not be computed: {e}")))
    }

    /// Fetches one part of a view; `None` when the view has no such part, the planning error
    /// when the part could not be planned.
    async fn fetch_part(
        &self,
        session: &Arc<Session>,
        query: Option<Result<&InsightQuery>>,
        freshness: Freshness,
        progress: &(dyn Fn(FetchProgress) + Send + Sync),
        cancel: &CancellationToken,
    ) -> Option<Result<Arc<InsightResult>>> {
        Some(match query? {
            // Boxed: six fetch futures side by side would not fit a test thread's stack.
            Ok(q) => {
                Box::pin(
                    self.insights
                        .fetch_as(session, q, freshness, progress, cancel),
                )
                .await
            }
            Err(e) => Err(e),
        })
    }

    /// The queries of a view of `query`: the main one with the mean and the peak, and the
    /// parts its tabs need.
    async fn plan_view(&self, session: &Arc<Session>, query: &InsightQuery) -> Result<ViewPlan> {
        let version = ApiVersion::of(session.connection())?;
        let (available, zones, zone_types) = tokio::join!(
            self.insights.metrics(session, query.table),
            self.zones_query(session, query, version),
            self.zone_types_query(session, query, version)
        );
        let available = available?;
        let main = InsightQuery {
            metrics: view_metrics(&query.metrics, &available),
            ..query.clone()
        }
        .canonical();
        let baseline = if main.granularity.is_daily_or_finer() {
            InsightQuery {
                from: anomalies::history_start(main.from),
                to: main.from - Duration::days(1),
                ..main.clone()
            }
        } else {
            InsightQuery {
                granularity: Granularity::P1d,
                from: anomalies::history_start(main.from),
                ..main.clone()
            }
        };
        let hourly = summed_by_period(&main, version)
            .then(|| {
                let mean = available
                    .iter()
                    .find(|a| a.eq_ignore_ascii_case(MEAN_COLUMN))?;
                Some(InsightQuery {
                    granularity: Granularity::Pt1h,
                    metrics: vec![mean.clone()],
                    to: last_day_of_period(&main),
                    ..main.clone()
                })
            })
            .flatten();
        // A part that asks for exactly the main rows is read from them.
        let unless_main = |q: Result<InsightQuery>| (q.as_ref().ok() != Some(&main)).then_some(q);
        Ok(ViewPlan {
            baseline,
            hourly,
            zones: unless_main(zones),
            zone_types: unless_main(zone_types),
            weekly: weekly_query(&main, version),
            main,
        })
    }

    /// Every zone of the building (or the picked site), daily over more than a month.
    async fn zones_query(
        &self,
        session: &Arc<Session>,
        query: &InsightQuery,
        version: ApiVersion,
    ) -> Result<InsightQuery> {
        let table = match (query.table.level(), version) {
            (Level::Zone, _) => query.table,
            (_, ApiVersion::V2) => InsightTable::ZoneInsights,
            (_, ApiVersion::V1) => InsightTable::ZoneMetrics,
        };
        let available = self.insights.metrics(session, table).await?;
        let granularity = if (query.to - query.from).num_days() > COMPARE_DAILY_AFTER_DAYS {
            Granularity::P1d
        } else {
            query.granularity
        };
        Ok(InsightQuery {
            table,
            zone_id: None,
            zone_type: None,
            granularity,
            metrics: view_metrics(&[], &available),
            ..query.clone()
        }
        .canonical())
    }

    /// Every zone type of the building, for Planning's table by zone type (v2 buildings,
    /// zones and zone types).
    async fn zone_types_query(
        &self,
        session: &Arc<Session>,
        query: &InsightQuery,
        version: ApiVersion,
    ) -> Result<InsightQuery> {
        if version != ApiVersion::V2 || query.table.level() == Level::Site {
            return Err(Error::invalid(
                "table",
                "Plans by zone type come from InnerSpace v2's ZONE_TYPE_INSIGHTS.",
            ));
        }
        let table = InsightTable::ZoneTypeInsights;
        let available = self.insights.metrics(session, table).await?;
        // Plans read daily peaks, and a day's OCCUPANCY_MAX is the largest of its periods':
        // by the day, the same peaks come in a 24th of the rows.
        let granularity = match query.granularity {
            Granularity::Pt15m | Granularity::Pt1h => Granularity::P1d,
            coarser => coarser,
        };
        Ok(InsightQuery {
            table,
            site_id: None,
            zone_id: None,
            zone_type: None,
            granularity,
            metrics: view_metrics(&[], &available),
            ..query.clone()
        }
        .canonical())
    }
}

/// An optional part as [`Desk::fetch_part`] takes it.
fn as_part(q: &Option<Result<InsightQuery>>) -> Option<Result<&InsightQuery>> {
    q.as_ref().map(|q| q.as_ref().map_err(Clone::clone))
}

fn too_many_rows(query: &InsightQuery, expected: u64, budget: u64) -> Error {
    let coarser = match query.granularity {
        Granularity::Pt15m => "Hour instead of 15 minutes",
        Granularity::Pt1h => "Day instead of Hour",
        _ => "a coarser granularity",
    };
    Error::invalid(
        "range",
        format!(
            "This view could hold about {} rows, more than the {} this app keeps in memory. Choose {coarser}, a shorter range, or one floor or zone.",
            thousands(expected),
            thousands(budget)
        ),
    )
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Whether `query`'s rows are several zones per period whose periods are longer than an
/// hour: their peaks need the same zones by the hour (`insights::summed`).
fn summed_by_period(query: &InsightQuery, version: ApiVersion) -> bool {
    let several = match query.table.level() {
        Level::Zone => query.zone_id.is_none(),
        Level::Site => query.site_id.is_none() && version == ApiVersion::V1,
        _ => false,
    };
    several && !matches!(query.granularity, Granularity::Pt1h | Granularity::Pt15m)
}

/// The last day of the period `query.to` falls in: a week or month that starts in the range
/// may end after it, and its peak needs every hour of it.
fn last_day_of_period(query: &InsightQuery) -> chrono::NaiveDate {
    match query.granularity {
        Granularity::P1w => query.to + Duration::days(6),
        Granularity::P1m => query
            .to
            .with_day(1)
            .and_then(|first| first.checked_add_months(Months::new(1)))
            .and_then(|next| next.pred_opt())
            .unwrap_or(query.to),
        _ => query.to,
    }
}

/// v1's weekly visits for the view's level.
fn weekly_query(main: &InsightQuery, version: ApiVersion) -> Result<InsightQuery> {
    if version != ApiVersion::V1 {
        return Err(Error::invalid(
            "table",
            "Visits by days a week (weekly_frequency_dist) are published by InnerSpace v1 only.",
        ));
    }
    let table = match main.table.level() {
        Level::Zone => InsightTable::ZoneFeatures,
        Level::Site => InsightTable::SiteFeatures,
        _ => InsightTable::BuildingFeatures,
    };
    Ok(InsightQuery {
        table,
        granularity: Granularity::P1w,
        metrics: vec![WEEKLY_FEATURE.into()],
        ..main.clone()
    })
}

/// The rows as one series (see [`LoadedView::series`]).
fn one_series(
    rows: &Arc<InsightResult>,
    query: &InsightQuery,
    hourly: Option<&InsightResult>,
) -> Arc<InsightResult> {
    if !summed::is_sum(rows) {
        return rows.clone();
    }
    // Hourly and quarter-hourly sums are their own basis: their finest periods.
    let basis = match query.granularity {
        Granularity::Pt1h | Granularity::Pt15m => Some(rows.as_ref()),
        _ => hourly,
    };
    Arc::new(summed::sum_of_zones(rows, basis))
}

/// Unusual days of the range, from the baseline part and the view's own series.
fn judge_days(
    baseline: &InsightResult,
    series: &InsightResult,
    query: &InsightQuery,
) -> Vec<Anomaly> {
    // Anomalies read means only, and means add up.
    let baseline = summed::sum_of_zones(baseline, None);
    let mut means: BTreeMap<_, _> = anomalies::daily_means(&baseline);
    if query.granularity.is_daily_or_finer() {
        means.extend(anomalies::daily_means(series));
    }
    anomalies::anomalies_in(&means, query.from, query.to)
}
