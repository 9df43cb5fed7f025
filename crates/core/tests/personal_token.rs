//! A personal bearer token (issue 26): added, tested, used for every insight view, refused
//! clearly when it has expired, expires within the minute or is refused by the service, and
//! renewed by pasting a new one. Against the simulator over real HTTP, the Desk as both doors
//! use it.

mod insights_support;

use std::time::Duration;

use insights_support::*;
use occudesk_core::connections::ConnectionDraft;
use occudesk_core::innerspace::{Freshness, Granularity, InsightTable};
use occudesk_core::insights::shown::Times;
use occudesk_core::settings::{Clock, TimeDisplay};
use occudesk_core::vault::Vault;
use occudesk_core::{Desk, Error, TokenEnd};
use occudesk_sim::{Sim, SimConfig, demo};

const HOUR: Duration = Duration::from_secs(3600);

fn draft(sim: &Sim, id: Option<String>) -> ConnectionDraft {
    ConnectionDraft {
        id,
        name: "My token".into(),
        kind: "innerspace-token".into(),
        base_url: Some(sim.url()),
        ..Default::default()
    }
}

async fn add(desk: &Desk, sim: &Sim, token: &str) -> String {
    desk.save_connection(&draft(sim, None), Some(token.to_owned().into()))
        .await
        .expect("saved")
        .connection
        .id
}

