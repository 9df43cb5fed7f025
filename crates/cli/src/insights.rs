//! `buildings` and `insights`: the same queries as the app's Insights view, printed.

use std::io::{IsTerminal, Write};
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};
use occudesk_core::innerspace::{BuildingDetail, FetchProgress, InsightQuery};
use occudesk_core::insights::csv::write_csv;
use occudesk_core::{Desk, Error, Picked, Result};

use crate::args::{BuildingsArgs, Format, InsightsArgs};
use crate::table::print_table;

pub async fn buildings(desk: &Desk, args: BuildingsArgs) -> Result<()> {
    let connection = desk.find_connection(&args.connection)?;
    match args.building {
        None => {
            let buildings = desk.buildings(&connection.id).await?;
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
            let detail = desk.building_detail(&connection.id, id).await?;
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

pub async fn insights(desk: &Desk, args: InsightsArgs) -> Result<()> {
    let connection = desk.find_connection(&args.connection)?;
    let table = match args.table {
        Some(table) => table,
        None => desk.insight_table(
            &connection.id,
            Picked {
                site: args.site.is_some(),
                zone: args.zone.is_some(),
                zone_type: args.zone_type.is_some(),
            },
        )?,
    };
    let query = InsightQuery {
        table,
        building_id: args.building,
        site_id: args.site,
        zone_id: args.zone,
        zone_type: args.zone_type,
        group_id: args.group,
        granularity: args.granularity,
        from: args.from,
        to: args.to,
        metrics: args.metrics,
    };
    let bar = progress_bar();
    let result = desk
        .fetch_insights(&connection.id, &query, "cli", |p: FetchProgress| {
            if let Some(bar) = &bar {
                bar.set_length(u64::from(p.chunks_total));
                bar.set_position(u64::from(p.chunks_done));
                bar.set_message(format!("{} rows", p.rows));
            }
        })
        .await;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
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

/// A bar on standard error when a person is watching; nothing in scripts and pipes.
fn progress_bar() -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} chunks, {msg}") {
        bar.set_style(style);
    }
    Some(bar)
}

fn print_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<()> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| Error::invalid("output", e.to_string()))?;
    println!("{text}");
    Ok(())
}

fn output_error(path: &Path, e: std::io::Error) -> Error {
    Error::invalid("out", format!("Could not write {}: {e}", path.display()))
}
