//! The CLI as a user runs it: the real binary, a temporary settings folder, and (in the
//! desktop session) the real GNOME Keyring.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn cli(data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    cli_with_env(data_dir, args, stdin, &[])
}

fn cli_with_env(data_dir: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_occudesk-cli"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
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
    child.wait_with_output().unwrap()
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
