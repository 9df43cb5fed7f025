//! Driving the real app window over WebDriver: tauri-driver in front of WebKitWebDriver.
//! Run inside `scripts/desktop-session.sh` (Xvfb, private D-Bus, unlocked GNOME Keyring).

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

const START_TIMEOUT: Duration = Duration::from_secs(60);
pub const WAIT: Duration = Duration::from_secs(20);

/// One tauri-driver process; each [`Driver::launch`] starts a fresh app process through it.
pub struct Driver {
    process: Child,
    port: u16,
    pub data_dir: PathBuf,
    /// The app binary WebKitWebDriver starts, and its arguments.
    application: PathBuf,
    args: Vec<String>,
    // One app window at a time on the shared display: windows of parallel tests would overlap
    // (screenshots, focus) and compete for the two cores.
    _one_window: MutexGuard<'static, ()>,
}

static ONE_WINDOW: Mutex<()> = Mutex::new(());

/// The simulator's "today" (its default, 2026-11-23). Every app a [`Driver`] launches has its
/// calendar pinned to it (`OCCUDESK_TODAY`): demo data ends the day before, and the window's
/// date presets count from it, on any date the tests run.
pub fn sim_today() -> chrono::NaiveDate {
    occudesk_sim::SimConfig::default().today
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free loopback port")
}

fn tauri_driver_path() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return path.into();
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .expect("CARGO_HOME or HOME");
    let installed = cargo_home.join("bin/tauri-driver");
    if installed.exists() {
        installed
    } else {
        "tauri-driver".into()
    }
}

impl Driver {
    /// Starts tauri-driver; apps it launches keep their settings in `data_dir`.
    pub fn start(data_dir: &Path) -> Driver {
        Driver::spawn(
            Some(data_dir),
            Path::new(env!("CARGO_BIN_EXE_occudesk")),
            &[],
            &[],
        )
    }

    /// [`start`](Self::start) with more variables for the apps it launches, e.g. `TZ` to
    /// put "this computer" in another zone than the building (or another `OCCUDESK_TODAY`).
    pub fn start_with_env(data_dir: &Path, env: &[(&str, &str)]) -> Driver {
        Driver::spawn(
            Some(data_dir),
            Path::new(env!("CARGO_BIN_EXE_occudesk")),
            &[],
            env,
        )
    }

    /// Starts tauri-driver for another build of the app (the installed package), run with
    /// `args` and its own default data folder, as a user starts it.
    pub fn start_installed(application: &Path, args: &[&str]) -> Driver {
        Driver::spawn(None, application, args, &[])
    }

    fn spawn(
        data_dir: Option<&Path>,
        application: &Path,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Driver {
        let one_window = ONE_WINDOW.lock().unwrap_or_else(PoisonError::into_inner);
        assert!(
            std::env::var_os("OCCUDESK_TEST_SESSION").is_some(),
            "end-to-end tests run inside scripts/desktop-session.sh (see README)"
        );
        let port = free_port();
        let native_port = free_port();
        let mut command = Command::new(tauri_driver_path());
        command.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ]);
        let data_dir = match data_dir {
            Some(dir) => {
                command.env("OCCUDESK_DATA_DIR", dir);
                dir.to_owned()
            }
            None => {
                command.env_remove("OCCUDESK_DATA_DIR");
                occudesk_core::paths::data_dir().expect("the default data folder")
            }
        };
        let process = command
            .env("RUST_LOG", "occudesk=debug")
            .env("OCCUDESK_TODAY", sim_today().to_string())
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tauri-driver not found: run scripts/install-deps.sh");
        let deadline = Instant::now() + START_TIMEOUT;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver {
            process,
            port,
            data_dir,
            application: application.to_owned(),
            args: args.iter().map(|a| a.to_string()).collect(),
            _one_window: one_window,
        }
    }

    /// Starts the app and waits until its first view is ready.
    pub async fn launch(&self) -> Client {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert(
            "tauri:options".into(),
            json!({ "application": self.application, "args": self.args }),
        );
        let url = format!("http://127.0.0.1:{}", self.port);
        let mut attempt = 1;
        let client = loop {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                // A cold WebKit start occasionally drops the first session request.
                Err(e) if attempt < 3 => {
                    eprintln!("WebDriver session attempt {attempt} failed ({e}); retrying");
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => panic!("the app did not start under WebDriver: {e}"),
            }
        };
        wait_for(&client, "body[data-ready=true]").await;
        client
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

pub async fn wait_for(client: &Client, css: &str) -> Element {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
}

/// Clicks the element `css` finds. The view redraws when data arrives, so the element found
/// may be replaced before the click lands: then it is found again and clicked (a click on a
/// node that is gone did nothing).
pub async fn click(client: &Client, css: &str) {
    let deadline = Instant::now() + WAIT;
    loop {
        match wait_for(client, css).await.click().await {
            Ok(()) => return,
            Err(e) if Instant::now() < deadline && gone(&e) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("click {css}: {e}"),
        }
    }
}

/// Whether a WebDriver error says the element is no longer in the page.
fn gone(e: &fantoccini::error::CmdError) -> bool {
    let text = e.to_string();
    text.contains("was not found") || text.contains("stale element")
}

pub async fn type_into(client: &Client, css: &str, text: &str) {
    let el = wait_for(client, css).await;
    el.clear().await.unwrap();
    el.send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("type into {css}: {e}"));
}

