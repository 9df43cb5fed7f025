//! `buildings` and `insights`: the same queries as the app's Insights view, printed.

use std::io::{IsTerminal, Write};
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};
use occudesk_core::innerspace::{
    BuildingDetail, FetchProgress, Freshness, Granularity, InsightQuery, InsightTable,
};
use occudesk_core::insights::anomalies::Anomaly;
use occudesk_core::insights::csv::write_csv;
use occudesk_core::insights::planning::Plan;
use occudesk_core::insights::shown::Times;
use occudesk_core::{
    ChartKind, ChartOptions, ChartTheme, Desk, Error, ExportFormat, Picked, Result, ViewInfo,
};

use crate::args::{
    AnomaliesArgs, BuildingsArgs, ChartArgs, ChartChoice, Format, InsightsArgs, PlanArgs, Report,
    ReportArgs, ScopeArgs, SummaryArgs,
};
use crate::table::print_table;

pub async fn buildings(desk: &Desk, args: BuildingsArgs) -> Result<()> {
    let connection_id = desk.find_connection(&args.connection)?.id;
    match args.building {
        None => {
            let buildings = desk.buildings(&connection_id).await?;
            if args.json {
                return print_json(&buildings);
            }
            let rows = buildings
                .iter()
                .map(|b| vec![b.id.to_string(), b.name.clone(), b.time_zone.clone()])
                .collect();
            print_table(&["ID", "NAME", "TIME ZONE"], rows);
            Ok(())
        }
        Some(id) => {
            let detail = desk.building_detail(&connection_id, id).await?;
            if args.json {
                return print_json(&*detail);
            }
            print_detail(&detail);
            Ok(())
        }
    }
}

fn print_detail(detail: &BuildingDetail) {
    let b = &detail.building;
    let capacity = detail
        .capacity
        .map_or("unknown".to_owned(), |c| format!("{c}"));
    println!("{} {} ({}), capacity {capacity}", b.id, b.name, b.time_zone);
    let rows = detail
        .zones
        .iter()
        .map(|z| {
            vec![
                z.id.to_string(),
                z.name.clone().unwrap_or_default(),
                z.zone_type.clone().unwrap_or_default(),
                z.site_id.map(|s| s.to_string()).unwrap_or_default(),
                z.floor_id.map(|f| f.to_string()).unwrap_or_default(),
                z.capacity.map(|c| format!("{c}")).unwrap_or_default(),
            ]
        })
        .collect();
    print_table(&["ZONE", "NAME", "TYPE", "SITE", "FLOOR", "CAPACITY"], rows);
}

/// The connection and the query a scope describes, reading `table` or the one that fits the
/// filters.
pub(crate) fn query_of(
    desk: &Desk,
    scope: ScopeArgs,
    table: Option<InsightTable>,
    granularity: Granularity,
    metrics: Vec<String>,
) -> Result<(String, InsightQuery)> {
    let connection_id = desk.find_connection(&scope.connection)?.id;
    let connection_id = connection_id.as_str();
    let table = match table {
        Some(table) => table,
        None => desk.insight_table(
            connection_id,
            Picked {
                site: scope.site.is_some(),
                zone: scope.zone.is_some(),
                zone_type: scope.zone_type.is_some(),
            },
        )?,
    };
    let query = InsightQuery {
        table,
        building_id: scope.building,
        site_id: scope.site,
        zone_id: scope.zone,
        zone_type: scope.zone_type,
        group_id: scope.group,
        granularity,
        from: scope.from,
        to: scope.to,
        metrics,
    };
    Ok((connection_id.to_owned(), query))
}

