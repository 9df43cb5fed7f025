//! `occudesk-cli live`: every zone of a building now, from `zone_occupancy`, by floor, fullest
//! first, with the time of the reading.

use occudesk_core::insights::shown::Times;
use occudesk_core::{Desk, LiveBoard, LiveZone, Liveness, Result};

use crate::args::{LiveArgs, Report};
use crate::insights::print_json;
use crate::table::print_table;

/// What a connection without `zone_occupancy` is told (the window says the same).
pub const NOT_AVAILABLE: &str = "Live data is not available on this connection: its InnerSpace tenant has no zone_occupancy table.";

pub async fn live(desk: &Desk, args: LiveArgs) -> Result<()> {
    let connection = desk.find_connection(&args.connection)?;
    // Scripts read building-local times on a 24-hour clock, as in every other output.
    let board = desk
        .live(&connection.id, args.building, Times::BuildingLocal)
        .await?;
    match args.format {
        Report::Json => print_json(&board),
        Report::Text => {
            print_text(&board);
            Ok(())
        }
    }
}

fn print_text(board: &LiveBoard) {
    match board.liveness {
        Liveness::NotAvailable => {
            println!("{NOT_AVAILABLE}");
            return;
        }
        Liveness::NoReadings => println!(
            "Building {}: no zone has a reading from the last hour.",
            board.building_id
        ),
        Liveness::Live => println!(
            "Building {}: occupancy as of {}{} ({}).",
            board.building_id,
            board.as_of_text.as_deref().unwrap_or("?"),
            ago(board.as_of),
            board.times_label.as_deref().unwrap_or("UTC"),
        ),
    }
    for floor in &board.floors {
        println!();
        let full = floor
            .fullness
            .map(|f| format!(", {f:.0} % full"))
            .unwrap_or_default();
        println!("{}: {} people{full}", floor.name, count(floor.people));
        let rows = floor.zones.iter().map(zone_row).collect();
        print_table(&["ZONE", "PEOPLE", "CAPACITY", "FULL", "READ AT"], rows);
    }
}

fn zone_row(z: &LiveZone) -> Vec<String> {
    vec![
        z.name.clone(),
        z.people.map_or("no reading".to_owned(), count),
        z.capacity.map_or("unknown".to_owned(), count),
        z.fullness.map_or(String::new(), |f| format!("{f:.0} %")),
        match (&z.at_text, z.behind) {
            (Some(at), true) => format!("{at} (behind)"),
            (Some(at), false) => at.clone(),
            (None, _) => String::new(),
        },
    ]
}

/// ", 3 minutes ago" by this computer's clock: readings are in real time.
fn ago(as_of: Option<i64>) -> String {
    let Some(at) = as_of else {
        return String::new();
    };
    let minutes = (chrono::Utc::now().timestamp() - at).max(0) / 60;
    match minutes {
        0 => ", less than a minute ago".to_owned(),
        1 => ", 1 minute ago".to_owned(),
        m => format!(", {m} minutes ago"),
    }
}

fn count(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n:.1}")
    }
}