/// Waits until the element's text contains `needle`, and returns the text.
pub async fn wait_for_text(client: &Client, css: &str, needle: &str) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(el) = client.find(Locator::Css(css)).await
            && let Ok(text) = el.text().await
        {
            if text.contains(needle) {
                return text;
            }
            if Instant::now() > deadline {
                panic!("{css} says {text:?}, expected it to contain {needle:?}");
            }
        }
        assert!(Instant::now() < deadline, "{css} never showed {needle:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until nothing matches `css`.
pub async fn wait_gone(client: &Client, css: &str) {
    let deadline = Instant::now() + WAIT;
    while !client
        .find_all(Locator::Css(css))
        .await
        .unwrap_or_default()
        .is_empty()
    {
        assert!(Instant::now() < deadline, "{css} is still there");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Reads a secret straight from the Secret Service, bypassing our code.
pub fn keyring_lookup(connection_id: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", "occudesk", "username", connection_id])
        .output()
        .expect("secret-tool (libsecret-tools) is missing: run scripts/install-deps.sh");
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Saves a screenshot of the window when OCCUDESK_SCREENSHOT_DIR is set (for docs/). Taken
/// from the X display, as a person sees it: WebKitWebDriver's own snapshot can miss what is
/// drawn in a modal dialog.
pub async fn screenshot(client: &Client, name: &str) {
    let Some(dir) = std::env::var_os("OCCUDESK_SCREENSHOT_DIR") else {
        return;
    };
    // Let the last change paint before the capture.
    client
        .execute(
            "return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))",
            vec![],
        )
        .await
        .expect("wait for paint");
    let status = Command::new("import")
        .args(["-window", "root", "-crop", "1200x780+0+0"])
        .arg(Path::new(&dir).join(name))
        .status()
        .expect("imagemagick's import is missing: run scripts/install-deps.sh");
    assert!(status.success(), "screenshot {name} failed");
}

/// Answers the save dialog of an export the way a person does: type the file's full path into
/// the name field and press Enter. The dialog is a separate GTK window titled "Export".
pub fn answer_save_dialog(path: &Path) {
    let deadline = Instant::now() + WAIT;
    let window = loop {
        let out = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", "^Export$"])
            .output()
            .expect("xdotool (scripts/install-deps.sh installs it)");
        let text = String::from_utf8_lossy(&out.stdout);
        if let Some(id) = text.lines().last().filter(|l| !l.trim().is_empty()) {
            break id.trim().to_owned();
        }
        assert!(Instant::now() < deadline, "no save dialog appeared");
        std::thread::sleep(Duration::from_millis(100));
    };
    // Let GTK finish mapping the dialog before typing into it.
    std::thread::sleep(Duration::from_millis(500));
    let xdotool = |args: &[&str]| {
        let status = Command::new("xdotool").args(args).status().unwrap();
        assert!(status.success(), "xdotool {args:?}");
    };
    xdotool(&["windowfocus", "--sync", &window]);
    xdotool(&["key", "--window", &window, "ctrl+a"]);
    xdotool(&[
        "type",
        "--window",
        &window,
        "--delay",
        "5",
        &path.display().to_string(),
    ]);
    xdotool(&["key", "--window", &window, "Return"]);
}

/// Clicks the export button `export-{what}` and saves to `path` through the dialog.
pub async fn export(app: &Client, what: &str, path: &Path) {
    click(app, &format!("[data-testid=export-{what}]")).await;
    let target = path.to_owned();
    tokio::task::spawn_blocking(move || answer_save_dialog(&target))
        .await
        .unwrap();
    wait_for_text(
        app,
        "[data-testid=export-done]",
        &path.display().to_string(),
    )
    .await;
}

/// Adds a connection through the form (kind: the form's default, InnerSpace v2).
pub async fn add_connection(
    client: &Client,
    name: &str,
    base_url: &str,
    client_id: &str,
    secret: &str,
) {
    click(client, "[data-testid=add-connection]").await;
    type_into(client, "[data-testid=conn-name]", name).await;
    type_into(client, "[data-testid=conn-base-url]", base_url).await;
    type_into(client, "[data-testid=conn-client-id]", client_id).await;
    type_into(client, "[data-testid=conn-secret]", secret).await;
    click(client, "[data-testid=conn-save]").await;
    wait_for(client, &card(name)).await;
}

/// CSS for the card of the connection named `name`.
pub fn card(name: &str) -> String {
    format!("[data-testid=connection-card][data-name=\"{name}\"]")
}

/// CSS for the element marked `data-testid=testid` inside the card of connection `name`.
pub fn in_card(name: &str, testid: &str) -> String {
    format!("{} [data-testid={testid}]", card(name))
}

/// Every Secret Service item the app stored.
pub fn keyring_items() -> String {
    let out = Command::new("secret-tool")
        .args(["search", "--all", "service", "occudesk"])
        .output()
        .expect("secret-tool");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Chooses an option once it is offered. The view redraws its pickers when data arrives, so
/// a select found a moment ago may be gone: look it up again until the choice sticks.
pub async fn pick(app: &fantoccini::Client, testid: &str, value: &str) {
    let option = format!("[data-testid={testid}] option[value=\"{value}\"]");
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        wait_for(app, &option).await;
        let select = wait_for(app, &format!("[data-testid={testid}]")).await;
        if select.select_by_value(value).await.is_ok()
            && select.prop("value").await.ok().flatten().as_deref() == Some(value)
        {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "could not pick {value} in {testid}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Sets a custom range in the Insights view (a range typed by hand is "custom").
pub async fn set_range(app: &fantoccini::Client, from: &str, to: &str) {
    set_range_in(app, "range", from, to).await;
}

/// Types a range into the date fields marked `{prefix}-from` and `{prefix}-to` (each view
/// with a range has such a pair), each followed by the change event a user's edit sends.
pub async fn set_range_in(app: &fantoccini::Client, prefix: &str, from: &str, to: &str) {
    app.execute(
        &format!(
            r#"for (const [id, value] of [["{prefix}-from", "{from}"], ["{prefix}-to", "{to}"]]) {{
                 const input = document.querySelector(`[data-testid=${{id}}]`);
                 input.value = value;
                 input.dispatchEvent(new Event("change"));
               }}"#
        ),
        vec![],
    )
    .await
    .unwrap();
}

/// Tries demo data from the welcome screen, then opens Credentials (the demo connections, and
/// the demo SpatiaFi's App Credentials panel).
pub async fn open_demo_credentials(app: &fantoccini::Client) {
    click(app, "[data-testid=try-demo]").await;
    wait_for(app, "body[data-shown=insights]").await;
    click(app, "[data-testid=nav-credentials]").await;
    wait_for(app, "body[data-shown=credentials]").await;
}

/// Tries demo data from the welcome screen and opens Insights on demo building 71 of the demo
/// InnerSpace v2 connection.
pub async fn open_demo_building_71(app: &fantoccini::Client) {
    click(app, "[data-testid=try-demo]").await;
    // "Try with demo data" lands on Insights with the demo's first building loaded.
    wait_for_text(app, "[data-testid=result-summary]", "rows").await;
    pick(app, "pick-connection", "demo-innerspace-v2").await;
    pick(app, "pick-building", "71").await;
}

/// The SVG behind a chart image (a data: URL) inside the element marked `testid`, decoded in
/// the page.
pub async fn chart_svg(app: &fantoccini::Client, testid: &str) -> String {
    let img = format!("[data-testid={testid}] [data-testid=chart-image]");
    wait_for(app, &img).await;
    let script = format!(
        "const src = document.querySelector('{img}').getAttribute('src');
         const bytes = Uint8Array.from(atob(src.split(',')[1]), c => c.charCodeAt(0));
         return new TextDecoder().decode(bytes);"
    );
    app.execute(&script, vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

/// Scrolls the element `css` finds to the top of the window (for a screenshot of it).
pub async fn scroll_to(app: &fantoccini::Client, css: &str) {
    wait_for(app, css).await;
    app.execute(
        &format!("document.querySelector('{css}').scrollIntoView({{block: 'start'}});"),
        vec![],
    )
    .await
    .unwrap_or_else(|e| panic!("scroll to {css}: {e}"));
}

/// The texts of every element `css` matches, in order.
pub async fn texts(app: &fantoccini::Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for el in app
        .find_all(fantoccini::Locator::Css(css))
        .await
        .unwrap_or_default()
    {
        out.push(el.text().await.unwrap_or_default());
    }
    out
}
