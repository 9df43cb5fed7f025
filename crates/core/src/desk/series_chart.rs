//! The time series at any range: a range too long to read at its granularity is drawn as
//! daily figures (daily peak, daily mean, optionally the day's range), a zoom window is drawn
//! at full resolution from the rows the view already holds, and the summary can follow that
//! window. Nothing here fetches.

use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;
use occudesk_charts::{
    Band, BandPoint, Point, Series, SeriesStyle, TimeSeriesChart, render_time_series,
};
use serde::{Deserialize, Serialize};

use super::Desk;
use super::chart_options::ChartOptions;
use super::figures::{self, Chart, ChartKind, Drawn};
use super::view::LoadedView;
use crate::innerspace::Granularity;
use crate::insights::InsightResult;
use crate::insights::csv::to_csv_string;
use crate::insights::daily::{DayFigures, daily_figures};
use crate::insights::shown::{ShownTime, Times};
use crate::insights::stats::Summary;
use crate::insights::summed::is_sum;
use crate::insights::time::{local_day_start, parse_tz};
use crate::{Error, Result};

/// The longest range, in days, read at its own periods before it is drawn as daily figures:
/// beyond about 60 days of hours (1,440 points) or 15 days of quarter hours, a line per
/// period is a wall of spikes on a 1,000-pixel chart.
pub const RAW_DAYS_PT1H: i64 = 60;
pub const RAW_DAYS_PT15M: i64 = 15;

/// The shortest zoom window: one hour.
const MIN_WINDOW_MS: i64 = 3_600_000;

/// Which periods a time series draws.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SeriesPeriods {
    /// Daily figures when the visible range is longer than the granularity reads well
    /// ([`RAW_DAYS_PT1H`], [`RAW_DAYS_PT15M`]); the view's own periods otherwise.
    #[default]
    Auto,
    /// The view's own periods, however many.
    Raw,
}

/// What part of a view a time series shows, and how.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChartWindow {
    /// The visible window (UTC ms, both ends included); the whole range when absent.
    #[serde(default)]
    pub window_utc_ms: Option<(i64, i64)>,
    #[serde(default)]
    pub periods: SeriesPeriods,
    /// Daily figures also shade each day's range, its lowest mean to its peak.
    #[serde(default)]
    pub daily_range: bool,
}

/// Whether `days` days at `granularity` are drawn as daily figures by default.
pub fn reads_as_days(granularity: Granularity, days: f64) -> bool {
    match granularity {
        Granularity::Pt1h => days > RAW_DAYS_PT1H as f64,
        Granularity::Pt15m => days > RAW_DAYS_PT15M as f64,
        _ => false,
    }
}

/// The view's whole range, UTC ms, from the first local day's start to the last one's end.
fn whole_range(view: &LoadedView, tz: Tz) -> (i64, i64) {
    let start = local_day_start(tz, view.query.from).timestamp_millis();
    let end = view
        .query
        .to
        .succ_opt()
        .map_or(start, |next| local_day_start(tz, next).timestamp_millis());
    (start, (end - 1).max(start))
}

/// The window asked for, within the view's range; an empty or inverted one is an error.
fn visible(view: &LoadedView, tz: Tz, window: &ChartWindow) -> Result<(i64, i64)> {
    let (start, end) = whole_range(view, tz);
    let Some((a, b)) = window.window_utc_ms else {
        return Ok((start, end));
    };
    let (a, b) = (a.max(start), b.min(end));
    if b - a < MIN_WINDOW_MS {
        return Err(Error::invalid(
            "window",
            "The visible window must lie inside the loaded range and span at least an hour.",
        ));
    }
    Ok((a, b))
}

/// Local noon of `date`, where a day's figure is placed (the middle of its day).
fn noon(tz: Tz, date: NaiveDate) -> Option<i64> {
    let at = tz
        .from_local_datetime(&date.and_hms_opt(12, 0, 0)?)
        .earliest()?;
    Some(at.timestamp_millis())
}

fn from_data(granularity: Granularity) -> &'static str {
    match granularity {
        Granularity::Pt15m => "from 15-minute data",
        _ => "from hourly data",
    }
}

/// The time series chart of a view in `window`, with the rows behind it as CSV.
pub(super) fn draw(
    view: &LoadedView,
    options: &ChartOptions,
    window: &ChartWindow,
    shown: &ShownTime,
) -> Result<Drawn> {
    Ok(Drawn {
        chart: Chart::TimeSeries(chart(view, options, window, shown)?),
        csv: to_csv_string(&view.series),
    })
}

