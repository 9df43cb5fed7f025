//! The date-sensitive paths with "today" pinned to the days that break calendar code: New
//! Year, a leap day, both DST changes in Chicago and in Sydney, the last day of a year and
//! the day this test was written. For each: entity discovery (v2 and v1), a fetch of the last
//! week (exact hour counts on DST weeks), the cache's final-day rule, and planning and
//! anomalies over the weeks before today, through the Desk on demo data.

mod insights_support;

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use insights_support::*;
use occudesk_core::cache::DayCache;
use occudesk_core::http::HttpConfig;
use occudesk_core::innerspace::{Granularity, InsightTable, Insights};
use occudesk_core::insights::time::local_day_hours;
use occudesk_core::vault::Vault;
use occudesk_core::{Desk, DeskConfig};
use occudesk_sim::SimConfig;
use tokio_util::sync::CancellationToken;

const TODAYS: [&str; 12] = [
    "2027-01-01",
    "2028-02-29",
    "2027-03-14", // Chicago springs forward
    "2027-11-07", // Chicago falls back
    "2027-04-04", // Sydney falls back
    "2027-10-03", // Sydney springs forward
    // Three days after each change: the week fetched, counted and made final holds the
    // 23- or 25-hour day.
    "2027-03-17",
    "2027-11-10",
    "2027-04-07",
    "2027-10-06",
    "2026-12-31",
    "2026-12-05",
];

/// Hours in the local days from `first` to `last`.
fn hours(tz: Tz, first: NaiveDate, last: NaiveDate) -> usize {
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|d| local_day_hours(tz, d) as usize)
        .sum()
}

fn cached(today: NaiveDate, dir: &std::path::Path) -> Insights {
    insights_on(today).with_cache(DayCache::in_dir(dir, 100))
}

async fn discovery_fetch_and_cache(today: NaiveDate) {
    let config = SimConfig {
        today,
        ..SimConfig::default()
    };
    let (_sim, v2) = start_own(config.clone(), Flow::V2).await;
    let dir = tempfile::tempdir().unwrap();
    let insights = cached(today, dir.path());
    assert_eq!(insights.buildings(&v2).await.unwrap().len(), 5, "{today}");

    for (building, tz) in [
        (71, chrono_tz::America::Chicago),
        (73, chrono_tz::Australia::Sydney),
    ] {
        let detail = insights.building_detail(&v2, building).await.unwrap();
        assert_eq!(detail.tz, tz);
        let from = today - Duration::days(7);
        let q = query(
            InsightTable::BuildingInsights,
            building,
            Granularity::Pt1h,
            &from.to_string(),
            &today.to_string(),
        );
        let first = insights
            .fetch(&v2, &q, |_| {}, &CancellationToken::new())
            .await
            .unwrap();
        // History ends yesterday (building-local); today has no rows yet.
        let yesterday = today - Duration::days(1);
        assert_eq!(
            first.rows.len(),
            hours(tz, from, yesterday),
            "{building} on {today}"
        );
        assert_eq!(first.source.days_fetched, 8);

        // A new engine on the same cache: days at least two days old are final and read from
        // the cache; yesterday and today are asked for again.
        let again = cached(today, dir.path())
            .fetch(&v2, &q, |_| {}, &CancellationToken::new())
            .await
            .unwrap();
        assert_eq!(again.rows, first.rows, "{building} on {today}");
        assert_eq!(
            (again.source.days_from_cache, again.source.days_fetched),
            (6, 2),
            "{building} on {today}"
        );
    }

    let (_sim, v1) = start(config, Flow::V1TopLevel).await;
    let insights = insights_on(today);
    let buildings = insights.buildings(&v1).await.unwrap();
    let sydney = buildings.iter().find(|b| b.id == 73).expect("building 73");
    assert_eq!(sydney.time_zone, "Australia/Sydney", "{today}");
    let detail = insights.building_detail(&v1, 73).await.unwrap();
    assert_eq!((detail.sites.len(), detail.zones.len()), (2, 12), "{today}");
}

async fn planning_and_anomalies(today: NaiveDate) {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(DeskConfig {
        data_dir: Some(dir.path().to_path_buf()),
        vault: Vault::memory(),
        http: HttpConfig::for_tests(),
        force_demo: true,
        use_cache: true,
        today: Some(today),
        demo: Some(occudesk_demo::simulated()),
    })
    .await
    .unwrap();
    // Eight weeks up to today: the weeks a planner looks at on that morning.
    let q = query(
        InsightTable::BuildingInsights,
        73,
        Granularity::Pt1h,
        &(today - Duration::weeks(8)).to_string(),
        &today.to_string(),
    );
    let v = open_view(&desk, "demo-innerspace-v2", &q).await;
    let plans = desk.view_plan(&v, 0.1).unwrap();
    let plan = &plans[0];
    // 40 weekdays in eight weeks, less public holidays and the day that has no data yet.
    assert!(
        (30..=40).contains(&plan.working_days),
        "{today}: {} working days",
        plan.working_days
    );
    assert!(plan.p90_daily_peak.is_some_and(|p| p > 0.0), "{today}");
    let anomalies = desk
        .view_anomalies(&v)
        .unwrap_or_else(|e| panic!("{today}: {e}"));
    for a in &anomalies {
        assert!(
            a.date >= today - Duration::weeks(8) && a.date < today,
            "{today}: {a:?}"
        );
    }
}

#[tokio::test]
async fn every_date_sensitive_path_works_on_awkward_days() {
    for today in TODAYS.map(date) {
        discovery_fetch_and_cache(today).await;
        planning_and_anomalies(today).await;
    }
}
