//! A loaded view turned into figures and charts, with no I/O: the summary, every chart's
//! input and drawing, the plan, the unusual days and the CSV behind each. Everything here
//! reads [`LoadedView`]; nothing fetches, so a tab drawn ten times costs no request.

use std::collections::BTreeMap;

use chrono::TimeZone;
use occudesk_charts::{
    Bar, BarChart, BarChartInput, CapacityLine, ComparisonInput, ComparisonSeries, HeatmapChart,
    HeatmapInput, MAX_COMPARED_SERIES, Marker, Point, Series, SeriesStyle, TimeSeriesChart,
    TimeSeriesInput, render_bar_chart, render_comparison, render_heatmap, svg_to_png,
};
use serde::{Deserialize, Serialize};

use super::chart_options::ChartOptions;
use super::series_chart::{self, ChartWindow};
use super::view::LoadedView;
use crate::innerspace::{BuildingDetail, Granularity, InsightQuery};
use crate::insights::InsightResult;
use crate::insights::columns::{MAX_COLUMN, MEAN_COLUMN, SUMMED_PEAK_COLUMN, column_index};
use crate::insights::csv::{text_field, to_csv_string};
use crate::insights::heatmap::{CellFilter, weekday_hour_grid_filtered};
use crate::insights::planning::{self, DEFAULT_BUFFER, Plan};
use crate::insights::shown::ShownTime;
use crate::insights::stats::{Summary, summarize};
use crate::insights::time::parse_tz;
use crate::{Error, Result};

/// The columns every view fetches besides the analyst's pick: the mean and the peak, which
/// the summary, the charts, the plan and the anomalies read. Written down here only.
pub const VIEW_METRICS: [&str; 2] = [MEAN_COLUMN, MAX_COLUMN];

/// The v1 feature behind the weekly visits chart.
pub(super) const WEEKLY_FEATURE: &str = "weekly_frequency_dist";
/// Comparing every zone of a building over more than a month reads daily values, so the
/// chart stays readable and the fetch small.
pub(super) const COMPARE_DAILY_AFTER_DAYS: i64 = 31;

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
pub(super) struct Drawn {
    pub(super) chart: Chart,
    pub(super) csv: String,
}

fn chart_error(e: occudesk_charts::ChartError) -> Error {
    Error::invalid("chart", e.to_string())
}

/// The capacity of what a query covers: a zone's CAPACITY, the sum over a site's zones, or
/// the building's (the sum over all its zones); a zone type's is the sum over zones of that type.
pub(super) fn capacity_of(detail: &BuildingDetail, query: &InsightQuery) -> Option<f64> {
    if let Some(zone) = query.zone_id {
        return detail.zones.iter().find(|z| z.id == zone)?.capacity;
    }
    if let Some(zone_type) = query.zone_type.as_deref() {
        return zone_type_capacity(detail, zone_type);
    }
    if let Some(site) = query.site_id {
        return sum(detail
            .zones
            .iter()
            .filter(|z| z.site_id == Some(site))
            .filter_map(|z| z.capacity));
    }
    detail.capacity
}

pub(super) fn zone_type_capacity(detail: &BuildingDetail, zone_type: &str) -> Option<f64> {
    sum(detail
        .zones
        .iter()
        .filter(|z| z.zone_type.as_deref() == Some(zone_type))
        .filter_map(|z| z.capacity))
}

fn sum(values: impl Iterator<Item = f64>) -> Option<f64> {
    values.fold(None, |acc, v| Some(acc.unwrap_or(0.0) + v))
}

/// The summary figures (README, "Summary figures"), the peak's time as `shown` says; the
/// busiest weekday and hour stay the building's (they describe its day).
pub(super) fn summary(view: &LoadedView, shown: &ShownTime) -> Summary {
    summary_of(view, &view.series, shown)
}

/// The summary figures of `series`: the view's own, or the part of it a zoom shows.
pub(super) fn summary_of(view: &LoadedView, series: &InsightResult, shown: &ShownTime) -> Summary {
    let mut summary = summarize(series, capacity_of(&view.detail, &view.query));
    summary.peak_at = summary
        .peak_at
        .map(|t| shown.at(t.with_timezone(&chrono::Utc)));
    summary
}

pub(super) fn check_buffer(buffer: f64) -> Result<()> {
    if (0.0..=10.0).contains(&buffer) {
        return Ok(());
    }
    Err(Error::invalid(
        "buffer",
        "The buffer is a fraction between 0 and 10 (0.1 = 10 % on top of the 90th percentile).",
    ))
}

