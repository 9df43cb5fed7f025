//! Charts and summary figures through the desk: the rows of a query (from the engine's memo
//! when the window just loaded them), turned into the series and figures `insights` defines,
//! drawn by `occudesk-charts`, and exported as CSV, SVG or PNG.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::TimeZone;
use occudesk_charts::{
    Bar, BarChart, BarChartInput, CapacityLine, ChartOptions, ComparisonInput, ComparisonSeries,
    HeatmapChart, HeatmapInput, MAX_COMPARED_SERIES, Marker, Point, Series, SeriesStyle,
    TimeSeriesChart, TimeSeriesInput, render_bar_chart, render_comparison, render_heatmap,
    render_time_series, svg_to_png,
};
use serde::{Deserialize, Serialize};

use super::Desk;
use super::analysis::capacity_of;
use crate::innerspace::{BuildingDetail, Granularity, InsightQuery, InsightTable, Level};
use crate::insights::InsightResult;
use crate::insights::csv::{text_field, to_csv_string};
use crate::insights::heatmap::{CellFilter, weekday_hour_grid_filtered};
use crate::insights::planning::DEFAULT_BUFFER;
use crate::insights::shown::{ShownTime, Times};
use crate::insights::stats::{MAX_COLUMN, MEAN_COLUMN, Summary, column_index, summarize};
use crate::insights::summed::SUMMED_PEAK_COLUMN;
use crate::insights::time::parse_tz;
use crate::{Error, Result};

/// The v1 feature behind the weekly visits chart.
const WEEKLY_FEATURE: &str = "weekly_frequency_dist";
/// Comparing every zone of a building over more than a month reads daily values, so the
/// chart stays readable and the fetch small.
const COMPARE_DAILY_AFTER_DAYS: i64 = 31;

/// What to draw from a query's rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChartKind {
    /// Mean and peak over time, with capacity as a reference line.
    TimeSeries,
    /// Mean occupancy per local weekday and hour.
    Heatmap,
    /// Weekday × hour during office hours only (08–18, Monday to Friday).
    HeatmapOfficeHours,
    /// The six most used zones over time (as % of capacity when capacities differ).
    Compare,
    /// Every zone, most used first.
    Ranking,
    /// The 90th percentile of daily peaks per weekday against needed capacity and capacity.
    Planning,
    /// v1 `weekly_frequency_dist`: the share of a week's visitors who came on 1 to 7 days.
    WeeklyVisits,
}

impl ChartKind {
    /// A file name stem for exports.
    pub fn stem(self) -> &'static str {
        match self {
            ChartKind::TimeSeries => "timeseries",
            ChartKind::Heatmap | ChartKind::HeatmapOfficeHours => "heatmap",
            ChartKind::Compare => "compare",
            ChartKind::Ranking => "ranking",
            ChartKind::Planning => "planning",
            ChartKind::WeeklyVisits => "weekly-visits",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Svg,
    Png,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Svg => "svg",
            ExportFormat::Png => "png",
        }
    }
}

/// A drawn chart and its hover map, for the window.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Chart {
    TimeSeries(TimeSeriesChart),
    Heatmap(HeatmapChart),
    Bars(BarChart),
}

impl Chart {
    pub fn svg(&self) -> &str {
        match self {
            Chart::TimeSeries(c) => &c.svg,
            Chart::Heatmap(c) => &c.svg,
            Chart::Bars(c) => &c.svg,
        }
    }
}

/// A chart with the data behind it, as CSV.
struct Drawn {
    chart: Chart,
    csv: String,
}

fn chart_error(e: occudesk_charts::ChartError) -> Error {
    Error::invalid("chart", e.to_string())
}

impl Desk {
    /// The summary figures of a query (README, "Summary figures"). With [`Times::AsSet`] the
    /// peak's time is in the zone the time display setting chooses (with its offset there);
    /// the busiest weekday and hour stay the building's (they describe its day).
    pub async fn summary(
        &self,
        connection_id: &str,
        query: &InsightQuery,
        times: Times,
    ) -> Result<Summary> {
        let (result, detail) = self.chart_rows(connection_id, query).await?;
        let mut summary = summarize(&result, capacity_of(&detail, query));
        let shown = self.shown_time(times, &result);
        summary.peak_at = summary
            .peak_at
            .map(|t| shown.at(t.with_timezone(&chrono::Utc)));
        Ok(summary)
    }

