//! Plan ahead through the Desk on demo data: a forecast's history is loaded as a view and
//! every later figure (another capacity, the chart, the exports) is read from it; a what-if of
//! one floor is that floor's plan.

mod insights_support;

use insights_support::*;
use occudesk_core::innerspace::{Granularity, InsightQuery, InsightTable};
use occudesk_core::{ChartOptions, ExportFormat, ForecastOptions, SpaceRef, WhatIfRequest};

const V2: &str = "demo-innerspace-v2";
const LEVEL_1: i64 = 900000222;

fn level_1(g: Granularity, from: &str, to: &str) -> InsightQuery {
    InsightQuery {
        site_id: Some(LEVEL_1),
        ..query(InsightTable::ZoneInsights, 71, g, from, to)
    }
}

#[tokio::test]
async fn a_forecast_is_read_from_its_history_view_for_any_capacity_and_exported() {
    let dir = tempfile::tempdir().unwrap();
    let desk = demo_desk(dir.path()).await;
    let options = ForecastOptions {
        as_of: Some(date("2026-11-20")),
        ..Default::default()
    };
    let loaded = desk
        .open_forecast(
            V2,
            &level_1(Granularity::P1d, "2026-01-01", "2026-01-31"),
            &options,
            "test",
            |_| {},
        )
        .await
        .unwrap();
    // By the hour, 12 weeks of history and the backtest's 8 before them, up to as_of.
    let scope = &loaded.view.scope;
    assert_eq!(scope.granularity, Granularity::Pt1h);
    assert_eq!(
        (scope.from, scope.to),
        (date("2026-07-04"), date("2026-11-20"))
    );
    let f = &loaded.forecast;
    assert_eq!(
        f.capacity,
        Some(97.0),
        "the floor's own capacity by default"
    );
    assert_eq!(f.weekdays.len(), 5);

    // Another capacity: read from the same view (no fetch: view_forecast is not async).
    let id = &loaded.view.id;
    let all_over = desk
        .view_forecast(
            id,
            &ForecastOptions {
                capacity: Some(1.0),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        all_over.as_of,
        date("2026-11-20"),
        "as_of: the view's last day"
    );
    assert!(
        all_over
            .weekdays
            .iter()
            .all(|w| w.overflow_risk == Some(1.0))
    );
    assert_eq!(all_over.expected_days_above_capacity, Some(40.0));
    // A longer history than was loaded is refused, not computed from part of it.
    let longer = desk.view_forecast(
        id,
        &ForecastOptions {
            history_weeks: Some(30),
            ..Default::default()
        },
    );
    assert!(
        longer.is_err_and(|e| e.to_string().contains("Load it again")),
        "a forecast from part of its history"
    );

    let chart = ChartOptions::default();
    for (format, check) in [
        (ExportFormat::Csv, b"weekday,history_days,p10" as &[u8]),
        (ExportFormat::Svg, b"<svg"),
        (ExportFormat::Png, b"\x89PNG"),
    ] {
        let path = dir.path().join(format!("forecast.{}", format.extension()));
        desk.export_forecast(id, &options, &chart, format, &path)
            .await
            .unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(check), "{format:?}");
        if format == ExportFormat::Csv {
            assert_eq!(String::from_utf8(bytes).unwrap().lines().count(), 6);
        }
    }
    let drawn = desk.view_forecast_chart(id, &options, &chart).unwrap();
    assert_eq!(drawn.bands.len(), 5);
    assert!(drawn.svg.contains("capacity 97"));
}

#[tokio::test]
async fn a_what_if_of_one_floor_is_its_plan_and_bad_requests_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let desk = demo_desk(dir.path()).await;
    let request = WhatIfRequest {
        building_id: Some(71),
        spaces: vec![SpaceRef::Site(LEVEL_1)],
        group_id: None,
        from: date("2026-09-01"),
        to: date("2026-10-31"),
        buffer: 0.1,
        capacity: None,
    };
    let w = desk.what_if(V2, &request, "test", |_| {}).await.unwrap();
    let view = open_view(
        &desk,
        V2,
        &level_1(Granularity::Pt1h, "2026-09-01", "2026-10-31"),
    )
    .await;
    let plan = desk.view_plan(&view, 0.1).unwrap().remove(0);
    assert_eq!(w.p90_daily_peak, plan.p90_daily_peak);
    assert_eq!(w.needed_capacity, plan.needed_capacity);
    assert_eq!(w.spaces[0].capacity, plan.capacity);
    assert_eq!(w.spaces[0].label, "Level 1");

    for bad in [
        WhatIfRequest {
            spaces: vec![],
            ..request.clone()
        },
        WhatIfRequest {
            buffer: -1.0,
            ..request.clone()
        },
        WhatIfRequest {
            capacity: Some(f64::INFINITY),
            ..request.clone()
        },
        WhatIfRequest {
            building_id: None,
            ..request.clone()
        },
    ] {
        let e = desk.what_if(V2, &bad, "test", |_| {}).await.unwrap_err();
        assert_eq!(e.code(), "input.invalid", "{bad:?}: {e}");
    }
}
