//! Insight queries against the simulator: entities, fetches equal to reference fetches, v1
//! pivoting, DST days, validation, GraphQL errors and the memo.

mod insights_support;

use std::sync::Arc;

use insights_support::*;
use occudesk_core::innerspace::{Granularity, InsightTable, Insights, graphql};
use occudesk_core::insights::csv::to_csv_string;
use occudesk_sim::{Fault, SimConfig, demo};
use serde_json::json;
use tokio_util::sync::CancellationToken;

fn no_progress(_: occudesk_core::innerspace::FetchProgress) {}

#[tokio::test]
async fn v2_entities_have_zones_capacity_and_time_zones() {
    let (_sim, session) = start(SimConfig::default(), Flow::V2).await;
    let insights = sim_insights();
    let buildings = insights.buildings(&session).await.unwrap();
    let zone = |id: i64| {
        buildings
            .iter()
            .find(|b| b.id == id)
            .map(|b| b.time_zone.as_str())
    };
    assert_eq!(zone(71), Some("America/Chicago"));
    assert_eq!(zone(72), Some("Europe/London"));
    assert_eq!(zone(73), Some("Australia/Sydney"));
    assert_eq!(buildings[0].name, "Chicago Loop HQ");

    let detail = insights.building_detail(&session, 71).await.unwrap();
    assert_eq!(detail.building.time_zone, "America/Chicago");
    assert_eq!(
        (detail.floors.len(), detail.sites.len(), detail.zones.len()),
        (3, 3, 18)
    );
    assert!(detail.sites.iter().any(|s| s.id == 900000222));
    let sum: f64 = detail.zones.iter().filter_map(|z| z.capacity).sum();
    assert_eq!(detail.capacity, Some(sum));
    assert!(sum > 0.0);
    assert!(detail.zone_types.contains(&"MEETING_ROOM".to_owned()));

    let err = insights.building_detail(&session, 99).await.unwrap_err();
    assert_eq!(err.code(), "input.invalid");
    assert!(err.to_string().contains("no building 99"), "{err}");
}

#[tokio::test]
async fn v1_entities_infer_time_zones_from_local_midnights() {
    let (_sim, session) = start(SimConfig::default(), Flow::V1TopLevel).await;
    let insights = sim_insights();
    let buildings = insights.buildings(&session).await.unwrap();
    let zone = |id: i64| {
        buildings
            .iter()
            .find(|b| b.id == id)
            .map(|b| (b.time_zone.as_str(), b.time_zone_known))
    };
    assert_eq!(zone(71), Some(("America/Chicago", true)));
    assert_eq!(zone(72), Some(("Europe/London", true)));
    assert_eq!(zone(73), Some(("Australia/Sydney", true)));
    assert_eq!(zone(75), Some(("America/Phoenix", true)));

    let detail = insights.building_detail(&session, 73).await.unwrap();
    assert_eq!(detail.building.time_zone, "Australia/Sydney");
    assert_eq!((detail.sites.len(), detail.zones.len()), (2, 12));
    assert!(detail.zones.iter().all(|z| z.capacity.is_some()));
    assert!(detail.capacity.unwrap() > 0.0);
    assert_eq!(
        insights
            .building_detail(&session, 99)
            .await
            .unwrap_err()
            .code(),
        "input.invalid"
    );
}