    /// A chart; time axes and tooltips in the zone and on the clock `times` asks for.
    pub async fn chart(
        &self,
        connection_id: &str,
        query: &InsightQuery,
        kind: ChartKind,
        options: ChartOptions,
        times: Times,
    ) -> Result<Chart> {
        Ok(self
            .draw(connection_id, query, kind, options, times)
            .await?
            .chart)
    }

    /// Writes a chart (SVG, or PNG rasterised at the options' size, its times as `times`
    /// asks) or the rows behind it (CSV, always in UTC and building-local time with offsets)
    /// to `path`.
    #[allow(clippy::too_many_arguments)]
    pub async fn export_chart(
        &self,
        connection_id: &str,
        query: &InsightQuery,
        kind: ChartKind,
        options: ChartOptions,
        format: ExportFormat,
        path: &Path,
        times: Times,
    ) -> Result<()> {
        let drawn = self
            .draw(connection_id, query, kind, options, times)
            .await?;
        let bytes = match format {
            ExportFormat::Csv => drawn.csv.into_bytes(),
            ExportFormat::Svg => drawn.chart.svg().as_bytes().to_vec(),
            ExportFormat::Png => {
                svg_to_png(drawn.chart.svg(), options.width, options.height).map_err(chart_error)?
            }
        };
        std::fs::write(path, bytes)
            .map_err(|e| Error::invalid("path", format!("Could not write {}: {e}", path.display())))
    }

    async fn draw(
        &self,
        connection_id: &str,
        query: &InsightQuery,
        kind: ChartKind,
        options: ChartOptions,
        times: Times,
    ) -> Result<Drawn> {
        match kind {
            ChartKind::TimeSeries => {
                let (result, detail) = self.chart_rows(connection_id, query).await?;
                let shown = self.shown_time(times, &result);
                let mut input = time_series_input(&result, &detail, query, &shown);
                input.markers = self.anomaly_markers(connection_id, query, &result).await;
                let chart = render_time_series(&input, &options).map_err(chart_error)?;
                Ok(Drawn {
                    chart: Chart::TimeSeries(chart),
                    csv: to_csv_string(&result),
                })
            }
            ChartKind::Heatmap | ChartKind::HeatmapOfficeHours => {
                let (result, detail) = self.chart_rows(connection_id, query).await?;
                let filter = if kind == ChartKind::HeatmapOfficeHours {
                    CellFilter::office_hours()
                } else {
                    CellFilter::default()
                };
                let grid = weekday_hour_grid_filtered(&result, MEAN_COLUMN, &filter);
                let input = HeatmapInput {
                    title: format!(
                        "{}: mean occupancy by weekday and hour",
                        place(&detail, query)
                    ),
                    value_label: "Mean occupancy (people)".into(),
                    grid,
                    time_zone: Some(result.time_zone.clone()),
                };
                let chart = render_heatmap(&input, &options).map_err(chart_error)?;
                let mut csv = String::from("weekday,hour,mean_occupancy\n");
                for (d, hours) in grid.iter().enumerate() {
                    for (h, v) in hours.iter().enumerate() {
                        let v = v.map(|v| v.to_string()).unwrap_or_default();
                        csv.push_str(&format!("{},{h},{v}\n", d + 1));
                    }
                }
                Ok(Drawn {
                    chart: Chart::Heatmap(chart),
                    csv,
                })
            }
            ChartKind::Compare | ChartKind::Ranking => {
                self.draw_zones(connection_id, query, kind, options, times)
                    .await
            }
            ChartKind::WeeklyVisits => self.draw_weekly_visits(connection_id, query, options).await,
            ChartKind::Planning => {
                let plans = self.plan(connection_id, query, DEFAULT_BUFFER).await?;
                let plan = plans.first().ok_or_else(|| {
                    Error::invalid("range", "There is no data to plan from in this range.")
                })?;
                let detail = self
                    .building_detail(connection_id, query.building_id)
                    .await?;
                let mut bars: Vec<Bar> = plan
                    .p90_daily_peak_by_weekday
                    .iter()
                    .map(|(day, value)| Bar {
                        name: format!("{} p90 peak", weekday_name(day)),
                        value: *value,
                    })
                    .collect();
                bars.extend(plan.needed_capacity.map(|value| Bar {
                    name: "Needed capacity".into(),
                    value,
                }));
                bars.extend(plan.capacity.map(|value| Bar {
                    name: "Capacity".into(),
                    value,
                }));
                let input = BarChartInput {
                    title: format!("{}: daily peaks against capacity", place(&detail, query)),
                    value_label: "People".into(),
                    bars,
                    sort_descending: false,
                    unit: None,
                };
                let chart = render_bar_chart(&input, &options).map_err(chart_error)?;
                let mut csv = String::from("figure,value\n");
                for bar in &input.bars {
                    csv.push_str(&format!("{},{}\n", text_field(&bar.name), bar.value));
                }
                Ok(Drawn {
                    chart: Chart::Bars(chart),
                    csv,
                })
            }
        }
    }