pub async fn insights(desk: &Desk, args: InsightsArgs) -> Result<()> {
    let (connection_id, query) =
        query_of(desk, args.scope, args.table, args.granularity, args.metrics)?;
    let freshness = if args.refresh {
        Freshness::Reload
    } else {
        Freshness::Usual
    };
    let bar = progress_bar();
    let result = desk
        .fetch_insights(&connection_id, &query, freshness, "cli", |p| {
            show_progress(&bar, p)
        })
        .await;
    finish_progress(bar);
    let result = result?;
    if let Some(notice) = &result.notice {
        eprintln!("note: {notice}");
    }
    if let Some(notice) = desk.info().await.cache_notice {
        eprintln!("note: {notice}");
    }
    let write = |out: &mut dyn Write| -> std::io::Result<()> {
        match args.format {
            Format::Csv => write_csv(&result, out),
            Format::Json => {
                serde_json::to_writer_pretty(&mut *out, &*result)?;
                writeln!(out)
            }
        }
    };
    match &args.out {
        Some(path) => {
            let mut file = std::fs::File::create(path).map_err(|e| output_error(path, e))?;
            write(&mut file).map_err(|e| output_error(path, e))?;
            eprintln!(
                "Wrote {} rows ({}, times in {}) to {}.",
                result.rows.len(),
                result.granularity,
                result.time_zone,
                path.display()
            );
        }
        None => write(&mut std::io::stdout().lock())
            .map_err(|e| output_error(Path::new("standard output"), e))?,
    }
    Ok(())
}

pub async fn summary(desk: &Desk, args: SummaryArgs) -> Result<()> {
    let (connection_id, query) = query_of(desk, args.scope, None, args.granularity, Vec::new())?;
    let view = open_view(desk, &connection_id, &query).await?;
    let s = desk.view_summary(&view.id, Times::BuildingLocal)?;
    if args.format == Report::Json {
        return print_json(&s);
    }
    let n = figure;
    let pct = |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{:.1} %", v * 100.0));
    println!(
        "peak {} at {}",
        n(s.peak),
        s.peak_at.map_or("—".to_owned(), |t| t
            .format("%a %Y-%m-%d %H:%M %:z")
            .to_string())
    );
    println!(
        "mean {}, mean while occupied {}",
        n(s.mean),
        n(s.mean_occupied)
    );
    println!(
        "capacity {}, utilization {} % (peak {} %)",
        n(s.capacity),
        n(s.utilization_mean_pct),
        n(s.utilization_peak_pct)
    );
    if let Some(label) = s.peak_label {
        println!("peak: {label}");
    }
    println!(
        "busiest hour of the week {}; busiest weekday {} (ISO), busiest hour {} (each over all days)",
        s.busiest_slot.map_or("—".to_owned(), |w| format!(
            "{} {:02}:00",
            weekday_name(w.weekday),
            w.hour
        )),
        s.busiest_weekday.map_or("—".to_owned(), |d| d.to_string()),
        s.busiest_hour
            .map_or("—".to_owned(), |h| format!("{h:02}:00"))
    );
    println!(
        "periods under 60 % of capacity {}, 60–100 % {}, over 100 % {}",
        pct(s.share_under_60),
        pct(s.share_60_100),
        pct(s.share_over_100)
    );
    Ok(())
}

pub async fn chart(desk: &Desk, args: ChartArgs) -> Result<()> {
    let format = match args.out.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("svg") => ExportFormat::Svg,
        Some(e) if e.eq_ignore_ascii_case("png") => ExportFormat::Png,
        _ => {
            return Err(Error::invalid(
                "out",
                "Name the output FILE.svg or FILE.png; the format follows the extension.",
            ));
        }
    };
    let (connection_id, query) = query_of(desk, args.scope, None, args.granularity, Vec::new())?;
    let kind = match args.kind {
        ChartChoice::Timeseries => ChartKind::TimeSeries,
        ChartChoice::Heatmap => ChartKind::Heatmap,
        ChartChoice::Compare => ChartKind::Compare,
        ChartChoice::Ranking => ChartKind::Ranking,
        ChartChoice::WeeklyVisits => ChartKind::WeeklyVisits,
    };
    let options = ChartOptions {
        width: args.width,
        height: args.height,
        theme: if args.dark {
            ChartTheme::Dark
        } else {
            ChartTheme::Light
        },
    };
    let view = open_view(desk, &connection_id, &query).await?;
    desk.export_view(
        &view.id,
        kind,
        &options,
        format,
        &args.out,
        Times::BuildingLocal,
    )
    .await?;
    eprintln!("Wrote {}.", args.out.display());
    Ok(())
}

