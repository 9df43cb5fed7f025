//! The desktop shell: turns window commands into calls on `occudesk-core`, nothing more.

mod commands;
mod demo;
mod error;
mod settings_store;
mod state;

use std::path::PathBuf;

use occudesk_core::vault::Vault;
use tauri::{Builder, Manager, Runtime};

pub use commands::COMMANDS;
pub use error::CommandError;
pub use state::AppState;

/// What differs between a real start, a test start and a demo start.
pub struct AppOptions {
    /// The folder holding `settings.json`.
    pub data_dir: Option<PathBuf>,
    /// Where connection secrets go: the OS keyring in the app, memory in command tests.
    pub vault: Vault,
    /// Start on demo data for this run (`occudesk --demo`), whatever the settings say.
    pub demo: bool,
}

impl AppOptions {
    /// The real app: settings in the data folder (or `OCCUDESK_DATA_DIR`), secrets in the keyring.
    pub fn from_env() -> Self {
        AppOptions {
            data_dir: std::env::var_os(occudesk_core::paths::DATA_DIR_ENV)
                .filter(|d| !d.is_empty())
                .map(PathBuf::from),
            vault: Vault::keyring(),
            demo: std::env::args().skip(1).any(|arg| arg == "--demo"),
        }
    }
}

/// Everything the app registers, on any runtime (the real one, or Tauri's mock in tests).
pub fn build_app<R: Runtime>(builder: Builder<R>, options: AppOptions) -> Builder<R> {
    builder
        .plugin(tauri_plugin_store::Builder::new().build())
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::connections::list_connections,
            commands::connections::save_connection,
            commands::connections::delete_connection,
            commands::connections::connection_has_secret,
            commands::app::set_demo_data,
            commands::connections::test_connection,
        ])
        .setup(move |app| {
            let state = AppState::open(app.handle(), options)?;
            app.manage(state);
            Ok(())
        })
}

/// The app's config, assets and capabilities. Generic so command tests run the real ACL on
/// Tauri's mock runtime (the macro may be expanded only once per crate).
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

pub fn run() {
    let app = build_app(tauri::Builder::default(), AppOptions::from_env()).build(context());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => {
            eprintln!("Occupancy Desk could not start: {e}");
            std::process::exit(1);
        }
    }
}
