//! Command tests: the whole app graph on Tauri's mock runtime, called the way the window calls it.

use occudesk_app::{AppOptions, COMMAND_ARGS, COMMANDS, build_app, context};
use occudesk_core::vault::Vault;
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow};

struct TestApp {
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    dir: tempfile::TempDir,
    vault: Vault,
}

impl TestApp {
    fn start() -> Self {
        Self::start_in(tempfile::tempdir().unwrap())
    }

    fn start_in(dir: tempfile::TempDir) -> Self {
        Self::start_with(dir, false)
    }

    /// `demo`: as `occudesk --demo` (what scripts/run.sh starts).
    fn start_with(dir: tempfile::TempDir, demo: bool) -> Self {
        let vault = Vault::memory();
        let mut app = build_app(
            mock_builder(),
            AppOptions {
                data_dir: Some(dir.path().to_owned()),
                vault: vault.clone(),
                demo,
                // The simulator's calendar, as every test pins it: demo data ends the day before.
                today: Some(occudesk_sim::SimConfig::default().today),
            },
        )
        .build(context())
        .unwrap();
        // Setup (managed state, and the "main" window from tauri.conf.json) runs on the first
        // turn of the event loop, as in the real app.
        // Called once, not in a loop, so the busy-loop this deprecation warns of cannot happen.
        #[allow(deprecated)]
        app.run_iteration(|_, _| {});
        let window = app.get_webview_window("main").unwrap();
        TestApp {
            _app: app,
            window,
            dir,
            vault,
        }
    }

    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request).map(|body| body.deserialize::<Value>().unwrap())
    }

    fn settings_file(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("settings.json")).unwrap_or_default()
    }
}

fn v2_draft() -> Value {
    json!({"name": "Head office", "kind": "innerspace-v2", "clientId": "client-abc", "baseUrl": "https://api.innerspace.io"})
}

#[test]
fn save_list_and_delete_a_connection() {
    let t = TestApp::start();
    assert_eq!(
        t.invoke("list_connections", json!({})).unwrap()["connections"],
        json!([])
    );

    let saved = t
        .invoke(
            "save_connection",
            json!({"draft": v2_draft(), "secret": "very-secret-123"}),
        )
        .unwrap();
    let id = saved["id"].as_str().unwrap().to_owned();
    assert_eq!(saved["hasSecret"], true);
    assert_eq!(saved["audience"], "https://global-config.innerspace.io");

    let reply = t.invoke("list_connections", json!({})).unwrap();
    assert_eq!(reply["keyringError"], Value::Null);
    let list = reply["connections"].clone();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["name"], "Head office");
    assert_eq!(list[0]["hasSecret"], true);

    // The secret reached the vault, and nothing the window can see carries it.
    let rt = tokio::runtime::Runtime::new().unwrap();
    assert!(rt.block_on(t.vault.contains(&id)).unwrap());
    for reply in [&saved, &list] {
        assert!(!reply.to_string().contains("very-secret-123"));
    }
    assert!(t.settings_file().contains("client-abc"));
    assert!(!t.settings_file().contains("very-secret-123"));

    t.invoke("delete_connection", json!({"id": id})).unwrap();
    assert_eq!(
        t.invoke("list_connections", json!({})).unwrap()["connections"],
        json!([])
    );
    assert!(!rt.block_on(t.vault.contains(&id)).unwrap());
}

#[test]
fn bad_input_is_refused_with_code_message_and_field() {
    let t = TestApp::start();
    let mut draft = v2_draft();
    draft["baseUrl"] = json!("http://api.innerspace.io");
    let err = t
        .invoke("save_connection", json!({"draft": draft, "secret": "s"}))
        .unwrap_err();
    assert_eq!(err["code"], "input.invalid");
    assert_eq!(err["field"], "baseUrl");
    assert!(err["message"].as_str().unwrap().contains("https://"));
    assert_eq!(
        t.invoke("list_connections", json!({})).unwrap()["connections"],
        json!([])
    );

    let mut draft = v2_draft();
    draft["name"] = json!("");
    let err = t
        .invoke("save_connection", json!({"draft": draft}))
        .unwrap_err();
    assert_eq!(err["field"], "name");

    let err = t
        .invoke("delete_connection", json!({"id": "no-such-id"}))
        .unwrap_err();
    assert_eq!(err["code"], "connection.not_found");
}

