//! Plan ahead: forecasts of a building, site, zone or zone type, and what-if consolidation of
//! several. The history is loaded as any view is ([`Desk::open_view`]: the cache first, the
//! eight weeks before it for unusual days, a sum of zones summed as everywhere else); the
//! figures are `insights::forecast` and `insights::whatif`, pure.
//!
//! A forecast's view is kept like any other, so the window's capacity field recomputes the
//! overflow risk from it ([`Desk::view_forecast`]) without a request.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{NaiveDate, Utc};
/// The forecast band chart, as the doors receive it.
pub use occudesk_charts::ForecastChart;
use occudesk_charts::{ForecastBand, ForecastInput, render_forecast, svg_to_png};
use serde::{Deserialize, Serialize};

use super::figures::{capacity_of, check_buffer, place, site_name};
use super::view::{LoadedView, ViewInfo};
use super::{ChartOptions, Desk, ExportFormat, Picked};
use crate::innerspace::{FetchProgress, Freshness, Granularity, InsightQuery};
use crate::insights::csv::text_field;
use crate::insights::forecast::{
    self, DEFAULT_HISTORY_WEEKS, DEFAULT_WEEKS, Forecast, ForecastRequest, MAX_WEEKS,
};
use crate::insights::planning::{DEFAULT_BUFFER, daily_peaks};
use crate::insights::time::local_date;
use crate::insights::whatif::{self, Space, WhatIf};
use crate::{Error, Result};

/// What to forecast, as both doors ask it. Absent fields take the defaults.
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ForecastOptions {
    /// The last day of history (default: today in the building's zone).
    pub as_of: Option<NaiveDate>,
    pub weeks: Option<u32>,
    pub history_weeks: Option<u32>,
    /// A proposed capacity, for the overflow risk.
    pub capacity: Option<f64>,
}

/// A forecast and the view its history was loaded as (the window keeps its id).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadedForecast {
    pub view: ViewInfo,
    pub forecast: Forecast,
}

/// One space of a what-if: a site (floor) or zone type of the request's building, or a whole
/// building of the connection.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "id")]
pub enum SpaceRef {
    Site(i64),
    ZoneType(String),
    Building(i64),
}

/// A what-if, as both doors ask it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WhatIfRequest {
    /// The building of the sites and zone types (unused for whole buildings).
    pub building_id: Option<i64>,
    pub spaces: Vec<SpaceRef>,
    #[serde(default)]
    pub group_id: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[serde(default = "default_buffer")]
    pub buffer: f64,
    /// A proposed capacity for the combined space.
    pub capacity: Option<f64>,
}

fn default_buffer() -> f64 {
    DEFAULT_BUFFER
}

fn check_weeks(name: &'static str, weeks: u32) -> Result<u32> {
    if (1..=MAX_WEEKS).contains(&weeks) {
        return Ok(weeks);
    }
    Err(Error::invalid(
        name,
        format!("Weeks are counted from 1 to {MAX_WEEKS}; {weeks} is outside that."),
    ))
}

fn check_capacity(capacity: Option<f64>) -> Result<Option<f64>> {
    match capacity {
        Some(c) if !c.is_finite() || c < 0.0 => Err(Error::invalid(
            "capacity",
            "A capacity is a number of places, 0 or more.",
        )),
        other => Ok(other),
    }
}

impl ForecastOptions {
    /// The request, its defaults filled in; `today` is the building's.
    pub(super) fn request(&self, today: NaiveDate) -> Result<ForecastRequest> {
        Ok(ForecastRequest {
            as_of: self.as_of.unwrap_or(today),
            weeks: check_weeks("weeks", self.weeks.unwrap_or(DEFAULT_WEEKS))?,
            history_weeks: check_weeks(
                "historyWeeks",
                self.history_weeks.unwrap_or(DEFAULT_HISTORY_WEEKS),
            )?,
            capacity: check_capacity(self.capacity)?,
        })
    }
}

/// The query of a forecast's history: `scope` by the hour from the backtest's first day to
/// `as_of`.
fn history_query(scope: &InsightQuery, request: &ForecastRequest) -> InsightQuery {
    InsightQuery {
        granularity: Granularity::Pt1h,
        from: request.first_history_day(),
        to: request.as_of,
        metrics: Vec::new(),
        ..scope.clone()
    }
}