#[tokio::test]
async fn a_90_day_hourly_fetch_equals_one_request_per_day() {
    let (sim, session) = start(SimConfig::default(), Flow::V2).await;
    let insights = sim_insights();
    let q = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2025-02-01",
        "2025-05-01",
    );
    let progress = std::sync::Mutex::new(Vec::new());
    let result = insights
        .fetch(
            &session,
            &q,
            |p| progress.lock().unwrap().push(p),
            &CancellationToken::new(),
        )
        .await
        .unwrap();
    let reference =
        per_day_reference(&session, 71, Granularity::Pt1h, "2025-02-01", "2025-05-01").await;
    assert_eq!(reference.len(), 90 * 24 - 1, "one 23-hour day");
    assert_eq!(engine_pairs(&result), reference);
    assert_eq!(result.time_zone, "America/Chicago");
    assert_eq!(result.columns, ["OCCUPANCY_MEAN"]);
    assert!(result.chunks >= 2 && result.requests >= result.chunks);
    let last = *progress.lock().unwrap().last().unwrap();
    assert_eq!(last.chunks_done, last.chunks_total);
    assert_eq!(last.rows, reference.len() as u64);
    let first = &result.rows[0];
    assert_eq!(first.start_local.to_rfc3339(), "2025-02-01T00:00:00-06:00");
    assert_eq!(first.date_partition, 20250201);

    // Memo: the same query again sends nothing.
    let before = sim.counters(demo::V2_CLIENT_ID).api_requests;
    let again = insights
        .fetch(&session, &q, no_progress, &CancellationToken::new())
        .await
        .unwrap();
    assert!(Arc::ptr_eq(&result, &again));
    assert_eq!(sim.counters(demo::V2_CLIENT_ID).api_requests, before);
    // Forgetting the connection drops it.
    insights.forget_connection(&session.connection().id);
    assert!(insights.cached(&session, &q).is_none());
}

#[tokio::test]
async fn dst_days_have_23_and_25_hourly_rows() {
    let (_sim, session) = start(SimConfig::default(), Flow::V2).await;
    let insights = sim_insights();
    for (building, day, hours) in [
        (71, "2025-03-09", 23),
        (71, "2025-11-02", 25),
        (73, "2025-10-05", 23),
        (73, "2025-04-06", 25),
    ] {
        let q = query(
            InsightTable::BuildingInsights,
            building,
            Granularity::Pt1h,
            day,
            day,
        );
        let result = insights
            .fetch(&session, &q, no_progress, &CancellationToken::new())
            .await
            .unwrap();
        assert_eq!(result.rows.len(), hours, "{building} {day}");
        let locals: Vec<String> = result
            .rows
            .iter()
            .map(|r| r.start_local.to_rfc3339())
            .collect();
        assert!(
            locals[0].starts_with(&format!("{day}T00:00:00")),
            "{locals:?}"
        );
        // Local labels never repeat an instant and the fall-back hour appears twice with two offsets.
        let mut unique = locals.clone();
        unique.dedup();
        assert_eq!(unique.len(), hours);
        assert!(
            result
                .rows
                .iter()
                .all(|r| r.date_partition.to_string() == day.replace('-', ""))
        );
    }
}

