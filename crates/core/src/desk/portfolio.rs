//! The portfolio: every building of a connection at a glance, one row of figures each.
//!
//! Each building's hourly rows (and the range of equal length before them, for the trend)
//! are fetched with exactly the query a building view's main part uses, so the local cache
//! and the memo serve both, and reduced to that building's figures as soon as they arrive:
//! the rows of the whole portfolio are never held at once. Buildings run side by side, at
//! most [`BUILDINGS_AT_ONCE`] of them, and every request they send also passes the fetch
//! engine's gate per server, the one budget all fetches to a server share. One Cancel
//! (the fetch id) stops them all; one building failing fills its own row with the error.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use chrono::{Duration, NaiveDate};
use futures_util::StreamExt;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::Desk;
use super::figures::{check_buffer, view_metrics, zone_type_capacity};
use crate::auth::Session;
use crate::innerspace::{
    Building, BuildingDetail, FetchProgress, Freshness, Granularity, InsightQuery, InsightTable,
};
use crate::insights::InsightResult;
use crate::insights::portfolio::{
    BuildingFigures, TargetBand, ZoneTypeUse, building_figures, zone_type_uses,
};
use crate::{Error, Picked, Result};

/// Buildings whose rows are in flight or in memory at once: enough to keep the server's
/// gate busy, few enough that a portfolio of hundreds holds a handful of buildings' rows.
pub const BUILDINGS_AT_ONCE: usize = 8;

/// What a portfolio covers and how its figures are judged.
#[derive(Clone, Copy, Debug)]
pub struct PortfolioRequest {
    /// Local dates of each building, both included.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The planning buffer on top of the p90 daily peak (0.1 = 10 %).
    pub buffer: f64,
    pub target: TargetBand,
    pub freshness: Freshness,
}

/// Where the portfolio is: "7 of 23 buildings".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PortfolioProgress {
    pub buildings_done: u32,
    pub buildings_total: u32,
    /// Requests sent so far (0 when every building came from the cache).
    pub requests: u64,
}

/// One building's row: its figures, or why it has none.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PortfolioRow {
    pub building_id: i64,
    pub name: String,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub figures: Option<BuildingFigures>,
    /// The error that building's rows ended in; the other rows are unaffected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Every building of a connection over one range.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Portfolio {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub target: TargetBand,
    pub buffer: f64,
    pub buildings: Vec<PortfolioRow>,
    /// Insight requests this load sent (0: all from the cache or memory).
    pub requests: u64,
}

/// Receives each building's rows (the range's, not the trend's) as they arrive, e.g. to
/// write them to Parquet; an error there fails that building's row.
pub type RowsSink<'a> = &'a (dyn Fn(&BuildingDetail, &InsightResult) -> Result<()> + Send + Sync);

impl Desk {
    /// The portfolio of `connection_id`: one row per building it can see, in the order the
    /// service lists them. `fetch_id` names it for [`cancel_fetch`](Self::cancel_fetch).
    pub async fn portfolio(
        &self,
        connection_id: &str,
        request: PortfolioRequest,
        fetch_id: &str,
        progress: impl Fn(PortfolioProgress) + Send + Sync,
        rows_sink: Option<RowsSink<'_>>,
    ) -> Result<Portfolio> {
        check_range(&request)?;
        check_buffer(request.buffer)?;
        if let Some(problem) = request.target.problem() {
            return Err(Error::invalid("target", problem));
        }
        let table = self.insight_table(connection_id, Picked::default())?;
        self.fetches
            .run(fetch_id, |cancel| async move {
                let session = self.session(connection_id).await?;
                let buildings = self.insights.buildings(&session).await?;
                let available = self.insights.metrics(&session, table).await?;
                let metrics = view_metrics(&[], &available);
                let run = Run {
                    desk: self,
                    session: &session,
                    table,
                    metrics: &metrics,
                    request,
                    cancel: &cancel,
                    rows_sink,
                    done: AtomicU32::new(0),
                    total: buildings.len() as u32,
                    requests: AtomicU64::new(0),
                    progress: &progress,
                };
                run.report();
                // Owned buildings: a stream of futures that borrow from the list is not
                // `Send` for every lifetime, which the window's async commands need.
                let rows: Vec<PortfolioRow> = futures_util::stream::iter(buildings)
                    .map(|b| run.row(b))
                    .buffered(BUILDINGS_AT_ONCE)
                    .collect()
                    .await;
                if cancel.is_cancelled() {
                    return Err(Error::Cancelled);
                }
                Ok(Portfolio {
                    from: request.from,
                    to: request.to,
                    target: request.target,
                    buffer: request.buffer,
                    buildings: rows,
                    requests: run.requests.load(Ordering::Relaxed),
                })
            })
            .await
    }

