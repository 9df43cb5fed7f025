//! SpatiaFi App Credentials through the Desk, against the simulator: sign-in, list, create
//! (secret into the keyring first), delete, use as connection, and every fault the issue names.

#[path = "auth_support/mod.rs"]
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use occudesk_core::auth::SystemClock;
use occudesk_core::http::HttpConfig;
use occudesk_core::spatiafi;
use occudesk_core::vault::app_credential_key;
use occudesk_core::vault::{MemoryStore, SecretStore, Vault};
use occudesk_core::{Desk, DeskConfig, Error, Result, SignInRequest, UseAsConnection};
use occudesk_sim::{Fault, Sim, SimConfig, demo};
use secrecy::{ExposeSecret, SecretString};
use support::*;

struct Fixture {
    desk: Desk,
    vault: Vault,
    dir: tempfile::TempDir,
}

async fn desk_with(vault: Vault) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = Desk::open(DeskConfig {
        data_dir: Some(dir.path().to_owned()),
        vault: vault.clone(),
        http: HttpConfig::for_tests(),
        force_demo: false,
        use_cache: true,
        // No insight data here: SpatiaFi App Credentials only.
        today: None,
        demo: None,
    })
    .await
    .expect("desk opens");
    Fixture { desk, vault, dir }
}

async fn desk() -> Fixture {
    desk_with(Vault::memory()).await
}

impl Fixture {
    fn settings_file(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("settings.json")).unwrap_or_default()
    }
}

fn typed(sim: &Sim, password: &str) -> SignInRequest {
    SignInRequest {
        email: Some(demo::SPATIAFI_EMAIL.into()),
        password: Some(SecretString::from(password.to_owned())),
        base_url: Some(sim.url()),
        ..Default::default()
    }
}

async fn sign_in(desk: &Desk, sim: &Sim) {
    desk.spatiafi_sign_in(typed(sim, demo::SPATIAFI_PASSWORD))
        .await
        .expect("signs in");
}

/// The client ids on the service, seen through a sign-in of its own (not the Desk's).
async fn on_server(sim: &Sim) -> Vec<String> {
    let session = spatiafi::sign_in(
        &sim.url(),
        demo::SPATIAFI_EMAIL,
        SecretString::from(demo::SPATIAFI_PASSWORD),
        http(),
        Arc::new(SystemClock),
    )
    .await
    .expect("independent sign-in");
    spatiafi::list(&session)
        .await
        .expect("list")
        .into_iter()
        .map(|c| c.client_id)
        .collect()
}

fn posts(sim: &Sim) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.starts_with("/api/v1/clients"))
        .count()
}

fn assert_no_secret(err: &Error, secret: &str) {
    assert!(!err.to_string().contains(secret), "{err}");
    assert!(!format!("{err:?}").contains(secret), "{err:?}");
}