/// Capacity planning for what the view covers; for a zone-type view without a zone type,
/// one plan per zone type, ranked by surplus.
pub(super) fn plans(view: &LoadedView, buffer: f64) -> Result<Vec<Plan>> {
    check_buffer(buffer)?;
    if view.query.table == crate::innerspace::InsightTable::ZoneTypeInsights
        && view.query.zone_type.is_none()
    {
        return Ok(planning::plans_by_zone_type(
            &view.rows,
            |t| zone_type_capacity(&view.detail, t),
            buffer,
        ));
    }
    let capacity = capacity_of(&view.detail, &view.query);
    Ok(vec![planning::plan(&view.series, capacity, buffer)])
}

/// One plan per zone type of the view's building (v2), from the zone-type rows the view
/// fetched with its own.
pub(super) fn plans_by_zone_type(view: &LoadedView, buffer: f64) -> Result<Vec<Plan>> {
    check_buffer(buffer)?;
    let rows = view.zone_types.clone()?;
    Ok(planning::plans_by_zone_type(
        &rows,
        |t| zone_type_capacity(&view.detail, t),
        buffer,
    ))
}

/// A chart with the data behind it, drawn from the view alone; times on the clock and in the
/// zone `shown` says.
pub(super) fn draw(
    view: &LoadedView,
    kind: ChartKind,
    options: &ChartOptions,
    shown: &ShownTime,
) -> Result<Drawn> {
    let drawing = &occudesk_charts::ChartOptions::from(*options);
    match kind {
        ChartKind::TimeSeries => series_chart::draw(view, options, &ChartWindow::default(), shown),
        ChartKind::Heatmap | ChartKind::HeatmapOfficeHours => {
            draw_heatmap(view, kind == ChartKind::HeatmapOfficeHours, drawing)
        }
        ChartKind::Compare | ChartKind::Ranking => draw_zones(view, kind, drawing, shown),
        ChartKind::WeeklyVisits => draw_weekly_visits(view, drawing),
        ChartKind::Planning => draw_plan(view, drawing),
    }
}

fn draw_heatmap(
    view: &LoadedView,
    office_hours: bool,
    options: &occudesk_charts::ChartOptions,
) -> Result<Drawn> {
    let filter = if office_hours {
        CellFilter::office_hours()
    } else {
        CellFilter::default()
    };
    let grid = weekday_hour_grid_filtered(&view.series, MEAN_COLUMN, &filter);
    let input = HeatmapInput {
        title: format!(
            "{}: mean occupancy by weekday and hour",
            place(&view.detail, &view.query)
        ),
        value_label: "Mean occupancy (people)".into(),
        grid,
        time_zone: Some(view.series.time_zone.clone()),
    };
    let chart = render_heatmap(&input, options).map_err(chart_error)?;
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

fn draw_plan(view: &LoadedView, options: &occudesk_charts::ChartOptions) -> Result<Drawn> {
    let plans = plans(view, DEFAULT_BUFFER)?;
    let plan = plans
        .first()
        .ok_or_else(|| Error::invalid("range", "There is no data to plan from in this range."))?;
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
        title: format!(
            "{}: daily peaks against capacity",
            place(&view.detail, &view.query)
        ),
        value_label: "People".into(),
        bars,
        sort_descending: false,
        unit: None,
    };
    let chart = render_bar_chart(&input, options).map_err(chart_error)?;
    let mut csv = String::from("figure,value\n");
    for bar in &input.bars {
        csv.push_str(&format!("{},{}\n", text_field(&bar.name), bar.value));
    }
    Ok(Drawn {
        chart: Chart::Bars(chart),
        csv,
    })
}

/// The share of visitors by days a week (v1 `weekly_frequency_dist`), averaged over the
/// weeks of the range; the CSV holds every week.
fn draw_weekly_visits(view: &LoadedView, options: &occudesk_charts::ChartOptions) -> Result<Drawn> {
    let result = view.weekly.clone()?;
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
            place(&view.detail, &view.query),
            if weeks == 1 { "" } else { "s" }
        ),
        value_label: "Share of the week's visitors".into(),
        bars,
        sort_descending: false,
        unit: Some(" %".into()),
    };
    let chart = render_bar_chart(&input, options).map_err(chart_error)?;
    Ok(Drawn {
        chart: Chart::Bars(chart),
        csv: to_csv_string(&result),
    })
}

/// Unusual days as markers on a time series, each with its explanation. Only for periods of
/// a day or shorter; when the days could not be judged the markers are left out, not the
/// chart.
pub(super) fn anomaly_markers(view: &LoadedView) -> Vec<Marker> {
    if !view.query.granularity.is_daily_or_finer() {
        return Vec::new();
    }
    let (Some(tz), Ok(found)) = (parse_tz(&view.rows.time_zone), &view.anomalies) else {
        return Vec::new();
    };
    found
        .iter()
        .filter_map(|a| {
            let noon = a.date.and_hms_opt(12, 0, 0)?;
            let at = tz.from_local_datetime(&noon).earliest()?;
            Some(Marker {
                utc_ms: at.timestamp_millis(),
                label: a.explain(),
            })
        })
        .collect()
}