    /// The share of visitors by days a week (v1 `weekly_frequency_dist`), averaged over the
    /// weeks of the range; the CSV holds every week.
    async fn draw_weekly_visits(
        &self,
        connection_id: &str,
        query: &InsightQuery,
        options: ChartOptions,
    ) -> Result<Drawn> {
        if query.table.version() != InsightTable::BuildingFeatures.version() {
            return Err(Error::invalid(
                "table",
                "Visits by days a week (weekly_frequency_dist) are published by InnerSpace v1 only.",
            ));
        }
        let table = match query.table.level() {
            Level::Zone => InsightTable::ZoneFeatures,
            Level::Site => InsightTable::SiteFeatures,
            _ => InsightTable::BuildingFeatures,
        };
        let weekly = InsightQuery {
            table,
            granularity: Granularity::P1w,
            metrics: vec![WEEKLY_FEATURE.into()],
            ..query.clone()
        };
        let (result, detail) = self.rows_and_building(connection_id, &weekly).await?;
        let weeks = result.rows.len();
        let bars = (1..=7)
            .filter_map(|days| {
                let col = column_index(&result, &format!("{WEEKLY_FEATURE}.{days}"))?;
                let shares: Vec<f64> = result
                    .rows
                    .iter()
                    .filter_map(|r| r.values[col].filter(|v| v.is_finite()))
                    .collect();
                (!shares.is_empty()).then(|| Bar {
                    name: format!("{days} day{} a week", if days == 1 { "" } else { "s" }),
                    value: 100.0 * shares.iter().sum::<f64>() / shares.len() as f64,
                })
            })
            .collect();
        let input = BarChartInput {
            title: format!(
                "{}: visitors by days a week (mean of {weeks} week{})",
                place(&detail, query),
                if weeks == 1 { "" } else { "s" }
            ),
            value_label: "Share of the week's visitors".into(),
            bars,
            sort_descending: false,
            unit: Some(" %".into()),
        };
        let chart = render_bar_chart(&input, &options).map_err(chart_error)?;
        Ok(Drawn {
            chart: Chart::Bars(chart),
            csv: to_csv_string(&result),
        })
    }

    /// Unusual days as markers on a time series, each with its explanation. Only for
    /// periods of a day or shorter; a failure leaves the markers out, not the chart.
    async fn anomaly_markers(
        &self,
        connection_id: &str,
        query: &InsightQuery,
        result: &InsightResult,
    ) -> Vec<Marker> {
        if !matches!(
            query.granularity,
            Granularity::Pt15m | Granularity::Pt1h | Granularity::P1d
        ) {
            return Vec::new();
        }
        let Some(tz) = parse_tz(&result.time_zone) else {
            return Vec::new();
        };
        match self.anomalies(connection_id, query).await {
            Ok(found) => found
                .iter()
                .filter_map(|a| {
                    let noon = a.date.and_hms_opt(12, 0, 0)?;
                    let at = tz.from_local_datetime(&noon).earliest()?;
                    Some(Marker {
                        utc_ms: at.timestamp_millis(),
                        label: a.explain(),
                    })
                })
                .collect(),
            Err(e) => {
                tracing::warn!(code = e.code(), "no anomaly markers: {e}");
                Vec::new()
            }
        }
    }

    /// The rows a chart of `query` is drawn from: the query as loaded, with the mean and peak
    /// columns added when the table has them, and several zones added up per period.
    async fn chart_rows(
        &self,
        connection_id: &str,
        query: &InsightQuery,
    ) -> Result<(InsightResult, std::sync::Arc<BuildingDetail>)> {
        let query = with_mean_and_peak(query, &self.metrics(connection_id, query.table).await?);
        let (result, detail) = self.rows_and_building(connection_id, &query).await?;
        let series = self
            .one_series(connection_id, &query, (*result).clone())
            .await?;
        Ok((series, detail))
    }