#[tokio::test]
async fn sign_in_list_create_and_delete_keep_the_secret_in_the_keyring_only() {
    let sim = sim().await;
    let f = desk().await;
    let signed = f
        .desk
        .spatiafi_sign_in(typed(&sim, demo::SPATIAFI_PASSWORD))
        .await
        .expect("signs in");
    assert_eq!(signed.email, demo::SPATIAFI_EMAIL);
    let token = signed.token.expect("token status");
    assert!(token.lifetime_secs.abs_diff(900) <= 2, "15-minute token");
    // Basic sign-in: the email and password went in the Authorization header only.
    let basic = &requests_to(&sim, "/api/v1/auth/jwt/token/basic")[0];
    assert!(header(basic, "authorization").is_some_and(|h| h.starts_with("Basic ")));
    // Nothing the window can read holds the token or the password.
    let shown = serde_json::to_string(&f.desk.spatiafi_panel().await).unwrap();
    assert!(!shown.contains(demo::SPATIAFI_PASSWORD));
    assert!(!shown.contains("eyJ"), "token in {shown}");

    let list = f.desk.spatiafi_credentials().await.expect("list");
    assert_eq!(list.credentials.len(), 1);
    assert_eq!(list.credentials[0].client_id, demo::SPATIAFI_CLIENT_ID);
    assert_eq!(list.credentials[0].secret_here, Some(false));
    assert!(list.credentials[0].used_by.is_empty());

    let created = f.desk.spatiafi_create(false).await.expect("created");
    assert!(created.saved);
    assert_eq!(created.keyring_key, app_credential_key(&created.client_id));
    let secret = created.client_secret.expose().to_owned();
    assert_eq!(
        f.vault
            .get(&app_credential_key(&created.client_id))
            .await
            .unwrap()
            .map(|s| s.expose_secret().to_owned()),
        Some(secret.clone())
    );
    // The create was one POST with an empty JSON object and the Bearer token.
    let create = requests_to(&sim, "/api/v1/clients")
        .into_iter()
        .find(|r| r.method == "POST")
        .expect("create sent");
    assert_eq!(create.body, b"{}");
    assert!(header(&create, "authorization").is_some_and(|h| h.starts_with("Bearer ")));
    assert_eq!(posts(&sim), 1);
    // Only the serialized answer reveals the secret; Debug does not; the file never has it.
    assert!(!format!("{created:?}").contains(&secret));
    assert!(serde_json::to_string(&created).unwrap().contains(&secret));
    assert!(!f.settings_file().contains(&secret));

    let list = f.desk.spatiafi_credentials().await.expect("list");
    let row = list
        .credentials
        .iter()
        .find(|c| c.client_id == created.client_id)
        .expect("listed");
    assert_eq!(row.secret_here, Some(true));
    assert!(!serde_json::to_string(&list).unwrap().contains(&secret));
    // No connection uses it yet, and it is still not an "orphan" the cleanup would remove.
    assert_eq!(f.desk.remove_orphaned_secrets().await.unwrap().count, 0);
    assert!(
        f.vault
            .get(&app_credential_key(&created.client_id))
            .await
            .unwrap()
            .is_some()
    );

    let outcome = f
        .desk
        .spatiafi_delete(&created.client_id)
        .await
        .expect("deleted");
    assert!(!outcome.already_gone);
    assert!(outcome.local_error.is_none());
    assert!(!on_server(&sim).await.contains(&created.client_id));
    assert!(
        f.vault
            .get(&app_credential_key(&created.client_id))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_wrong_password_is_invalid_credentials_and_signs_no_one_in() {
    let sim = sim().await;
    let f = desk().await;
    let err = f
        .desk
        .spatiafi_sign_in(typed(&sim, "not-the-password"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "auth.invalid_credentials");
    assert_no_secret(&err, "not-the-password");
    assert!(f.desk.spatiafi_status().await.is_none());
    let err = f.desk.spatiafi_credentials().await.unwrap_err();
    assert_eq!(err.code(), "auth.signin_required");
    // Blank fields are refused before anything is sent, naming the field.
    let blank = SignInRequest {
        email: Some(" ".into()),
        ..Default::default()
    };
    let err = f.desk.spatiafi_sign_in(blank).await.unwrap_err();
    assert_eq!(serde_json::to_value(&err).unwrap()["field"], "email");
}

#[tokio::test]
async fn a_validation_error_is_reported_field_by_field() {
    let sim = sim().await;
    let f = desk().await;
    sign_in(&f.desk, &sim).await;
    let err = f.desk.spatiafi_delete("not-a-uuid").await.unwrap_err();
    assert_eq!(err.code(), "api.validation");
    assert_eq!(err.kind(), occudesk_core::ErrorKind::Input);
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["field"], "clientId");
    assert_eq!(json["fields"][0]["field"], "clientId");
    assert_eq!(json["fields"][0]["message"], "Input should be a valid UUID");
    assert!(!err.to_string().contains("not-a-uuid"), "no echoed input");
}

#[tokio::test]
async fn a_sign_in_that_runs_out_mid_create_or_delete_does_nothing_until_signed_in_again() {
    let sim = sim().await;
    let f = desk().await;
    sign_in(&f.desk, &sim).await;
    let before = on_server(&sim).await.len();

    // The service lets the token go (15 minutes passed): create is refused, nothing made.
    sim.expire_sessions();
    let sign_ins = requests_to(&sim, "/api/v1/auth/jwt/token/basic").len();
    let err = f.desk.spatiafi_create(true).await.unwrap_err();
    assert_eq!(err.code(), "auth.signin_required");
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    // The password is not kept, so no sign-in was attempted behind the user's back.
    assert_eq!(
        requests_to(&sim, "/api/v1/auth/jwt/token/basic").len(),
        sign_ins
    );
    assert_eq!(on_server(&sim).await.len(), before);

    // Sign in again and carry on: exactly one credential is made.
    sign_in(&f.desk, &sim).await;
    let created = f.desk.spatiafi_create(true).await.expect("created");
    let after = on_server(&sim).await;
    assert_eq!(after.len(), before + 1);
    assert!(after.contains(&created.client_id));

    // Same for delete: refused while signed out, done once afterwards.
    sim.expire_sessions();
    let err = f
        .desk
        .spatiafi_delete(&created.client_id)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "auth.signin_required");
    assert!(on_server(&sim).await.contains(&created.client_id));
    assert!(
        f.vault
            .contains(&app_credential_key(&created.client_id))
            .await
            .unwrap(),
        "the local copy stays until the delete is done"
    );
    sign_in(&f.desk, &sim).await;
    let outcome = f.desk.spatiafi_delete(&created.client_id).await.unwrap();
    assert!(!outcome.already_gone);
    assert!(!on_server(&sim).await.contains(&created.client_id));
}

#[tokio::test]
async fn server_errors_are_retried_for_reads_and_never_for_a_create() {
    let sim = sim().await;
    let f = desk().await;
    sign_in(&f.desk, &sim).await;
    // A list is safe to repeat: a 503 then service.
    sim.script_faults("/api/v1/clients", vec![Fault::Status(503)]);
    assert_eq!(
        f.desk
            .spatiafi_credentials()
            .await
            .unwrap()
            .credentials
            .len(),
        1
    );
    // Failing on every attempt: the service's fault, said so.
    // (fast_for_tests: four attempts)
    sim.script_faults("/api/v1/clients", vec![Fault::Status(503); 4]);
    let err = f.desk.spatiafi_credentials().await.unwrap_err();
    assert_eq!(err.code(), "api.server_error");

    // A create answered 500 may have been carried out: sent once, "check the list".
    let before = posts(&sim);
    sim.script_faults("/api/v1/clients", vec![Fault::Status(500)]);
    let err = f.desk.spatiafi_create(true).await.unwrap_err();
    assert_eq!(err.code(), "net.outcome_unknown");
    assert!(err.to_string().contains("Check the current list"), "{err}");
    assert_eq!(posts(&sim), before + 1);

    // Its answer lost after the service made it: not sent again either.
    let count = on_server(&sim).await.len();
    sim.script_faults("/api/v1/clients", vec![Fault::DropAfterService]);
    let err = f.desk.spatiafi_create(true).await.unwrap_err();
    assert_eq!(err.code(), "net.outcome_unknown");
    assert_eq!(on_server(&sim).await.len(), count + 1, "made exactly once");
}

#[tokio::test]
async fn network_down_is_offline_at_sign_in_and_afterwards() {
    let f = desk().await;
    let err = f
        .desk
        .spatiafi_sign_in(SignInRequest {
            email: Some(demo::SPATIAFI_EMAIL.into()),
            password: Some(SecretString::from(demo::SPATIAFI_PASSWORD)),
            base_url: Some(dead_url()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "net.offline");

    let sim = sim().await;
    sign_in(&f.desk, &sim).await;
    sim.clone().shutdown().await;
    let err = f.desk.spatiafi_credentials().await.unwrap_err();
    assert_eq!(err.code(), "net.offline");
    let err = f.desk.spatiafi_create(true).await.unwrap_err();
    assert!(
        ["net.offline", "net.outcome_unknown"].contains(&err.code()),
        "{err}"
    );
}

/// A keyring that refuses writes while locked, like GNOME Keyring before it is unlocked.
#[derive(Default)]
struct LockableStore {
    inner: MemoryStore,
    locked: AtomicBool,
}

impl SecretStore for LockableStore {
    fn get(&self, key: &str) -> Result<Option<SecretString>> {
        self.inner.get(key)
    }
    fn set(&self, key: &str, secret: &SecretString) -> Result<()> {
        if self.locked.load(Ordering::SeqCst) {
            return Err(Error::KeyringLocked);
        }
        self.inner.set(key, secret)
    }
    fn delete(&self, key: &str) -> Result<()> {
        if self.locked.load(Ordering::SeqCst) {
            return Err(Error::KeyringLocked);
        }
        self.inner.delete(key)
    }
    fn describe(&self) -> String {
        "lockable".into()
    }
}

#[tokio::test]
async fn a_locked_keyring_at_create_still_shows_the_secret_and_can_retry() {
    let sim = sim().await;
    let store = Arc::new(LockableStore::default());
    let f = desk_with(Vault::new(store.clone())).await;
    sign_in(&f.desk, &sim).await;
    store.locked.store(true, Ordering::SeqCst);

    let created = f.desk.spatiafi_create(true).await.expect("created anyway");
    assert!(!created.saved);
    assert_eq!(
        created.save_error.as_ref().map(Error::code),
        Some("keyring.locked")
    );
    let secret = created.client_secret.expose().to_owned();
    assert!(!secret.is_empty(), "the secret is still shown");
    let row = f
        .desk
        .spatiafi_credentials()
        .await
        .unwrap()
        .credentials
        .into_iter()
        .find(|c| c.client_id == created.client_id)
        .unwrap();
    assert!(row.unsaved);
    assert_eq!(row.secret_here, Some(false));

    // Still locked: retry says so and keeps the secret for another try.
    let err = f
        .desk
        .spatiafi_retry_save(&created.client_id)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "keyring.locked");
    store.locked.store(false, Ordering::SeqCst);
    f.desk
        .spatiafi_retry_save(&created.client_id)
        .await
        .expect("saved");
    assert_eq!(
        f.vault
            .get(&app_credential_key(&created.client_id))
            .await
            .unwrap()
            .map(|s| s.expose_secret().to_owned()),
        Some(secret)
    );
    // Once saved there is nothing left to retry.
    assert_eq!(
        f.desk
            .spatiafi_retry_save(&created.client_id)
            .await
            .unwrap_err()
            .code(),
        "input.invalid"
    );
}

#[tokio::test]
async fn deleting_what_another_computer_deleted_removes_it_here_and_says_so() {
    let sim = sim().await;
    let f = desk().await;
    sign_in(&f.desk, &sim).await;
    let created = f.desk.spatiafi_create(true).await.unwrap();
    // Another computer deletes it.
    let elsewhere = spatiafi::sign_in(
        &sim.url(),
        demo::SPATIAFI_EMAIL,
        SecretString::from(demo::SPATIAFI_PASSWORD),
        http(),
        Arc::new(SystemClock),
    )
    .await
    .unwrap();
    spatiafi::delete(&elsewhere, &created.client_id)
        .await
        .unwrap();

    let outcome = f.desk.spatiafi_delete(&created.client_id).await.unwrap();
    assert!(outcome.already_gone);
    assert!(
        !f.vault
            .contains(&app_credential_key(&created.client_id))
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn the_http_layer_follows_a_307_keeping_method_body_and_token() {
    let sim = sim_with(SimConfig {
        clients_trailing_slash: true,
        ..SimConfig::default()
    })
    .await;
    let f = desk().await;
    sign_in(&f.desk, &sim).await;
    assert_eq!(
        f.desk
            .spatiafi_credentials()
            .await
            .unwrap()
            .credentials
            .len(),
        1
    );
    let created = f.desk.spatiafi_create(true).await.expect("create via 307");
    let requests: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, ["/api/v1/clients", "/api/v1/clients/"]);
    assert_eq!(requests[0].body, requests[1].body, "body kept");
    assert_eq!(
        header(&requests[0], "authorization"),
        header(&requests[1], "authorization"),
        "token kept on the same origin"
    );
    assert_eq!(on_server(&sim).await.len(), 2, "created once");

    f.desk
        .spatiafi_delete(&created.client_id)
        .await
        .expect("delete via 307");
    let deletes: Vec<String> = sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "DELETE")
        .map(|r| r.path)
        .collect();
    assert_eq!(
        deletes,
        [
            format!("/api/v1/clients/{}", created.client_id),
            format!("/api/v1/clients/{}/", created.client_id)
        ]
    );
    assert_eq!(on_server(&sim).await.len(), 1);
}

#[tokio::test]
async fn use_as_connection_saves_and_proves_it_and_delete_removes_its_secret() {
    let sim = sim().await;
    let f = desk().await;
    sign_in(&f.desk, &sim).await;
    let created = f.desk.spatiafi_create(true).await.unwrap();
    let secret = created.client_secret.expose().to_owned();

    let used = f
        .desk
        .spatiafi_use_as_connection(UseAsConnection {
            client_id: created.client_id.clone(),
            name: Some("Pipeline".into()),
            auth_method: None,
        })
        .await
        .expect("used");
    assert!(used.test_error.is_none(), "{:?}", used.test_error);
    assert!(used.token.expect("token fetched").remaining_secs > 0);
    let id = used.connection.connection.id.clone();
    assert_eq!(
        serde_json::to_value(&used.connection).unwrap()["authMethod"],
        "client_secret_jwt"
    );
    assert!(!f.settings_file().contains(&secret));
    assert!(f.settings_file().contains(&created.client_id));

    // The other client-credential methods work with the same secret.
    for method in ["client_secret_basic", "client_secret_post"] {
        let used = f
            .desk
            .spatiafi_use_as_connection(UseAsConnection {
                client_id: created.client_id.clone(),
                name: Some(format!("Pipeline {method}")),
                auth_method: Some(
                    occudesk_core::connections::SpatiafiAuthMethod::parse(method).unwrap(),
                ),
            })
            .await
            .unwrap();
        assert!(used.token.is_some(), "{method}: {:?}", used.test_error);
    }
    // A person's sign-in method is refused.
    let err = f
        .desk
        .spatiafi_use_as_connection(UseAsConnection {
            client_id: created.client_id.clone(),
            name: None,
            auth_method: Some(occudesk_core::connections::SpatiafiAuthMethod::Basic),
        })
        .await
        .unwrap_err();
    assert_eq!(serde_json::to_value(&err).unwrap()["field"], "authMethod");

    let row = f
        .desk
        .spatiafi_credentials()
        .await
        .unwrap()
        .credentials
        .into_iter()
        .find(|c| c.client_id == created.client_id)
        .unwrap();
    assert_eq!(row.used_by.len(), 3);
    assert!(row.used_by.iter().any(|c| c.name == "Pipeline"));

    // A credential whose secret is not here cannot become a connection.
    let err = f
        .desk
        .spatiafi_use_as_connection(UseAsConnection {
            client_id: demo::SPATIAFI_CLIENT_ID.into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("does not hold the secret"),
        "{err}"
    );

    let outcome = f.desk.spatiafi_delete(&created.client_id).await.unwrap();
    assert_eq!(outcome.secrets_removed_from.len(), 3);
    assert!(
        f.vault.get(&id).await.unwrap().is_none(),
        "no dead secret left"
    );
    assert!(
        f.desk.find_connection("Pipeline").is_ok(),
        "the connection stays"
    );
}

#[tokio::test]
async fn remember_password_saves_a_basic_connection_that_signs_in_later() {
    let sim = sim().await;
    let f = desk().await;
    let mut request = typed(&sim, demo::SPATIAFI_PASSWORD);
    request.remember = true;
    let signed = f.desk.spatiafi_sign_in(request).await.unwrap();
    assert!(signed.remember_error.is_none());
    let saved = signed.saved_connection.expect("saved");
    assert_eq!(saved.connection.client_id, demo::SPATIAFI_EMAIL);
    assert_eq!(serde_json::to_value(&saved).unwrap()["authMethod"], "basic");
    assert_eq!(
        f.vault
            .get(&saved.connection.id)
            .await
            .unwrap()
            .map(|s| s.expose_secret().to_owned()),
        Some(demo::SPATIAFI_PASSWORD.to_owned())
    );
    assert!(!f.settings_file().contains(demo::SPATIAFI_PASSWORD));

    // Off by default: a plain sign-in saves nothing.
    let g = desk().await;
    sign_in(&g.desk, &sim).await;
    assert!(g.desk.connections().await.connections.is_empty());

    // Signing in with the saved connection reads the password from the keyring.
    f.desk.spatiafi_sign_out();
    let again = f
        .desk
        .spatiafi_sign_in(SignInRequest {
            connection: Some(saved.connection.name.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        again.connection_id.as_deref(),
        Some(saved.connection.id.as_str())
    );
    assert_eq!(
        f.desk
            .spatiafi_credentials()
            .await
            .unwrap()
            .credentials
            .len(),
        1
    );
    let panel = f.desk.spatiafi_panel().await;
    assert_eq!(panel.sign_in_connections.len(), 1);
}

#[tokio::test]
async fn the_tenth_credential_needs_a_confirmation() {
    let sim = sim().await;
    let f = desk().await;
    sign_in(&f.desk, &sim).await;
    // The demo user has one; eight more make nine.
    for _ in 0..8 {
        f.desk
            .spatiafi_create(false)
            .await
            .expect("below the limit");
    }
    let err = f.desk.spatiafi_create(false).await.unwrap_err();
    assert_eq!(serde_json::to_value(&err).unwrap()["field"], "allowMany");
    assert!(err.to_string().contains("already has 9"), "{err}");
    assert_eq!(on_server(&sim).await.len(), 9);
    f.desk.spatiafi_create(true).await.expect("confirmed");
    assert_eq!(on_server(&sim).await.len(), 10);
}