#[test]
fn the_form_lists_kinds_from_core_and_checks_drafts_as_rust_saves_them() {
    let t = TestApp::start();
    let catalog = t.invoke("connection_catalog", json!({})).unwrap();
    let kinds: Vec<&str> = catalog["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "innerspace-v2",
            "innerspace-v1",
            "innerspace-token",
            "spatiafi"
        ]
    );
    assert_eq!(catalog["defaultAuthMethod"], "client_secret_jwt");

    assert_eq!(
        t.invoke("check_connection", json!({"draft": v2_draft()}))
            .unwrap(),
        json!([])
    );
    // What the window's own check used to let through, and Rust refuses.
    for url in [
        "https://api.innerspace.io/?x=1",
        "https://api.innerspace.io/#top",
        "http://user:pw@127.0.0.1:8080",
    ] {
        let mut draft = v2_draft();
        draft["baseUrl"] = json!(url);
        let problems = t
            .invoke("check_connection", json!({"draft": draft}))
            .unwrap();
        assert_eq!(problems[0]["field"], "baseUrl", "{url}");
        let err = t
            .invoke("save_connection", json!({"draft": draft}))
            .unwrap_err();
        assert_eq!(err["message"], problems[0]["message"], "{url}");
    }

    // A name that is taken, in any case, is refused as the user types and on save.
    t.invoke("save_connection", json!({"draft": v2_draft()}))
        .unwrap();
    let mut twin = v2_draft();
    twin["name"] = json!("HEAD OFFICE");
    let problems = t
        .invoke("check_connection", json!({"draft": twin}))
        .unwrap();
    assert_eq!(problems[0]["field"], "name");
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .contains("already exists")
    );
    let err = t
        .invoke("save_connection", json!({"draft": twin}))
        .unwrap_err();
    assert_eq!(err["field"], "name");
}

#[test]
fn demo_data_adds_in_memory_connections_and_is_remembered() {
    let t = TestApp::start();
    t.invoke("set_demo_data", json!({"enabled": true})).unwrap();
    let list = t.invoke("list_connections", json!({})).unwrap()["connections"].take();
    let kinds: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["innerspace-v2", "innerspace-v1", "spatiafi"]);
    for c in list.as_array().unwrap() {
        assert_eq!(c["demo"], true);
        assert_eq!(c["hasSecret"], true);
        assert!(
            c["baseUrl"]
                .as_str()
                .unwrap()
                .starts_with("http://127.0.0.1:")
        );
    }
    // Demo secrets never reach the keyring (here the test's vault), nor the file.
    let rt = tokio::runtime::Runtime::new().unwrap();
    assert!(!rt.block_on(t.vault.contains("demo-innerspace-v2")).unwrap());
    let file = t.settings_file();
    assert!(file.contains("\"demoData\": true"), "{file}");
    assert!(
        !file.contains("demo-v2-secret") && !file.contains("127.0.0.1"),
        "{file}"
    );
    assert_eq!(t.invoke("app_info", json!({})).unwrap()["demoData"], true);

    t.invoke("set_demo_data", json!({"enabled": false}))
        .unwrap();
    assert_eq!(
        t.invoke("list_connections", json!({})).unwrap()["connections"],
        json!([])
    );
    assert!(t.settings_file().contains("\"demoData\": false"));
}

#[test]
fn a_damaged_settings_file_is_reported_and_never_overwritten() {
    // Broken JSON (a crash mid-write), and JSON that is not our settings.
    for damaged in ["{oops", r#"{"settings": {"version": 1, "connections": 7}}"#] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("settings.json"), damaged).unwrap();
        let t = TestApp::start_in(dir);
        let info = t.invoke("app_info", json!({})).unwrap();
        assert_eq!(
            info["startupError"]["code"], "settings.corrupt",
            "{damaged}"
        );
        assert!(
            info["startupError"]["message"]
                .as_str()
                .unwrap()
                .contains("left untouched")
        );
        assert_eq!(
            t.invoke("list_connections", json!({})).unwrap()["connections"],
            json!([])
        );
        let err = t
            .invoke(
                "save_connection",
                json!({"draft": v2_draft(), "secret": "s"}),
            )
            .unwrap_err();
        assert_eq!(err["code"], "settings.corrupt");
        assert_eq!(
            t.settings_file(),
            damaged,
            "the damaged file was overwritten"
        );
    }
}

