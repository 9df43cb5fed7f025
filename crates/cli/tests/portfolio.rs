//! `occudesk-cli portfolio` on demo data (the simulator in-process): every building's JSON
//! object equals what `summary --granularity PT1H` and `plan` print for it; CSV and text.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const V2: &str = "Demo InnerSpace (v2)";
const RANGE: [&str; 4] = ["--from", "2026-08-03", "--to", "2026-10-25"];

/// Runs the CLI on demo data in `dir`, its calendar pinned to the simulator's "today".
fn cli(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_occudesk-cli"))
        .arg("--data-dir")
        .arg(dir)
        .arg("--demo")
        .args(args)
        .env(
            "OCCUDESK_TODAY",
            occudesk_sim::SimConfig::default().today.to_string(),
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn json(dir: &Path, args: &[&str]) -> Value {
    serde_json::from_slice(&cli(dir, args).stdout).unwrap()
}

#[test]
fn each_buildings_json_equals_its_summary_and_plan() {
    let dir = tempfile::tempdir().unwrap();
    let rows = json(
        dir.path(),
        &[
            &["portfolio", "--connection", V2, "--format", "json"][..],
            &RANGE,
        ]
        .concat(),
    );
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 5);
    for row in rows {
        let mut keys: Vec<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "building_id",
                "capacity",
                "days_over_target",
                "name",
                "needed_capacity",
                "occupied_fill_pct",
                "p90_daily_peak",
                "surplus",
                "surplus_pct",
                "time_used_pct",
                "trend_pts",
                "utilization_mean_pct",
                "utilization_peak_pct",
                "working_days",
            ]
        );
        let id = row["building_id"].to_string();
        let scope = [&["--connection", V2, "--building", &id][..], &RANGE].concat();
        let summary = json(
            dir.path(),
            &[
                &["summary", "--granularity", "PT1H", "--format", "json"][..],
                &scope,
            ]
            .concat(),
        );
        let plan = json(
            dir.path(),
            &[&["plan", "--format", "json"][..], &scope].concat(),
        );
        for key in ["capacity", "utilization_mean_pct", "utilization_peak_pct"] {
            assert_eq!(row[key], summary[key], "{id} {key}");
        }
        for key in [
            "p90_daily_peak",
            "needed_capacity",
            "surplus",
            "surplus_pct",
            "working_days",
        ] {
            assert_eq!(row[key], plan[key], "{id} {key}");
        }
        let fill = 100.0 * summary["mean_occupied"].as_f64().unwrap()
            / summary["capacity"].as_f64().unwrap();
        assert_eq!(row["occupied_fill_pct"].as_f64(), Some(fill));
    }
}

#[test]
fn csv_has_one_line_per_building_and_text_a_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli(
        dir.path(),
        &[
            &["portfolio", "--connection", V2, "--format", "csv"][..],
            &RANGE,
        ]
        .concat(),
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "building_id,name,capacity,utilization_mean_pct,utilization_peak_pct,p90_daily_peak,needed_capacity,surplus,surplus_pct,working_days,time_used_pct,occupied_fill_pct,trend_pts,days_over_target,error"
        )
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 5);
    assert!(rows[0].starts_with("71,Chicago Loop HQ,"), "{}", rows[0]);
    assert!(rows.iter().all(|r| r.ends_with(',')), "no error: {csv}");

    let out = cli(
        dir.path(),
        &[&["portfolio", "--connection", V2][..], &RANGE].concat(),
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("target band 60-85 %"), "{text}");
    assert!(text.contains("Sydney Barangaroo"));
}

/// The Parquet files under `dir`, relative, sorted.
fn parquet_files(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(next) = todo.pop() {
        for entry in std::fs::read_dir(&next).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "parquet") {
                let bytes = std::fs::read(&path).unwrap();
                assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
                found.push(path.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    found.sort();
    found
}

#[test]
fn rows_out_writes_each_buildings_months_and_a_blocked_building_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let rows = dir.path().join("rows");
    std::fs::create_dir(&rows).unwrap();
    // Something in the way of Sydney's folder, as a full or read-only disk would be.
    std::fs::write(rows.join("building_id=73"), b"in the way").unwrap();
    let out = cli(
        dir.path(),
        &[
            &["portfolio", "--connection", V2, "--format", "json"][..],
            &RANGE,
            &["--rows-out", rows.to_str().unwrap()],
        ]
        .concat(),
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    for row in json.as_array().unwrap() {
        let failed = row["building_id"] == 73;
        assert_eq!(row.get("error").is_some(), failed, "{row}");
        assert_eq!(row.get("surplus").is_none(), failed, "{row}");
    }
    let files = parquet_files(&rows);
    // Four buildings, August to October 2026 each.
    assert_eq!(files.len(), 4 * 3, "{files:?}");
    assert!(files.contains(&"building_id=71/month=2026-08/part-0.parquet".to_owned()));
    assert!(!files.iter().any(|f| f.contains("=73")));
}

#[test]
fn export_writes_the_rows_behind_a_zone_view_as_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let rows = dir.path().join("zones");
    cli(
        dir.path(),
        &[
            "export",
            "--connection",
            V2,
            "--building",
            "72",
            "--site",
            "900000225",
            "--granularity",
            "P1D",
            "--from",
            "2026-09-28",
            "--to",
            "2026-10-03",
            "--format",
            "parquet",
            "--out",
            rows.to_str().unwrap(),
        ],
    );
    assert_eq!(
        parquet_files(&rows),
        [
            "building_id=72/month=2026-09/part-0.parquet",
            "building_id=72/month=2026-10/part-0.parquet",
        ]
    );
}
