//! A loaded view is the unit of work: fetched once with everything its tabs draw from, drawn
//! many times without a request, cancelled as one, bounded in rows. Against the simulator's
//! full and contract profiles, over real HTTP, with its request counters as the witness.

mod insights_support;

use std::path::Path;
use std::time::Duration;

use insights_support::*;
use occudesk_core::innerspace::{Freshness, Granularity, InsightQuery, InsightTable};
use occudesk_core::insights::shown::Times;
use occudesk_core::{
    ChartKind, ChartOptions, Desk, Error, ExportFormat, MAX_PAGE_ROWS, RowSort, RowSortKey,
};
use occudesk_sim::{SchemaProfile, Sim, SimConfig};

const EVERY_CHART: [ChartKind; 7] = [
    ChartKind::TimeSeries,
    ChartKind::Heatmap,
    ChartKind::HeatmapOfficeHours,
    ChartKind::Compare,
    ChartKind::Ranking,
    ChartKind::Planning,
    ChartKind::WeeklyVisits,
];

fn requests(sim: &Sim, flow: Flow) -> u64 {
    sim.counters(flow.client_id()).api_requests
}

/// Everything the window (or the CLI) draws from a view: the summary, every chart, the plan,
/// the plan by zone type, the anomalies, a page of rows and an export of each format.
async fn draw_everything(desk: &Desk, view: &str, out: &Path) {
    desk.view_summary(view, Times::AsSet).unwrap();
    let options = ChartOptions::default();
    for kind in EVERY_CHART {
        // Some charts do not apply to every view (weekly visits are v1's); they answer with
        // an error, never with a fetch.
        let _ = desk.view_chart(view, kind, &options, Times::AsSet);
    }
    desk.view_plan(view, 0.1).unwrap();
    let _ = desk.view_plans_by_zone_type(view, 0.1);
    desk.view_anomalies(view).unwrap();
    desk.view_rows(view, 0, 200, None).unwrap();
    for format in [ExportFormat::Csv, ExportFormat::Svg, ExportFormat::Png] {
        let path = out.join(format!("export.{}", format.extension()));
        desk.export_view(
            view,
            ChartKind::TimeSeries,
            &options,
            format,
            &path,
            Times::AsSet,
        )
        .await
        .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_view_is_loaded_every_tab_is_drawn_without_another_insight_request() {
    let views = [
        (
            Flow::V2,
            InsightTable::BuildingInsights,
            None,
            Granularity::Pt1h,
        ),
        // A floor: several zones summed, by the day (its peaks need the same zones by the hour).
        (
            Flow::V2,
            InsightTable::ZoneInsights,
            Some(900000223),
            Granularity::P1d,
        ),
        (
            Flow::V2,
            InsightTable::BuildingInsights,
            None,
            Granularity::P1w,
        ),
        (
            Flow::V1TopLevel,
            InsightTable::BuildingMetrics,
            None,
            Granularity::Pt1h,
        ),
    ];
    for schema in [SchemaProfile::Full, SchemaProfile::Contract] {
        for (flow, table, site, granularity) in views {
            let config = SimConfig {
                schema,
                ..SimConfig::default()
            };
            let (sim, dir, desk, connection) = own_desk(config, flow).await;
            let building = if flow == Flow::V2 { 71 } else { 73 };
            let mut q = query(table, building, granularity, "2025-03-03", "2025-05-25");
            q.site_id = site;
            let what = format!("{schema:?} {table} {granularity}");

            let view = open_view(&desk, &connection, &q).await;
            let info = desk.view_info(&view).unwrap();
            assert!(info.rows > 0, "{what}");
            assert!(info.requests > 0, "{what}: fetched, not cached");
            let loaded = requests(&sim, flow);
            draw_everything(&desk, &view, dir.path()).await;
            assert_eq!(requests(&sim, flow), loaded, "{what}: drawing asked again");

            // The same view again (the metric list in another order) comes from memory.
            let mut again = q.clone();
            again.metrics = info.scope.metrics.iter().rev().cloned().collect();
            let second = open_view(&desk, &connection, &again).await;
            assert_ne!(second, view);
            assert_eq!(requests(&sim, flow), loaded, "{what}: loaded twice");
            let second = desk.view_info(&second).unwrap();
            assert_eq!(second.requests, 0, "{what}: says it sent none");
            assert!(second.provenance.from_cache, "{what}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_planning_tab_and_the_anomalies_read_the_views_own_rows() {
    let (sim, _dir, desk, connection) = own_desk(SimConfig::default(), Flow::V2).await;
    let q = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2025-03-03",
        "2025-05-25",
    );
    let view = open_view(&desk, &connection, &q).await;
    let info = desk.view_info(&view).unwrap();
    assert_eq!(
        info.scope.metrics,
        ["OCCUPANCY_MAX", "OCCUPANCY_MEAN"],
        "the mean and the peak, in canonical order"
    );
    // The anomalies' eight weeks of history were part of the load, under the view's own
    // metric set: asking for those weeks now costs nothing.
    let before = requests(&sim, Flow::V2);
    let history = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2025-01-06",
        "2025-03-02",
    );
    let rows = desk
        .fetch_insights(
            &connection,
            &InsightQuery {
                metrics: info.scope.metrics.clone(),
                ..history
            },
            Freshness::Usual,
            "history",
            |_| {},
        )
        .await
        .unwrap();
    assert!(!rows.rows.is_empty());
    assert_eq!(
        requests(&sim, Flow::V2),
        before,
        "the history came with the view"
    );

    // Planning's table by zone type reads the zone types by the day: the same daily peaks
    // as a zone-type view by the hour.
    let by_day = desk.view_plans_by_zone_type(&view, 0.1).unwrap();
    let mut types = q.clone();
    types.table = InsightTable::ZoneTypeInsights;
    let by_hour = open_view(&desk, &connection, &types).await;
    let by_hour = desk.view_plan(&by_hour, 0.1).unwrap();
    assert!(!by_day.is_empty());
    assert_eq!(by_day, by_hour);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_every_request_of_a_view_from_the_moment_it_is_asked() {
    let config = SimConfig {
        latency: Duration::from_millis(300),
        ..SimConfig::default()
    };
    let (sim, _dir, desk, connection) = own_desk(config, Flow::V2).await;
    let desk = std::sync::Arc::new(desk);
    let q = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2024-06-01",
        "2025-05-31",
    );

    // Cancelled while the session is still being built: not one insight request.
    let (progress_tx, mut progress_rx) = tokio::sync::mpsc::unbounded_channel();
    let load = {
        let (desk, connection, q) = (desk.clone(), connection.clone(), q.clone());
        tokio::spawn(async move {
            desk.open_view(&connection, &q, Freshness::Usual, "early", |_| {})
                .await
        })
    };
    while !desk.cancel_fetch("early") {
        tokio::task::yield_now().await;
    }
    let early = load.await.unwrap();
    assert!(matches!(early, Err(Error::Cancelled)), "{early:?}");
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(
        requests(&sim, Flow::V2),
        0,
        "nothing asked after an early Cancel"
    );

    // Cancelled once the first part has answered: the other parts stop with it.
    let load = {
        let (desk, connection, q) = (desk.clone(), connection.clone(), q.clone());
        tokio::spawn(async move {
            desk.open_view(&connection, &q, Freshness::Usual, "late", move |p| {
                let _ = progress_tx.send(p);
            })
            .await
        })
    };
    progress_rx.recv().await.expect("a first answer");
    assert!(desk.cancel_fetch("late"));
    let late = load.await.unwrap();
    assert!(matches!(late, Err(Error::Cancelled)), "{late:?}");
    // The simulator counts a request once its latency has passed: let those sent before
    // Cancel be counted, then watch for any sent after it.
    tokio::time::sleep(Duration::from_millis(700)).await;
    let at_cancel = requests(&sim, Flow::V2);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        requests(&sim, Flow::V2),
        at_cancel,
        "a part went on after Cancel"
    );

    // A new load under the same id supersedes (cancels) the one still running.
    let first = {
        let (desk, connection, q) = (desk.clone(), connection.clone(), q.clone());
        tokio::spawn(async move {
            desk.open_view(&connection, &q, Freshness::Usual, "window", |_| {})
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut shorter = q.clone();
    shorter.from = "2025-05-01".parse().unwrap();
    let second = desk
        .open_view(&connection, &shorter, Freshness::Usual, "window", |_| {})
        .await;
    let first = first.await.unwrap();
    assert!(matches!(first, Err(Error::Cancelled)), "{first:?}");
    assert!(second.is_ok(), "{second:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn views_are_kept_within_a_row_budget_and_the_window_gets_rows_a_page_at_a_time() {
    let (sim, _dir, desk, connection) = own_desk(SimConfig::default(), Flow::V2).await;
    let month = |from: &str, to: &str| {
        query(
            InsightTable::BuildingInsights,
            71,
            Granularity::Pt1h,
            from,
            to,
        )
    };
    let a = open_view(&desk, &connection, &month("2025-01-01", "2025-01-31")).await;
    let held = desk.view_info(&a).unwrap().rows;

    // A page is at most MAX_PAGE_ROWS rows, whatever is asked.
    let page = desk.view_rows(&a, 0, 1_000_000, None).unwrap();
    assert_eq!(page.rows.len(), MAX_PAGE_ROWS.min(held));
    assert_eq!(page.total, held);
    let tail = desk.view_rows(&a, held - 3, 200, None).unwrap();
    assert_eq!(tail.rows.len(), 3);
    assert!(
        desk.view_rows(&a, held + 10, 200, None)
            .unwrap()
            .rows
            .is_empty()
    );

    // Views beyond the budget push out the least recently used: room for two of these.
    let budget = held_rows(&desk, &a) * 5 / 2;
    desk.set_view_row_budget(budget);
    let b = open_view(&desk, &connection, &month("2025-02-01", "2025-02-28")).await;
    desk.view_summary(&a, Times::AsSet).unwrap(); // a is now more recent than b
    let c = open_view(&desk, &connection, &month("2025-03-01", "2025-03-31")).await;
    let kept: Vec<bool> = [&a, &b, &c]
        .iter()
        .map(|v| desk.view_info(v).is_ok())
        .collect();
    assert_eq!(
        kept,
        [true, false, true],
        "the least recently used goes first"
    );
    assert!(held_rows(&desk, &a) + held_rows(&desk, &c) <= budget);
    let gone = desk.view_summary(&b, Times::AsSet).unwrap_err();
    assert!(gone.to_string().contains("Choose Load again"), "{gone}");

    // Too big for the budget: refused before any row is fetched, with what to do instead.
    let rows_before = sim.counters(Flow::V2.client_id()).rows;
    let mut years = month("2023-06-01", "2025-05-31");
    years.granularity = Granularity::Pt15m;
    let refused = desk
        .open_view(&connection, &years, Freshness::Usual, "big", |_| {})
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "input.invalid");
    let message = refused.to_string();
    assert!(message.contains("Hour instead of 15 minutes"), "{message}");
    assert!(message.contains("more than the"), "{message}");
    assert_eq!(sim.counters(Flow::V2.client_id()).rows, rows_before);
    assert!(desk.view_info(&c).is_ok(), "a refused view drops nothing");
}

fn held_rows(desk: &Desk, view: &str) -> u64 {
    desk.view_info(view).unwrap().held_rows
}

/// Every row of a view in `sort`'s order, read a page at a time as the window does.
fn all_rows(
    desk: &Desk,
    view: &str,
    sort: Option<RowSort>,
) -> Vec<occudesk_core::insights::InsightRow> {
    let mut rows = Vec::new();
    loop {
        let page = desk
            .view_rows(view, rows.len(), MAX_PAGE_ROWS, sort)
            .unwrap();
        if page.rows.is_empty() {
            return rows;
        }
        rows.extend(page.rows);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_table_sorts_the_whole_view_by_any_column_either_way_page_by_page() {
    let (sim, _dir, desk, connection) = own_desk(SimConfig::default(), Flow::V2).await;
    // A floor by the hour for two weeks: its zones' rows, more than one page.
    let mut q = query(
        InsightTable::ZoneInsights,
        71,
        Granularity::Pt1h,
        "2025-03-03",
        "2025-03-16",
    );
    q.site_id = Some(900000222);
    let view = open_view(&desk, &connection, &q).await;
    let by_time = all_rows(&desk, &view, None);
    assert!(by_time.len() > MAX_PAGE_ROWS, "{} rows", by_time.len());
    let columns = desk.view_rows(&view, 0, 1, None).unwrap().columns;
    let loaded = requests(&sim, Flow::V2);

    for (column, name) in columns.iter().enumerate() {
        for descending in [false, true] {
            let sort = RowSort {
                by: RowSortKey::Value,
                column,
                descending,
            };
            let rows = all_rows(&desk, &view, Some(sort));
            assert_eq!(rows.len(), by_time.len(), "{name}: every row, once");
            let values: Vec<Option<f64>> = rows.iter().map(|r| r.values[column]).collect();
            let known: Vec<f64> = values.iter().flatten().copied().collect();
            // Missing values last, whichever the direction; the others in order.
            assert!(values[..known.len()].iter().all(Option::is_some), "{name}");
            let mut expected = known.clone();
            expected.sort_by(|a, b| {
                if descending {
                    b.total_cmp(a)
                } else {
                    a.total_cmp(b)
                }
            });
            assert_eq!(known, expected, "{name} descending={descending}");
        }
    }
    // Where: by zone name; ties keep time order.
    let rows = all_rows(
        &desk,
        &view,
        Some(RowSort {
            by: RowSortKey::Where,
            column: 0,
            descending: false,
        }),
    );
    let detail = desk.building_detail(&connection, 71).await.unwrap();
    let name = |zone: Option<i64>| {
        detail
            .zones
            .iter()
            .find(|z| Some(z.id) == zone)
            .and_then(|z| z.name.clone())
            .unwrap_or_default()
    };
    for pair in rows.windows(2) {
        let (a, b) = (name(pair[0].zone_id), name(pair[1].zone_id));
        assert!(
            a < b || (a == b && pair[0].start_utc <= pair[1].start_utc),
            "{a} {b}"
        );
    }
    // Time, descending: the exact reverse of the service's order when times are distinct per zone.
    let newest_first = all_rows(
        &desk,
        &view,
        Some(RowSort {
            by: RowSortKey::Time,
            column: 0,
            descending: true,
        }),
    );
    assert!(
        newest_first
            .windows(2)
            .all(|p| p[0].start_utc >= p[1].start_utc)
    );
    // A column the table does not have is refused, with no row and no request.
    let refused = desk.view_rows(
        &view,
        0,
        10,
        Some(RowSort {
            by: RowSortKey::Value,
            column: columns.len(),
            descending: false,
        }),
    );
    assert_eq!(refused.unwrap_err().code(), "input.invalid");
    assert_eq!(
        requests(&sim, Flow::V2),
        loaded,
        "sorting asked the service"
    );
}