#[test]
fn a_damaged_settings_file_is_restored_from_the_last_good_copy_only_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.json");
    let last_good = dir.path().join("settings.last-good.json");
    // A first run saves two connections; the next start loads them, keeping a good copy.
    let t = TestApp::start_with(dir, false);
    for name in ["Head office", "Labs"] {
        let mut draft = v2_draft();
        draft["name"] = json!(name);
        t.invoke("save_connection", json!({"draft": draft, "secret": "s"}))
            .unwrap();
    }
    let TestApp { _app, dir, .. } = t;
    drop(_app);
    let t = TestApp::start_in(dir);
    assert!(t.invoke("app_info", json!({})).unwrap()["startupError"].is_null());
    let TestApp { _app, dir, .. } = t;
    drop(_app);
    assert!(last_good.exists(), "no last good copy was kept");

    // The file is damaged (a tool or a disk wrote garbage over it).
    std::fs::write(&path, "{\"settings\": {\"version\": 1, \"connect").unwrap();
    let kept_copy = std::fs::read(&last_good).unwrap();
    let t = TestApp::start_in(dir);
    let info = t.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["startupError"]["code"], "settings.corrupt");
    let offer = &info["settingsRestore"];
    assert_eq!(offer["lastGoodConnections"], json!(["Head office", "Labs"]));
    assert!(
        offer["summary"].as_str().unwrap().contains("2 connections"),
        "{offer}"
    );
    // Nothing was written before the user asked.
    assert_eq!(
        t.settings_file(),
        "{\"settings\": {\"version\": 1, \"connect"
    );
    assert_eq!(std::fs::read(&last_good).unwrap(), kept_copy);

    let report = t.invoke("restore_settings", json!({})).unwrap();
    assert_eq!(report["connections"], 2);
    assert!(
        report["damagedKeptAs"]
            .as_str()
            .unwrap()
            .contains("settings.damaged-")
    );
    let list = t.invoke("list_connections", json!({})).unwrap()["connections"].take();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let info = t.invoke("app_info", json!({})).unwrap();
    assert!(info["startupError"].is_null());
    assert!(info["settingsRestore"].is_null());
    // Saving works again.
    let mut third = v2_draft();
    third["name"] = json!("Third");
    t.invoke("save_connection", json!({"draft": third}))
        .unwrap();
    assert!(t.settings_file().contains("Third"));
    // A second restore has nothing to do.
    let err = t.invoke("restore_settings", json!({})).unwrap_err();
    assert_eq!(err["code"], "settings.nothing_to_restore");
}

#[test]
fn unused_keyring_entries_are_counted_and_removed_by_command() {
    let t = TestApp::start();
    let saved = t
        .invoke(
            "save_connection",
            json!({"draft": v2_draft(), "secret": "kept"}),
        )
        .unwrap();
    let id = saved["id"].as_str().unwrap().to_owned();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(t.vault.set("left-behind", "x".to_owned().into()))
        .unwrap();
    let found = t.invoke("orphaned_secrets", json!({})).unwrap();
    assert_eq!(found, json!({"count": 1, "keys": ["left-behind"]}));
    let removed = t.invoke("remove_orphaned_secrets", json!({})).unwrap();
    assert_eq!(removed["keys"], json!(["left-behind"]));
    assert_eq!(rt.block_on(t.vault.list_keys()).unwrap(), [id]);
    assert_eq!(t.invoke("orphaned_secrets", json!({})).unwrap()["count"], 0);
}