#[tokio::test]
async fn v1_pivot_gives_the_numbers_of_the_long_rows() {
    let (sim, session) = start(SimConfig::default(), Flow::V1Nested).await;
    let insights = sim_insights();
    let metrics = insights
        .metrics(&session, InsightTable::BuildingMetrics)
        .await
        .unwrap();
    assert_eq!(metrics[0], "occupancy_mean");
    assert!(metrics.contains(&"occupancy_mean_room".to_owned()));
    let mut q = query(
        InsightTable::BuildingMetrics,
        72,
        Granularity::Pt1h,
        "2025-03-29",
        "2025-04-02",
    );
    q.metrics = vec!["occupancy_mean".into(), "occupancy_max".into()];
    let result = insights
        .fetch(&session, &q, no_progress, &CancellationToken::new())
        .await
        .unwrap();
    // Columns come in canonical (sorted) order, whatever order they were asked in.
    assert_eq!(result.columns, ["occupancy_max", "occupancy_mean"]);
    assert_eq!(
        result.rows.len(),
        5 * 24 - 1,
        "London springs forward on 30 March"
    );
    assert_eq!(result.time_zone, "Europe/London");

    let long = graphql::execute(
        &session,
        "Long",
        "query Long($from: timestamptz!, $to: timestamptz!, $group: String!) { building_metrics(where: {building_id: {_eq: 72}, granularity: {_eq: \"PT1H\"}, group_id: {_eq: $group},
           metric_name: {_in: [\"occupancy_mean\", \"occupancy_max\"]}, date_time_start: {_gte: $from, _lt: $to}}, limit: 10000) { date_time_start metric_name metric_value } }",
        json!({"from": "2025-03-29T00:00:00Z", "to": "2025-04-02T23:00:00Z", "group": sim.v1_group_id()}),
    )
    .await
    .unwrap();
    let long = long["building_metrics"].as_array().unwrap();
    assert_eq!(long.len(), result.rows.len() * 2);
    for row in long {
        let start =
            occudesk_core::insights::time::parse_utc(row["date_time_start"].as_str().unwrap())
                .unwrap();
        let col = if row["metric_name"] == "occupancy_mean" {
            1
        } else {
            0
        };
        let ours = result
            .rows
            .iter()
            .find(|r| r.start_utc == start)
            .expect("row for every start");
        assert_eq!(ours.values[col], row["metric_value"].as_f64());
    }
    let csv = to_csv_string(&result);
    assert!(csv.starts_with("local_time,utc_time,time_zone,building_id,occupancy_max,occupancy_mean\n2025-03-29T00:00:00+00:00,2025-03-29T00:00:00Z,Europe/London,72,"));
}

#[tokio::test]
async fn v1_features_become_columns() {
    let (_sim, session) = start(SimConfig::default(), Flow::V1TopLevel).await;
    let insights = sim_insights();
    let q = query(
        InsightTable::BuildingFeatures,
        71,
        Granularity::P1w,
        "2025-01-01",
        "2025-03-31",
    );
    let result = insights
        .fetch(&session, &q, no_progress, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(result.columns.len(), 7);
    assert_eq!(result.columns[0], "weekly_frequency_dist.1");
    assert!(result.rows.len() >= 12);
    for row in &result.rows {
        let sum: f64 = row.values.iter().map(|v| v.unwrap()).sum();
        assert!((sum - 1.0).abs() < 0.01, "{sum}");
        assert_eq!(row.start_local.format("%a %H:%M").to_string(), "Mon 00:00");
    }
}

#[tokio::test]
async fn zone_and_zone_type_tables_with_several_metrics() {
    let (_sim, session) = start(SimConfig::default(), Flow::V2).await;
    let insights = sim_insights();
    let metrics = insights
        .metrics(&session, InsightTable::ZoneInsights)
        .await
        .unwrap();
    for m in [
        "OCCUPANCY_MEAN",
        "OCCUPANCY_MAX",
        "OCCUPANCY_POS_MEAN",
        "OCCUPANCY_PERCENT_CAPACITY_MEAN",
        "CAPACITY",
    ] {
        assert!(metrics.iter().any(|x| x == m), "{m} in {metrics:?}");
    }
    assert!(
        !metrics
            .iter()
            .any(|x| x.ends_with("_ID") || x == "DATE_PARTITION")
    );
    let mut q = query(
        InsightTable::ZoneInsights,
        71,
        Granularity::P1d,
        "2025-06-01",
        "2025-06-30",
    );
    q.metrics = vec!["OCCUPANCY_MAX".into(), "CAPACITY".into()];
    let result = insights
        .fetch(&session, &q, no_progress, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(result.rows.len(), 30 * 18);
    assert!(
        result
            .rows
            .windows(2)
            .all(|w| (w[0].start_utc, w[0].zone_id) < (w[1].start_utc, w[1].zone_id))
    );
    let mut q = query(
        InsightTable::ZoneTypeInsights,
        71,
        Granularity::P1d,
        "2025-06-01",
        "2025-06-30",
    );
    q.zone_type = Some("MEETING_ROOM".into());
    let result = insights
        .fetch(&session, &q, no_progress, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(result.rows.len(), 30);
    assert!(
        result
            .rows
            .iter()
            .all(|r| r.zone_type.as_deref() == Some("MEETING_ROOM"))
    );
}

#[tokio::test]
async fn user_mistakes_are_clear_input_errors() {
    let (sim, session) = start(SimConfig::default(), Flow::V2).await;
    let insights = sim_insights();
    let cancel = CancellationToken::new();
    let reversed = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2025-02-01",
        "2025-01-01",
    );
    let err = insights
        .fetch(&session, &reversed, no_progress, &cancel)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "input.invalid");
    assert!(err.to_string().contains("after the end date"));

    let future = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2030-01-01",
        "2030-01-31",
    );
    let err = insights
        .fetch(&session, &future, no_progress, &cancel)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "input.invalid");
    assert!(err.to_string().contains("future"), "{err}");

    let mut unknown = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2025-01-01",
        "2025-01-02",
    );
    unknown.metrics = vec!["OCCUPANCY_MEDIAN".into()];
    let err = insights
        .fetch(&session, &unknown, no_progress, &cancel)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "input.invalid");
    assert!(
        err.to_string().contains("OCCUPANCY_MEDIAN") && err.to_string().contains("OCCUPANCY_MAX"),
        "{err}"
    );

    let unknown_building = query(
        InsightTable::BuildingInsights,
        99,
        Granularity::Pt1h,
        "2025-01-01",
        "2025-01-02",
    );
    let err = insights
        .fetch(&session, &unknown_building, no_progress, &cancel)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "input.invalid");

    let wrong_api = query(
        InsightTable::BuildingMetrics,
        71,
        Granularity::Pt1h,
        "2025-01-01",
        "2025-01-02",
    );
    assert_eq!(
        insights
            .fetch(&session, &wrong_api, no_progress, &cancel)
            .await
            .unwrap_err()
            .code(),
        "input.invalid"
    );

    // Before the published history: an empty result that says so.
    let empty = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt15m,
        "2023-01-01",
        "2023-01-31",
    );
    let result = insights
        .fetch(&session, &empty, no_progress, &cancel)
        .await
        .unwrap();
    assert!(result.rows.is_empty());
    assert!(
        result
            .notice
            .as_deref()
            .unwrap()
            .contains("by 15 minutes. 15-minute data is being retired")
    );

    // A GraphQL error in a 200 answer.
    let err = graphql::execute(&session, "Bad", "{ BUILDING_INSIGHTS { NOPE } }", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "graphql.error");
    assert!(err.to_string().contains("NOPE"), "{err}");

    // An HTML page instead of an answer.
    sim.script_faults("/v2/api", vec![Fault::HtmlPage]);
    let q = query(
        InsightTable::BuildingInsights,
        72,
        Granularity::P1d,
        "2025-01-01",
        "2025-01-31",
    );
    let err = insights
        .fetch(&session, &q, no_progress, &cancel)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "api.unexpected_response");
    assert!(!err.to_string().contains("Network login"));
}

