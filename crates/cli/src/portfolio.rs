//! `portfolio`: every building of a connection, one row of figures each.

use std::io::Write;

use indicatif::{ProgressBar, ProgressStyle};
use occudesk_core::Desk;
use occudesk_core::innerspace::{BuildingDetail, Freshness};
use occudesk_core::insights::InsightResult;
use occudesk_core::{
    Error, Portfolio, PortfolioProgress, PortfolioRequest, PortfolioRow, Result, write_rows_parquet,
};

use crate::args::{ExportArgs, ExportFileFormat, PortfolioArgs, PortfolioFormat};
use crate::insights::{figure, open_view, print_json, progress_bar, query_of};
use crate::table::print_table;

/// The figures of a row, in the order of the CSV's columns (the JSON's key names).
const FIGURE_KEYS: [&str; 12] = [
    "capacity",
    "utilization_mean_pct",
    "utilization_peak_pct",
    "p90_daily_peak",
    "needed_capacity",
    "surplus",
    "surplus_pct",
    "working_days",
    "time_used_pct",
    "occupied_fill_pct",
    "trend_pts",
    "days_over_target",
];

pub async fn portfolio(desk: &Desk, args: PortfolioArgs) -> Result<()> {
    let connection_id = desk.find_connection(&args.connection)?.id;
    let request = PortfolioRequest {
        from: args.from,
        to: args.to,
        buffer: args.buffer,
        target: desk.settings().target_band,
        freshness: Freshness::Usual,
    };
    let write_rows = |detail: &BuildingDetail, rows: &InsightResult| match &args.rows_out {
        Some(dir) => write_rows_parquet(dir, detail, rows).map(drop),
        None => Ok(()),
    };
    let bar = buildings_bar();
    let portfolio = desk
        .portfolio(
            &connection_id,
            request,
            "cli",
            |p| show(&bar, p),
            Some(&write_rows),
        )
        .await;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let portfolio = portfolio?;
    for row in &portfolio.buildings {
        if let Some(error) = &row.error {
            eprintln!("note: {} ({}): {error}", row.name, row.building_id);
        }
    }
    if let Some(dir) = &args.rows_out {
        eprintln!(
            "Wrote the buildings' hourly rows as Parquet under {}.",
            dir.display()
        );
    }
    match args.format {
        PortfolioFormat::Json => print_json(&portfolio.buildings),
        PortfolioFormat::Csv => write_csv(&portfolio, &mut std::io::stdout().lock())
            .map_err(|e| Error::invalid("output", format!("Could not write the CSV: {e}"))),
        PortfolioFormat::Text => {
            print_text(&portfolio);
            Ok(())
        }
    }
}

/// `export --format parquet`: the rows behind the view the scope describes.
pub async fn export(desk: &Desk, args: ExportArgs) -> Result<()> {
    let (connection_id, query) = query_of(desk, args.scope, None, args.granularity, Vec::new())?;
    let view = open_view(desk, &connection_id, &query).await?;
    let files = match args.format {
        ExportFileFormat::Parquet => desk.export_view_parquet(&view.id, &args.out).await?,
    };
    eprintln!(
        "Wrote {} rows in {} Parquet files under {}.",
        view.rows,
        files.len(),
        args.out.display()
    );
    Ok(())
}

/// "7 of 23 buildings" on standard error when a person is watching.
fn buildings_bar() -> Option<ProgressBar> {
    let bar = progress_bar()?;
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos} of {len} buildings") {
        bar.set_style(style);
    }
    Some(bar)
}

fn show(bar: &Option<ProgressBar>, p: PortfolioProgress) {
    if let Some(bar) = bar {
        bar.set_length(u64::from(p.buildings_total));
        bar.set_position(u64::from(p.buildings_done));
    }
}

