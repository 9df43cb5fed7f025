//! The desktop shell: turns window commands into calls on `occudesk_core::Desk`, nothing more.
//!
//! Settings are read and written by core's `SettingsFile`, exactly as the CLI does, not by
//! tauri-plugin-store. The plugin's `save()` truncates and rewrites the file in place (no
//! temporary file, no fsync: a crash leaves it empty or half written, upstream
//! tauri-apps/plugins-workspace#3085), takes no lock against the CLI, and the plugin saves
//! every store it opened once more when the app exits, from its in-memory copy, which would
//! overwrite whatever the CLI saved while the app ran. Keeping it only for reading would still
//! leave that exit save in place, so the app does not use it at all. The file format is
//! unchanged (a JSON object with the settings under one key), so files written by earlier
//! versions open as before.

mod commands;
mod webview;

use std::path::PathBuf;

use chrono::NaiveDate;
use occudesk_core::http::HttpConfig;
use occudesk_core::vault::Vault;
use occudesk_core::{Desk, DeskConfig};
use tauri::{Builder, Manager, Runtime};

pub use commands::COMMANDS;

/// What differs between a real start, a test start and a demo start.
pub struct AppOptions {
    /// The folder holding `settings.json`; `None` is the app data folder (or `OCCUDESK_DATA_DIR`).
    pub data_dir: Option<PathBuf>,
    /// Where connection secrets go: the OS keyring in the app, memory in command tests.
    pub vault: Vault,
    /// Start on demo data for this run (`occudesk --demo`), whatever the settings say.
    pub demo: bool,
    /// A pinned calendar (`OCCUDESK_TODAY`): "today" for insights and the window's date
    /// presets, and the day demo data ends before. `None`: this computer's date.
    pub today: Option<NaiveDate>,
}

impl AppOptions {
    /// The real app: settings in the data folder, secrets in the keyring.
    pub fn from_args() -> Self {
        AppOptions {
            data_dir: None,
            vault: Vault::keyring(),
            demo: std::env::args().skip(1).any(|arg| arg == "--demo"),
            // A window has no one to refuse to: a bad value is logged and the real calendar used.
            today: DeskConfig::today_from_env().unwrap_or_else(|e| {
                tracing::warn!(code = e.code(), "ignored: {e}");
                None
            }),
        }
    }
}

/// Everything the app registers, on any runtime (the real one, or Tauri's mock in tests).
pub fn build_app<R: Runtime>(builder: Builder<R>, options: AppOptions) -> Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::app::set_demo_data,
            commands::app::set_theme,
            commands::app::set_time_display,
            commands::app::restore_settings,
            commands::app::orphaned_secrets,
            commands::app::remove_orphaned_secrets,
            commands::app::cache_info,
            commands::app::clear_cache,
            commands::app::set_cache_limit,
            commands::connections::connection_catalog,
            commands::connections::list_connections,
            commands::connections::check_connection,
            commands::connections::save_connection,
            commands::connections::delete_connection,
            commands::connections::test_connection,
            commands::insights::insight_table,
            commands::insights::buildings,
            commands::insights::building_detail,
            commands::insights::insight_metrics,
            commands::insights::fetch_insights,
            commands::insights::cancel_fetch,
            commands::insights::view_rows,
            commands::insights::remember_view,
            commands::insights::set_insights_connection,
            commands::charts::summary,
            commands::charts::chart,
            commands::charts::export_chart,
            commands::planning::plan,
            commands::planning::anomalies,
            commands::app_credentials::spatiafi_panel,
            commands::app_credentials::spatiafi_sign_in,
            commands::app_credentials::spatiafi_sign_out,
            commands::app_credentials::list_app_credentials,
            commands::app_credentials::create_app_credential,
            commands::app_credentials::retry_save_app_credential,
            commands::app_credentials::delete_app_credential,
            commands::app_credentials::use_app_credential_as_connection,
        ])
        .setup(move |app| {
            let config = DeskConfig {
                data_dir: options.data_dir,
                vault: options.vault,
                http: HttpConfig::default(),
                force_demo: options.demo,
                use_cache: true,
                today: options.today,
            };
            let desk = tauri::async_runtime::block_on(Desk::open(config))?;
            app.manage(desk);
            if let Some(window) = app.get_webview_window("main") {
                webview::tune(&window);
            }
            Ok(())
        })
}

/// The app's config, assets and capabilities. Generic so command tests run the real ACL on
/// Tauri's mock runtime (the macro may be expanded only once per crate).
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// Starts the app. `main` calls it while the process has one thread: the WebKit environment
/// is set up first.
pub fn run() {
    webview::prepare_environment();
    let app = build_app(tauri::Builder::default(), AppOptions::from_args()).build(context());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => {
            eprintln!("Occupancy Desk could not start: {e}");
            std::process::exit(1);
        }
    }
}
