//! The CLI as a user runs it: the real binary, a temporary settings folder, and (in the
//! desktop session) the real GNOME Keyring.

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Tests that use the real keyring take turns: `connection doctor --fix` removes every entry
/// of the service that no connection *in its folder* uses, which would include the entries of
/// a test running beside it in another folder.
static REAL_KEYRING: Mutex<()> = Mutex::new(());

fn real_keyring() -> MutexGuard<'static, ()> {
    REAL_KEYRING.lock().unwrap_or_else(PoisonError::into_inner)
}

fn cli(data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    cli_with_env(data_dir, args, stdin, &[])
}

fn cli_with_env(data_dir: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    spawn_cli(data_dir, args, stdin, env)
        .wait_with_output()
        .unwrap()
}

/// The simulator's "today" (its default, 2026-11-23): every CLI run has its calendar pinned to
/// it (`OCCUDESK_TODAY`), so demo data and "today" agree with the tests on any date.
fn sim_today() -> String {
    occudesk_sim::SimConfig::default().today.to_string()
}

/// Starts the CLI with `stdin` written and closed; the caller waits for it (or kills it).
/// `env` may override `OCCUDESK_TODAY`.
fn spawn_cli(data_dir: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_occudesk-cli"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env("OCCUDESK_TODAY", sim_today())
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn keyring_lookup(id: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", "occudesk", "username", id])
        .output()
        .unwrap();
    out.status.success().then(|| text(&out.stdout))
}

#[test]
fn help_explains_commands_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli(dir.path(), &["--help"], "");
    assert!(out.status.success());
    let help = text(&out.stdout);
    for needle in [
        "connection",
        "Exit codes",
        "keyring",
        "never from arguments",
    ] {
        assert!(help.contains(needle), "help lacks {needle:?}:\n{help}");
    }
    let out = cli(dir.path(), &["connection", "add", "--help"], "");
    assert!(text(&out.stdout).contains("--client-id"));
    assert!(
        !text(&out.stdout).contains("--secret "),
        "a secret must never be an argument"
    );
}

#[test]
fn an_insecure_address_is_refused_before_asking_for_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli(
        dir.path(),
        &[
            "connection",
            "add",
            "--name",
            "HQ",
            "--kind",
            "innerspace-v2",
            "--client-id",
            "c",
            "--base-url",
            "http://api.innerspace.io",
        ],
        "secret\n",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("Use https://"),
        "{}",
        text(&out.stderr)
    );
    assert!(!dir.path().join("settings.json").exists());
}

#[test]
fn without_a_keyring_nothing_is_saved_and_the_user_is_told_why() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli_with_env(
        dir.path(),
        &[
            "connection",
            "add",
            "--name",
            "HQ",
            "--kind",
            "innerspace-v1",
            "--client-id",
            "c",
        ],
        "the-secret\n",
        &[(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/occudesk-test-bus",
        )],
    );
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("keyring is not available"), "{err}");
    assert!(!err.contains("the-secret"));
    assert!(
        !dir.path().join("settings.json").exists(),
        "a connection was saved without its secret"
    );
}

#[test]
fn an_empty_secret_on_standard_input_saves_nothing_and_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let add = [
        "connection",
        "add",
        "--name",
        "HQ",
        "--kind",
        "innerspace-v2",
        "--client-id",
        "c",
    ];
    for stdin in ["", "\n"] {
        let out = cli(dir.path(), &add, stdin);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(err.contains("No client secret was given"), "{err}");
        assert!(err.contains("--no-secret"), "{err}");
        assert!(!dir.path().join("settings.json").exists());
    }
}

#[test]
fn a_taken_name_is_refused_in_any_case() {
    let dir = tempfile::tempdir().unwrap();
    let add = |name: &str| {
        cli(
            dir.path(),
            &[
                "connection",
                "add",
                "--name",
                name,
                "--kind",
                "innerspace-v1",
                "--client-id",
                "c",
                "--no-secret",
            ],
            "",
        )
    };
    assert!(add("Head office").status.success());
    let out = add("HEAD OFFICE");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("already exists"),
        "{}",
        text(&out.stderr)
    );
    let list = text(&cli(dir.path(), &["connection", "list"], "").stdout);
    assert_eq!(
        list.matches("ead office").count() + list.matches("EAD OFFICE").count(),
        1,
        "{list}"
    );
}