/// The forecast of a loaded view; its range must hold the request's history.
pub(super) fn forecast_of(view: &LoadedView, request: &ForecastRequest) -> Result<Forecast> {
    let first = request.first_history_day();
    if view.query.from > first || view.query.to < request.as_of {
        return Err(Error::invalid(
            "asOf",
            format!(
                "This view holds {} to {}; a forecast as of {} with {} weeks of history (and 8 more for its backtest) needs {first} to {}. Load it again.",
                view.query.from, view.query.to, request.as_of, request.history_weeks, request.as_of
            ),
        ));
    }
    let flagged: BTreeSet<NaiveDate> = view
        .anomalies
        .as_ref()
        .map_err(Clone::clone)?
        .iter()
        .map(|a| a.date)
        .collect();
    let capacity = request
        .capacity
        .or_else(|| capacity_of(&view.detail, &view.query));
    Ok(forecast::forecast(
        &daily_peaks(&view.series),
        &flagged,
        &ForecastRequest {
            capacity,
            ..*request
        },
    ))
}

/// The chart of a forecast: one band per working weekday against its capacity.
pub(super) fn forecast_chart(
    view: &LoadedView,
    forecast: &Forecast,
    options: &ChartOptions,
) -> Result<ForecastChart> {
    let names = ["Mon", "Tue", "Wed", "Thu", "Fri"];
    let input = ForecastInput {
        title: format!(
            "{}: daily peaks forecast {} to {}",
            place(&view.detail, &view.query),
            forecast.forecast_from,
            forecast.forecast_to
        ),
        value_label: "Daily peak (people)".into(),
        bands: forecast
            .weekdays
            .iter()
            .map(|w| ForecastBand {
                name: names
                    .get(w.weekday as usize - 1)
                    .copied()
                    .unwrap_or("")
                    .into(),
                p10: w.p10,
                p50: w.p50,
                p90: w.p90,
                p95: w.p95,
            })
            .collect(),
        capacity: forecast.capacity,
    };
    render_forecast(&input, &occudesk_charts::ChartOptions::from(*options))
        .map_err(|e| Error::invalid("chart", e.to_string()))
}

/// The figures behind the chart, one row per weekday.
fn forecast_csv(forecast: &Forecast) -> String {
    let cell = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
    let mut csv = String::from(
        "weekday,history_days,p10,p50,p90,p95,capacity,overflow_risk,expected_days_above_capacity,reason\n",
    );
    for w in &forecast.weekdays {
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            w.weekday,
            w.history_days,
            cell(w.p10),
            cell(w.p50),
            cell(w.p90),
            cell(w.p95),
            cell(forecast.capacity),
            cell(w.overflow_risk),
            cell(w.expected_days_above_capacity),
            text_field(w.reason.as_deref().unwrap_or("")),
        ));
    }
    csv
}

impl Desk {
    /// Loads the history a forecast of `scope` needs (by the hour, its backtest's weeks
    /// included, ending on `as_of`) as a view, and forecasts from it.
    pub async fn open_forecast(
        &self,
        connection_id: &str,
        scope: &InsightQuery,
        options: &ForecastOptions,
        fetch_id: &str,
        progress: impl Fn(FetchProgress) + Send + Sync,
    ) -> Result<LoadedForecast> {
        // Without a date, history ends today: the pinned calendar's, else the building's.
        let today = match (options.as_of, self.today) {
            (Some(day), _) | (None, Some(day)) => day,
            (None, None) => {
                let detail = self
                    .building_detail(connection_id, scope.building_id)
                    .await?;
                local_date(Utc::now(), detail.tz)
            }
        };
        let request = options.request(today)?;
        let query = history_query(scope, &request);
        let view = self
            .open_view(connection_id, &query, Freshness::Usual, fetch_id, progress)
            .await?;
        let forecast = forecast_of(&*self.views.get(&view.id)?, &request)?;
        Ok(LoadedForecast { view, forecast })
    }

    /// The forecast of a view [`open_forecast`](Self::open_forecast) loaded, for other
    /// options (a capacity typed in): no request. `as_of` defaults to the view's last day.
    pub fn view_forecast(&self, view_id: &str, options: &ForecastOptions) -> Result<Forecast> {
        let view = self.views.get(view_id)?;
        forecast_of(&view, &options.request(view.query.to)?)
    }

    /// The forecast band chart of such a view.
    pub fn view_forecast_chart(
        &self,
        view_id: &str,
        options: &ForecastOptions,
        chart: &ChartOptions,
    ) -> Result<ForecastChart> {
        let view = self.views.get(view_id)?;
        let forecast = forecast_of(&view, &options.request(view.query.to)?)?;
        forecast_chart(&view, &forecast, chart)
    }