/// The time series chart of a view in `window` (no CSV: a zoom redraws only the chart).
fn chart(
    view: &LoadedView,
    options: &ChartOptions,
    window: &ChartWindow,
    shown: &ShownTime,
) -> Result<TimeSeriesChart> {
    let tz = parse_tz(&view.series.time_zone).unwrap_or(Tz::UTC);
    let (a, b) = visible(view, tz, window)?;
    let days = (b - a) as f64 / 86_400_000.0;
    let daily =
        window.periods == SeriesPeriods::Auto && reads_as_days(view.query.granularity, days);
    let mut input = figures::time_series_input(&view.series, &view.detail, &view.query, shown);
    input.range_utc_ms = Some((a, b));
    input.markers = figures::anomaly_markers(view);
    if daily {
        let by_day = daily_figures(&view.series);
        let point = |value: fn(&DayFigures) -> Option<f64>| {
            by_day
                .iter()
                .filter_map(|d| Some(Point::new(noon(tz, d.date)?, value(d))))
                .collect::<Vec<Point>>()
        };
        let summed = is_sum(&view.rows);
        input.title = format!(
            "{}: daily peak and mean",
            figures::place(&view.detail, &view.query)
        );
        input.y_label = format!(
            "Daily peak and mean, {} (people)",
            from_data(view.query.granularity)
        );
        input.series = vec![
            Series {
                name: if summed {
                    "Daily peak hour (sum of zone means)".into()
                } else {
                    "Daily peak".into()
                },
                style: SeriesStyle::Peak,
                points: point(|d| d.peak),
            },
            Series {
                name: "Daily mean".into(),
                style: SeriesStyle::Mean,
                points: point(|d| d.mean),
            },
        ];
        input.band = window.daily_range.then(|| Band {
            name: "Daily range (lowest mean to peak)".into(),
            points: by_day
                .iter()
                .filter_map(|d| {
                    Some(BandPoint {
                        utc_ms: noon(tz, d.date)?,
                        low: d.low,
                        high: d.peak,
                    })
                })
                .collect(),
        });
        input.points_are_days = true;
    }
    let options = occudesk_charts::ChartOptions::from(*options);
    render_time_series(&input, &options).map_err(|e| Error::invalid("chart", e.to_string()))
}

/// `result` cut to the periods that start inside `(a, b)`.
fn within(result: &InsightResult, (a, b): (i64, i64)) -> InsightResult {
    let mut cut = result.clone();
    cut.rows
        .retain(|r| (a..=b).contains(&r.start_utc.timestamp_millis()));
    cut
}

impl Desk {
    /// A chart of a view; for the time series, `window` says which part and which periods.
    pub fn view_chart_in(
        &self,
        view_id: &str,
        kind: ChartKind,
        options: &ChartOptions,
        window: &ChartWindow,
        times: Times,
    ) -> Result<Chart> {
        if kind != ChartKind::TimeSeries {
            return self.view_chart(view_id, kind, options, times);
        }
        let view = self.views.get(view_id)?;
        let shown = self.shown_time(times, &view.rows);
        Ok(Chart::TimeSeries(chart(&view, options, window, &shown)?))
    }

    /// The summary figures of the periods inside `window` (the whole range without one).
    pub fn view_summary_in(
        &self,
        view_id: &str,
        window: Option<(i64, i64)>,
        times: Times,
    ) -> Result<Summary> {
        let view = self.views.get(view_id)?;
        let shown = self.shown_time(times, &view.rows);
        let Some(window) = window else {
            return Ok(figures::summary(&view, &shown));
        };
        let tz = parse_tz(&view.series.time_zone).unwrap_or(Tz::UTC);
        let window = visible(
            &view,
            tz,
            &ChartWindow {
                window_utc_ms: Some(window),
                ..ChartWindow::default()
            },
        )?;
        Ok(figures::summary_of(
            &view,
            &within(&view.series, window),
            &shown,
        ))
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    #[test]
    fn long_ranges_of_fine_periods_read_as_days() {
        assert!(!reads_as_days(Granularity::Pt1h, 60.0));
        assert!(reads_as_days(Granularity::Pt1h, 61.0));
        assert!(reads_as_days(Granularity::Pt1h, 365.0));
        assert!(!reads_as_days(Granularity::Pt15m, 15.0));
        assert!(reads_as_days(Granularity::Pt15m, 16.0));
        for g in [Granularity::P1d, Granularity::P1w, Granularity::P1m] {
            assert!(!reads_as_days(g, 3650.0));
        }
        assert_eq!(Duration::days(RAW_DAYS_PT1H).num_hours(), 1_440);
    }
}
