//! A loaded view as one HTML file to hand on (README, "A report to hand on"): the building,
//! range and time zone, where the rows came from, the summary and planning figures each with
//! its one-line definition, then the time series, the heatmap, the planning chart, the unusual
//! days and, when the view holds the history it needs, the forecast.
//!
//! The file stands alone: CSS and SVG inline, no script, and nothing outside it referred to, so
//! it opens the same offline, in a mail client or in any browser, and prints to PDF page by
//! page. Everything is read from the view and drawn by the same functions as the window's
//! tabs; nothing here fetches or reads a clock, so a report is a pure function of its view.

use std::fmt::Write as _;
use std::path::Path;

use occudesk_charts::escape;

use super::Desk;
use super::chart_options::{ChartOptions, ChartTheme};
use super::figures::{self, ChartKind, place};
use super::plan_ahead::{ForecastOptions, forecast_chart, forecast_of};
use super::view::LoadedView;
use crate::innerspace::Granularity;
use crate::insights::columns::PeakBasis;
use crate::insights::definitions::definition;
use crate::insights::forecast::Forecast;
use crate::insights::planning::{DEFAULT_BUFFER, Plan};
use crate::insights::shown::{ShownTime, Times};
use crate::insights::stats::Summary;
use crate::{Error, Result};

