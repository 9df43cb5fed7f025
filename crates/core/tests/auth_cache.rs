//! The token cache against the simulator: one token per lifetime, single flight under
//! concurrency, renew-once on 401, refresh before expiry, redaction, and the registry.

#[path = "auth_support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::Duration;

use occudesk_core::auth::{Clock, ManualClock, SessionPool, SystemClock};
use occudesk_sim::{SimConfig, demo};
use secrecy::SecretString;
use support::*;

#[tokio::test]
async fn a_hundred_queries_cost_one_token_request_in_every_flow() {
    let sim = sim().await;
    let mut report = Vec::new();
    for flow in ALL_FLOWS {
        let session = session(&sim, flow);
        let before = sim.counters(flow.client_id());
        for _ in 0..100 {
            assert_eq!(api_call(&session).await.unwrap().status(), 200);
        }
        let after = sim.counters(flow.client_id());
        let issued = after.token_requests - before.token_requests;
        report.push(format!(
            "{flow:?}: {issued} token request(s) for {} API calls",
            after.api_requests - before.api_requests
        ));
        assert_eq!(issued, 1, "{flow:?}");
        assert_eq!(session.token_requests(), 1, "{flow:?}");
        assert_eq!(after.api_requests - before.api_requests, 100, "{flow:?}");
    }
    eprintln!("{}", report.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_concurrent_callers_after_expiry_share_one_renewal() {
    let sim = sim().await;
    let session = Arc::new(session(&sim, Flow::V2));
    api_call(&session).await.unwrap();
    assert_eq!(sim.counters(demo::V2_CLIENT_ID).token_requests, 1);
    sim.expire_sessions();
    let mut tasks = Vec::new();
    for _ in 0..64 {
        let session = session.clone();
        tasks.push(tokio::spawn(async move {
            api_call(&session).await.map(|r| r.status().as_u16())
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), 200);
    }
    assert_eq!(sim.counters(demo::V2_CLIENT_ID).token_requests, 2);
    assert_eq!(session.token_requests(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_concurrent_first_callers_cause_one_token_request() {
    let sim = sim().await;
    let session = Arc::new(session(&sim, Flow::ClientSecretJwt));
    let mut tasks = Vec::new();
    for _ in 0..64 {
        let session = session.clone();
        tasks.push(tokio::spawn(async move {
            api_call(&session).await.map(|r| r.status().as_u16())
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), 200);
    }
    assert_eq!(sim.counters(demo::SPATIAFI_CLIENT_ID).token_requests, 1);
}

#[tokio::test]
async fn a_401_midway_renews_once_and_carries_on() {
    let sim = sim().await;
    for flow in [Flow::V2, Flow::V1Nested, Flow::SpatiafiPassword] {
        let session = session(&sim, flow);
        let before = sim.counters(flow.client_id()).token_requests;
        for i in 0..20 {
            if i == 10 {
                sim.expire_sessions();
            }
            assert_eq!(api_call(&session).await.unwrap().status(), 200, "{flow:?}");
        }
        let issued = sim.counters(flow.client_id()).token_requests - before;
        assert_eq!(issued, 2, "{flow:?}");
    }
}

#[tokio::test]
async fn a_second_401_in_a_row_is_auth_rejected() {
    // Sessions that are used up at once: the API refuses even a brand-new one.
    let sim = sim_with(SimConfig {
        session_max_uses: Some(0),
        ..SimConfig::default()
    })
    .await;
    let session = session(&sim, Flow::V2);
    let err = api_call(&session).await.unwrap_err();
    assert_eq!(err.code(), "auth.rejected");
    assert!(!err.to_string().contains(demo::V2_CLIENT_SECRET));
    assert_eq!(sim.counters(demo::V2_CLIENT_ID).token_requests, 2);
    assert_eq!(
        requests_to(&sim, "/v2/api").len(),
        2,
        "retried exactly once"
    );
}

#[tokio::test]
async fn refreshes_shortly_before_expiry_by_the_manual_clock() {
    let sim = sim().await;
    let clock = Arc::new(ManualClock::starting_now());
    let session = session_with(
        &sim,
        Flow::V1TopLevel,
        Flow::V1TopLevel.secret(),
        clock.clone(),
    );
    api_call(&session).await.unwrap();
    let first = session.status().await.unwrap();
    assert_eq!(first.lifetime_secs, 3600);
    // One hour lifetime → refresh 60 s early.
    clock.advance(Duration::from_secs(3600 - 61));
    api_call(&session).await.unwrap();
    assert_eq!(session.token_requests(), 1, "still outside the skew");
    assert_eq!(session.status().await.unwrap().remaining_secs, 61);
    clock.advance(Duration::from_secs(2));
    api_call(&session).await.unwrap();
    assert_eq!(
        session.token_requests(),
        2,
        "inside the skew: renewed before expiry"
    );
    assert_eq!(sim.counters(demo::V1_CLIENT_ID).token_requests, 2);
    let second = session.status().await.unwrap();
    assert!(second.expires_at > first.expires_at);
    // The old token had not expired: no 401 was needed.
    assert!(sim.requests().iter().filter(|r| r.path == "/").count() == 3);
}

#[tokio::test]
async fn spatiafi_fifteen_minute_tokens_refresh_a_minute_early() {
    let sim = sim().await;
    let clock = Arc::new(ManualClock::starting_now());
    let session = session_with(
        &sim,
        Flow::ClientSecretPost,
        demo::SPATIAFI_CLIENT_SECRET,
        clock.clone(),
    );
    let status = session.test().await.unwrap();
    assert!(status.lifetime_secs.abs_diff(900) <= 2);
    // 10 % of 900 s is 90 s, above the 60 s cap: refresh 60 s early.
    clock.advance(Duration::from_secs(status.remaining_secs - 62));
    session.authorization().await.unwrap();
    assert_eq!(session.token_requests(), 1);
    clock.advance(Duration::from_secs(3));
    session.authorization().await.unwrap();
    assert_eq!(session.token_requests(), 2);
}

#[tokio::test]
async fn test_connection_always_fetches_a_new_token() {
    let sim = sim().await;
    let session = session(&sim, Flow::V2);
    for _ in 0..3 {
        let status = session.test().await.unwrap();
        assert_eq!(status.lifetime_secs, 3600);
    }
    assert_eq!(session.token_requests(), 3);
    session.authorization().await.unwrap();
    assert_eq!(session.token_requests(), 3, "the tested token is reused");
}

#[tokio::test]
async fn nothing_prints_a_token_or_a_secret() {
    let sim = sim().await;
    let session = session(&sim, Flow::V2);
    let authorization = session.authorization().await.unwrap();
    api_call(&session).await.unwrap();
    let api = &requests_to(&sim, "/v2/api")[0];
    let token = header(api, "x-session-id").unwrap().to_owned();
    let shown = format!(
        "{session:?} {authorization:?} {:?} {:?}",
        session.status().await,
        session.connection()
    );
    assert!(!shown.contains(&token), "{shown}");
    assert!(!shown.contains(demo::V2_CLIENT_SECRET), "{shown}");
    let status_json = serde_json::to_string(&session.status().await.unwrap()).unwrap();
    assert!(!status_json.contains(&token));
    assert!(status_json.contains("expiresAt") && status_json.contains("remainingSecs"));
}

#[tokio::test]
async fn sessions_are_shared_per_connection_and_dropped_on_edit() {
    let sim = sim().await;
    let sessions = SessionPool::new(http(), Arc::new(SystemClock));
    let connection = connection(&sim.url(), Flow::V2);
    let loads = std::sync::atomic::AtomicU32::new(0);
    let load = || async {
        loads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(SecretString::from(demo::V2_CLIENT_SECRET))
    };
    let a = sessions.get_or_create(&connection, load).await.unwrap();
    let b = sessions.get_or_create(&connection, load).await.unwrap();
    assert!(Arc::ptr_eq(&a, &b));
    assert_eq!(
        loads.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "secret loaded once"
    );
    api_call(&a).await.unwrap();
    api_call(&b).await.unwrap();
    assert_eq!(sim.counters(demo::V2_CLIENT_ID).token_requests, 1);

    // An edited connection gets a new session (and a new token).
    let mut edited = connection.clone();
    edited.name = "Renamed".into();
    let c = sessions.get_or_create(&edited, load).await.unwrap();
    assert!(!Arc::ptr_eq(&a, &c));
    assert!(Arc::ptr_eq(&sessions.get(&connection.id).unwrap(), &c));

    assert!(sessions.invalidate(&connection.id));
    assert!(sessions.get(&connection.id).is_none());
    assert!(!sessions.invalidate(&connection.id));

    // A failing secret load creates nothing.
    let err = sessions
        .get_or_create(&connection, || async {
            Err(occudesk_core::Error::KeyringLocked)
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "keyring.locked");
    assert!(sessions.get(&connection.id).is_none());
}

/// A provider whose first token is issued at once and whose later fetches wait until the test
/// releases them, then fail: a token service that went down just before the refresh.
#[derive(Debug)]
struct FailingRefresh {
    clock: Arc<ManualClock>,
    fetches: std::sync::atomic::AtomicU32,
    started: tokio::sync::Notify,
    release: tokio::sync::Notify,
}

impl occudesk_core::auth::TokenProvider for FailingRefresh {
    fn fetch<'a>(
        &'a self,
        _client: &'a occudesk_core::auth::TokenClient,
    ) -> occudesk_core::auth::TokenFuture<'a> {
        Box::pin(async move {
            let n = self
                .fetches
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            if n == 0 {
                let now = self.clock.now();
                return Ok(occudesk_core::auth::Token::new(
                    SecretString::from("first-token"),
                    occudesk_core::auth::TokenKind::Bearer,
                    now,
                    now + Duration::from_secs(600),
                ));
            }
            self.started.notify_one();
            self.release.notified().await;
            Err(occudesk_core::Error::ServerError { status: 503 })
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_keeps_serving_its_valid_token_while_a_refresh_hangs_and_fails() {
    let sim = sim().await;
    let clock = Arc::new(ManualClock::starting_now());
    let provider = Arc::new(FailingRefresh {
        clock: clock.clone(),
        fetches: Default::default(),
        started: Default::default(),
        release: Default::default(),
    });
    struct Shared(Arc<FailingRefresh>);
    impl std::fmt::Debug for Shared {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            self.0.fmt(f)
        }
    }
    impl occudesk_core::auth::TokenProvider for Shared {
        fn fetch<'a>(
            &'a self,
            client: &'a occudesk_core::auth::TokenClient,
        ) -> occudesk_core::auth::TokenFuture<'a> {
            self.0.fetch(client)
        }
    }
    let session = Arc::new(
        occudesk_core::auth::Session::with_provider(
            &connection(&sim.url(), Flow::SpatiafiPassword),
            Box::new(Shared(provider.clone())),
            http(),
            clock.clone(),
        )
        .expect("session"),
    );
    session.authorization().await.expect("first token");
    let fetches = || provider.fetches.load(std::sync::atomic::Ordering::SeqCst);
    // 600 s lifetime: due for refresh from 540 s, valid until 600 s.
    clock.advance(Duration::from_secs(550));
    let refresher = tokio::spawn({
        let session = session.clone();
        async move { session.authorization().await.map(|_| ()) }
    });
    provider.started.notified().await;
    for _ in 0..8 {
        let mut call = std::pin::pin!(session.authorization());
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        assert!(
            call.as_mut().poll(&mut cx).is_ready(),
            "a valid token is served without waiting for the refresh"
        );
    }
    assert_eq!(fetches(), 2);
    provider.release.notify_one();
    refresher
        .await
        .expect("joined")
        .expect("the refreshing caller keeps the valid token too");
    // The next wave does not start another refresh straight away.
    clock.advance(Duration::from_secs(1));
    for _ in 0..8 {
        session.authorization().await.expect("still valid");
    }
    assert_eq!(fetches(), 2);
    // Once it has expired, the failure is reported, never the expired token.
    clock.advance(Duration::from_secs(60));
    assert_eq!(session.status().await.expect("cached").remaining_secs, 0);
    let retry = tokio::spawn({
        let session = session.clone();
        async move { session.authorization().await.map(|_| ()) }
    });
    provider.started.notified().await;
    provider.release.notify_one();
    let err = retry.await.expect("joined").unwrap_err();
    assert_eq!(err.code(), "api.server_error");
}