/// One line per building: building_id, name, the figures by their JSON names, error.
fn write_csv(portfolio: &Portfolio, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "building_id,name,{},error", FIGURE_KEYS.join(","))?;
    for row in &portfolio.buildings {
        let figures = figures_of(row);
        let cells: Vec<String> = FIGURE_KEYS
            .iter()
            .map(|k| match figures.get(*k) {
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => String::new(),
            })
            .collect();
        writeln!(
            out,
            "{},{},{},{}",
            row.building_id,
            csv_text(&row.name),
            cells.join(","),
            csv_text(row.error.as_deref().unwrap_or(""))
        )?;
    }
    Ok(())
}

fn figures_of(row: &PortfolioRow) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(&row.figures) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_text(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn print_text(portfolio: &Portfolio) {
    println!(
        "{} to {}; target band {}-{} %; needed capacity = p90 daily peak + {:.0} %",
        portfolio.from,
        portfolio.to,
        portfolio.target.low_pct,
        portfolio.target.high_pct,
        portfolio.buffer * 100.0
    );
    let rows = portfolio
        .buildings
        .iter()
        .map(|row| {
            let mut cells = vec![row.building_id.to_string(), row.name.clone()];
            match (&row.figures, &row.error) {
                (Some(f), _) => cells.extend([
                    figure(f.capacity),
                    figure(f.utilization_mean_pct),
                    figure(f.utilization_peak_pct),
                    figure(f.needed_capacity),
                    figure(f.surplus),
                    figure(f.surplus_pct),
                    f.working_days.to_string(),
                    figure(f.time_used_pct),
                    figure(f.occupied_fill_pct),
                    figure(f.trend_pts),
                    f.days_over_target.map_or("—".to_owned(), |d| d.to_string()),
                ]),
                (None, error) => cells.push(format!("error: {}", error.as_deref().unwrap_or(""))),
            }
            cells
        })
        .collect();
    print_table(
        &[
            "ID",
            "NAME",
            "CAPACITY",
            "UTIL %",
            "PEAK %",
            "NEEDED",
            "SURPLUS",
            "SURPLUS %",
            "DAYS",
            "USED %",
            "FILL %",
            "TREND",
            "OVER",
        ],
        rows,
    );
}

pub const PORTFOLIO_HELP: &str =
    "Dates are each building's local dates, both included; figures come from the building's
hourly rows (PT1H), exactly as `summary --granularity PT1H` and `plan` compute them.

Figures: capacity, utilization_mean_pct, utilization_peak_pct, p90_daily_peak, needed_capacity
(ceil(p90 x (1 + buffer))), surplus, surplus_pct and working_days as in `summary` and `plan`;
time_used_pct = 100 x office-hours periods (08:00-18:00 local, working days) whose mean is
above 0 / all of them; occupied_fill_pct = 100 x mean_occupied / capacity; trend_pts =
utilization_mean_pct minus the same over the preceding range of equal length;
days_over_target = working days whose daily peak / capacity is above the target band's upper
bound (Settings, 60-85 % by default). A building that failed has an error instead of figures;
the other buildings are unaffected.

Examples:
  occudesk-cli portfolio --connection HQ --from 2026-08-01 --to 2026-10-31
  occudesk-cli portfolio --connection HQ --from 2026-01-01 --to 2026-12-31 --format json
  occudesk-cli portfolio --connection HQ --from 2026-01-01 --to 2026-12-31 --rows-out rows";

pub const EXPORT_HELP: &str = "Parquet files are Hive-partitioned by building and local month
(DIR/building_id=71/month=2026-10/part-0.parquet; a partition written again is replaced),
with start_utc (UTC), start_local (the building's wall clock) and utc_offset_minutes,
time_zone, site_id, zone_id, zone_name, zone_type and one column per metric.

Examples:
  occudesk-cli export --connection HQ --building 71 --from 2026-01-01 --to 2026-06-30 --format parquet --out rows
  python -c \"import pandas as pd; print(pd.read_parquet('rows'))\"
  duckdb -c \"SELECT * FROM read_parquet('rows/**/*.parquet', hive_partitioning = true)\"";