/// Charts in a report: wide enough to read on A4 landscape or a screen, in the light theme
/// (it prints on white).
const REPORT_CHART: ChartOptions = ChartOptions {
    width: 960,
    height: 420,
    theme: ChartTheme::Light,
};

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The report's styles: readable on screen, one section per printed page.
const STYLE: &str = "\
:root { color-scheme: light; }
body { font-family: system-ui, sans-serif; color: #1b1f24; background: #fff; margin: 2rem auto; max-width: 64rem; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.25rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #c8ccd1; padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 0.3rem 0.6rem 0.3rem 0; border-bottom: 1px solid #e3e5e8; }
th { white-space: nowrap; }
section.first th { width: 16rem; }
td.value { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.definition { color: #4a5059; font-size: 0.92rem; }
figure { margin: 1rem 0; }
figure svg { width: 100%; height: auto; max-width: 100%; }
figcaption, .note { color: #4a5059; font-size: 0.92rem; }
@media print {
  body { margin: 0; max-width: none; }
  section { break-before: page; }
  section.first { break-before: auto; }
  figure, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
@page { size: A4 landscape; margin: 12mm; }
";

/// A number as the window shows it: whole from 100 up, else one decimal.
fn num(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{}", v.round())
    } else {
        format!("{v:.1}")
    }
}

/// A chart's SVG as an inline element of the page. Inline SVG in HTML needs no namespace
/// declaration, and the declaration's URL is the one outside address a drawing carries.
fn inline_svg(svg: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    svg[start..]
        .replace(" xmlns=\"http://www.w3.org/2000/svg\"", "")
        .replace(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "")
}

/// One figure row: its name and definition from the one list of definitions, and its value.
struct Figure {
    id: &'static str,
    value: String,
}

impl Figure {
    fn new(id: &'static str, value: String) -> Figure {
        Figure { id, value }
    }
}

fn has_time_of_day(granularity: Granularity) -> bool {
    matches!(granularity, Granularity::Pt15m | Granularity::Pt1h)
}

/// The summary figures the window shows, with both utilizations: a report names its basis.
fn summary_figures(s: &Summary, granularity: Granularity, shown: &ShownTime) -> Vec<Figure> {
    let mut out = Vec::new();
    if let Some(peak) = s.peak {
        let id = match s.peak_basis {
            Some(PeakBasis::HourlySumOfZoneMeans) => "peak-hour-sum",
            Some(PeakBasis::OccupancyMean) => "highest-mean",
            _ => "peak",
        };
        let when = s.peak_at.map_or(String::new(), |t| {
            let utc = t.with_timezone(&chrono::Utc);
            if has_time_of_day(granularity) {
                format!(" ({})", shown.stamp(utc))
            } else {
                format!(" ({})", t.format("%a %Y-%m-%d"))
            }
        });
        out.push(Figure::new(id, format!("{}{when}", num(peak))));
    }
    let plain = [
        ("mean", s.mean),
        ("mean-occupied", s.mean_occupied),
        ("capacity", s.capacity),
    ];
    for (id, value) in plain {
        if let Some(v) = value {
            out.push(Figure::new(id, num(v)));
        }
    }
    let peak_pct = s
        .utilization_peak_pct
        .map_or(String::new(), |p| format!(" (peak {} %)", p.round()));
    for (id, value) in [
        ("utilization-office-hours", s.utilization_office_hours_pct),
        ("utilization", s.utilization_mean_pct),
    ] {
        if let Some(v) = value {
            out.push(Figure::new(id, format!("{} %{peak_pct}", v.round())));
        }
    }
    match (s.busiest_slot, s.busiest_weekday) {
        (Some(slot), _) if has_time_of_day(granularity) => {
            let day = WEEKDAYS.get(slot.weekday as usize - 1).unwrap_or(&"");
            out.push(Figure::new(
                "busiest-hour-of-the-week",
                format!("{day} {:02}:00 building time", slot.hour),
            ));
        }
        (_, Some(weekday)) => {
            let day = WEEKDAYS.get(weekday as usize - 1).unwrap_or(&"");
            out.push(Figure::new("busiest-weekday", (*day).to_owned()));
        }
        _ => {}
    }
    if let Some(share) = s.share_over_100 {
        out.push(Figure::new(
            "over-capacity",
            format!("{:.1} % of periods", share * 100.0),
        ));
    }
    out
}

/// A plan's figures as the Planning tab shows them.
fn plan_figures(p: &Plan) -> Vec<Figure> {
    let mut out = vec![Figure::new("plan-working-days", p.working_days.to_string())];
    if let (Some(p50), Some(p90), Some(p95)) =
        (p.p50_daily_peak, p.p90_daily_peak, p.p95_daily_peak)
    {
        out.push(Figure::new(
            "plan-daily-peak",
            format!("{} / {} / {}", num(p50), num(p90), num(p95)),
        ));
    }
    let buffer = (p.buffer * 100.0).round();
    if let Some(needed) = p.needed_capacity {
        out.push(Figure::new(
            "plan-needed-capacity",
            format!("{} (p90 + {buffer} %)", num(needed)),
        ));
    }
    if let Some(capacity) = p.capacity {
        out.push(Figure::new("plan-capacity", num(capacity)));
    }
    if let Some(surplus) = p.surplus {
        let pct = p
            .surplus_pct
            .map_or(String::new(), |v| format!(" ({} %)", v.abs().round()));
        if surplus >= 0.0 {
            out.push(Figure::new(
                "plan-surplus",
                format!("{}{pct}", num(surplus)),
            ));
        } else {
            out.push(Figure::new(
                "plan-shortfall",
                format!("{}{pct}, incl. {buffer} % buffer", num(-surplus)),
            ));
        }
    }
    out
}

/// A table of figures: name, value and the sentence that defines it.
fn figure_table(html: &mut String, caption: &str, figures: &[Figure]) {
    let _ = write!(
        html,
        "<table>\n<caption class=\"note\">{}</caption>\n<thead><tr><th scope=\"col\">Figure</th><th scope=\"col\">Value</th><th scope=\"col\">Definition</th></tr></thead>\n<tbody>\n",
        escape(caption)
    );
    for f in figures {
        let sentence = definition(f.id);
        let name = sentence.split_once(": ").map_or(f.id, |(name, _)| name);
        let _ = writeln!(
            html,
            "<tr><th scope=\"row\">{}</th><td class=\"value\">{}</td><td class=\"definition\">{}</td></tr>",
            escape(name),
            escape(&f.value),
            escape(sentence)
        );
    }
    html.push_str("</tbody>\n</table>\n");
}

/// A drawn chart as a figure, or a note saying why it is not there.
fn chart_figure(html: &mut String, drawn: Result<String>, caption: &str) {
    match drawn {
        Ok(svg) => {
            let _ = writeln!(
                html,
                "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>",
                inline_svg(&svg),
                escape(caption)
            );
        }
        Err(e) => {
            let _ = writeln!(
                html,
                "<p class=\"note\">No chart: {}</p>",
                escape(&e.to_string())
            );
        }
    }
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

/// The report of `view`, loaded through the connection named `connection_name`, with times
/// as `shown` says.
pub(super) fn report_html(
    view: &LoadedView,
    connection_name: &str,
    shown: &ShownTime,
) -> Result<String> {
    let info = view.info();
    let query = &view.query;
    let title = place(&view.detail, query);
    let mut html = String::with_capacity(256 * 1024);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Occupancy report: {}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );

    // What the report is about and where its rows came from (the view's provenance).
    let p = &info.provenance;
    let _ = write!(
        html,
        "<section class=\"first\" aria-labelledby=\"about\">\n<h1 id=\"about\">Occupancy report: {}</h1>\n<table>\n",
        escape(&title)
    );
    let building = &view.detail.building;
    let mut rows = vec![
        (
            "Building",
            format!("{} (id {})", building.name, building.id),
        ),
        (
            "Range",
            format!("{} to {} (both included)", query.from, query.to),
        ),
        (
            "Periods",
            format!("{} (table {})", info.granularity, info.table),
        ),
        ("Time zone", shown.label()),
        ("Connection", connection_name.to_owned()),
        (
            "Fetched at",
            format!(
                "{} ({})",
                p.fetched_at.format("%Y-%m-%d %H:%M UTC"),
                shown.stamp(p.fetched_at)
            ),
        ),
        (
            "From this computer's cache",
            yes_no(p.from_cache).to_owned(),
        ),
        ("Offline", yes_no(p.offline).to_owned()),
        ("Rows", info.rows.to_string()),
    ];
    // A floor, site or zone: what of the building the figures cover.
    if title != building.name {
        rows.insert(1, ("Covers", title.clone()));
    }
    for (name, value) in rows {
        let _ = writeln!(
            html,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            escape(name),
            escape(&value)
        );
    }
    html.push_str("</table>\n");
    if let Some(notice) = &info.notice {
        let _ = writeln!(html, "<p class=\"note\">{}</p>", escape(notice));
    }
    html.push_str("</section>\n");

    // The figures, each with its definition.
    let summary = figures::summary(view, shown);
    html.push_str(
        "<section aria-labelledby=\"figures\">\n<h2 id=\"figures\">Summary figures</h2>\n",
    );
    figure_table(
        &mut html,
        "Over the whole range; null values left out.",
        &summary_figures(&summary, query.granularity, shown),
    );
    html.push_str("<h2 id=\"planning-figures\">Planning figures</h2>\n");
    match figures::plans(view, DEFAULT_BUFFER) {
        Ok(plans) => {
            for plan in &plans {
                let caption = match &plan.zone_type {
                    Some(zone_type) => format!("Zone type {zone_type}"),
                    None => title.clone(),
                };
                figure_table(&mut html, &caption, &plan_figures(plan));
            }
        }
        Err(e) => {
            let _ = writeln!(html, "<p class=\"note\">{}</p>", escape(&e.to_string()));
        }
    }
    html.push_str("</section>\n");

    // The charts, drawn as the window's tabs draw them.
    let draw =
        |kind| figures::draw(view, kind, &REPORT_CHART, shown).map(|d| d.chart.svg().to_owned());
    html.push_str(
        "<section aria-labelledby=\"time-series\">\n<h2 id=\"time-series\">Time series</h2>\n",
    );
    chart_figure(
        &mut html,
        draw(ChartKind::TimeSeries),
        &format!(
            "Mean and peak over time, capacity as a line. Times: {}.",
            shown.label()
        ),
    );
    html.push_str(
        "</section>\n<section aria-labelledby=\"heatmap\">\n<h2 id=\"heatmap\">Heatmap</h2>\n",
    );
    let heatmap = if has_time_of_day(query.granularity) {
        draw(ChartKind::Heatmap)
    } else {
        Err(Error::invalid(
            "granularity",
            "a weekday × hour heatmap needs periods shorter than a day (15 minutes or an hour).",
        ))
    };
    chart_figure(
        &mut html,
        heatmap,
        "Mean occupancy by weekday and hour, in the building's local time.",
    );
    html.push_str(
        "</section>\n<section aria-labelledby=\"planning\">\n<h2 id=\"planning\">Planning</h2>\n",
    );
    chart_figure(
        &mut html,
        draw(ChartKind::Planning),
        "The 90th percentile of daily peaks per weekday against needed capacity and capacity.",
    );
    html.push_str("</section>\n");

    unusual_days(&mut html, view);
    forecast_section(&mut html, view);
    html.push_str("</body>\n</html>\n");
    Ok(html)
}

/// The unusual working days, each in a sentence, or why they could not be judged.
fn unusual_days(html: &mut String, view: &LoadedView) {
    html.push_str("<section aria-labelledby=\"unusual\">\n<h2 id=\"unusual\">Unusual days</h2>\n<p class=\"note\">Each working day against the same weekday in the 8 weeks before it; |z| ≥ 3.5 is flagged.</p>\n");
    match &view.anomalies {
        Ok(days) if days.is_empty() => {
            html.push_str("<p>No unusual working day in this range.</p>\n");
        }
        Ok(days) => {
            html.push_str("<ul>\n");
            for a in days {
                let _ = writeln!(html, "<li>{}</li>", escape(&a.explain()));
            }
            html.push_str("</ul>\n");
        }
        Err(e) => {
            let _ = writeln!(
                html,
                "<p class=\"note\">Unusual days could not be judged: {}</p>",
                escape(&e.to_string())
            );
        }
    }
    html.push_str("</section>\n");
}

/// The forecast of the weeks after the range, when the view holds the hourly history it reads
/// (as Plan ahead loads it); otherwise what it would need.
fn forecast_section(html: &mut String, view: &LoadedView) {
    html.push_str("<section aria-labelledby=\"forecast\">\n<h2 id=\"forecast\">Forecast</h2>\n");
    // Plan ahead reads hourly history; a forecast from other periods would be another figure.
    let forecast = if view.query.granularity == Granularity::Pt1h {
        ForecastOptions::default()
            .request(view.query.to)
            .and_then(|request| forecast_of(view, &request))
            .and_then(|f| Ok((forecast_chart(view, &f, &REPORT_CHART)?.svg, f)))
    } else {
        Err(Error::invalid("granularity", "not hourly"))
    };
    match forecast {
        Ok((svg, f)) => {
            chart_figure(
                html,
                Ok(svg),
                &format!(
                    "Daily peaks of each working weekday, {} to {}: p10–p90 shaded, p50 a line, p95 a tick; from the daily peaks of {} to {}.",
                    f.forecast_from, f.forecast_to, f.history_from, f.history_to
                ),
            );
            forecast_table(html, &f);
        }
        _ => {
            let _ = writeln!(
                html,
                "<p class=\"note\">Not in this report: a forecast reads {} weeks of hourly history and 8 more for its backtest, up to the range's last day; this view holds {} to {} by {}. Plan ahead in the window, or <code>occudesk-cli forecast</code>, loads that history.</p>",
                crate::insights::forecast::DEFAULT_HISTORY_WEEKS,
                view.query.from,
                view.query.to,
                view.query.granularity.as_str()
            );
        }
    }
    html.push_str("</section>\n");
}

fn forecast_table(html: &mut String, f: &Forecast) {
    let cell = |v: Option<f64>| v.map_or("–".to_owned(), num);
    html.push_str("<table>\n<thead><tr><th scope=\"col\">Weekday</th><th scope=\"col\">Days of history</th><th scope=\"col\">p10</th><th scope=\"col\">p50</th><th scope=\"col\">p90</th><th scope=\"col\">p95</th><th scope=\"col\">Note</th></tr></thead>\n<tbody>\n");
    for w in &f.weekdays {
        let _ = writeln!(
            html,
            "<tr><th scope=\"row\">{}</th><td class=\"value\">{}</td><td class=\"value\">{}</td><td class=\"value\">{}</td><td class=\"value\">{}</td><td class=\"value\">{}</td><td>{}</td></tr>",
            WEEKDAYS.get(w.weekday as usize - 1).unwrap_or(&""),
            w.history_days,
            cell(w.p10),
            cell(w.p50),
            cell(w.p90),
            cell(w.p95),
            escape(w.reason.as_deref().unwrap_or(""))
        );
    }
    html.push_str("</tbody>\n</table>\n");
}

impl Desk {
    /// The report of a loaded view as one self-contained HTML document.
    pub fn view_report(&self, view_id: &str, times: Times) -> Result<String> {
        let view = self.views.get(view_id)?;
        let shown = self.shown_time(times, &view.rows);
        let connection = self
            .find_connection(&view.connection_id)
            .map_or_else(|_| view.connection_id.clone(), |c| c.name);
        report_html(&view, &connection, &shown)
    }

    /// Writes the report of a loaded view to `path`.
    pub async fn export_report(&self, view_id: &str, path: &Path, times: Times) -> Result<()> {
        let html = self.view_report(view_id, times)?;
        self.write_export(path, html.into_bytes()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_needs_no_namespace_address_inline() {
        let svg = r#"<?xml version="1.0"?><svg width="10" xmlns="http://www.w3.org/2000/svg"><path/></svg>"#;
        assert_eq!(inline_svg(svg), r#"<svg width="10"><path/></svg>"#);
    }

    /// A week by the hour of a building whose names are markup, as a service might send them.
    fn hostile_view() -> LoadedView {
        use std::sync::Arc;

        use chrono::{Duration, TimeZone, Utc};
        use serde_json::json;

        use crate::innerspace::{BuildingDetail, InsightQuery};
        use crate::insights::{InsightResult, InsightRow, ResultSource};

        let detail: BuildingDetail = serde_json::from_value(json!({
            "building": {"id": 71, "name": "<script>alert('x')</script> & \"HQ\"", "timeZone": "America/Chicago", "timeZoneKnown": true},
            "floors": [{"id": 1, "name": "<img src=x onerror=alert(1)>", "code": "G", "level": 0}],
            "sites": [{"id": 10, "floorId": 1, "code": null, "timeZone": null}],
            "zones": [{"id": 7, "name": "<b>Open</b>", "siteId": 10, "floorId": 1, "zoneType": "OPEN", "capacity": 60.0}],
            "zoneTypes": ["OPEN"],
            "capacity": 60.0
        }))
        .unwrap();
        let query: InsightQuery = serde_json::from_value(json!({
            "table": "ZONE_INSIGHTS", "buildingId": 71, "siteId": 10, "zoneId": null,
            "granularity": "PT1H", "from": "2026-11-02", "to": "2026-11-08"
        }))
        .unwrap();
        let tz = chrono_tz::America::Chicago;
        let start = tz.with_ymd_and_hms(2026, 11, 2, 0, 0, 0).unwrap();
        let rows = (0..7 * 24)
            .map(|h| {
                let at = start + Duration::hours(h);
                let busy = (9..17).contains(&(h % 24)) && h / 24 < 5;
                let mean = if busy { 30.0 } else { 0.0 };
                InsightRow {
                    start_utc: at.with_timezone(&Utc),
                    start_local: at.fixed_offset(),
                    date_partition: at.format("%Y%m%d").to_string().parse().unwrap(),
                    building_id: 71,
                    site_id: Some(10),
                    zone_id: None,
                    zone_type: None,
                    values: vec![Some(mean), Some(mean * 1.5)],
                }
            })
            .collect();
        let result = Arc::new(InsightResult {
            time_zone: "America/Chicago".into(),
            time_zone_known: true,
            table: "ZONE_INSIGHTS".into(),
            granularity: "PT1H".into(),
            columns: vec!["OCCUPANCY_MEAN".into(), "OCCUPANCY_MAX".into()],
            rows,
            group_id: None,
            notice: Some("<i>partial</i>".into()),
            requests: 1,
            chunks: 1,
            source: ResultSource::default(),
        });
        let none = || Err(Error::invalid("zones", "not loaded <here>"));
        LoadedView {
            id: "view-1".into(),
            connection_id: "c1".into(),
            query,
            detail: Arc::new(detail),
            fetched_at: Utc.with_ymd_and_hms(2026, 11, 9, 6, 0, 0).unwrap(),
            rows: result.clone(),
            series: result,
            anomalies: Err(Error::invalid("anomalies", "<u>no history</u>")),
            zones: none(),
            zone_types: none(),
            weekly: none(),
            requests: 1,
            held_rows: 168,
            order: Default::default(),
        }
    }

    #[test]
    fn every_name_and_message_from_outside_is_escaped() {
        let view = hostile_view();
        let shown = ShownTime::building_local(chrono_tz::America::Chicago, true);
        let html = report_html(&view, "<em>Mine</em>", &shown).unwrap();
        let lower = html.to_lowercase();
        for markup in [
            "<script",
            "<img",
            "<b>",
            "<i>",
            "<u>",
            "<em>",
            "onerror=alert(1)>",
        ] {
            assert!(!lower.contains(markup), "{markup} got through");
        }
        for escaped in [
            "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;HQ&quot;",
            "&lt;em&gt;Mine&lt;/em&gt;",
            "&lt;i&gt;partial&lt;/i&gt;",
            "&lt;u&gt;no history&lt;/u&gt;",
        ] {
            assert!(html.contains(escaped), "{escaped} missing");
        }
        // The charts are there all the same, their titles escaped by the drawing.
        assert!(html.matches("<svg").count() >= 3);
    }

    #[test]
    fn numbers_read_as_the_window_shows_them() {
        assert_eq!(num(412.4), "412");
        assert_eq!(num(36.66), "36.7");
    }
}