#[tokio::test]
async fn v1_group_filter_comes_from_the_query_or_the_connection() {
    let (sim, session) = start(SimConfig::default(), Flow::V1TopLevel).await;
    let insights = sim_insights();
    let cancel = CancellationToken::new();
    let mut q = query(
        InsightTable::SiteMetrics,
        71,
        Granularity::P1d,
        "2025-05-01",
        "2025-05-10",
    );
    let all = insights
        .fetch(&session, &q, no_progress, &cancel)
        .await
        .unwrap();
    assert_eq!(all.rows.len(), 10 * 3, "three sites, no group filter");
    q.group_id = Some(sim.v1_group_id());
    let everyone = insights
        .fetch(&session, &q, no_progress, &cancel)
        .await
        .unwrap();
    assert_eq!(everyone.rows, all.rows);
    q.group_id = Some("all-someone-else".into());
    let other = insights
        .fetch(&session, &q, no_progress, &cancel)
        .await
        .unwrap();
    assert!(other.rows.is_empty() && other.notice.is_some());
}

/// The shell runs fetches inside async Tauri commands, which need `Send` futures.
#[allow(dead_code)]
fn fetch_future_is_send(
    insights: &Insights,
    session: &Arc<occudesk_core::auth::Session>,
    q: &occudesk_core::innerspace::InsightQuery,
) {
    fn assert_send<T: Send>(_: &T) {}
    let cancel = CancellationToken::new();
    let future = insights.fetch(session, q, no_progress, &cancel);
    assert_send(&future);
    let detail = insights.building_detail(session, 71);
    assert_send(&detail);
}