    /// Every zone of the building (or of the picked site) side by side.
    async fn draw_zones(
        &self,
        connection_id: &str,
        query: &InsightQuery,
        kind: ChartKind,
        options: ChartOptions,
        times: Times,
    ) -> Result<Drawn> {
        let table = match query.table.level() {
            Level::Zone => query.table,
            _ if query.table.version() == InsightTable::ZoneInsights.version() => {
                InsightTable::ZoneInsights
            }
            _ => InsightTable::ZoneMetrics,
        };
        let granularity = if (query.to - query.from).num_days() > COMPARE_DAILY_AFTER_DAYS {
            Granularity::P1d
        } else {
            query.granularity
        };
        let zones_query = InsightQuery {
            table,
            zone_id: None,
            zone_type: None,
            granularity,
            metrics: Vec::new(),
            ..query.clone()
        };
        let zones_query =
            with_mean_and_peak(&zones_query, &self.metrics(connection_id, table).await?);
        let (result, detail) = self.rows_and_building(connection_id, &zones_query).await?;
        let mean = column_index(&result, MEAN_COLUMN).ok_or_else(|| {
            Error::invalid(
                "metrics",
                format!("{table} has no {MEAN_COLUMN} to compare."),
            )
        })?;
        let zones = ZoneSeries::of(&result, &detail, mean);
        if zones.is_empty() {
            return Err(Error::invalid(
                "zone",
                "No zone of this building has data in this range to compare.",
            ));
        }
        let percent = zones.iter().all(|z| z.capacity.is_some());
        let ranked = rank(&zones, percent);
        let unit = if percent { "% of capacity" } else { "people" };
        let chart = if kind == ChartKind::Ranking {
            let input = BarChartInput {
                title: format!("{}: zones by mean use", place(&detail, query)),
                value_label: format!("Mean occupancy ({unit})"),
                bars: ranked
                    .iter()
                    .map(|(z, v)| Bar {
                        name: z.name.clone(),
                        value: *v,
                    })
                    .collect(),
                sort_descending: true,
                unit: percent.then(|| " %".to_owned()),
            };
            Chart::Bars(render_bar_chart(&input, &options).map_err(chart_error)?)
        } else {
            let shown = self.shown_time(times, &result);
            let input = ComparisonInput {
                title: format!(
                    "{}: the {} most used zones",
                    place(&detail, query),
                    ranked.len().min(MAX_COMPARED_SERIES)
                ),
                y_label: "Mean occupancy (people)".into(),
                time_zone: shown.zone.name().to_owned(),
                clock: shown.clock,
                time_label: Some(shown.label()),
                series: ranked
                    .iter()
                    .take(MAX_COMPARED_SERIES)
                    .map(|(z, _)| ComparisonSeries {
                        name: z.name.clone(),
                        points: z.points(percent),
                    })
                    .collect(),
                percent_of_capacity: percent,
                range_utc_ms: None,
            };
            Chart::TimeSeries(render_comparison(&input, &options).map_err(chart_error)?)
        };
        let mut csv = format!("zone_id,zone,mean_{}\n", unit.replace([' ', '%'], "_"));
        for (z, v) in &ranked {
            csv.push_str(&format!("{},{},{v}\n", z.id, text_field(&z.name)));
        }
        Ok(Drawn { chart, csv })
    }
}

/// The query with `OCCUPANCY_MEAN` and `OCCUPANCY_MAX` among its metrics when the table has
/// them (the window asks for the same, so the rows come from the memo).
pub fn with_mean_and_peak(query: &InsightQuery, available: &[String]) -> InsightQuery {
    let mut metrics = query.metrics.clone();
    for wanted in [MEAN_COLUMN, MAX_COLUMN] {
        if let Some(name) = available.iter().find(|a| a.eq_ignore_ascii_case(wanted))
            && !metrics.iter().any(|m| m.eq_ignore_ascii_case(wanted))
        {
            metrics.push(name.clone());
        }
    }
    InsightQuery {
        metrics,
        ..query.clone()
    }
}