    /// The band the portfolio colours against and counts days above; remembered.
    pub async fn set_target_band(&self, band: TargetBand) -> Result<()> {
        if let Some(problem) = band.problem() {
            return Err(Error::invalid("band", problem));
        }
        self.registry.settings().write().await?.update(|s| {
            s.target_band = band;
            Ok(())
        })
    }

    /// How each zone type of one building is used over the range (InnerSpace v2's
    /// `ZONE_TYPE_INSIGHTS` by the hour), and the space-use scatter of them.
    pub async fn portfolio_zone_types(
        &self,
        connection_id: &str,
        building_id: i64,
        request: PortfolioRequest,
        options: &super::ChartOptions,
        fetch_id: &str,
    ) -> Result<ZoneTypesView> {
        check_range(&request)?;
        let table = self.insight_table(
            connection_id,
            Picked {
                zone_type: true,
                ..Picked::default()
            },
        )?;
        if table != InsightTable::ZoneTypeInsights {
            return Err(Error::invalid(
                "table",
                "Zone types are published by InnerSpace v2's ZONE_TYPE_INSIGHTS only.",
            ));
        }
        self.fetches
            .run(fetch_id, |cancel| async move {
                let session = self.session(connection_id).await?;
                let (detail, available) = tokio::try_join!(
                    self.insights.building_detail(&session, building_id),
                    self.insights.metrics(&session, table)
                )?;
                let query = hourly_query(table, building_id, &view_metrics(&[], &available))
                    .between(request.from, request.to);
                let rows = self
                    .insights
                    .fetch_as(&session, &query, request.freshness, &|_| {}, &cancel)
                    .await?;
                let uses = zone_type_uses(&rows, |t| zone_type_capacity(&detail, t));
                zone_type_chart(&detail.building.name, uses, options)
            })
            .await
    }
}

/// One portfolio load in progress: what every building's row shares.
struct Run<'a, P> {
    desk: &'a Desk,
    session: &'a Arc<Session>,
    table: InsightTable,
    metrics: &'a [String],
    request: PortfolioRequest,
    cancel: &'a CancellationToken,
    rows_sink: Option<RowsSink<'a>>,
    done: AtomicU32,
    total: u32,
    requests: AtomicU64,
    progress: &'a P,
}

impl<P: Fn(PortfolioProgress) + Send + Sync> Run<'_, P> {
    fn report(&self) {
        (self.progress)(PortfolioProgress {
            buildings_done: self.done.load(Ordering::Relaxed),
            buildings_total: self.total,
            requests: self.requests.load(Ordering::Relaxed),
        });
    }

    async fn row(&self, building: Building) -> PortfolioRow {
        let outcome = self.figures(&building).await;
        self.done.fetch_add(1, Ordering::Relaxed);
        self.report();
        let (figures, error) = match outcome {
            Ok(f) => (Some(f), None),
            Err(e) => (None, Some(e.to_string())),
        };
        PortfolioRow {
            building_id: building.id,
            name: building.name,
            figures,
            error,
        }
    }

    async fn figures(&self, building: &Building) -> Result<BuildingFigures> {
        let request = &self.request;
        // The range before asks for the same columns: the cache then serves it to a later
        // portfolio (or view) of that range too. (Asking for the mean alone was measured no
        // faster: the work is in the rows, not their columns.)
        let query = hourly_query(self.table, building.id, self.metrics);
        let (now, before) = (
            query.between(request.from, request.to),
            query.between_before(request.from, request.to),
        );
        let (detail, rows, previous) = tokio::join!(
            self.desk
                .insights
                .building_detail(self.session, building.id),
            self.fetch(&now),
            self.fetch(&before)
        );
        let (detail, rows) = (detail?, rows?);
        if let Some(sink) = self.rows_sink {
            sink(&detail, &rows)?;
        }
        // A range before the first published day has no rows: then there is no trend, and
        // that is no reason to lose the building's figures.
        let previous = previous.ok();
        Ok(building_figures(
            &rows,
            previous.as_deref(),
            detail.capacity,
            request.buffer,
            request.target,
        ))
    }

    /// One fetch, its requests counted once it ends.
    async fn fetch(&self, query: &InsightQuery) -> Result<Arc<InsightResult>> {
        let sent = AtomicU64::new(0);
        let result = self
            .desk
            .insights
            .fetch_as(
                self.session,
                query,
                self.request.freshness,
                &|p: FetchProgress| sent.store(u64::from(p.requests), Ordering::Relaxed),
                self.cancel,
            )
            .await;
        self.requests
            .fetch_add(sent.load(Ordering::Relaxed), Ordering::Relaxed);
        result
    }
}