/// The report of a range as one HTML file (README, "A report to hand on").
pub async fn report(desk: &Desk, args: ReportArgs) -> Result<()> {
    let (connection_id, query) = query_of(desk, args.scope, None, args.granularity, Vec::new())?;
    let view = open_view(desk, &connection_id, &query).await?;
    desk.export_report(&view.id, &args.out, Times::BuildingLocal)
        .await?;
    eprintln!("Wrote {}.", args.out.display());
    Ok(())
}

pub async fn plan(desk: &Desk, args: PlanArgs) -> Result<()> {
    let table = args.by_zone_type.then_some(InsightTable::ZoneTypeInsights);
    let (connection_id, query) = query_of(desk, args.scope, table, args.granularity, Vec::new())?;
    let view = open_view(desk, &connection_id, &query).await?;
    let plans = desk.view_plan(&view.id, args.buffer)?;
    match (args.format, args.by_zone_type, plans.as_slice()) {
        (Report::Json, false, [one]) => print_json(one),
        (Report::Json, _, _) => print_json(&plans),
        (Report::Text, _, _) => {
            for p in &plans {
                print_plan(p);
            }
            Ok(())
        }
    }
}

fn print_plan(p: &Plan) {
    let n = figure;
    if let Some(t) = &p.zone_type {
        println!("{t}");
    }
    println!(
        "  working days {}; daily peak p50 {}, p90 {}, p95 {}",
        p.working_days,
        n(p.p50_daily_peak),
        n(p.p90_daily_peak),
        n(p.p95_daily_peak)
    );
    println!(
        "  needed capacity {} (p90 + {:.0} %), capacity {}, surplus {} ({} %)",
        n(p.needed_capacity),
        p.buffer * 100.0,
        n(p.capacity),
        n(p.surplus),
        n(p.surplus_pct)
    );
}

pub async fn anomalies(desk: &Desk, args: AnomaliesArgs) -> Result<()> {
    let (connection_id, query) = query_of(desk, args.scope, None, args.granularity, Vec::new())?;
    let view = open_view(desk, &connection_id, &query).await?;
    let found: Vec<Anomaly> = desk.view_anomalies(&view.id)?;
    match args.format {
        Report::Json => print_json(&found),
        Report::Text if found.is_empty() => {
            println!("No unusual working days in {} to {}.", query.from, query.to);
            Ok(())
        }
        Report::Text => {
            for a in &found {
                println!("{}", a.explain());
            }
            Ok(())
        }
    }
}

/// Loads the view behind a figure or chart, with a progress bar on standard error.
pub(crate) async fn open_view(
    desk: &Desk,
    connection_id: &str,
    query: &InsightQuery,
) -> Result<ViewInfo> {
    let bar = progress_bar();
    let view = desk
        .open_view(connection_id, query, Freshness::Usual, "cli", |p| {
            show_progress(&bar, p)
        })
        .await;
    finish_progress(bar);
    view
}

pub(crate) fn show_progress(bar: &Option<ProgressBar>, p: FetchProgress) {
    if let Some(bar) = bar {
        bar.set_length(u64::from(p.chunks_total));
        bar.set_position(u64::from(p.chunks_done));
        bar.set_message(format!("{} rows", p.rows));
    }
}

pub(crate) fn finish_progress(bar: Option<ProgressBar>) {
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}

/// A figure with one decimal, or a dash where it is undefined.
pub(crate) fn figure(value: Option<f64>) -> String {
    value.map_or("—".to_owned(), |v| format!("{v:.1}"))
}

/// A bar on standard error when a person is watching; nothing in scripts and pipes.
pub(crate) fn progress_bar() -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} chunks, {msg}") {
        bar.set_style(style);
    }
    Some(bar)
}

pub(crate) fn print_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<()> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| Error::invalid("output", e.to_string()))?;
    println!("{text}");
    Ok(())
}

fn output_error(path: &Path, e: std::io::Error) -> Error {
    Error::invalid("out", format!("Could not write {}: {e}", path.display()))
}

/// "Mon" for ISO weekday 1.
pub(crate) fn weekday_name(iso: u32) -> &'static str {
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .get(iso.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("")
}
