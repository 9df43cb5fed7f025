//! Figures of a sum of zones (a v2 site read as its zones) through the Desk on demo data: the
//! peak is the busiest hour of the summed zone means whatever granularity was loaded, never the
//! sum of the zones' maxima. (The CLI test `every_analyst_command_works_on_demo_data_in_both_
//! schema_profiles` runs the same figures on a contract-only tenant.)

mod insights_support;

use std::collections::BTreeMap;

use insights_support::*;
use occudesk_core::innerspace::{Granularity, InsightQuery, InsightTable};
use occudesk_core::insights::columns::PeakBasis;
use occudesk_core::insights::shown::Times;

const V2: &str = "demo-innerspace-v2";

fn site_march(g: Granularity, metrics: &[&str]) -> InsightQuery {
    InsightQuery {
        site_id: Some(900000222),
        metrics: metrics.iter().map(|m| (*m).to_owned()).collect(),
        ..query(
            InsightTable::ZoneInsights,
            71,
            g,
            "2025-03-01",
            "2025-03-31",
        )
    }
}

#[tokio::test]
async fn a_sites_peak_and_p90_are_the_same_by_the_hour_and_by_the_day() {
    let dir = tempfile::tempdir().unwrap();
    let desk = demo_desk(dir.path()).await;
    let (by_hour, by_day) = (
        open_view(&desk, V2, &site_march(Granularity::Pt1h, &[])).await,
        open_view(&desk, V2, &site_march(Granularity::P1d, &[])).await,
    );
    let hourly = desk.view_summary(&by_hour, Times::BuildingLocal).unwrap();
    let daily = desk.view_summary(&by_day, Times::BuildingLocal).unwrap();
    assert_eq!(hourly.peak_basis, Some(PeakBasis::HourlySumOfZoneMeans));
    assert_eq!(hourly.peak_label, Some("peak hour, sum of zone means"));
    assert_eq!(daily.peak_basis, hourly.peak_basis);
    assert_eq!(daily.peak, hourly.peak);
    assert_eq!(daily.utilization_peak_pct, hourly.utilization_peak_pct);

    let p_hourly = desk.view_plan(&by_hour, 0.1).unwrap();
    let p_daily = desk.view_plan(&by_day, 0.1).unwrap();
    assert_eq!(p_daily[0].p90_daily_peak, p_hourly[0].p90_daily_peak);
    assert_eq!(p_daily[0].needed_capacity, p_hourly[0].needed_capacity);

    // Independently: the zones' hourly rows, summed per hour by hand.
    let session = desk.session(V2).await.unwrap();
    let rows = sim_insights()
        .fetch(
            &session,
            &site_march(Granularity::Pt1h, &["OCCUPANCY_MEAN", "OCCUPANCY_MAX"]),
            |_| {},
            &tokio_util::sync::CancellationToken::new(),
        )
        .await
        .unwrap();
    // Columns come in canonical (sorted) order, whatever order they were asked in.
    let column = |name: &str| rows.columns.iter().position(|c| c == name).unwrap();
    let (mean, max) = (column("OCCUPANCY_MEAN"), column("OCCUPANCY_MAX"));
    let mut sums: BTreeMap<i64, (f64, f64)> = BTreeMap::new();
    for row in &rows.rows {
        let e = sums.entry(row.start_utc.timestamp_millis()).or_default();
        e.0 += row.values[mean].unwrap();
        e.1 += row.values[max].unwrap();
    }
    let busiest_sum_of_means = sums.values().map(|s| s.0).fold(f64::MIN, f64::max);
    let busiest_sum_of_maxima = sums.values().map(|s| s.1).fold(f64::MIN, f64::max);
    assert_eq!(daily.peak, Some(busiest_sum_of_means));
    assert!(
        busiest_sum_of_maxima > busiest_sum_of_means,
        "the bound is above the peak"
    );
}