    /// Writes the forecast chart (SVG or PNG) or its figures (CSV) to `path`.
    pub async fn export_forecast(
        &self,
        view_id: &str,
        options: &ForecastOptions,
        chart: &ChartOptions,
        format: ExportFormat,
        path: &Path,
    ) -> Result<()> {
        let view = self.views.get(view_id)?;
        let forecast = forecast_of(&view, &options.request(view.query.to)?)?;
        let bytes = match format {
            ExportFormat::Csv => forecast_csv(&forecast).into_bytes(),
            ExportFormat::Svg => forecast_chart(&view, &forecast, chart)?.svg.into_bytes(),
            ExportFormat::Png => {
                let drawn = forecast_chart(&view, &forecast, chart)?;
                svg_to_png(&drawn.svg, chart.width, chart.height)
                    .map_err(|e| Error::invalid("chart", e.to_string()))?
            }
        };
        self.write_export(path, bytes).await
    }

    /// Combines the request's spaces: each loaded by the hour as a view of its own (from the
    /// cache when it can), then summed on UTC instants and set beside each one's own plan.
    pub async fn what_if(
        &self,
        connection_id: &str,
        request: &WhatIfRequest,
        fetch_id: &str,
        progress: impl Fn(FetchProgress) + Send + Sync,
    ) -> Result<WhatIf> {
        check_buffer(request.buffer)?;
        let capacity = check_capacity(request.capacity)?;
        if request.spaces.is_empty() {
            return Err(Error::invalid(
                "spaces",
                "Pick at least one floor, zone type or building to combine.",
            ));
        }
        if request.from > request.to {
            return Err(Error::invalid("from", "From is after To."));
        }
        let mut views = Vec::with_capacity(request.spaces.len());
        for space in &request.spaces {
            let query = self.space_query(connection_id, request, space)?;
            let info = self
                .open_view(connection_id, &query, Freshness::Usual, fetch_id, &progress)
                .await?;
            views.push(self.views.get(&info.id)?);
        }
        let spaces: Vec<Space<'_>> = views
            .iter()
            .zip(&request.spaces)
            .map(|(view, space)| Space {
                label: space_label(view, space),
                series: &view.series,
                capacity: capacity_of(&view.detail, &view.query),
            })
            .collect();
        Ok(whatif::what_if(&spaces, request.buffer, capacity))
    }

    /// The hourly query of one what-if space.
    fn space_query(
        &self,
        connection_id: &str,
        request: &WhatIfRequest,
        space: &SpaceRef,
    ) -> Result<InsightQuery> {
        let in_building = || {
            request.building_id.ok_or_else(|| {
                Error::invalid("building", "Floors and zone types need their building.")
            })
        };
        let (building_id, site_id, zone_type) = match space {
            SpaceRef::Site(site) => (in_building()?, Some(*site), None),
            SpaceRef::ZoneType(t) => (in_building()?, None, Some(t.clone())),
            SpaceRef::Building(b) => (*b, None, None),
        };
        let table = self.insight_table(
            connection_id,
            Picked {
                site: site_id.is_some(),
                zone: false,
                zone_type: zone_type.is_some(),
            },
        )?;
        Ok(InsightQuery {
            table,
            building_id,
            site_id,
            zone_id: None,
            zone_type,
            group_id: request.group_id.clone(),
            granularity: Granularity::Pt1h,
            from: request.from,
            to: request.to,
            metrics: Vec::new(),
        })
    }
}

fn space_label(view: &LoadedView, space: &SpaceRef) -> String {
    match space {
        SpaceRef::Site(site) => site_name(&view.detail, *site),
        SpaceRef::ZoneType(t) => t.clone(),
        SpaceRef::Building(_) => view.detail.building.name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_take_defaults_and_refuse_nonsense() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let r = ForecastOptions::default().request(today).unwrap();
        assert_eq!(
            (r.as_of, r.weeks, r.history_weeks, r.capacity),
            (today, 8, 12, None)
        );
        assert_eq!(
            r.first_history_day(),
            NaiveDate::from_ymd_opt(2026, 7, 7).unwrap()
        );
        for bad in [
            ForecastOptions {
                weeks: Some(0),
                ..Default::default()
            },
            ForecastOptions {
                history_weeks: Some(MAX_WEEKS + 1),
                ..Default::default()
            },
            ForecastOptions {
                capacity: Some(-1.0),
                ..Default::default()
            },
            ForecastOptions {
                capacity: Some(f64::NAN),
                ..Default::default()
            },
        ] {
            assert!(bad.request(today).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn spaces_come_tagged_from_the_window() {
        let spaces: Vec<SpaceRef> = serde_json::from_str(
            r#"[{"kind":"site","id":900000222},{"kind":"zoneType","id":"Desk"},{"kind":"building","id":72}]"#,
        )
        .unwrap();
        assert_eq!(
            spaces,
            [
                SpaceRef::Site(900000222),
                SpaceRef::ZoneType("Desk".into()),
                SpaceRef::Building(72)
            ]
        );
    }
}