#[test]
fn starting_with_demo_opens_on_demo_data_without_remembering_it() {
    let t = TestApp::start_with(tempfile::tempdir().unwrap(), true);
    assert_eq!(t.invoke("app_info", json!({})).unwrap()["demoData"], true);
    let list = t.invoke("list_connections", json!({})).unwrap()["connections"].take();
    assert_eq!(list.as_array().unwrap().len(), 3);
    assert!(list.as_array().unwrap().iter().all(|c| c["demo"] == true));
    // The flag is for this run only: nothing was written to the settings file.
    assert_eq!(t.settings_file(), "");
}

#[test]
fn app_info_names_where_things_are_kept() {
    let t = TestApp::start();
    let info = t.invoke("app_info", json!({})).unwrap();
    assert!(
        info["settingsFile"]
            .as_str()
            .unwrap()
            .ends_with("settings.json")
    );
    assert!(info["secrets"].as_str().unwrap().contains("memory"));
    // The pinned calendar, which the window's date presets count from.
    assert_eq!(
        info["today"],
        occudesk_sim::SimConfig::default().today.to_string()
    );
}

/// The core permissions the window needs: none. It calls only the app's own commands
/// (`invoke`), and progress arrives over a `Channel`, which needs no permission (small messages
/// are evaluated in the page; larger ones are fetched with `plugin:__TAURI_CHANNEL__|fetch`,
/// which Tauri lets through without one). It uses no event, window, app, path, image, menu,
/// tray or webview API, and the save dialog is opened from Rust. `core:default` granted all of
/// those; a page that went wrong (or a script that got in) could have used them. Of the
/// clipboard plugin, only writing text (Copy of a new App Credential's secret): the page can
/// never read what else is on the clipboard.
const WINDOW_CORE_PERMISSIONS: &[&str] = &["clipboard-manager:allow-write-text"];

/// Every command's argument names (`COMMAND_ARGS`, which build.rs reads from the command
/// functions and ui/contract.js publishes) are the keys Tauri reads: called without arguments,
/// a command refuses for lack of its first required one, by that name.
#[test]
fn commands_read_the_arguments_the_contract_names() {
    let t = TestApp::start();
    for command in COMMAND_ARGS {
        let Some(first) = command.args.iter().find(|a| !a.optional) else {
            continue;
        };
        let err = t.invoke(command.command, json!({})).unwrap_err();
        let wanted = format!(
            "command {} missing required key {}",
            command.command, first.name
        );
        assert!(
            err.as_str().is_some_and(|e| e.contains(&wanted)),
            "{}: {err}",
            command.command
        );
    }
}

#[test]
fn the_capability_grants_exactly_the_commands_and_the_core_permissions_the_window_uses() {
    let capability: Value =
        serde_json::from_str(include_str!("../capabilities/main.json")).unwrap();
    let mut granted: Vec<&str> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().expect("permissions are named, without scopes"))
        .collect();
    let mut wanted: Vec<String> = COMMANDS
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .chain(WINDOW_CORE_PERMISSIONS.iter().map(|p| p.to_string()))
        .collect();
    granted.sort_unstable();
    wanted.sort_unstable();
    assert_eq!(
        granted, wanted,
        "capabilities/main.json must grant each #[tauri::command] in src-tauri/commands/ \
         (allow-<name>) and the core permissions the window uses, nothing else"
    );
    assert_eq!(capability["windows"], json!(["main"]));
}

#[test]
fn the_csp_is_strict() {
    let conf: Value = serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
    let csp = &conf["app"]["security"]["csp"];
    assert_eq!(csp["default-src"], "'self'");
    assert_eq!(csp["connect-src"], "ipc: http://ipc.localhost");
    let all = csp.to_string();
    assert!(!all.contains("unsafe-eval") && !all.contains("unsafe-inline"));
    assert!(!all.contains("https:") && !all.contains('*'));
}

#[test]
fn the_cli_finds_the_same_data_folder_as_the_app() {
    let conf: Value = serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
    assert_eq!(conf["identifier"], occudesk_core::paths::APP_IDENTIFIER);
}

