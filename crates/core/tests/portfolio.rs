//! The portfolio: every building's row equals what `summary` and `plan` say of that building
//! for the same range (both schema profiles, v2 and v1), a second load comes from the cache
//! without an insight request, and a Cancel stops it. Against the simulator over real HTTP.

mod insights_support;

use std::sync::Mutex;

use insights_support::*;
use occudesk_core::innerspace::{Freshness, Granularity, InsightTable};
use occudesk_core::insights::portfolio::TargetBand;
use occudesk_core::insights::shown::Times;
use occudesk_core::vault::Vault;
use occudesk_core::{Desk, Error, PortfolioProgress, PortfolioRequest};
use occudesk_sim::{SchemaProfile, SimConfig};

const FROM: &str = "2026-06-01";
const TO: &str = "2026-08-30";

fn request(from: &str, to: &str) -> PortfolioRequest {
    PortfolioRequest {
        from: date(from),
        to: date(to),
        buffer: 0.1,
        target: TargetBand::default(),
        freshness: Freshness::Usual,
    }
}

/// Every row of the portfolio against a building view of the same range: the summary's and
/// the plan's figures, bit for bit; the trend against a view of the range before.
async fn rows_equal_summary_and_plan(desk: &Desk, connection: &str, table: InsightTable) {
    let seen = Mutex::new(Vec::new());
    let portfolio = desk
        .portfolio(
            connection,
            request(FROM, TO),
            "portfolio",
            |p| seen.lock().unwrap().push(p),
            None,
        )
        .await
        .unwrap();
    let buildings = desk.buildings(connection).await.unwrap();
    assert_eq!(portfolio.buildings.len(), buildings.len());
    assert!(buildings.len() >= 5);
    // One progress: every building counted once, ending "n of n".
    let seen = seen.into_inner().unwrap();
    let total = buildings.len() as u32;
    assert_eq!(
        seen.last().map(|p| (p.buildings_done, p.buildings_total)),
        Some((total, total))
    );
    assert!(
        seen.windows(2)
            .all(|w| w[0].buildings_done <= w[1].buildings_done)
    );

    for row in &portfolio.buildings {
        let f = row
            .figures
            .as_ref()
            .unwrap_or_else(|| panic!("{}: {:?}", row.name, row.error));
        let q = query(table, row.building_id, Granularity::Pt1h, FROM, TO);
        let view = open_view(desk, connection, &q).await;
        let s = desk.view_summary(&view, Times::BuildingLocal).unwrap();
        let plans = desk.view_plan(&view, 0.1).unwrap();
        let [p] = plans.as_slice() else {
            panic!("one plan")
        };
        assert_eq!(f.capacity, s.capacity, "{}", row.name);
        assert_eq!(f.utilization_mean_pct, s.utilization_mean_pct);
        assert_eq!(f.utilization_peak_pct, s.utilization_peak_pct);
        assert_eq!(f.p90_daily_peak, p.p90_daily_peak);
        assert_eq!(f.needed_capacity, p.needed_capacity);
        assert_eq!(f.surplus, p.surplus);
        assert_eq!(f.surplus_pct, p.surplus_pct);
        assert_eq!(f.working_days, p.working_days);
        assert!(f.working_days > 50, "{} working days", f.working_days);
        let fill = 100.0 * s.mean_occupied.unwrap() / s.capacity.unwrap();
        assert_eq!(f.occupied_fill_pct, Some(fill));
        let used = f.time_used_pct.unwrap();
        assert!((0.0..=100.0).contains(&used) && used > 0.0, "{used}");
        assert!(f.days_over_target.unwrap() <= f.working_days);

        // The range of equal length before: 2026-03-02 to 2026-05-31 (91 days).
        let before = query(
            table,
            row.building_id,
            Granularity::Pt1h,
            "2026-03-02",
            "2026-05-31",
        );
        let before = open_view(desk, connection, &before).await;
        let b = desk.view_summary(&before, Times::BuildingLocal).unwrap();
        assert_eq!(
            f.trend_pts,
            Some(s.utilization_mean_pct.unwrap() - b.utilization_mean_pct.unwrap())
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_building_equals_its_summary_and_plan_on_both_profiles_and_both_versions() {
    for (schema, flow, table) in [
        (
            SchemaProfile::Full,
            Flow::V2,
            InsightTable::BuildingInsights,
        ),
        (
            SchemaProfile::Contract,
            Flow::V2,
            InsightTable::BuildingInsights,
        ),
        (
            SchemaProfile::Full,
            Flow::V1TopLevel,
            InsightTable::BuildingMetrics,
        ),
    ] {
        let config = SimConfig {
            schema,
            ..SimConfig::default()
        };
        let (_sim, _dir, desk, connection) = own_desk(config, flow).await;
        rows_equal_summary_and_plan(&desk, &connection, table).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_larger_portfolio_loads_again_from_the_cache_without_an_insight_request() {
    let config = SimConfig {
        buildings: 14,
        ..SimConfig::default()
    };
    let (sim, _) = start_own(config, Flow::V2).await;
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::memory();
    let desk = desk_on(dir.path(), &vault).await;
    let connection = connect(&desk, &sim, Flow::V2).await;
    let first = desk
        .portfolio(&connection, request(FROM, TO), "p", |_| {}, None)
        .await
        .unwrap();
    assert_eq!(first.buildings.len(), 14);
    assert!(first.requests > 0);
    assert!(first.buildings.iter().all(|r| r.figures.is_some()));
    // Southern buildings (generated ones too) are in the portfolio with their own figures.
    let names: Vec<&str> = first.buildings.iter().map(|r| r.name.as_str()).collect();
    assert!(names.contains(&"Melbourne Docklands"), "{names:?}");

    let before = sim.counters(Flow::V2.client_id()).api_requests;
    // A new desk on the same folder: nothing in memory, the days in the cache.
    drop(desk);
    let desk = desk_on(dir.path(), &vault).await;
    let again = desk
        .portfolio(&connection, request(FROM, TO), "p", |_| {}, None)
        .await
        .unwrap();
    assert_eq!(again.requests, 0);
    assert_eq!(again.buildings, first.buildings);
    assert_eq!(sim.counters(Flow::V2.client_id()).api_requests, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_building_failing_keeps_its_error_in_its_row_and_the_others_stay() {
    let (_sim, _dir, desk, connection) = own_desk(SimConfig::default(), Flow::V2).await;
    // A sink that cannot take building 73's rows (as a full disk would refuse a file).
    let sink = |detail: &occudesk_core::innerspace::BuildingDetail,
                _: &occudesk_core::insights::InsightResult| {
        if detail.building.id == 73 {
            return Err(Error::invalid("rowsOut", "No room left for Sydney's rows."));
        }
        Ok(())
    };
    let portfolio = desk
        .portfolio(&connection, request(FROM, TO), "p", |_| {}, Some(&sink))
        .await
        .unwrap();
    for row in &portfolio.buildings {
        if row.building_id == 73 {
            assert!(row.figures.is_none());
            assert!(row.error.as_deref().unwrap().contains("No room left"));
        } else {
            assert!(row.figures.is_some() && row.error.is_none(), "{row:?}");
        }
    }
    // In the JSON a failed row has its id, name and error, and no figure.
    let json = serde_json::to_value(&portfolio.buildings).unwrap();
    let failed = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["building_id"] == 73)
        .unwrap();
    assert!(failed.get("surplus").is_none() && failed["name"] == "Sydney Barangaroo");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_the_whole_portfolio() {
    let config = SimConfig {
        latency: std::time::Duration::from_millis(200),
        ..SimConfig::default()
    };
    let (_sim, _dir, desk, connection) = own_desk(config, Flow::V2).await;
    let load = desk.portfolio(
        &connection,
        request("2025-11-01", "2026-10-31"),
        "p",
        |_: PortfolioProgress| {},
        None,
    );
    let cancel = async {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert!(desk.cancel_fetch("p"));
    };
    let (outcome, ()) = tokio::join!(load, cancel);
    assert!(matches!(outcome, Err(Error::Cancelled)), "{outcome:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_range_that_ends_before_it_starts_or_a_band_upside_down_is_refused() {
    let (_sim, _dir, desk, connection) = own_desk(SimConfig::default(), Flow::V2).await;
    let backwards = desk
        .portfolio(&connection, request(TO, FROM), "p", |_| {}, None)
        .await;
    assert!(backwards.unwrap_err().to_string().contains("after it ends"));
    let band = TargetBand {
        low_pct: 90,
        high_pct: 80,
    };
    let upside_down = PortfolioRequest {
        target: band,
        ..request(FROM, TO)
    };
    assert!(
        desk.portfolio(&connection, upside_down, "p", |_| {}, None)
            .await
            .is_err()
    );
    assert!(desk.set_target_band(band).await.is_err());
    let fine = TargetBand {
        low_pct: 50,
        high_pct: 75,
    };
    desk.set_target_band(fine).await.unwrap();
    assert_eq!(desk.settings().target_band, fine);
}