#[test]
fn removing_an_unknown_connection_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli(dir.path(), &["connection", "remove", "nope"], "");
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("no connection"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
fn add_list_remove_with_the_real_keyring() {
    let _turn = real_keyring();
    let dir = tempfile::tempdir().unwrap();
    let secret = format!("cli-secret-{}", std::process::id());
    let out = cli(
        dir.path(),
        &[
            "connection",
            "add",
            "--name",
            "Labs",
            "--kind",
            "spatiafi",
            "--client-id",
            "0oa-cli",
            "--auth-method",
            "client-secret-post",
        ],
        &format!("{secret}\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("secret stored in the keyring"));

    let out = cli(dir.path(), &["connection", "list", "--json"], "");
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = list[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(list[0]["hasSecret"], true);
    assert_eq!(list[0]["authMethod"], "client_secret_post");
    assert_eq!(
        keyring_lookup(&id).as_deref(),
        Some(secret.as_str()),
        "newline must be stripped"
    );

    let table = text(&cli(dir.path(), &["connection", "list"], "").stdout);
    assert!(
        table.contains("Labs") && table.contains("in keyring"),
        "{table}"
    );
    let settings = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
    assert!(!settings.contains(&secret));
    for output in [&table, &text(&out.stdout)] {
        assert!(!output.contains(&secret));
    }

    let out = cli(dir.path(), &["connection", "remove", "Labs"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(keyring_lookup(&id), None);
    assert!(text(&cli(dir.path(), &["connection", "list"], "").stdout).contains("No connections"));
}

fn start_sim() -> (tokio::runtime::Runtime, occudesk_sim::Sim) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sim = runtime
        .block_on(occudesk_sim::Sim::start(
            "127.0.0.1:0".parse().unwrap(),
            Default::default(),
        ))
        .unwrap();
    (runtime, sim)
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
fn test_reports_the_token_lifetime_and_explains_failures() {
    let _turn = real_keyring();
    use occudesk_sim::demo;
    let (_runtime, sim) = start_sim();
    let dir = tempfile::tempdir().unwrap();
    let add = |name: &str, secret: &str| {
        let out = cli(
            dir.path(),
            &[
                "connection",
                "add",
                "--name",
                name,
                "--kind",
                "innerspace-v2",
                "--client-id",
                demo::V2_CLIENT_ID,
                "--base-url",
                &sim.url(),
            ],
            secret,
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
    };
    add("Good", demo::V2_CLIENT_SECRET);
    add("Bad", "not-the-secret");

    let out = cli_with_env(
        dir.path(),
        &["connection", "test", "Good"],
        "",
        &[("RUST_LOG", "debug")],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("OK: Good issued a token valid for 60 min"),
        "{}",
        text(&out.stdout)
    );
    let log = text(&out.stderr);
    assert!(log.contains("DEBUG"), "RUST_LOG=debug logged nothing");
    assert!(!log.contains(demo::V2_CLIENT_SECRET));
    assert_eq!(sim.counters(demo::V2_CLIENT_ID).token_requests, 1);

    let out = cli(dir.path(), &["connection", "test", "Bad"], "");
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("client id or client secret"),
        "{}",
        text(&out.stderr)
    );
    assert!(!text(&out.stderr).contains("not-the-secret"));

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(sim.shutdown());
    let out = cli(dir.path(), &["connection", "test", "Good"], "");
    assert_eq!(out.status.code(), Some(6), "{}", text(&out.stderr));
}

fn add_args(name: &str) -> Vec<String> {
    [
        "connection",
        "add",
        "--name",
        name,
        "--kind",
        "innerspace-v1",
        "--client-id",
        "c",
    ]
    .map(str::to_owned)
    .to_vec()
}

fn names_in(dir: &Path) -> Vec<String> {
    // Without a keyring the list is still printed (secrets "unknown"), with exit code 4.
    let out = cli(dir, &["connection", "list", "--json"], "");
    assert!(
        matches!(out.status.code(), Some(0 | 4)),
        "{}",
        text(&out.stderr)
    );
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

/// A cheap pseudo-random sequence (xorshift), seeded from the clock; the seed is printed so a
/// failing run can be repeated.
struct Jitter(u64);
impl Jitter {
    fn new() -> Self {
        let seed = std::env::var("OCCUDESK_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
                    | 1
            });
        eprintln!("OCCUDESK_TEST_SEED={seed}");
        Jitter(seed)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// 200 saves, each by a CLI process that is killed (SIGKILL) at a random moment unless it
/// finishes first. After every one the settings file (and its last good copy) must parse as
/// settings, and every save that was reported done (exit 0) must be in it.
#[cfg(unix)]
#[test]
fn a_writer_killed_at_any_moment_never_damages_the_file_or_loses_a_reported_save() {
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().unwrap();
    // How long an add takes here (the slowest of three), so kill moments spread over the
    // whole run of one, the write included, and beyond it.
    let mut typical = 0;
    for name in ["warm-up-1", "warm-up-2", "warm-up-3"] {
        let started = Instant::now();
        let mut args = add_args(name);
        args.push("--no-secret".into());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = cli(dir.path(), &args, "");
        assert!(out.status.success(), "{}", text(&out.stderr));
        typical = typical.max(started.elapsed().as_micros() as u64);
    }

    let mut jitter = Jitter::new();
    let mut reported_done = vec!["warm-up-1".to_owned()];
    let mut killed = 0;
    for i in 0..200 {
        let name = format!("save-{i}");
        let mut args = add_args(&name);
        args.push("--no-secret".into());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut child = spawn_cli(dir.path(), &args, "", &[]);
        std::thread::sleep(Duration::from_micros(jitter.below(typical * 2)));
        match child.try_wait().unwrap() {
            Some(status) => {
                assert!(status.success(), "save {i} failed on its own");
                reported_done.push(name);
            }
            None => {
                child.kill().unwrap();
                let status = child.wait().unwrap();
                // It may have finished between the check and the kill.
                if status.success() {
                    reported_done.push(name);
                } else {
                    killed += 1;
                }
            }
        }
        for file in ["settings.json", "settings.last-good.json"] {
            let path = dir.path().join(file);
            if let Ok(bytes) = std::fs::read(&path) {
                let value: serde_json::Value = serde_json::from_slice(&bytes)
                    .unwrap_or_else(|e| panic!("{file} is damaged after save {i}: {e}"));
                assert!(
                    value["settings"]["connections"].is_array(),
                    "{file}: {value}"
                );
            }
        }
    }
    eprintln!("{killed} of 200 writers were killed before finishing");
    assert!(
        killed > 0,
        "no writer was killed mid-way; the test proved nothing"
    );
    let names = names_in(dir.path());
    for name in &reported_done {
        assert!(
            names.contains(name),
            "{name} was reported saved but is missing"
        );
    }
}

#[test]
fn a_damaged_settings_file_is_restored_from_its_last_good_copy_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["HQ", "Labs"] {
        let mut args = add_args(name);
        args.push("--no-secret".into());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert!(cli(dir.path(), &args, "").status.success());
    }
    // Listing loads the settings, which keeps them as the last good copy.
    assert_eq!(names_in(dir.path()), ["HQ", "Labs"]);
    let settings = dir.path().join("settings.json");
    let last_good = dir.path().join("settings.last-good.json");
    std::fs::write(&settings, "{\"settings\": {\"version\": 1, \"conn").unwrap();
    let kept = std::fs::read(&last_good).unwrap();

    let out = cli(dir.path(), &["connection", "list"], "");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("is damaged"), "{err}");
    assert!(err.contains("2 connections (HQ, Labs)"), "{err}");
    assert!(err.contains("occudesk-cli settings restore"), "{err}");

    // Declining (or a script with nothing on standard input) changes nothing.
    for answer in ["n\n", ""] {
        let out = cli(dir.path(), &["settings", "restore"], answer);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(text(&out.stdout).contains("Nothing was changed"));
    }
    assert_eq!(
        std::fs::read_to_string(&settings).unwrap(),
        "{\"settings\": {\"version\": 1, \"conn"
    );
    assert_eq!(std::fs::read(&last_good).unwrap(), kept);

    let out = cli(dir.path(), &["settings", "restore"], "y\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Restored the last good copy (2 connections)"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(names_in(dir.path()), ["HQ", "Labs"]);
    let damaged_kept = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("settings.damaged-")
        });
    assert!(damaged_kept, "the damaged file was not kept");

    let out = cli(dir.path(), &["settings", "restore", "--yes"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("not damaged"),
        "{}",
        text(&out.stderr)
    );
}

fn ids_in(dir: &Path) -> Vec<String> {
    // Without a keyring the list is still printed (secrets "unknown"), with exit code 4.
    let out = cli(dir, &["connection", "list", "--json"], "");
    assert!(
        matches!(out.status.code(), Some(0 | 4)),
        "{}",
        text(&out.stderr)
    );
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The script: 30 `printf secret | occudesk-cli connection add` in the background
/// into one folder, while the app adds 10 more. The app side is a `Desk` (what every app
/// command calls) opened on the same folder with the real keyring in this test process, its 10
/// saves running concurrently: the shell's commands are one line over it, and the test crate
/// cannot start the app package's mock runtime.
#[test]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
fn thirty_cli_adds_and_ten_app_adds_in_parallel_lose_nothing() {
    use occudesk_core::connections::ConnectionDraft;
    use occudesk_core::{Desk, DeskConfig};

    let _turn = real_keyring();
    let dir = tempfile::tempdir().unwrap();
    let children: Vec<(String, Child)> = (0..30)
        .map(|i| {
            let name = format!("c{i}");
            let args = add_args(&name);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let child = spawn_cli(dir.path(), &args, &format!("secret-{i}"), &[]);
            (name, child)
        })
        .collect();

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app_results = runtime.block_on(async {
        let desk = std::sync::Arc::new(
            Desk::open(DeskConfig {
                data_dir: Some(dir.path().to_owned()),
                ..DeskConfig::system()
            })
            .await
            .unwrap(),
        );
        let mut saves = tokio::task::JoinSet::new();
        for i in 0..10 {
            let desk = std::sync::Arc::clone(&desk);
            saves.spawn(async move {
                let draft = ConnectionDraft {
                    name: format!("app{i}"),
                    kind: "innerspace-v2".into(),
                    client_id: format!("client-{i}"),
                    ..Default::default()
                };
                let secret = secrecy::SecretString::from(format!("app-secret-{i}"));
                desk.save_connection(&draft, Some(secret)).await
            });
        }
        let mut results = Vec::new();
        while let Some(joined) = saves.join_next().await {
            results.push(joined.unwrap());
        }
        results
    });
    for result in app_results {
        let view = result.unwrap_or_else(|e| panic!("an app save failed: {e}"));
        assert_eq!(view.has_secret, Some(true));
    }
    for (name, child) in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "adding {name} failed: {}",
            text(&out.stderr)
        );
    }

    let mut names = names_in(dir.path());
    names.sort();
    let mut wanted: Vec<String> = (0..30)
        .map(|i| format!("c{i}"))
        .chain((0..10).map(|i| format!("app{i}")))
        .collect();
    wanted.sort();
    assert_eq!(names, wanted);
    let ids = ids_in(dir.path());
    let stored = runtime
        .block_on(occudesk_core::vault::Vault::keyring().list_keys())
        .unwrap();
    let ours = stored.iter().filter(|k| ids.contains(k)).count();
    assert_eq!(ours, 40, "every connection has exactly its keyring entry");
    let out = cli(dir.path(), &["connection", "doctor"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    for id in &ids {
        assert!(
            !text(&out.stdout).contains(id.as_str()),
            "{id} called unused"
        );
    }
    // Leave the keyring as it was found.
    for id in &ids {
        assert!(
            cli(dir.path(), &["connection", "remove", id], "")
                .status
                .success()
        );
    }
}

fn secret_tool_store(service: &str, user: &str, secret: &str) {
    let mut child = Command::new("secret-tool")
        .args([
            "store",
            "--label",
            "test entry",
            "service",
            service,
            "username",
            user,
        ])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(secret.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
}

fn secret_tool_lookup(service: &str, user: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", service, "username", user])
        .output()
        .unwrap();
    out.status.success().then(|| text(&out.stdout))
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
fn doctor_removes_only_this_apps_entries_that_no_connection_uses() {
    let _turn = real_keyring();
    let dir = tempfile::tempdir().unwrap();
    let args = add_args("Kept");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert!(cli(dir.path(), &args, "kept-secret").status.success());
    let kept_id = ids_in(dir.path()).remove(0);
    let orphan = format!("orphan-{}", std::process::id());
    secret_tool_store("occudesk", &orphan, "left-behind");
    secret_tool_store("some-other-app", &orphan, "not-ours");

    let out = cli(dir.path(), &["connection", "doctor"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    assert!(report.contains(&orphan), "{report}");
    assert!(!report.contains(&kept_id), "{report}");
    assert!(report.contains("--fix"), "{report}");
    assert!(!report.contains("left-behind"), "a secret was printed");
    assert!(
        secret_tool_lookup("occudesk", &orphan).is_some(),
        "listing removed something"
    );

    let out = cli(dir.path(), &["connection", "doctor", "--fix"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(&orphan));
    assert_eq!(secret_tool_lookup("occudesk", &orphan), None);
    assert_eq!(
        secret_tool_lookup("some-other-app", &orphan).as_deref(),
        Some("not-ours"),
        "another service's entry was touched"
    );
    assert_eq!(
        secret_tool_lookup("occudesk", &kept_id).as_deref(),
        Some("kept-secret"),
        "a connection's secret was removed"
    );
    let out = cli(dir.path(), &["connection", "doctor"], "");
    assert!(
        text(&out.stdout).contains("belongs to a connection"),
        "{}",
        text(&out.stdout)
    );

    // Leave the keyring as it was found.
    let _ = Command::new("secret-tool")
        .args(["clear", "service", "some-other-app", "username", &orphan])
        .status();
    assert!(
        cli(dir.path(), &["connection", "remove", "Kept"], "")
            .status
            .success()
    );
}

#[test]
fn insights_on_demo_data_print_csv_in_building_local_time() {
    let dir = tempfile::tempdir().unwrap();
    let v2 = "Demo InnerSpace (v2)";
    let out = cli(dir.path(), &["--demo", "buildings", "--connection", v2], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("America/Chicago"));

    // 2026-03-08 is the US spring-forward day: 23 local hours.
    let args = [
        "--demo",
        "insights",
        "--connection",
        v2,
        "--building",
        "71",
        "--granularity",
        "PT1H",
        "--from",
        "2026-03-07",
        "--to",
        "2026-03-09",
        "--metric",
        "OCCUPANCY_MAX",
    ];
    let out = cli(dir.path(), &args, "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("local_time,utc_time,time_zone,building_id,site_id,OCCUPANCY_MAX")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 24 + 23 + 24, "{csv}");
    assert!(
        rows[0].starts_with("2026-03-07T00:00:00-06:00,2026-03-07T06:00:00Z,America/Chicago,71,")
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("2026-03-08T03:00:00-05:00,2026-03-08T08:00:00Z"))
    );
    assert!(!rows.iter().any(|r| r.starts_with("2026-03-08T02:00")));
    assert!(
        !dir.path().join("settings.json").exists(),
        "--demo is not remembered"
    );
}

#[test]
fn insights_refuse_bad_ranges_unknown_metrics_and_buildings_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "--demo",
            "insights",
            "--connection",
            "Demo InnerSpace (v2)",
            "--granularity",
            "PT1H",
        ];
        args.extend_from_slice(extra);
        cli(dir.path(), &args, "")
    };
    let cases: [(&[&str], &str); 4] = [
        (
            &[
                "--building",
                "71",
                "--from",
                "2026-03-09",
                "--to",
                "2026-03-01",
            ],
            "after the end date",
        ),
        (
            &[
                "--building",
                "71",
                "--from",
                "2099-01-01",
                "--to",
                "2099-01-31",
            ],
            "future",
        ),
        (
            &[
                "--building",
                "71",
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-02",
                "--metric",
                "NOPE",
            ],
            "Available:",
        ),
        (
            &[
                "--building",
                "999",
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-02",
            ],
            "999",
        ),
    ];
    for (extra, needle) in cases {
        let out = run(extra);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{extra:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains(needle),
            "{extra:?}: {}",
            text(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "no partial output for {extra:?}");
    }
    let out = cli(
        dir.path(),
        &[
            "--demo",
            "insights",
            "--connection",
            "nope",
            "--building",
            "71",
            "--granularity",
            "PT1H",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-02",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
}

#[test]
fn a_pinned_calendar_sets_today_and_the_end_of_demo_data_and_a_bad_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let days = |from: &str, to: &str, today: &str| {
        let args = [
            "--demo",
            "insights",
            "--connection",
            "Demo InnerSpace (v2)",
            "--building",
            "71",
            "--granularity",
            "P1D",
            "--from",
            from,
            "--to",
            to,
        ];
        cli_with_env(dir.path(), &args, "", &[("OCCUDESK_TODAY", today)])
    };
    let last_day = |out: &Output| {
        assert!(out.status.success(), "{}", text(&out.stderr));
        let csv = text(&out.stdout);
        let last = csv.lines().last().unwrap_or_default().to_owned();
        last.get(..10).unwrap_or_default().to_owned()
    };
    // Demo data ends the day before the pinned date; later days are not asked for.
    assert_eq!(
        last_day(&days("2026-11-15", "2026-11-30", &sim_today())),
        "2026-11-22"
    );
    assert_eq!(
        last_day(&days("2026-05-25", "2026-06-10", "2026-06-01")),
        "2026-05-31"
    );
    let out = days("2026-06-02", "2026-06-10", "2026-06-01");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("future") && err.contains("2026-06-01"),
        "{err}"
    );

    // A value that is not a date is refused, whatever the command, and says what to set.
    for bad in ["tomorrow", "2026-02-30", "23/11/2026"] {
        let out = cli_with_env(
            dir.path(),
            &["connection", "list"],
            "",
            &[("OCCUDESK_TODAY", bad)],
        );
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(
            err.contains("OCCUDESK_TODAY") && err.contains("not a date"),
            "{bad}: {err}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn spatiafi_clients_refuse_a_wrong_password_and_an_unconfirmed_delete() {
    use occudesk_sim::demo;
    let (_runtime, sim) = start_sim();
    let dir = tempfile::tempdir().unwrap();
    let url = sim.url();
    let args = |cmd: &'static [&'static str]| {
        let mut v: Vec<String> = ["spatiafi", "clients"].map(String::from).to_vec();
        v.extend(cmd.iter().map(|s| s.to_string()));
        v.extend(["--email", demo::SPATIAFI_EMAIL, "--base-url", &url].map(String::from));
        v
    };
    let run = |a: Vec<String>, stdin: &str| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        cli(dir.path(), &a, stdin)
    };
    let out = run(args(&["list"]), "wrong-password\n");
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("password was not accepted"));
    assert!(!text(&out.stderr).contains("wrong-password"));

    // The password came on standard input, so there is no terminal to confirm at: --yes.
    let out = run(
        args(&["delete", demo::SPATIAFI_CLIENT_ID]),
        demo::SPATIAFI_PASSWORD,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("--yes"));

    // A password is never an argument.
    let out = cli(
        dir.path(),
        &["spatiafi", "clients", "list", "--password", "x"],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
fn spatiafi_clients_create_as_connection_list_and_delete_with_the_real_keyring() {
    // doctor --fix in another test would take this test's keyring entries for orphans.
    let _turn = real_keyring();
    use occudesk_sim::demo;
    let (_runtime, sim) = start_sim();
    let dir = tempfile::tempdir().unwrap();
    let url = sim.url();
    let run = |cmd: &[&str]| {
        let mut a: Vec<&str> = vec!["spatiafi", "clients"];
        a.extend_from_slice(cmd);
        a.extend_from_slice(&[
            "--email",
            demo::SPATIAFI_EMAIL,
            "--base-url",
            &url,
            "--json",
        ]);
        cli(dir.path(), &a, demo::SPATIAFI_PASSWORD)
    };
    let out = run(&["create", "--as-connection", "Pipeline"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // Exactly one JSON document (from_str refuses anything after it): the credential and the
    // connection made from it.
    let both: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not one JSON document ({e}):\n{stdout}"));
    let created = &both["credential"];
    let client_id = created["clientId"].as_str().unwrap().to_owned();
    let secret = created["clientSecret"].as_str().unwrap().to_owned();
    assert_eq!(created["saved"], true);
    assert_eq!(
        keyring_lookup(&format!("app-credential:{client_id}")).as_deref(),
        Some(secret.as_str())
    );
    let connection = &both["connection"];
    assert_eq!(connection["connection"]["name"], "Pipeline", "{stdout}");
    assert_eq!(connection["connection"]["clientId"], client_id.as_str());
    assert!(connection["testError"].is_null(), "{stdout}");
    assert!(connection["token"]["remainingSecs"].as_u64().unwrap() > 0);
    let settings = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
    assert!(settings.contains(&client_id) && !settings.contains(&secret));

    let out = run(&["list"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Pipeline"));

    let out = run(&["delete", &client_id, "--yes"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(keyring_lookup(&format!("app-credential:{client_id}")), None);
    let out = run(&["list"]);
    assert!(!text(&out.stdout).contains(&client_id));
}

#[test]
fn plan_and_anomalies_on_demo_data_use_the_documented_keys_and_flag_a_holiday() {
    let dir = tempfile::tempdir().unwrap();
    let scope = [
        "--connection",
        "Demo InnerSpace (v2)",
        "--building",
        "71",
        "--from",
        "2026-09-01",
        "--to",
        "2026-11-30",
        "--format",
        "json",
    ];
    let run = |cmd: &[&str]| {
        let mut args = vec!["--demo"];
        args.extend_from_slice(cmd);
        args.extend_from_slice(&scope);
        let out = cli(dir.path(), &args, "");
        assert!(out.status.success(), "{cmd:?}: {}", text(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };

    let plan = run(&["plan"]);
    for key in [
        "p50_daily_peak",
        "p90_daily_peak",
        "p95_daily_peak",
        "needed_capacity",
        "capacity",
        "surplus",
        "surplus_pct",
    ] {
        assert!(plan.get(key).is_some(), "{key} missing: {plan}");
    }
    let p90 = plan["p90_daily_peak"].as_f64().unwrap();
    assert_eq!(
        plan["needed_capacity"].as_f64().unwrap(),
        (p90 * 1.1).ceil()
    );

    let by_type = run(&["plan", "--by-zone-type"]);
    let types = by_type.as_array().unwrap();
    assert!(types.len() > 1, "{by_type}");
    assert!(types.iter().all(|t| t["zone_type"].is_string()));
    let surpluses: Vec<f64> = types.iter().filter_map(|t| t["surplus"].as_f64()).collect();
    assert!(
        surpluses.windows(2).all(|w| w[0] >= w[1]),
        "ranked by surplus"
    );

    // 11 November is a public holiday at the Chicago building: its working day is flagged low.
    let found = run(&["anomalies"]);
    let holiday = found
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["date"] == "2026-11-11")
        .unwrap_or_else(|| panic!("holiday not flagged: {found}"));
    assert!(holiday["z"].as_f64().unwrap() <= -3.5);
    assert!(holiday["change_pct"].as_f64().unwrap() < 0.0);
    for key in ["daily_mean", "median"] {
        assert!(holiday[key].is_number(), "{key}");
    }
}

#[test]
fn cache_info_and_clear_work_on_an_empty_folder_and_no_cache_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli(dir.path(), &["cache", "info", "--json"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let path = info["path"].as_str().unwrap();
    assert!(path.starts_with(&dir.path().display().to_string()) && path.ends_with("cache.sqlite3"));
    assert_eq!(
        (info["days"].as_u64(), info["limitMb"].as_u64()),
        (Some(0), Some(500))
    );
    assert_eq!(info["enabled"], true);

    let out = cli(dir.path(), &["--no-cache", "cache", "info"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Not used by this command (--no-cache)"));

    let out = cli(dir.path(), &["cache", "clear"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("Cleared the cache"));

    let help = text(&cli(dir.path(), &["--help"], "").stdout);
    assert!(
        help.contains("--no-cache") && help.contains("cache"),
        "{help}"
    );
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
fn a_repeat_query_is_answered_from_the_cache_unless_no_cache() {
    use occudesk_sim::demo;
    // doctor --fix in another test would take this test's keyring entry for an orphan.
    let _turn = real_keyring();
    let (_runtime, sim) = start_sim();
    let dir = tempfile::tempdir().unwrap();
    let out = cli(
        dir.path(),
        &[
            "connection",
            "add",
            "--name",
            "Cached",
            "--kind",
            "innerspace-v2",
            "--client-id",
            demo::V2_CLIENT_ID,
            "--base-url",
            &sim.url(),
        ],
        demo::V2_CLIENT_SECRET,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let insight_requests = || {
        sim.requests()
            .iter()
            .filter(|r| text(&r.body).contains("\"operationName\":\"Insights\""))
            .count()
    };
    let query = |extra: &[&str]| {
        let mut args: Vec<&str> = extra.to_vec();
        args.extend([
            "insights",
            "--connection",
            "Cached",
            "--building",
            "71",
            "--granularity",
            "PT1H",
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-31",
        ]);
        let out = cli(dir.path(), &args, "");
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let first = query(&[]);
    assert!(insight_requests() > 0);
    sim.clear_requests();
    assert_eq!(query(&[]), first, "the same CSV from the cache");
    assert_eq!(insight_requests(), 0, "the second run asked the service");
    assert_eq!(query(&["--no-cache"]), first);
    assert!(insight_requests() > 0, "--no-cache still used the cache");

    let info = cli(dir.path(), &["cache", "info", "--json"], "");
    let info: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(info["days"], 90);
    assert!(cli(dir.path(), &["cache", "clear"], "").status.success());
    let info = cli(dir.path(), &["cache", "info", "--json"], "");
    let info: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(info["days"], 0);
    let out = cli(dir.path(), &["connection", "remove", "Cached"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn charts_on_demo_data_are_written_as_svg_or_png_and_v1_visits_need_a_v1_connection() {
    let dir = tempfile::tempdir().unwrap();
    let chart = |connection: &str, kind: &str, out: &Path| {
        cli(
            dir.path(),
            &[
                "--demo",
                "chart",
                "--connection",
                connection,
                "--building",
                "71",
                "--from",
                "2026-10-01",
                "--to",
                "2026-11-30",
                "--kind",
                kind,
                "--out",
                out.to_str().unwrap(),
            ],
            "",
        )
    };
    let svg = dir.path().join("visits.svg");
    let out = chart("Demo InnerSpace (v1)", "weekly-visits", &svg);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(&svg).unwrap();
    assert!(written.contains("days a week") && written.contains("</svg>"));

    let png = dir.path().join("heatmap.png");
    let out = chart("Demo InnerSpace (v2)", "heatmap", &png);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));

    let out = chart(
        "Demo InnerSpace (v2)",
        "weekly-visits",
        &dir.path().join("no.svg"),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("v1 only"));
    let out = chart(
        "Demo InnerSpace (v2)",
        "heatmap",
        &dir.path().join("chart.txt"),
    );
    assert_eq!(out.status.code(), Some(2));
}

/// Every analyst command on demo data, served once with the demo's columns and once as a
/// tenant that keeps only the contract's (`OCCUDESK_DEMO_SCHEMA=contract`: no ZONE.FLOOR_ID,
/// four metric columns).
#[test]
fn every_analyst_command_works_on_demo_data_in_both_schema_profiles() {
    for schema in ["full", "contract"] {
        let dir = tempfile::tempdir().unwrap();
        let env = [("OCCUDESK_DEMO_SCHEMA", schema)];
        let run = |args: &[&str]| {
            let mut all = vec!["--demo"];
            all.extend_from_slice(args);
            let out = cli_with_env(dir.path(), &all, "", &env);
            assert!(
                out.status.success(),
                "{schema}: {args:?}: {}",
                text(&out.stderr)
            );
            text(&out.stdout)
        };
        let scope = |connection: &'static str, extra: &[&'static str]| {
            let mut args = vec![
                "--connection",
                connection,
                "--building",
                "71",
                "--from",
                "2026-09-01",
                "--to",
                "2026-10-31",
            ];
            args.extend_from_slice(extra);
            args
        };
        let v2 = "Demo InnerSpace (v2)";
        let v1 = "Demo InnerSpace (v1)";
        let with = |command: &'static str, rest: Vec<&'static str>| {
            let mut args = vec![command];
            args.extend(rest);
            args
        };

        assert!(run(&["buildings", "--connection", v2]).contains("America/Chicago"));
        // Every zone is on a floor: on a contract-only tenant, its site's FLOOR_ID.
        let zones = run(&["buildings", "--connection", v2, "--building", "71"]);
        assert!(
            zones.contains(" 71001 ") && zones.contains(" 71003 "),
            "{schema}: {zones}"
        );
        let site = ["--site", "900000222"];
        for (connection, extra) in [(v2, &[][..]), (v2, &site[..]), (v1, &[][..])] {
            let hourly = [extra, &["--granularity", "PT1H"]].concat();
            let csv = run(&with("insights", scope(connection, &hourly)));
            assert!(
                csv.lines().count() > 24 * 60,
                "{schema} {connection} {extra:?}"
            );
            let summary = run(&with(
                "summary",
                scope(connection, &[extra, &["--format", "json"]].concat()),
            ));
            let summary: serde_json::Value = serde_json::from_str(&summary).unwrap();
            assert!(
                summary["peak"].as_f64().is_some_and(|p| p > 0.0),
                "{schema}: {summary}"
            );
            let plan = run(&with(
                "plan",
                scope(connection, &[extra, &["--format", "json"]].concat()),
            ));
            let plan: serde_json::Value = serde_json::from_str(&plan).unwrap();
            assert!(
                plan["p90_daily_peak"].as_f64().is_some(),
                "{schema}: {plan}"
            );
            run(&with(
                "anomalies",
                scope(connection, &[extra, &["--format", "json"]].concat()),
            ));
        }
        for kind in ["timeseries", "heatmap", "compare", "ranking"] {
            let out = dir.path().join(format!("{kind}.svg"));
            let path = out.to_str().unwrap().to_owned();
            let mut args = scope(v2, &["--kind", kind]);
            args.insert(0, "chart");
            args.extend(["--out", &path]);
            run(&args);
            assert!(std::fs::read_to_string(&out).unwrap().contains("</svg>"));
        }
    }
}

/// Adds a connection to the simulator with its demo secret (kept in the real keyring).
fn add_sim_connection(dir: &Path, sim: &occudesk_sim::Sim, name: &str, kind: &str) {
    use occudesk_sim::demo;
    let (client, secret) = match kind {
        "innerspace-v1" => (demo::V1_CLIENT_ID, demo::V1_CLIENT_SECRET),
        _ => (demo::V2_CLIENT_ID, demo::V2_CLIENT_SECRET),
    };
    let out = cli(
        dir,
        &[
            "connection",
            "add",
            "--name",
            name,
            "--kind",
            kind,
            "--client-id",
            client,
            "--base-url",
            &sim.url(),
        ],
        secret,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
fn v1_groups_are_never_mixed_and_a_late_publish_is_fetched_once_published() {
    let _turn = real_keyring();
    let (_runtime, sim) = start_sim();
    let dir = tempfile::tempdir().unwrap();
    add_sim_connection(dir.path(), &sim, "Tenant v1", "innerspace-v1");
    add_sim_connection(dir.path(), &sim, "Tenant v2", "innerspace-v2");
    let run = |args: &[&str]| {
        let out = cli(dir.path(), args, "");
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    let values = |csv: &str| -> Vec<String> {
        csv.lines()
            .skip(1)
            .map(|l| l.rsplit(',').next().unwrap_or_default().to_owned())
            .collect()
    };

    // A v1 tenant with two groups and no group chosen: the everyone (all-) group's numbers,
    // never the visitors' and never a mixture.
    let [everyone, visitors] = <[String; 2]>::try_from(sim.v1_groups()).unwrap();
    let month = |group: Option<&str>| {
        let mut args = vec![
            "--no-cache",
            "insights",
            "--connection",
            "Tenant v1",
            "--building",
            "71",
            "--granularity",
            "P1D",
            "--from",
            "2025-03-01",
            "--to",
            "2025-03-31",
        ];
        if let Some(g) = group {
            args.extend(["--group", g]);
        }
        values(&run(&args))
    };
    let chosen = month(None);
    assert_eq!(chosen.len(), 31);
    assert_eq!(chosen, month(Some(&everyone)));
    assert_ne!(chosen, month(Some(&visitors)));

    // The service holds back its last four days; the same fortnight loaded again once they
    // are published gives every row, without clearing the cache.
    let today = occudesk_sim::SimConfig::default().today;
    let (from, to) = (
        (today - chrono::Duration::days(14)).to_string(),
        (today - chrono::Duration::days(1)).to_string(),
    );
    let fortnight = || {
        run(&[
            "insights",
            "--connection",
            "Tenant v2",
            "--building",
            "71",
            "--granularity",
            "PT1H",
            "--from",
            &from,
            "--to",
            &to,
        ])
        .lines()
        .count()
            - 1
    };
    sim.hold_back(4);
    assert_eq!(fortnight(), 10 * 24);
    sim.publish();
    assert_eq!(fortnight(), 14 * 24);
    for name in ["Tenant v1", "Tenant v2"] {
        assert!(
            cli(dir.path(), &["connection", "remove", name], "")
                .status
                .success()
        );
    }
}

/// Runs an analyst command on demo data (schema profile `schema`) and reads its JSON.
fn demo_json(dir: &Path, schema: &str, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--demo"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = cli_with_env(dir, &all, "", &[("OCCUDESK_DEMO_SCHEMA", schema)]);
    assert!(
        out.status.success(),
        "{schema}: {args:?}: {}",
        text(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

const DEMO_V2: &str = "Demo InnerSpace (v2)";

/// A forecast of demo building 71 whose history ends on 2026-11-20.
const FORECAST_71: &[&str] = &[
    "forecast",
    "--connection",
    DEMO_V2,
    "--building",
    "71",
    "--as-of",
    "2026-11-20",
];

#[test]
fn a_forecast_on_demo_data_has_the_documented_figures_and_its_backtest() {
    for schema in ["full", "contract"] {
        let dir = tempfile::tempdir().unwrap();
        let args = [FORECAST_71, &["--weeks", "6", "--capacity", "240"]].concat();
        let f = demo_json(dir.path(), schema, &args);
        assert_eq!(f["forecast_from"], "2026-11-21", "{schema}: {f}");
        assert_eq!(f["history_from"], "2026-08-29", "12 weeks up to as_of");
        let weekdays = f["weekdays"].as_array().unwrap();
        assert_eq!(weekdays.len(), 5);
        let mut expected_sum = 0.0;
        for w in weekdays {
            assert!(w["history_days"].as_u64().unwrap() >= 6, "{schema}: {w}");
            let q: Vec<f64> = ["p10", "p50", "p90", "p95"]
                .iter()
                .map(|k| w[k].as_f64().unwrap())
                .collect();
            assert!(q.windows(2).all(|p| p[0] <= p[1]), "{schema}: {w}");
            let risk = w["overflow_risk"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&risk));
            let expected = w["expected_days_above_capacity"].as_f64().unwrap();
            assert!((expected - risk * 6.0).abs() < 1e-9, "{w}");
            expected_sum += expected;
        }
        let total = f["expected_days_above_capacity"].as_f64().unwrap();
        assert!((total - expected_sum).abs() < 1e-9);
        let b = &f["backtest"];
        assert_eq!(b["from"], "2026-09-26");
        assert!(b["held_out_days"].as_u64().unwrap() >= 30, "{schema}: {b}");
        let coverage = b["coverage_80"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&coverage));
        for key in ["mae_p50", "mae_naive"] {
            assert!(b[key].as_f64().unwrap() >= 0.0, "{key}");
        }
    }

    // Four weeks of history are four days per weekday: no forecast, and the reason.
    let dir = tempfile::tempdir().unwrap();
    let args = [
        FORECAST_71,
        &["--site", "900000222", "--history-weeks", "4"],
    ]
    .concat();
    let short = demo_json(dir.path(), "full", &args);
    for w in short["weekdays"].as_array().unwrap() {
        assert!(w["p50"].is_null(), "{w}");
        assert!(w["reason"].as_str().unwrap().contains("at least 6"), "{w}");
    }
    // Without --as-of, history ends today: the pinned calendar's (OCCUDESK_TODAY).
    let today = demo_json(dir.path(), "full", &FORECAST_71[..5]);
    assert_eq!(today["as_of"], sim_today(), "{today}");
    let out = cli(dir.path(), &[&["--demo"], FORECAST_71].concat(), "");
    let words = text(&out.stdout);
    assert!(
        words.contains("The forecast's middle was off by") && words.contains("last week's value"),
        "{words}"
    );
    let args = [&["--demo"], FORECAST_71, &["--weeks", "0"]].concat();
    let out = cli(dir.path(), &args, "");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

#[test]
fn a_what_if_of_one_site_is_its_plan_and_of_several_never_more_than_their_separate_needs() {
    let dir = tempfile::tempdir().unwrap();
    let range = ["--from", "2026-09-01", "--to", "2026-11-20"];
    let scope = |extra: &[&'static str]| {
        let mut args = vec!["--connection", DEMO_V2];
        args.extend_from_slice(extra);
        args.extend_from_slice(&range);
        args
    };
    let sites = ["900000222", "900000223", "900000224"];
    let plan_of = |site: &'static str| {
        demo_json(
            dir.path(),
            "full",
            &[&["plan"][..], &scope(&["--building", "71", "--site", site])].concat(),
        )
    };
    for site in sites {
        let plan = plan_of(site);
        let w = demo_json(
            dir.path(),
            "full",
            &[
                &["whatif"][..],
                &scope(&["--building", "71", "--site", site]),
            ]
            .concat(),
        );
        for key in ["p90_daily_peak", "p95_daily_peak", "needed_capacity"] {
            assert_eq!(w[key], plan[key], "{site} {key}: {w} against {plan}");
        }
        assert_eq!(w["working_days"], plan["working_days"]);
        assert_eq!(w["sum_of_separate_needs"], plan["needed_capacity"]);
        assert_eq!(w["shared_saving"].as_f64(), Some(0.0));
    }

    for (picked, buffer) in [
        (&sites[..2], "0.1"),
        (&sites[1..], "0"),
        (&sites[..], "0.25"),
    ] {
        let mut extra = vec!["--building", "71", "--buffer", buffer, "--capacity", "150"];
        for site in picked {
            extra.extend(["--site", site]);
        }
        let w = demo_json(
            dir.path(),
            "full",
            &[&["whatif"][..], &scope(&extra)].concat(),
        );
        let needed = w["needed_capacity"].as_f64().unwrap();
        let separate = w["sum_of_separate_needs"].as_f64().unwrap();
        assert!(needed <= separate, "{picked:?}: {w}");
        assert_eq!(w["shared_saving"].as_f64(), Some(separate - needed));
        assert_eq!(w["spaces"].as_array().unwrap().len(), picked.len());
        assert!(w["days_over_capacity"].as_u64().is_some());
        assert_eq!(w["hours_left_out"], 0, "one building, one calendar");
    }

    // Two buildings in different zones: daily peaks in the first one's.
    let w = demo_json(
        dir.path(),
        "full",
        &[&["whatif"][..], &scope(&["--buildings", "72,71"])].concat(),
    );
    assert_eq!(w["time_zone"], "Europe/London");
    assert!(w["needed_capacity"].as_f64() <= w["sum_of_separate_needs"].as_f64());
    let out = cli(
        dir.path(),
        &[&["--demo", "whatif"][..], &scope(&["--building", "71"])].concat(),
        "",
    );
    assert_eq!(out.status.code(), Some(2), "nothing to combine");
    assert!(
        text(&out.stderr).contains("--site"),
        "{}",
        text(&out.stderr)
    );
}

/// The board `live --format json` printed, checked to be live.
fn live_board(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", text(&out.stderr));
    let board: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(board["liveness"], "live", "{board}");
    board
}

/// Every file under `dir`, read as text (lossy).
fn files_text(dir: &Path) -> String {
    let mut all = String::new();
    for entry in walk(dir) {
        all.push_str(&String::from_utf8_lossy(
            &std::fs::read(entry).unwrap_or_default(),
        ));
    }
    all
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Issue 26 from the command line: a personal token added (stdin), tested, used, expired,
/// renewed by pasting; it is in the keyring and never in a file, the output or a debug log.
#[test]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
fn a_personal_token_is_added_tested_used_and_renewed_and_never_written_or_logged() {
    let _turn = real_keyring();
    let (_runtime, sim) = start_sim();
    let dir = tempfile::tempdir().unwrap();
    let expired = sim.expired_personal_token(std::time::Duration::from_secs(120));
    let fresh = sim.personal_token(
        std::time::Duration::from_secs(3600),
        std::time::Duration::from_secs(3600),
    );
    let debug = [("RUST_LOG", "debug")];
    let seen = std::cell::RefCell::new(String::new());
    let run = |args: &[&str], stdin: &str| {
        let out = cli_with_env(dir.path(), args, stdin, &debug);
        seen.borrow_mut().push_str(&text(&out.stdout));
        seen.borrow_mut().push_str(&text(&out.stderr));
        out
    };
    let add = [
        "connection",
        "add",
        "--name",
        "Mine",
        "--kind",
        "innerspace-token",
        "--base-url",
    ];
    let out = run(
        &[&add[..], &[sim.url().as_str()]].concat(),
        &format!("{expired}\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = ids_in(dir.path()).remove(0);
    assert_eq!(keyring_lookup(&id).as_deref(), Some(expired.as_str()));

    // Expired: a specific message, exit 5 (credentials), nothing sent.
    let out = run(&["connection", "test", "Mine"], "");
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("Your token expired at "),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stderr).contains("paste a new one"));
    let out = run(&["live", "--connection", "Mine", "--building", "71"], "");
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stderr));
    assert!(sim.requests().is_empty(), "an expired token is never sent");

    // Renewed by pasting a new one.
    let out = run(&["connection", "renew", "Mine"], &fresh);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(&["connection", "test", "Mine"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("is accepted for 60 more min"),
        "{}",
        text(&out.stdout)
    );
    let out = run(
        &[
            "summary",
            "--connection",
            "Mine",
            "--building",
            "71",
            "--granularity",
            "P1D",
            "--from",
            "2026-11-02",
            "--to",
            "2026-11-08",
            "--format",
            "json",
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(
        &[
            "live",
            "--connection",
            "Mine",
            "--building",
            "71",
            "--format",
            "json",
        ],
        "",
    );
    let board = live_board(&out);
    assert_eq!(board["floors"].as_array().unwrap().len(), 3);
    let out = run(&["live", "--connection", "Mine", "--building", "71"], "");
    let shown = text(&out.stdout);
    assert!(shown.contains("Building 71: occupancy as of "), "{shown}");
    assert!(
        shown.contains("minute") && shown.contains("America/Chicago"),
        "{shown}"
    );
    assert_eq!(
        sim.counters(occudesk_sim::demo::PERSONAL_USER)
            .token_requests,
        0
    );

    for token in [&expired, &fresh] {
        assert!(
            !seen.borrow().contains(token.as_str()),
            "a token was printed or logged"
        );
        assert!(
            !files_text(dir.path()).contains(token.as_str()),
            "a token was written to a file"
        );
    }
    assert!(
        seen.borrow().contains("DEBUG"),
        "RUST_LOG=debug logged nothing"
    );
    assert!(run(&["connection", "remove", "Mine"], "").status.success());
    assert_eq!(keyring_lookup(&id), None);
}

#[test]
fn live_on_demo_data_shows_every_zone_or_says_the_tenant_has_no_live_data() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli(
        dir.path(),
        &[
            "--demo",
            "live",
            "--connection",
            "Demo InnerSpace (v1)",
            "--building",
            "72",
            "--format",
            "json",
        ],
        "",
    );
    let board = live_board(&out);
    let zones: Vec<&serde_json::Value> = board["floors"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["zones"].as_array().unwrap())
        .collect();
    assert!(zones.iter().all(|z| z["people"].is_number()), "{board}");

    let out = cli(
        dir.path(),
        &[
            "--demo",
            "live",
            "--connection",
            "Demo InnerSpace (v2)",
            "--building",
            "71",
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Live data is not available on this connection"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn report_writes_one_self_contained_html_file_with_figures_and_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("report.html");
    let out = cli(
        dir.path(),
        &[
            "--demo",
            "report",
            "--connection",
            "Demo InnerSpace (v2)",
            "--building",
            "71",
            "--site",
            "900000223",
            "--from",
            "2026-09-01",
            "--to",
            "2026-10-31",
            "--out",
            out_path.to_str().unwrap(),
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let html = std::fs::read_to_string(&out_path).unwrap();
    let lower = html.to_lowercase();
    for needle in ["http:", "https:", "<script"] {
        assert!(!lower.contains(needle), "the report holds {needle}");
    }
    // A floor of the building: what it covers, the figures with their definitions, the charts.
    for needle in [
        "<th scope=\"row\">Covers</th><td>Chicago Loop HQ, ",
        "<th scope=\"row\">Connection</th><td>Demo InnerSpace (v2)</td>",
        "2026-09-01 to 2026-10-31",
        "America/Chicago",
        occudesk_core::insights::definitions::definition("peak-hour-sum"),
        occudesk_core::insights::definitions::definition("plan-needed-capacity"),
    ] {
        assert!(html.contains(needle), "no {needle}");
    }
    assert!(html.matches("<svg").count() >= 3);

    // Dates the wrong way round: a clear error, and nothing written.
    let bad = cli(
        dir.path(),
        &[
            "--demo",
            "report",
            "--connection",
            "Demo InnerSpace (v2)",
            "--building",
            "71",
            "--from",
            "2026-10-31",
            "--to",
            "2026-09-01",
            "--out",
            dir.path().join("backwards.html").to_str().unwrap(),
        ],
        "",
    );
    assert!(!bad.status.success());
    assert!(!dir.path().join("backwards.html").exists());
}