#[test]
fn app_credentials_sign_in_create_use_and_delete_through_commands() {
    let t = TestApp::start_with(tempfile::tempdir().unwrap(), true);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let panel = t.invoke("spatiafi_panel", json!({})).unwrap();
    assert_eq!(panel["signedIn"], Value::Null);
    assert!(
        panel["defaultBaseUrl"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:"),
        "demo data: the demo service's address"
    );
    assert_eq!(panel["warnAtCount"], 10);

    // Not signed in yet: the list asks for a sign-in.
    let err = t.invoke("list_app_credentials", json!({})).unwrap_err();
    assert_eq!(err["code"], "auth.signin_required");

    let email = occudesk_sim::demo::SPATIAFI_EMAIL;
    let password = occudesk_sim::demo::SPATIAFI_PASSWORD;
    let err = t
        .invoke(
            "spatiafi_sign_in",
            json!({"request": {"email": email, "password": "wrong"}}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "auth.invalid_credentials");
    let signed = t
        .invoke(
            "spatiafi_sign_in",
            json!({"request": {"email": email, "password": password}}),
        )
        .unwrap();
    assert_eq!(signed["email"], email);
    assert!(signed["token"]["remainingSecs"].as_u64().unwrap() > 800);
    assert!(!signed.to_string().contains(password));
    assert!(!signed.to_string().contains("accessToken") && !signed.to_string().contains("eyJ"));

    // The demo credential is used by the demo connection, whose secret is held (in memory).
    let list = t.invoke("list_app_credentials", json!({})).unwrap();
    let demo_row = &list["credentials"][0];
    assert_eq!(demo_row["clientId"], occudesk_sim::demo::SPATIAFI_CLIENT_ID);
    assert_eq!(demo_row["secretHere"], true);
    assert_eq!(demo_row["usedBy"][0]["name"], "Demo SpatiaFi");

    let created = t
        .invoke("create_app_credential", json!({"allowMany": false}))
        .unwrap();
    let client_id = created["clientId"].as_str().unwrap().to_owned();
    let secret = created["clientSecret"].as_str().unwrap().to_owned();
    assert_eq!(created["saved"], true);
    let key = format!("app-credential:{client_id}");
    assert_eq!(created["keyringKey"], key.as_str());
    assert!(rt.block_on(t.vault.contains(&key)).unwrap());
    assert!(!t.settings_file().contains(&secret));

    let used = t
        .invoke(
            "use_app_credential_as_connection",
            json!({"request": {"clientId": client_id, "name": "Pipeline", "authMethod": "client_secret_post"}}),
        )
        .unwrap();
    assert_eq!(used["testError"], Value::Null);
    assert!(used["token"]["remainingSecs"].as_u64().unwrap() > 0);
    assert_eq!(used["connection"]["authMethod"], "client_secret_post");
    assert!(!used.to_string().contains(&secret));
    let list = t.invoke("list_app_credentials", json!({})).unwrap();
    let row = list["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clientId"] == client_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["usedBy"][0]["name"], "Pipeline");
    assert!(!list.to_string().contains(&secret));

    // A bad id: the service's 422, field by field.
    let err = t
        .invoke("delete_app_credential", json!({"clientId": "not-a-uuid"}))
        .unwrap_err();
    assert_eq!(err["code"], "api.validation");
    assert_eq!(err["fields"][0]["field"], "clientId");

    let outcome = t
        .invoke("delete_app_credential", json!({"clientId": client_id}))
        .unwrap();
    assert_eq!(outcome["alreadyGone"], false);
    assert_eq!(outcome["secretsRemovedFrom"][0]["name"], "Pipeline");
    assert!(!rt.block_on(t.vault.contains(&key)).unwrap());
    let list = t.invoke("list_app_credentials", json!({})).unwrap();
    assert_eq!(list["credentials"].as_array().unwrap().len(), 1);

    // Deleting again: the service says 404, the window is told it was already gone.
    let again = t
        .invoke("delete_app_credential", json!({"clientId": client_id}))
        .unwrap();
    assert_eq!(again["alreadyGone"], true);

    t.invoke("spatiafi_sign_out", json!({})).unwrap();
    assert_eq!(
        t.invoke("spatiafi_panel", json!({})).unwrap()["signedIn"],
        Value::Null
    );
    let err = t
        .invoke("retry_save_app_credential", json!({"clientId": client_id}))
        .unwrap_err();
    assert_eq!(err["code"], "input.invalid");
}

#[test]
fn settings_show_the_cache_set_its_limit_and_clear_it() {
    let t = TestApp::start();
    let info = t.invoke("cache_info", json!({})).unwrap();
    let path = info["path"].as_str().unwrap().to_owned();
    assert!(path.ends_with("cache.sqlite3"), "{path}");
    assert!(path.starts_with(&t.dir.path().display().to_string()));
    assert_eq!(
        (info["days"].clone(), info["limitMb"].clone()),
        (json!(0), json!(500))
    );
    assert_eq!(info["enabled"], true);
    let app = t.invoke("app_info", json!({})).unwrap();
    assert_eq!(app["cacheFile"], json!(path));

    let set = t
        .invoke("set_cache_limit", json!({"limitMb": 200}))
        .unwrap();
    assert_eq!(set["limitMb"], 200);
    assert!(t.settings_file().contains("\"cacheLimitMb\": 200"));
    let err = t
        .invoke("set_cache_limit", json!({"limitMb": 1}))
        .unwrap_err();
    assert_eq!(
        (err["code"].clone(), err["field"].clone()),
        (json!("input.invalid"), json!("cacheLimitMb"))
    );

    let cleared = t.invoke("clear_cache", json!({})).unwrap();
    assert_eq!(cleared["days"], 0);
}

#[test]
fn the_insights_view_reopens_on_the_connection_and_building_last_loaded() {
    let t = TestApp::start();
    let saved = t
        .invoke("save_connection", json!({"draft": v2_draft()}))
        .unwrap();
    let id = saved["id"].as_str().unwrap().to_owned();
    t.invoke(
        "remember_view",
        json!({"connectionId": id, "buildingId": 72}),
    )
    .unwrap();
    let info = t.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["defaultConnection"], json!(id));
    assert_eq!(info["defaultBuilding"], 72);
    assert!(t.settings_file().contains("\"defaultBuilding\": 72"));
    assert_eq!(info["defaultView"], json!(null));

    // With the rest of its controls: they come back on the next start, as saved.
    let controls = json!({"siteId": 900, "zoneId": null, "groupId": null, "granularity": "P1D",
        "metric": "OCCUPANCY_MEAN", "preset": "last7", "from": null, "to": null, "tab": "heatmap"});
    t.invoke(
        "remember_view",
        json!({"connectionId": id, "buildingId": 72, "controls": controls}),
    )
    .unwrap();
    let again = TestApp::start_in(t.dir);
    let info = again.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["defaultBuilding"], 72);
    assert_eq!(info["defaultView"], controls);
    // Anything but the window's short ids is refused and changes nothing.
    let long = json!({"tab": "x".repeat(500)});
    let err = again
        .invoke(
            "remember_view",
            json!({"connectionId": id, "buildingId": 72, "controls": long}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "input.invalid");
    assert_eq!(
        again.invoke("app_info", json!({})).unwrap()["defaultView"],
        controls
    );
    let t = again;

    let err = t
        .invoke(
            "remember_view",
            json!({"connectionId": "nope", "buildingId": 1}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "connection.not_found");
}

#[test]
fn the_time_display_is_saved_and_returned_with_this_computers_zone() {
    let t = TestApp::start();
    let info = t.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["times"]["display"], "building-local");
    assert_eq!(info["times"]["clock"], "24h");
    let zone = info["times"]["computerZone"].as_str().unwrap().to_owned();
    assert!(!zone.is_empty());

    let view = t
        .invoke(
            "set_time_display",
            json!({"display": "this-computer", "clock": "12h"}),
        )
        .unwrap();
    assert_eq!(
        (view["display"].clone(), view["clock"].clone()),
        (json!("this-computer"), json!("12h"))
    );
    assert_eq!(view["computerZone"], json!(zone));
    let file = t.settings_file();
    assert!(
        file.contains("\"timeDisplay\": \"this-computer\""),
        "{file}"
    );
    assert!(file.contains("\"clock\": \"12h\""), "{file}");
    assert_eq!(
        t.invoke("app_info", json!({})).unwrap()["times"]["clock"],
        "12h"
    );

    // An unknown choice is refused and changes nothing.
    assert!(
        t.invoke(
            "set_time_display",
            json!({"display": "mars", "clock": "12h"})
        )
        .is_err()
    );
    // Kept for the next start.
    let again = TestApp::start_in(t.dir);
    let times = again.invoke("app_info", json!({})).unwrap()["times"].take();
    assert_eq!(
        (times["display"].clone(), times["clock"].clone()),
        (json!("this-computer"), json!("12h"))
    );
}