/// What a query is about, in words: the zone, the site or the building.
fn place(detail: &BuildingDetail, query: &InsightQuery) -> String {
    let building = &detail.building.name;
    if let Some(zone) = query.zone_id {
        let name = detail
            .zones
            .iter()
            .find(|z| z.id == zone)
            .and_then(|z| z.name.clone())
            .unwrap_or_else(|| format!("Zone {zone}"));
        return format!("{building}, {name}");
    }
    match query.site_id {
        Some(site) => format!("{building}, site {site}"),
        None => building.clone(),
    }
}

fn weekday_name(iso: &str) -> &'static str {
    match iso {
        "1" => "Mon",
        "2" => "Tue",
        "3" => "Wed",
        "4" => "Thu",
        "5" => "Fri",
        "6" => "Sat",
        _ => "Sun",
    }
}

fn time_series_input(
    result: &InsightResult,
    detail: &BuildingDetail,
    query: &InsightQuery,
    shown: &ShownTime,
) -> TimeSeriesInput {
    // A sum of zones by the hour or quarter: its peak is its mean, drawn once.
    let fine = [Granularity::Pt1h, Granularity::Pt15m].map(Granularity::as_str);
    let summed_peak = (!fine.contains(&result.granularity.as_str())).then_some((
        SUMMED_PEAK_COLUMN,
        "Peak hour (sum of zone means)",
        SeriesStyle::Peak,
    ));
    let series = [
        (MEAN_COLUMN, "Mean", SeriesStyle::Mean),
        (MAX_COLUMN, "Peak", SeriesStyle::Peak),
    ]
    .into_iter()
    .chain(summed_peak)
    .filter_map(|(column, name, style)| {
        let index = column_index(result, column)?;
        Some(Series {
            name: name.into(),
            style,
            points: result
                .rows
                .iter()
                .map(|r| Point::new(r.start_utc.timestamp_millis(), r.values[index]))
                .collect(),
        })
    })
    .collect();
    TimeSeriesInput {
        title: format!(
            "{}: occupancy ({})",
            place(detail, query),
            result.granularity
        ),
        y_label: "People".into(),
        time_zone: shown.zone.name().to_owned(),
        clock: shown.clock,
        time_label: Some(shown.label()),
        series,
        capacity: capacity_of(detail, query).map(|value| CapacityLine {
            value,
            label: format!("Capacity {value}"),
        }),
        range_utc_ms: None,
        markers: Vec::new(),
    }
}

/// One zone's mean over time, with its capacity.
struct ZoneSeries {
    id: i64,
    name: String,
    capacity: Option<f64>,
    points: Vec<Point>,
}

impl ZoneSeries {
    fn of(result: &InsightResult, detail: &BuildingDetail, mean: usize) -> Vec<ZoneSeries> {
        let mut by_zone: BTreeMap<i64, Vec<Point>> = BTreeMap::new();
        for row in &result.rows {
            if let Some(zone) = row.zone_id {
                by_zone.entry(zone).or_default().push(Point::new(
                    row.start_utc.timestamp_millis(),
                    row.values[mean],
                ));
            }
        }
        by_zone
            .into_iter()
            .map(|(id, points)| {
                let zone = detail.zones.iter().find(|z| z.id == id);
                ZoneSeries {
                    id,
                    name: zone
                        .and_then(|z| z.name.clone())
                        .unwrap_or_else(|| format!("Zone {id}")),
                    capacity: zone.and_then(|z| z.capacity).filter(|c| *c > 0.0),
                    points,
                }
            })
            .collect()
    }

    fn mean(&self) -> Option<f64> {
        let values: Vec<f64> = self.points.iter().filter_map(Point::finite).collect();
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    }

    /// Values as they are, or as % of the zone's capacity.
    fn points(&self, percent: bool) -> Vec<Point> {
        match (percent, self.capacity) {
            (true, Some(c)) => self
                .points
                .iter()
                .map(|p| Point::new(p.utc_ms, p.finite().map(|v| 100.0 * v / c)))
                .collect(),
            _ => self.points.clone(),
        }
    }
}

/// Zones with their mean use (as % of capacity when `percent`), most used first.
fn rank(zones: &[ZoneSeries], percent: bool) -> Vec<(&ZoneSeries, f64)> {
    let mut ranked: Vec<(&ZoneSeries, f64)> = zones
        .iter()
        .filter_map(|z| {
            let mean = z.mean()?;
            Some((
                z,
                match (percent, z.capacity) {
                    (true, Some(c)) => 100.0 * mean / c,
                    _ => mean,
                },
            ))
        })
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked
}
