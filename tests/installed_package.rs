//! The installed package, as a user gets it: `dpkg -i` the .deb, start the installed
//! `occudesk --demo` over WebDriver, test a demo connection, run the installed `occudesk-cli`,
//! then `dpkg -r` it and check that nothing of it is left but the user's data folder.
//!
//! Run by `scripts/install-test.sh` (part of the README's test command), which builds the
//! package and passes its path in `OCCUDESK_DEB`. It needs root, or sudo, for dpkg.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::*;

const PACKAGE: &str = "occupancy-desk";
const INSTALLED_BINARY: &str = "/usr/bin/occudesk";
const INSTALLED_CLI: &str = "/usr/bin/occudesk-cli";

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// `program`, through `sudo -n` when it must run as root and the test is not root.
fn command(program: &str, as_root: bool) -> Command {
    if as_root && !is_root() {
        let mut sudo = Command::new("sudo");
        sudo.args(["-n", program]);
        sudo
    } else {
        Command::new(program)
    }
}

/// Runs a command, as root when dpkg needs it, and fails the test with its output on error.
fn run(program: &str, args: &[&str], as_root: bool) -> Output {
    let out = command(program, as_root)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn is_installed() -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", PACKAGE])
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("install ok installed"))
}

/// Removes the package even when the test fails halfway, so a failed run leaves no install.
struct Installed;

impl Installed {
    fn install(deb: &Path) -> Installed {
        run("dpkg", &["-i", &deb.display().to_string()], true);
        Installed
    }
}

impl Drop for Installed {
    fn drop(&mut self) {
        if is_installed() {
            let _ = command("dpkg", true).args(["-r", PACKAGE]).status();
        }
    }
}

/// The files (not folders) the package put on the system, by dpkg's own list.
fn package_files() -> BTreeSet<PathBuf> {
    let out = run("dpkg", &["-L", PACKAGE], false);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "installs the .deb: scripts/install-test.sh"]
async fn installed_package_runs_on_demo_data_and_removes_cleanly() {
    let deb = PathBuf::from(std::env::var_os("OCCUDESK_DEB").expect(
        "OCCUDESK_DEB names the .deb to install; scripts/install-test.sh builds it and sets it",
    ));
    assert!(
        !is_installed(),
        "{PACKAGE} is installed already; remove it first (dpkg -r {PACKAGE})"
    );
    let installed = Installed::install(&deb);

    // What a user gets: the binary, a desktop entry that starts it, and icons.
    let files = package_files();
    assert!(files.contains(Path::new(INSTALLED_BINARY)), "{files:?}");
    assert!(files.contains(Path::new(INSTALLED_CLI)), "{files:?}");
    let entry = files
        .iter()
        .find(|f| {
            f.starts_with("/usr/share/applications") && f.extension() == Some("desktop".as_ref())
        })
        .unwrap_or_else(|| panic!("no desktop entry in {files:?}"));
    let entry_text = std::fs::read_to_string(entry).unwrap();
    for line in [
        "Name=Occupancy Desk",
        "Exec=occudesk",
        "Icon=occudesk",
        "Type=Application",
    ] {
        assert!(
            entry_text.contains(line),
            "{line} missing from {entry_text}"
        );
    }
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("/usr/share/icons/hicolor") && f.ends_with("occudesk.png")),
        "no icons in {files:?}"
    );

    // The installed command-line tool, beside the app, the same version as the app.
    let out = run(INSTALLED_CLI, &["--version"], false);
    let version = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        version.trim(),
        concat!("occudesk-cli ", env!("CARGO_PKG_VERSION")),
        "{version}"
    );
    // On demo data, in a settings folder of its own (never the user's).
    let cli_data = tempfile::tempdir().unwrap();
    let out = command(INSTALLED_CLI, false)
        .arg("--data-dir")
        .arg(cli_data.path())
        .args([
            "--demo",
            "buildings",
            "--connection",
            "Demo InnerSpace (v2)",
        ])
        .env("OCCUDESK_TODAY", sim_today().to_string())
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && listed.contains("America/Chicago"),
        "occudesk-cli --demo buildings: {listed}{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The installed binary, started as a user starts it (default data folder), on demo data.
    let driver = Driver::start_installed(Path::new(INSTALLED_BINARY), &["--demo"]);
    let data_dir = driver.data_dir.clone();
    let app = driver.launch().await;
    wait_for(&app, "[data-testid=nav-insights]").await;
    click(&app, "[data-testid=nav-credentials]").await;
    let name = "Demo InnerSpace (v2)";
    click(&app, &in_card(name, "test-connection")).await;
    wait_for_text(&app, &in_card(name, "connection-status"), "OK until").await;
    // A setting, so the user's data folder has something in it to keep.
    click(&app, "[data-testid=nav-settings]").await;
    pick(&app, "theme-select", "dark").await;
    wait_for(&app, "html[data-theme=dark]").await;
    app.close().await.unwrap();
    drop(driver);
    let settings = data_dir.join("settings.json");
    assert!(settings.is_file(), "no settings in {}", data_dir.display());

    // Removed: every file of the package is gone, the user's settings stay.
    run("dpkg", &["-r", PACKAGE], true);
    drop(installed);
    assert!(!is_installed(), "{PACKAGE} is still installed");
    assert!(
        !Path::new(INSTALLED_CLI).exists(),
        "{INSTALLED_CLI} is still there"
    );
    let left: Vec<_> = files.iter().filter(|f| f.exists()).collect();
    assert!(left.is_empty(), "left behind after dpkg -r: {left:?}");
    assert!(
        std::fs::read_to_string(&settings).unwrap().contains("dark"),
        "the user's settings did not survive the removal"
    );
}