/// The building's hourly rows with the view's metrics: exactly the query a building view's
/// main part sends (see `Desk::plan_view`), so both share the cache and the memo.
fn hourly_query(table: InsightTable, building_id: i64, metrics: &[String]) -> HourlyQuery {
    HourlyQuery(InsightQuery {
        table,
        building_id,
        site_id: None,
        zone_id: None,
        zone_type: None,
        group_id: None,
        granularity: Granularity::Pt1h,
        from: NaiveDate::MIN,
        to: NaiveDate::MIN,
        metrics: metrics.to_vec(),
    })
}

struct HourlyQuery(InsightQuery);

impl HourlyQuery {
    fn between(&self, from: NaiveDate, to: NaiveDate) -> InsightQuery {
        InsightQuery {
            from,
            to,
            ..self.0.clone()
        }
        .canonical()
    }

    /// The range of equal length that ends the day before `from`.
    fn between_before(&self, from: NaiveDate, to: NaiveDate) -> InsightQuery {
        let days = (to - from).num_days() + 1;
        self.between(from - Duration::days(days), from - Duration::days(1))
    }
}

fn check_range(request: &PortfolioRequest) -> Result<()> {
    if request.from > request.to {
        return Err(Error::invalid(
            "range",
            format!(
                "The range starts ({}) after it ends ({}).",
                request.from, request.to
            ),
        ));
    }
    Ok(())
}

/// The portfolio's two charts, drawn from its rows.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PortfolioCharts {
    pub space_use: occudesk_charts::SpaceUseChart,
    pub surplus: occudesk_charts::BarChart,
}

/// "Space use" (one point per building) and the ranking by surplus; a building without
/// figures is left out of both.
pub fn portfolio_charts(
    portfolio: &Portfolio,
    options: &super::ChartOptions,
) -> Result<PortfolioCharts> {
    let with_figures = || {
        portfolio
            .buildings
            .iter()
            .filter_map(|r| Some((r.name.clone(), r.figures.as_ref()?)))
    };
    let points = with_figures()
        .map(|(name, f)| occudesk_charts::SpacePoint {
            name,
            time_used_pct: f.time_used_pct,
            occupied_fill_pct: f.occupied_fill_pct,
        })
        .collect();
    let bars = with_figures()
        .map(|(name, f)| occudesk_charts::SurplusBar {
            name,
            surplus: f.surplus,
        })
        .collect();
    let range = format!("{} to {}", portfolio.from, portfolio.to);
    let drawing = (*options).into();
    Ok(PortfolioCharts {
        space_use: occudesk_charts::render_space_use(
            &occudesk_charts::SpaceUseInput {
                title: format!("Space use by building, {range}"),
                points,
            },
            &drawing,
        )
        .map_err(chart_error)?,
        surplus: occudesk_charts::render_surplus_ranking(
            &occudesk_charts::SurplusInput {
                title: format!("Buildings by surplus, {range}"),
                bars,
            },
            &drawing,
        )
        .map_err(chart_error)?,
    })
}

/// One building's zone types on the space-use scatter.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ZoneTypesView {
    pub uses: Vec<ZoneTypeUse>,
    pub space_use: occudesk_charts::SpaceUseChart,
}

/// "Space use" of one building's zone types.
fn zone_type_chart(
    building: &str,
    uses: Vec<ZoneTypeUse>,
    options: &super::ChartOptions,
) -> Result<ZoneTypesView> {
    let points = uses
        .iter()
        .map(|u| occudesk_charts::SpacePoint {
            name: u.zone_type.clone(),
            time_used_pct: u.space_use.time_used_pct,
            occupied_fill_pct: u.space_use.occupied_fill_pct,
        })
        .collect();
    let space_use = occudesk_charts::render_space_use(
        &occudesk_charts::SpaceUseInput {
            title: format!("Space use by zone type, {building}"),
            points,
        },
        &(*options).into(),
    )
    .map_err(chart_error)?;
    Ok(ZoneTypesView { uses, space_use })
}

fn chart_error(e: occudesk_charts::ChartError) -> Error {
    Error::invalid("chart", e.to_string())
}