#[test]
fn settings_choose_the_connection_insights_opens_on() {
    let t = TestApp::start();
    let first = t
        .invoke("save_connection", json!({"draft": v2_draft()}))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut other = v2_draft();
    other["name"] = json!("Labs");
    let second = t
        .invoke("save_connection", json!({"draft": other}))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    t.invoke(
        "remember_view",
        json!({"connectionId": first, "buildingId": 72}),
    )
    .unwrap();
    let opens = |t: &TestApp| {
        let info = t.invoke("app_info", json!({})).unwrap();
        (
            info["defaultConnection"].clone(),
            info["defaultBuilding"].clone(),
            info["insightsConnection"].clone(),
        )
    };
    // By default: the connection and building last loaded.
    assert_eq!(opens(&t), (json!(first), json!(72), json!(null)));

    // Another connection: opens on it, on its first building (the remembered one is not its).
    t.invoke("set_insights_connection", json!({"connectionId": second}))
        .unwrap();
    assert_eq!(opens(&t), (json!(second), json!(null), json!(second)));
    assert!(
        t.settings_file()
            .contains(&format!("\"insightsConnection\": \"{second}\""))
    );
    // The connection last loaded, chosen by name: its remembered building too.
    t.invoke("set_insights_connection", json!({"connectionId": first}))
        .unwrap();
    assert_eq!(opens(&t), (json!(first), json!(72), json!(first)));
    // Back to "the one last loaded".
    t.invoke("set_insights_connection", json!({"connectionId": null}))
        .unwrap();
    assert_eq!(opens(&t), (json!(first), json!(72), json!(null)));

    let err = t
        .invoke("set_insights_connection", json!({"connectionId": "nope"}))
        .unwrap_err();
    assert_eq!(err["code"], "connection.not_found");

    // A chosen connection that is deleted is no longer chosen.
    t.invoke("set_insights_connection", json!({"connectionId": second}))
        .unwrap();
    t.invoke("delete_connection", json!({"id": second}))
        .unwrap();
    assert_eq!(opens(&t), (json!(first), json!(72), json!(null)));
}