fn ended(e: &Error) -> TokenEnd {
    match e {
        Error::TokenExpired { end, .. } => *end,
        other => panic!(
            "expected auth.token_expired, got {} ({other})",
            other.code()
        ),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pasted_token_is_tested_and_answers_every_insight_view_without_a_token_request() {
    let sim = sim_with(SimConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::memory();
    let desk = desk_on(dir.path(), &vault).await;
    // Pasted with the line break a copy often brings.
    let token = sim.personal_token(2 * HOUR, 8 * HOUR);
    let id = add(&desk, &sim, &format!("{token}\n")).await;
    let saved = desk.find_connection(&id).unwrap();
    assert_eq!(saved.client_id, "", "a personal token has no client id");

    let status = desk.test_connection(&id).await.unwrap();
    assert!(
        (2 * 3600 - 5..=2 * 3600).contains(&status.remaining_secs),
        "{status:?}"
    );
    assert_eq!(
        status.lifetime_secs,
        8 * 3600,
        "the lifetime it was issued with"
    );

    for table in [
        InsightTable::BuildingMetrics,
        InsightTable::SiteMetrics,
        InsightTable::ZoneMetrics,
        InsightTable::BuildingFeatures,
    ] {
        let granularity = if table == InsightTable::BuildingFeatures {
            Granularity::P1w
        } else {
            Granularity::Pt1h
        };
        let q = query(table, 71, granularity, "2026-11-02", "2026-11-15");
        let view = desk
            .open_view(&id, &q, Freshness::Usual, "view", |_| {})
            .await
            .unwrap_or_else(|e| panic!("{table:?}: {e}"));
        assert!(view.rows > 0, "{table:?}");
        desk.view_summary(&view.id, Times::AsSet).unwrap();
    }
    let counted = sim.counters(demo::PERSONAL_USER);
    assert_eq!(counted.token_requests, 0, "nothing asks for a token");
    assert!(counted.api_requests > 0);
    // Sent as a bearer token to the root GraphQL endpoint, and only there.
    let auth = format!("Bearer {token}");
    for request in sim.requests() {
        assert_eq!(request.path, "/");
        assert!(
            request
                .headers
                .iter()
                .any(|(k, v)| k == "authorization" && *v == auth)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_says_when_it_expired_sends_nothing_and_a_pasted_one_renews_it() {
    let sim = sim_with(SimConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_on(dir.path(), &Vault::memory()).await;
    let id = add(
        &desk,
        &sim,
        &sim.expired_personal_token(Duration::from_secs(90)),
    )
    .await;

    let err = desk.test_connection(&id).await.unwrap_err();
    assert_eq!(
        (err.code(), ended(&err)),
        ("auth.token_expired", TokenEnd::Expired)
    );
    assert!(
        err.to_string().starts_with("Your token expired at "),
        "{err}"
    );
    assert!(err.to_string().ends_with("; paste a new one."), "{err}");
    // The window opens this connection's edit form from the error.
    assert_eq!(
        serde_json::to_value(&err).unwrap()["connection"],
        id.as_str()
    );
    let q = query(
        InsightTable::BuildingMetrics,
        71,
        Granularity::P1d,
        "2026-11-02",
        "2026-11-08",
    );
    let err = desk
        .open_view(&id, &q, Freshness::Usual, "v", |_| {})
        .await
        .unwrap_err();
    assert_eq!(ended(&err), TokenEnd::Expired);
    assert!(sim.requests().is_empty(), "an expired token is never sent");

    // Renewed by pasting a new one into the same connection (the edit form's "replace").
    let fresh = sim.personal_token(HOUR, HOUR);
    desk.save_connection(&draft(&sim, Some(id.clone())), Some(fresh.into()))
        .await
        .unwrap();
    desk.test_connection(&id).await.unwrap();
    open_view(&desk, &id, &q).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_in_its_last_minute_or_refused_by_the_service_asks_for_a_new_one() {
    let sim = sim_with(SimConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_on(dir.path(), &Vault::memory()).await;

    let dying = add(
        &desk,
        &sim,
        &sim.personal_token(Duration::from_secs(20), HOUR),
    )
    .await;
    let err = desk.test_connection(&dying).await.unwrap_err();
    assert_eq!(ended(&err), TokenEnd::Expiring);
    assert!(
        err.to_string().starts_with("Your token expires at "),
        "{err}"
    );

    // Valid by its exp, but the service refuses it (revoked): 401, said in words, not renewed.
    desk.delete_connection(&dying).await.unwrap();
    let revoked = add(&desk, &sim, &sim.personal_token(HOUR, HOUR)).await;
    desk.buildings(&revoked).await.unwrap();
    sim.expire_sessions();
    // "Test" asks the service, which no longer takes it.
    let err = desk.test_connection(&revoked).await.unwrap_err();
    assert_eq!(ended(&err), TokenEnd::Refused);
    sim.clear_requests();
    let err = desk.building_detail(&revoked, 72).await.unwrap_err();
    assert_eq!(ended(&err), TokenEnd::Refused);
    assert!(
        err.to_string().contains("no longer accepts your token"),
        "{err}"
    );
    assert_eq!(sim.requests().len(), 1, "refused once, not retried");
}

#[tokio::test]
async fn the_expiry_follows_the_time_display_and_a_pasted_non_jwt_is_refused() {
    let sim = sim_with(SimConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_on(dir.path(), &Vault::memory()).await;
    desk.set_time_display(TimeDisplay::BuildingLocal, Clock::H12)
        .await
        .unwrap();
    let id = add(
        &desk,
        &sim,
        &sim.expired_personal_token(Duration::from_secs(90)),
    )
    .await;
    let text = desk.test_connection(&id).await.unwrap_err().to_string();
    assert!(text.contains(" AM") || text.contains(" PM"), "{text}");

    let err = desk
        .save_connection(&draft(&sim, None), Some("not-a-jwt".to_owned().into()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "input.invalid");
    assert!(err.to_string().contains("\"exp\""), "{err}");
    assert_eq!(
        desk.connections().await.connections.len(),
        1,
        "nothing saved"
    );
}

/// Debug logs of a personal token's whole life (added, tested, used, refused, renewed) never
/// hold the token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_never_appears_in_a_debug_log() {
    let (capture, _guard) = insights_support::auth_support::Capture::debug_log();

    let sim = sim_with(SimConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_on(dir.path(), &Vault::memory()).await;
    let first = sim.personal_token(HOUR, HOUR);
    let id = add(&desk, &sim, &first).await;
    desk.test_connection(&id).await.unwrap();
    desk.live(&id, 71, Times::AsSet).await.unwrap();
    sim.expire_sessions();
    assert!(desk.buildings(&id).await.is_err());
    let second = sim.personal_token(HOUR, HOUR);
    desk.save_connection(&draft(&sim, Some(id.clone())), Some(second.clone().into()))
        .await
        .unwrap();
    desk.live(&id, 71, Times::AsSet).await.unwrap();

    let log = capture.text();
    assert!(log.contains("DEBUG"), "nothing was logged at debug level");
    for token in [&first, &second] {
        assert!(!log.contains(token.as_str()), "the log holds a token");
        // Nor its signature, the part that makes it a credential.
        let signature = token.rsplit('.').next().unwrap();
        assert!(
            !log.contains(signature),
            "the log holds a token's signature"
        );
    }
    assert!(
        !std::fs::read_to_string(dir.path().join("settings.json"))
            .unwrap()
            .contains(first.as_str())
    );
}
