//! The Live board (issue 26): every zone's latest `zone_occupancy` reading against its
//! capacity, by floor, fullest first; one request per refresh; "not available" (not an error)
//! on a tenant without the table. Against the simulator over real HTTP.

mod insights_support;

use std::time::Duration;

use insights_support::*;
use occudesk_core::connections::ConnectionDraft;
use occudesk_core::insights::shown::Times;
use occudesk_core::vault::Vault;
use occudesk_core::{Desk, LiveBoard, Liveness};
use occudesk_sim::{SchemaProfile, Sim, SimConfig, demo};

async fn token_connection(desk: &Desk, sim: &Sim) -> String {
    let draft = ConnectionDraft {
        name: "Mine".into(),
        kind: "innerspace-token".into(),
        base_url: Some(sim.url()),
        ..Default::default()
    };
    let token = sim.personal_token(Duration::from_secs(3600), Duration::from_secs(3600));
    desk.save_connection(&draft, Some(token.into()))
        .await
        .unwrap()
        .connection
        .id
}

fn people(board: &LiveBoard) -> Vec<f64> {
    board
        .floors
        .iter()
        .flat_map(|f| &f.zones)
        .filter_map(|z| z.people)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_zone_now_by_floor_fullest_first_in_one_request_per_refresh() {
    let sim = sim_with(SimConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_on(dir.path(), &Vault::memory()).await;
    let id = token_connection(&desk, &sim).await;

    let board = desk.live(&id, 71, Times::BuildingLocal).await.unwrap();
    assert_eq!(board.liveness, Liveness::Live);
    // Building 71: three sites (one per floor; v1 knows sites, not floors) of six zones.
    assert_eq!(board.floors.len(), 3);
    assert!(board.floors.iter().all(|f| f.name.starts_with("Site ")));
    assert_eq!(people(&board).len(), 18, "every zone has a reading");
    for floor in &board.floors {
        let fullness: Vec<f64> = floor.zones.iter().filter_map(|z| z.fullness).collect();
        assert!(fullness.windows(2).all(|w| w[0] >= w[1]), "{fullness:?}");
        assert!(floor.zones.iter().all(|z| z.capacity.is_some()));
    }
    let floors: Vec<f64> = board.floors.iter().filter_map(|f| f.fullness).collect();
    assert!(floors.windows(2).all(|w| w[0] >= w[1]), "{floors:?}");
    let as_of = board.as_of_text.clone().unwrap();
    assert_eq!(as_of.len(), 5, "a time of day: {as_of}");
    assert!(board.times_label.unwrap().contains("America/Chicago"));

    // The next refresh is one request, and shows the simulator's new values.
    let before = sim.counters(demo::PERSONAL_USER).api_requests;
    sim.set_live_extra_people(1000.0);
    let board = desk.live(&id, 71, Times::BuildingLocal).await.unwrap();
    assert_eq!(sim.counters(demo::PERSONAL_USER).api_requests, before + 1);
    assert!(
        people(&board).iter().all(|p| *p >= 1000.0),
        "{:?}",
        people(&board)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenant_without_the_table_is_told_live_data_is_not_available_not_an_error() {
    for config in [
        SimConfig {
            zone_occupancy: false,
            ..Default::default()
        },
        SimConfig {
            zone_occupancy: false,
            introspection: false,
            ..Default::default()
        },
    ] {
        let sim = sim_with(config).await;
        let dir = tempfile::tempdir().unwrap();
        let desk = desk_on(dir.path(), &Vault::memory()).await;
        let id = token_connection(&desk, &sim).await;
        let board = desk.live(&id, 71, Times::AsSet).await.unwrap();
        assert_eq!(board.liveness, Liveness::NotAvailable);
        assert!(board.floors.is_empty());
    }
    // v2 lists the table as coming: in the full and the contract profile alike.
    for schema in [SchemaProfile::Full, SchemaProfile::Contract] {
        let sim = sim_with(SimConfig {
            schema,
            ..Default::default()
        })
        .await;
        let dir = tempfile::tempdir().unwrap();
        let desk = desk_on(dir.path(), &Vault::memory()).await;
        let id = connect(&desk, &sim, Flow::V2).await;
        let board = desk.live(&id, 71, Times::AsSet).await.unwrap();
        assert_eq!(board.liveness, Liveness::NotAvailable, "{schema:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_hides_its_schema_is_asked_with_the_decided_columns() {
    let sim = sim_with(SimConfig {
        introspection: false,
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_on(dir.path(), &Vault::memory()).await;
    let id = connect(&desk, &sim, Flow::V1TopLevel).await;
    let board = desk.live(&id, 72, Times::AsSet).await.unwrap();
    assert_eq!(board.liveness, Liveness::Live);
    assert!(!people(&board).is_empty());
}