#[test]
fn live_answers_a_board_with_its_refresh_or_says_the_tenant_has_no_live_data() {
    let t = TestApp::start();
    t.invoke("set_demo_data", json!({"enabled": true})).unwrap();
    let board = t
        .invoke(
            "live",
            json!({"connectionId": "demo-innerspace-v1", "buildingId": 71}),
        )
        .unwrap();
    assert_eq!(board["liveness"], "live");
    assert_eq!(board["refreshSecs"], 60);
    assert_eq!(board["floors"].as_array().unwrap().len(), 3);
    let board = t
        .invoke(
            "live",
            json!({"connectionId": "demo-innerspace-v2", "buildingId": 71}),
        )
        .unwrap();
    assert_eq!(board["liveness"], "not-available");
}

#[test]
fn the_target_band_is_60_to_85_until_set_and_a_band_upside_down_is_refused() {
    let t = TestApp::start();
    assert_eq!(
        t.invoke("target_band", json!({})).unwrap(),
        json!({"lowPct": 60, "highPct": 85})
    );
    t.invoke(
        "set_target_band",
        json!({"band": {"lowPct": 50, "highPct": 75}}),
    )
    .unwrap();
    let refused = t
        .invoke(
            "set_target_band",
            json!({"band": {"lowPct": 80, "highPct": 70}}),
        )
        .unwrap_err();
    assert_eq!(refused["field"], "band", "{refused}");
    // Kept for the next start, the refused band changing nothing.
    let again = TestApp::start_in(t.dir);
    assert_eq!(
        again.invoke("target_band", json!({})).unwrap(),
        json!({"lowPct": 50, "highPct": 75})
    );
}
