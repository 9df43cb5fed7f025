//! The report to hand on: one HTML file from a loaded view, on the simulator's full and
//! contract profiles over real HTTP. It stands alone (no address, no script), says where its
//! rows came from, and holds the figures with their definitions and the charts.

mod insights_support;

use insights_support::*;
use occudesk_core::Desk;
use occudesk_core::innerspace::{Granularity, InsightTable};
use occudesk_core::insights::definitions::{DEFINITIONS, definition};
use occudesk_core::insights::shown::Times;
use occudesk_core::vault::Vault;
use occudesk_sim::{SchemaProfile, Sim, SimConfig};

/// What makes a file depend on something outside it, or run code.
fn assert_self_contained(html: &str, what: &str) {
    let lower = html.to_lowercase();
    for needle in [
        "http:", "https:", "<script", "<link", "<img", "@import", "url(", "src=",
    ] {
        assert!(!lower.contains(needle), "{what}: the report holds {needle}");
    }
}

/// A Desk with a v2 connection ("HQ") to a simulator of `schema`, in a temporary folder, and
/// a view of building 71 by `granularity` over `from..=to` loaded twice (the second from memory):
/// the ids of both.
struct Loaded {
    _sim: Sim,
    dir: tempfile::TempDir,
    desk: Desk,
    first: String,
    again: String,
}

async fn load(schema: SchemaProfile, granularity: Granularity, from: &str, to: &str) -> Loaded {
    let config = SimConfig {
        schema,
        ..SimConfig::default()
    };
    let (sim, _) = start_own(config, Flow::V2).await;
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_on(dir.path(), &Vault::memory()).await;
    let connection = connect(&desk, &sim, Flow::V2).await;
    let q = query(InsightTable::BuildingInsights, 71, granularity, from, to);
    let first = open_view(&desk, &connection, &q).await;
    let again = open_view(&desk, &connection, &q).await;
    Loaded {
        _sim: sim,
        dir,
        desk,
        first,
        again,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_stands_alone_and_holds_provenance_figures_and_charts() {
    for schema in [SchemaProfile::Full, SchemaProfile::Contract] {
        // 25 weeks by the hour: enough history for the forecast after it.
        let loaded = load(schema, Granularity::Pt1h, "2026-06-01", "2026-11-22").await;
        let (desk, view, dir) = (&loaded.desk, &loaded.first, &loaded.dir);
        let info = desk.view_info(view).unwrap();
        let html = desk.view_report(view, Times::BuildingLocal).unwrap();
        let what = format!("{schema:?}");
        assert_self_contained(&html, &what);

        // What it covers and where the rows came from.
        for needle in [
            "<h1 id=\"about\">Occupancy report: Chicago Loop HQ</h1>",
            "2026-06-01 to 2026-11-22",
            "Building local time (America/Chicago)",
            "<th scope=\"row\">Connection</th><td>HQ</td>",
            "<th scope=\"row\">From this computer&apos;s cache</th><td>no</td>",
            "<th scope=\"row\">Offline</th><td>no</td>",
            &format!("<th scope=\"row\">Rows</th><td>{}</td>", info.rows),
            &info
                .provenance
                .fetched_at
                .format("%Y-%m-%d %H:%M UTC")
                .to_string(),
        ] {
            assert!(html.contains(needle), "{what}: no {needle}");
        }

        // The figures, each beside its definition, with the values the window shows.
        let summary = desk.view_summary(view, Times::BuildingLocal).unwrap();
        let mean = summary.mean.unwrap();
        let mean_text = if mean >= 100.0 {
            format!("{}", mean.round())
        } else {
            format!("{mean:.1}")
        };
        assert!(
            html.contains(&format!(
                "<th scope=\"row\">Mean</th><td class=\"value\">{mean_text}</td>"
            )),
            "{what}: mean {mean_text}"
        );
        let plan = &desk.view_plan(view, 0.1).unwrap()[0];
        let needed = plan.needed_capacity.unwrap();
        assert!(
            html.contains(&format!(">{} (p90 + 10 %)<", needed.round())),
            "{what}: needed capacity {needed}"
        );
        for id in [
            "peak",
            "mean",
            "mean-occupied",
            "capacity",
            "utilization",
            "utilization-office-hours",
            "busiest-hour-of-the-week",
            "over-capacity",
            "plan-working-days",
            "plan-daily-peak",
            "plan-needed-capacity",
            "plan-capacity",
        ] {
            let sentence = definition(id).replace('\'', "&apos;");
            assert!(html.contains(&sentence), "{what}: no definition of {id}");
        }

        // The time series, the heatmap, the planning chart and the forecast, drawn inline.
        assert_eq!(html.matches("<svg").count(), 4, "{what}");
        assert!(!html.contains("No chart:"), "{what}");
        for heading in [
            "Summary figures",
            "Planning figures",
            "Time series",
            "Heatmap",
            "Planning",
            "Unusual days",
            "Forecast",
        ] {
            assert!(
                html.contains(&format!("\">{heading}</h2>")),
                "{what}: {heading}"
            );
        }
        let anomalies = desk.view_anomalies(view).unwrap();
        for a in &anomalies {
            assert!(
                html.contains(&format!("<li>{}</li>", a.explain())),
                "{what}"
            );
        }

        // Written where asked, the same bytes.
        let path = dir.path().join("report.html");
        desk.export_report(view, &path, Times::BuildingLocal)
            .await
            .unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), html);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_by_the_day_says_what_it_cannot_show_and_a_reload_is_from_memory() {
    let loaded = load(
        SchemaProfile::Full,
        Granularity::P1d,
        "2026-09-01",
        "2026-10-31",
    )
    .await;
    let html = loaded
        .desk
        .view_report(&loaded.again, Times::BuildingLocal)
        .unwrap();
    assert_self_contained(&html, "P1D");
    assert!(html.contains("<th scope=\"row\">From this computer&apos;s cache</th><td>yes</td>"));
    // By the day there is no hour to put in a heatmap, and no hourly history to forecast from.
    assert!(html.contains("No chart: a weekday × hour heatmap needs periods shorter than a day"));
    assert!(html.contains("Not in this report: a forecast reads 12 weeks of hourly history"));
    assert_eq!(html.matches("<svg").count(), 2);
}

/// The README gives each figure's definition word for word: the list the report and the
/// window read is the one the README is checked against.
#[test]
fn every_definition_is_in_the_readme_word_for_word() {
    let readme = include_str!("../../../README.md");
    for (id, sentence) in DEFINITIONS {
        assert!(
            readme.contains(&format!("- {sentence}\n")),
            "README.md lacks the definition of {id}: {sentence}"
        );
    }
}