/// Every zone of the building (or of the picked site) side by side.
fn draw_zones(
    view: &LoadedView,
    kind: ChartKind,
    options: &occudesk_charts::ChartOptions,
    shown: &ShownTime,
) -> Result<Drawn> {
    let result = view.zones.clone()?;
    let mean = column_index(&result, MEAN_COLUMN).ok_or_else(|| {
        Error::invalid(
            "metrics",
            format!("{} has no {MEAN_COLUMN} to compare.", result.table),
        )
    })?;
    let zones = ZoneSeries::of(&result, &view.detail, mean);
    if zones.is_empty() {
        return Err(Error::invalid(
            "zone",
            "No zone of this building has data in this range to compare.",
        ));
    }
    let percent = zones.iter().all(|z| z.capacity.is_some());
    let ranked = rank(&zones, percent);
    let unit = if percent { "% of capacity" } else { "people" };
    let (place, not_only) = zones_place(&view.detail, &view.query);
    let chart = if kind == ChartKind::Ranking {
        let input = BarChartInput {
            title: format!("{place}: zones{not_only} by mean use"),
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
        Chart::Bars(render_bar_chart(&input, options).map_err(chart_error)?)
    } else {
        let input = ComparisonInput {
            title: format!(
                "{place}: the {} most used zones{not_only}",
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
        Chart::TimeSeries(render_comparison(&input, options).map_err(chart_error)?)
    };
    let mut csv = format!("zone_id,zone,mean_{}\n", unit.replace([' ', '%'], "_"));
    for (z, v) in &ranked {
        csv.push_str(&format!("{},{},{v}\n", z.id, text_field(&z.name)));
    }
    Ok(Drawn { chart, csv })
}

/// The bytes of an export: a chart as SVG, or PNG rasterised at the options' size, or the
/// rows behind it as CSV (always in UTC and building-local time with offsets).
pub(super) fn export_bytes(
    view: &LoadedView,
    kind: ChartKind,
    options: &ChartOptions,
    format: ExportFormat,
    shown: &ShownTime,
) -> Result<Vec<u8>> {
    let drawn = draw(view, kind, options, shown)?;
    Ok(match format {
        ExportFormat::Csv => drawn.csv.into_bytes(),
        ExportFormat::Svg => drawn.chart.svg().as_bytes().to_vec(),
        ExportFormat::Png => {
            svg_to_png(drawn.chart.svg(), options.width, options.height).map_err(chart_error)?
        }
    })
}

/// The view's metric set: the analyst's pick and the [`VIEW_METRICS`] that `available` has
/// (matched without regard to case: v1 names them in lower case), in canonical order.
pub(super) fn view_metrics(picked: &[String], available: &[String]) -> Vec<String> {
    let mut metrics: Vec<String> = picked.to_vec();
    for wanted in VIEW_METRICS {
        if let Some(name) = available.iter().find(|a| a.eq_ignore_ascii_case(wanted))
            && !metrics.iter().any(|m| m.eq_ignore_ascii_case(wanted))
        {
            metrics.push(name.clone());
        }
    }
    metrics.sort();
    metrics.dedup();
    metrics
}
/// What a query is about, in words: the zone, the floor or the building.
pub(super) fn place(detail: &BuildingDetail, query: &InsightQuery) -> String {
    let building = &detail.building.name;
    if let Some(zone) = query.zone_id {
        return format!("{building}, {}", zone_name(detail, zone));
    }
    match query.site_id {
        Some(site) => format!("{building}, {}", site_name(detail, site)),
        None => building.clone(),
    }
}

/// Where Compare and the ranking look, and what the title adds when a zone was picked: they
/// show every zone of the building (or of the picked floor), which a picked zone does not
/// narrow, and say so: (`"Chicago Loop HQ"`, `" of the building, not only Open Workspace 2.1"`).
fn zones_place(detail: &BuildingDetail, query: &InsightQuery) -> (String, String) {
    let area = place(
        detail,
        &InsightQuery {
            zone_id: None,
            ..query.clone()
        },
    );
    let not_only = match query.zone_id {
        Some(zone) => format!(
            " of the {}, not only {}",
            if query.site_id.is_some() {
                "floor"
            } else {
                "building"
            },
            zone_name(detail, zone)
        ),
        None => String::new(),
    };
    (area, not_only)
}

fn zone_name(detail: &BuildingDetail, zone: i64) -> String {
    detail
        .zones
        .iter()
        .find(|z| z.id == zone)
        .and_then(|z| z.name.clone())
        .unwrap_or_else(|| format!("Zone {zone}"))
}

/// A site as people know it: its floor's name, else "Level n", else the floor's or the
/// site's code; its id only when it has none of these.
pub(super) fn site_name(detail: &BuildingDetail, site: i64) -> String {
    let found = detail.sites.iter().find(|s| s.id == site);
    let floor = found
        .and_then(|s| s.floor_id)
        .and_then(|id| detail.floors.iter().find(|f| f.id == id));
    floor
        .and_then(|f| f.name.clone())
        .or_else(|| floor.and_then(|f| f.level).map(|l| format!("Level {l}")))
        .or_else(|| floor.and_then(|f| f.code.clone()))
        .or_else(|| found.and_then(|s| s.code.clone()))
        .unwrap_or_else(|| format!("site {site}"))
}

/// A period length as a title says it: "by hour".
fn by_period(granularity: Granularity) -> &'static str {
    match granularity {
        Granularity::Pt15m => "by 15 minutes",
        Granularity::Pt1h => "by hour",
        Granularity::P1d => "by day",
        Granularity::P1w => "by week",
        Granularity::P1m => "by month",
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

pub(super) fn time_series_input(
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
            "{}: occupancy {}",
            place(detail, query),
            by_period(query.granularity)
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
        band: None,
        points_are_days: false,
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn detail() -> BuildingDetail {
        serde_json::from_value(json!({
            "building": {"id": 71, "name": "Chicago Loop HQ", "timeZone": "America/Chicago", "timeZoneKnown": true},
            "floors": [
                {"id": 1, "name": "Ground floor", "code": "G", "level": 0},
                {"id": 2, "name": null, "code": "L3", "level": 3},
                {"id": 3, "name": null, "code": "B2", "level": null}
            ],
            "sites": [
                {"id": 10, "floorId": 1, "code": null, "timeZone": null},
                {"id": 11, "floorId": 2, "code": null, "timeZone": null},
                {"id": 12, "floorId": 3, "code": null, "timeZone": null},
                {"id": 13, "floorId": null, "code": "S-13", "timeZone": null},
                {"id": 14, "floorId": null, "code": null, "timeZone": null}
            ],
            "zones": [{"id": 7, "name": "Open Workspace 2.1", "siteId": 10, "floorId": 1, "zoneType": "OPEN_WORKSPACE", "capacity": 60.0}],
            "zoneTypes": ["OPEN_WORKSPACE"],
            "capacity": 60.0
        }))
        .unwrap()
    }

    fn query(site: Option<i64>, zone: Option<i64>) -> InsightQuery {
        serde_json::from_value(json!({
            "table": "ZONE_INSIGHTS", "buildingId": 71, "siteId": site, "zoneId": zone,
            "granularity": "PT1H", "from": "2026-11-01", "to": "2026-11-07"
        }))
        .unwrap()
    }

    #[test]
    fn a_floor_is_named_by_its_name_level_or_code_in_titles() {
        let d = detail();
        let names: Vec<String> = [10, 11, 12, 13, 14]
            .into_iter()
            .map(|site| place(&d, &query(Some(site), None)))
            .collect();
        assert_eq!(
            names,
            [
                "Chicago Loop HQ, Ground floor",
                "Chicago Loop HQ, Level 3",
                "Chicago Loop HQ, B2",
                "Chicago Loop HQ, S-13",
                "Chicago Loop HQ, site 14",
            ]
        );
        assert_eq!(
            place(&d, &query(Some(10), Some(7))),
            "Chicago Loop HQ, Open Workspace 2.1"
        );
        assert_eq!(place(&d, &query(None, None)), "Chicago Loop HQ");
    }

    #[test]
    fn compare_says_when_a_picked_zone_does_not_narrow_it() {
        let d = detail();
        assert_eq!(
            zones_place(&d, &query(None, Some(7))),
            (
                "Chicago Loop HQ".to_owned(),
                " of the building, not only Open Workspace 2.1".to_owned()
            )
        );
        assert_eq!(
            zones_place(&d, &query(Some(10), Some(7))),
            (
                "Chicago Loop HQ, Ground floor".to_owned(),
                " of the floor, not only Open Workspace 2.1".to_owned()
            )
        );
        assert_eq!(
            zones_place(&d, &query(Some(10), None)),
            ("Chicago Loop HQ, Ground floor".to_owned(), String::new())
        );
    }

    #[test]
    fn periods_are_said_in_words() {
        let words: Vec<&str> = Granularity::ALL.into_iter().map(by_period).collect();
        assert_eq!(
            words,
            ["by 15 minutes", "by hour", "by day", "by week", "by month"]
        );
    }
}
