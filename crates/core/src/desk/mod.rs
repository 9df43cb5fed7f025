//! The one front door into core: the desktop shell and the CLI each open one [`Desk`] and call
//! its methods, and neither wires settings, keyring, HTTP or sessions itself.
//!
//! Domain rules live here, so both doors follow them: an edited or deleted connection loses
//! its session and its last test result; a test that started before an edit neither records
//! its result nor keeps its session; demo data never touches the keyring or the settings file.

mod app_credentials;
mod chart_options;
mod demo;
mod figures;
mod insights;
mod live;
mod parquet_rows;
mod plan_ahead;
mod portfolio;
mod report;
mod series_chart;
mod view;
mod views;

pub use chart_options::{ChartOptions, ChartTheme};
pub use demo::{DemoServices, DemoSource};
pub use figures::{Chart, ChartKind, ExportFormat, VIEW_METRICS};
pub use insights::Picked;
pub use live::{LiveBoard, LiveFloor, LiveZone, Liveness};
pub use parquet_rows::write_rows as write_rows_parquet;
pub use plan_ahead::{ForecastChart, ForecastOptions, LoadedForecast, SpaceRef, WhatIfRequest};
pub use portfolio::{
    BUILDINGS_AT_ONCE, Portfolio, PortfolioCharts, PortfolioProgress, PortfolioRequest,
    PortfolioRow, RowsSink, ZoneTypesView, portfolio_charts,
};
pub use series_chart::{ChartWindow, RAW_DAYS_PT1H, RAW_DAYS_PT15M, SeriesPeriods};
pub use view::{MAX_PAGE_ROWS, Provenance, RowSort, RowSortKey, RowsPage, ViewInfo};
pub use views::DEFAULT_ROW_BUDGET;

pub use app_credentials::{
    ConnectionRef, CredentialList, CredentialRow, DeleteOutcome, NewCredential, RevealedSecret,
    SignInRequest, SpatiafiPanel, SpatiafiSignIn, UseAsConnection, UsedAsConnection, WARN_AT_COUNT,
};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use crate::auth::personal::check_pasted;
use crate::auth::{FixedClock, SessionPool, SystemClock, TokenStatus};
use crate::cache::{CacheInfo, DayCache};
use crate::connections::{
    Catalog, Connection, ConnectionDraft, FieldProblem, ServiceKind, catalog,
};
use crate::health::{Health, HealthBoard};
use crate::http::{HttpClient, HttpConfig};
use crate::innerspace::Insights;
use crate::insights::InsightResult;
use crate::insights::shown::{ComputerZone, ShownTime, TimeView, Times};
use crate::insights::time::parse_tz;
use crate::registry::{ConnectionView, Registry};
use crate::settings::{
    Clock, RestoreOffer, RestoreReport, Settings, SettingsFile, SettingsStorage, SettingsStore,
    Theme, TimeDisplay, UtilizationBasis, ViewControls,
};
use crate::vault::Vault;
use crate::{Error, Result, paths};

/// Bounds of the cache size limit a user may set, in MB.
pub const MIN_CACHE_LIMIT_MB: u64 = 10;
pub const MAX_CACHE_LIMIT_MB: u64 = 100_000;

/// Pins the calendar of the app and the CLI to a date (`YYYY-MM-DD`): demo data ends the day
/// before, and "today" (the future, the days still published, the window's date presets) is
/// that date. The tests set it; see [`DeskConfig::today_from_env`].
pub const TODAY_ENV: &str = "OCCUDESK_TODAY";

/// What differs between the app, the CLI, a test and a demo start.
pub struct DeskConfig {
    /// The folder holding the settings file; `None` is [`paths::data_dir`] (which honours
    /// `OCCUDESK_DATA_DIR`).
    pub data_dir: Option<PathBuf>,
    /// Where secrets go: the OS keyring, or memory in tests.
    pub vault: Vault,
    pub http: HttpConfig,
    /// Start on demo data for this run whatever the settings say (`occudesk --demo`); the
    /// choice is not remembered.
    pub force_demo: bool,
    /// Keep fetched days in the local cache and ask only for the others (`--no-cache` turns
    /// it off for one CLI run; the cache can still be inspected and cleared).
    pub use_cache: bool,
    /// A pinned calendar: "today" for insights (what is the future, which days may still
    /// change) and the last day of demo data (the day before). `None`: this computer's date.
    /// Token lifetimes always run on the real clock.
    pub today: Option<NaiveDate>,
    /// Where demo data comes from (the doors start the simulator); `None`: no demo data.
    pub demo: Option<Arc<dyn DemoSource>>,
}

impl DeskConfig {
    /// The real thing: the data folder, the OS keyring and the real calendar.
    pub fn system() -> Self {
        DeskConfig {
            data_dir: None,
            vault: Vault::keyring(),
            http: HttpConfig::default(),
            force_demo: false,
            use_cache: true,
            today: None,
            demo: None,
        }
    }

    /// The date in [`TODAY_ENV`] (`OCCUDESK_TODAY=YYYY-MM-DD`), for [`today`](Self::today);
    /// `None` when it is unset or empty. Both doors read it here: the CLI refuses a value that
    /// is not a date, the app logs it and uses the real calendar.
    pub fn today_from_env() -> Result<Option<NaiveDate>> {
        match std::env::var(TODAY_ENV) {
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(bad_today("(not text)")),
            Ok(value) => parse_today(&value),
        }
    }
}

fn parse_today(value: &str) -> Result<Option<NaiveDate>> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| bad_today(value))
}

fn bad_today(value: &str) -> Error {
    Error::invalid(
        TODAY_ENV,
        format!(
            "{TODAY_ENV} is {value:?}, which is not a date. Set it to a date like 2026-11-23 to pin the calendar, or unset it to use this computer's date."
        ),
    )
}

/// A connection card: the non-secret description, whether a secret is stored, and the last
/// test result (absent = never tested in this process).
#[derive(Clone, Debug, Serialize)]
pub struct ConnectionRow {
    #[serde(flatten)]
    pub view: ConnectionView,
    pub health: Option<Health>,
}

/// Every connection, and the keyring error if secrets could not be checked (the connections
/// are still listed, with the secret status unknown).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionList {
    pub connections: Vec<ConnectionRow>,
    pub keyring_error: Option<Error>,
}

/// Facts for the Settings page and the status line.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeskInfo {
    pub version: &'static str,
    pub data_dir: String,
    pub settings_file: String,
    pub secrets: String,
    pub demo_data: bool,
    /// The window's theme: the system's, or light or dark whatever the system says.
    pub theme: Theme,
    /// The zone and clock times are shown in, with this computer's zone.
    pub times: TimeView,
    /// The utilization the summary headlines (Settings).
    pub utilization_basis: UtilizationBasis,
    /// What the Insights view opens on: the connection chosen in Settings, or else the one
    /// last loaded; and the building last loaded on that connection (none when the chosen
    /// connection is another one: the view then opens on its first building).
    pub default_connection: Option<String>,
    pub default_building: Option<i64>,
    /// The rest of that view's controls, when it was loaded there last.
    pub default_view: Option<ViewControls>,
    /// The choice in Settings ("Insights opens on"); `None`: the connection last loaded.
    pub insights_connection: Option<String>,
    /// Why the settings could not be loaded (a damaged file), shown until fixed.
    pub startup_error: Option<Error>,
    /// When the settings file is damaged and a last good copy was kept: what restoring it
    /// would bring back and lose (the window offers a Restore button only then).
    pub settings_restore: Option<RestoreOffer>,
    /// The pinned calendar's date ([`TODAY_ENV`]), if any: the window's date presets count from
    /// it instead of this computer's date.
    pub today: Option<NaiveDate>,
    /// The local cache file.
    pub cache_file: String,
    /// Why the cache file was replaced (it was damaged); given once, then `None`.
    pub cache_notice: Option<String>,
}

/// This app's keyring entries that no saved connection uses (by key, the id of the
/// connection they were written for; never the secret).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrphanedSecrets {
    pub count: usize,
    pub keys: Vec<String>,
}

impl From<Vec<String>> for OrphanedSecrets {
    fn from(keys: Vec<String>) -> Self {
        OrphanedSecrets {
            count: keys.len(),
            keys,
        }
    }
}

pub struct Desk {
    registry: Registry,
    /// One token cache per connection, shared by every request.
    sessions: SessionPool,
    health: HealthBoard,
    /// What insight queries learnt (metrics, buildings, row caps) and their results.
    insights: Insights,
    fetches: insights::RunningFetches,
    /// The `zone_occupancy` columns learnt per connection (or that it has none).
    live_columns: crate::innerspace::live::LiveColumns,
    /// Loaded views by id, within a budget of rows.
    views: views::ViewStore,
    /// The local cache of fetched days (also when fetches do not use it, to inspect or clear).
    cache: DayCache,
    use_cache: bool,
    data_dir: PathBuf,
    /// The pinned calendar, if any ([`DeskConfig::today`]).
    today: Option<NaiveDate>,
    demo_source: Option<Arc<dyn DemoSource>>,
    demo: tokio::sync::Mutex<Option<Box<dyn DemoServices>>>,
    /// The SpatiaFi sign-in for managing App Credentials: a token, never the password.
    spatiafi: std::sync::Mutex<Option<app_credentials::SignedIn>>,
    /// Whether times in messages (a personal token's expiry) are on a 12-hour clock; follows
    /// the time display setting.
    twelve_hour: Arc<std::sync::atomic::AtomicBool>,
    /// New App Credential secrets the keyring refused to store, kept in memory only for
    /// "Retry saving" (by client id); gone when the app quits.
    unsaved: std::sync::Mutex<std::collections::HashMap<String, SecretString>>,
}

impl Desk {
    /// Opens the settings file in the data folder.
    pub async fn open(config: DeskConfig) -> Result<Desk> {
        Self::open_with(config, |path| {
            Ok(Arc::new(SettingsFile::new(path)) as Arc<dyn SettingsStorage>)
        })
        .await
    }

    /// Opens with settings storage of the caller's choice (tests), given the settings file's
    /// path. A damaged or unreadable settings file does not stop the desk: it opens on
    /// defaults that are never saved over the file, [`startup_error`](Self::startup_error)
    /// says why, and [`restore_settings`](Self::restore_settings) can put the last good copy
    /// back.
    pub async fn open_with(
        config: DeskConfig,
        storage: impl FnOnce(&Path) -> Result<Arc<dyn SettingsStorage>>,
    ) -> Result<Desk> {
        let data_dir = match config.data_dir {
            Some(dir) => dir,
            None => paths::data_dir()?,
        };
        let path = paths::settings_file(&data_dir);
        let settings = match storage(&path) {
            Ok(storage) => SettingsStore::open_or_read_only(storage).0,
            Err(e) => SettingsStore::read_only(path.display().to_string(), e),
        };
        let want_demo = config.force_demo || settings.get().demo_data;
        let cache = DayCache::in_dir(&data_dir, settings.get().cache_limit_mb);
        // A pinned calendar is for "today" only: sessions keep the real clock, so tokens
        // expire in real time.
        let mut insights = match config.today {
            Some(day) => Insights::with_clock(Arc::new(FixedClock::noon_utc(day))),
            None => Insights::new(),
        };
        if config.use_cache {
            insights = insights.with_cache(cache.clone());
        }
        let twelve_hour = Arc::new(std::sync::atomic::AtomicBool::new(
            settings.get().clock == Clock::H12,
        ));
        let desk = Desk {
            registry: Registry::new(settings, config.vault),
            sessions: SessionPool::new(HttpClient::new(config.http)?, Arc::new(SystemClock))
                .with_show_time(token_time_words(twelve_hour.clone())),
            twelve_hour,
            health: HealthBoard::default(),
            insights,
            fetches: Default::default(),
            live_columns: Default::default(),
            views: Default::default(),
            cache,
            use_cache: config.use_cache,
            data_dir,
            today: config.today,
            demo_source: config.demo,
            demo: tokio::sync::Mutex::new(None),
            spatiafi: std::sync::Mutex::new(None),
            unsaved: std::sync::Mutex::new(std::collections::HashMap::new()),
        };
        // Binding a loopback port is instant; a failure leaves the desk usable without demo data.
        if want_demo && let Err(e) = desk.run_demo(true).await {
            tracing::warn!(code = e.code(), "{e}");
        }
        Ok(desk)
    }

    /// Why the settings could not be loaded, while that is so (cleared by a restore).
    pub fn startup_error(&self) -> Option<Error> {
        self.registry.settings().broken()
    }

    /// When the settings file is damaged and a last good copy was kept: what restoring it would
    /// bring back and lose. `None` when there is nothing to restore.
    pub fn settings_restore_offer(&self) -> Result<Option<RestoreOffer>> {
        self.registry.settings().restore_offer()
    }

    /// Puts the last good copy of the settings back in place of a damaged file (which is kept
    /// beside it) and loads it; saving works again. Sessions built on what the window showed
    /// before are dropped.
    pub async fn restore_settings(&self) -> Result<RestoreReport> {
        let settings = self.registry.settings();
        let report = settings.restore_last_good()?;
        for c in settings.get().connections {
            self.forget_credentials(&c.id);
        }
        Ok(report)
    }

    /// This app's keyring entries that no saved connection uses (see
    /// [`Registry::orphaned_secrets`]). Refused while the settings are damaged: every entry
    /// would look unused.
    pub async fn orphaned_secrets(&self) -> Result<OrphanedSecrets> {
        Ok(self.registry.orphaned_secrets().await?.into())
    }

    /// Removes the entries [`orphaned_secrets`](Self::orphaned_secrets) lists; returns them.
    pub async fn remove_orphaned_secrets(&self) -> Result<OrphanedSecrets> {
        Ok(self.registry.remove_orphaned_secrets().await?.into())
    }

    pub fn settings(&self) -> Settings {
        self.registry.settings().get()
    }

    pub async fn info(&self) -> DeskInfo {
        let settings = self.settings();
        // A choice whose connection is gone (deleted by the CLI meanwhile) counts as none.
        let chosen = settings
            .insights_connection
            .clone()
            .filter(|id| self.registry.get(id).is_ok());
        let opens_on = chosen.clone().or(settings.default_connection.clone());
        DeskInfo {
            version: env!("CARGO_PKG_VERSION"),
            data_dir: self.data_dir.display().to_string(),
            settings_file: self.registry.settings().location(),
            secrets: self.registry.vault().describe(),
            demo_data: self.demo.lock().await.is_some(),
            theme: settings.theme,
            utilization_basis: settings.utilization_basis,
            times: self.time_view(),
            default_connection: opens_on.clone(),
            default_building: settings
                .default_building
                .filter(|_| opens_on == settings.default_connection),
            default_view: settings
                .default_view
                .clone()
                .filter(|_| settings.default_building.is_some())
                .filter(|_| opens_on == settings.default_connection),
            insights_connection: chosen,
            startup_error: self.startup_error(),
            settings_restore: self.settings_restore_offer().unwrap_or_else(|e| {
                tracing::warn!(code = e.code(), "could not look for a last good copy: {e}");
                None
            }),
            today: self.today,
            cache_file: self.cache.path().display().to_string(),
            cache_notice: self.cache.take_notice(),
        }
    }

    /// The local cache's place, size and limit (Settings, `occudesk-cli cache info`).
    pub async fn cache_info(&self) -> Result<CacheInfo> {
        self.cache.info(self.use_cache).await
    }

    /// Empties the local cache ("Clear cache", `occudesk-cli cache clear`).
    pub async fn clear_cache(&self) -> Result<CacheInfo> {
        self.cache.clear().await?;
        self.cache_info().await
    }

    /// A new size limit for the local cache, remembered in the settings and applied now.
    pub async fn set_cache_limit(&self, limit_mb: u64) -> Result<CacheInfo> {
        if !(MIN_CACHE_LIMIT_MB..=MAX_CACHE_LIMIT_MB).contains(&limit_mb) {
            return Err(Error::invalid(
                "cacheLimitMb",
                format!(
                    "Choose a cache size limit between {MIN_CACHE_LIMIT_MB} and {MAX_CACHE_LIMIT_MB} MB."
                ),
            ));
        }
        self.registry.settings().update(|s| {
            s.cache_limit_mb = limit_mb;
            Ok(())
        })?;
        self.cache.set_limit_mb(limit_mb).await?;
        self.cache_info().await
    }

    /// The kinds of connection and sign-in methods, with labels and defaults.
    pub fn catalog(&self) -> Catalog {
        catalog()
    }

    pub async fn connections(&self) -> ConnectionList {
        let (views, keyring_error) = self.registry.list_views().await;
        let connections = views
            .into_iter()
            .map(|view| {
                let health = self.health.get(&view.connection.id);
                ConnectionRow { view, health }
            })
            .collect();
        ConnectionList {
            connections,
            keyring_error,
        }
    }

    /// A connection by id, or by name (names are unique, ignoring case).
    pub fn find_connection(&self, id_or_name: &str) -> Result<Connection> {
        let all = self.registry.list();
        let wanted = id_or_name.trim().to_lowercase();
        all.iter()
            .find(|c| c.id == id_or_name)
            .or_else(|| all.iter().find(|c| c.name.to_lowercase() == wanted))
            .cloned()
            .ok_or_else(|| Error::ConnectionNotFound(id_or_name.to_owned()))
    }

    /// Every problem of a draft as the user types (the name being taken included).
    pub fn check_connection(&self, draft: &ConnectionDraft) -> Vec<FieldProblem> {
        self.registry.problems(draft)
    }

    /// Adds or edits a connection. The secret only travels into the keyring. A personal
    /// token must be a JWT with an expiry; it is stored without surrounding blanks.
    pub async fn save_connection(
        &self,
        draft: &ConnectionDraft,
        secret: Option<SecretString>,
    ) -> Result<ConnectionView> {
        let secret = match secret {
            Some(token) if draft.kind == ServiceKind::InnerspaceToken.id() => {
                let pasted = token.expose_secret().trim();
                if pasted.is_empty() {
                    None
                } else {
                    check_pasted(pasted)?;
                    Some(SecretString::from(pasted))
                }
            }
            other => other,
        };
        let view = self.registry.save(draft, secret).await?;
        self.forget_credentials(&view.connection.id);
        Ok(view)
    }

    /// Deletes a connection, its keyring entry and every day cached through it.
    pub async fn delete_connection(&self, id: &str) -> Result<()> {
        self.registry.delete(id).await?;
        self.forget_credentials(id);
        self.forget_cached(id).await;
        Ok(())
    }

    /// The connection is gone, so its cached rows could never be used again. A cache that
    /// cannot be written does not undo the deletion; the rows then age out by the size limit.
    async fn forget_cached(&self, id: &str) {
        if let Err(e) = self.cache.forget_connection(id).await {
            tracing::warn!(code = e.code(), "{e}");
        }
    }

    /// "Test connection": a fresh token with the stored secret, and how long it lasts (never
    /// the token). The session is rebuilt from the keyring so an edited secret is what gets
    /// tested; if the connection is edited or deleted meanwhile, the result is not recorded
    /// and the session, which holds the old secret, is dropped.
    pub async fn test_connection(&self, id: &str) -> Result<TokenStatus> {
        let epoch = self.health.epoch(id);
        let outcome = self.fresh_token(id).await;
        if !self.health.record_if_current(id, epoch, &outcome) {
            self.sessions.invalidate(id);
        }
        outcome
    }

    async fn fresh_token(&self, id: &str) -> Result<TokenStatus> {
        let connection = self.registry.get(id)?;
        let secret = self
            .registry
            .secret(id)
            .await?
            .ok_or_else(|| no_secret(&connection.name))?;
        let session = self.sessions.insert(&connection, secret)?;
        let status = session.test().await?;
        // A pasted token was not issued here: only the service can say it still takes it
        // (revoked, or clocks apart). One tiny query; a refusal says "paste a new one".
        if connection.kind.service() == ServiceKind::InnerspaceToken {
            let probe = "query Probe { __typename }";
            crate::innerspace::graphql::execute(&session, "Probe", probe, serde_json::json!({}))
                .await?;
        }
        Ok(status)
    }

    /// Remembers the view just loaded (its connection, building and, when given, the rest of
    /// its controls), so the Insights view reopens on it next time. Demo connections are
    /// remembered only while demo data is saved as on: a run started with `--demo` must not
    /// move the analyst's own morning view to a connection the next start will not have.
    pub async fn remember_view(
        &self,
        connection_id: &str,
        building_id: i64,
        controls: Option<ViewControls>,
    ) -> Result<()> {
        if let Some(controls) = &controls {
            controls.check()?;
        }
        let settings = self.settings();
        if self.registry.get(connection_id)?.demo && !settings.demo_data {
            return Ok(());
        }
        if settings.default_connection.as_deref() == Some(connection_id)
            && settings.default_building == Some(building_id)
            && (controls.is_none() || settings.default_view == controls)
        {
            return Ok(());
        }
        self.registry.settings().write().await?.update(|s| {
            s.default_connection = Some(connection_id.to_owned());
            s.default_building = Some(building_id);
            if controls.is_some() {
                s.default_view = controls;
            }
            Ok(())
        })
    }

    /// "Insights opens on" in Settings: one of the user's InnerSpace connections, or `None`
    /// for the one last loaded. Saved at once. Demo connections cannot be chosen (they exist
    /// only while demo data is on), nor SpatiaFi ones (they have no occupancy).
    pub async fn set_insights_connection(&self, connection_id: Option<&str>) -> Result<()> {
        if let Some(id) = connection_id {
            let connection = self.registry.get(id)?;
            if connection.demo {
                return Err(Error::invalid(
                    "connectionId",
                    "Demo connections exist only while demo data is on; choose one of your own connections.",
                ));
            }
            if matches!(
                connection.kind,
                crate::connections::ConnectionKind::Spatiafi { .. }
            ) {
                return Err(Error::invalid(
                    "connectionId",
                    format!(
                        "{} is a SpatiaFi connection; Insights opens on an InnerSpace connection.",
                        connection.name
                    ),
                ));
            }
        }
        self.registry.settings().write().await?.update(|s| {
            s.insights_connection = connection_id.map(str::to_owned);
            Ok(())
        })
    }

    /// The window's theme, saved at once.
    pub async fn set_theme(&self, theme: Theme) -> Result<()> {
        self.registry.settings().write().await?.update(|s| {
            s.theme = theme;
            Ok(())
        })
    }

    /// Office hours or all hours for the summary's utilization; remembered.
    pub async fn set_utilization_basis(&self, basis: UtilizationBasis) -> Result<()> {
        self.registry.settings().write().await?.update(|s| {
            s.utilization_basis = basis;
            Ok(())
        })
    }

    /// The time display setting and this computer's zone now.
    pub fn time_view(&self) -> TimeView {
        let settings = self.settings();
        TimeView::new(
            settings.time_display,
            settings.clock,
            &ComputerZone::detect(),
        )
    }

    /// Building local time or this computer's zone, 24- or 12-hour clock; saved at once.
    pub async fn set_time_display(&self, display: TimeDisplay, clock: Clock) -> Result<TimeView> {
        self.registry.settings().write().await?.update(|s| {
            s.time_display = display;
            s.clock = clock;
            Ok(())
        })?;
        self.twelve_hour
            .store(clock == Clock::H12, std::sync::atomic::Ordering::Relaxed);
        Ok(self.time_view())
    }

    /// The zone and clock to show a result's times in.
    pub(crate) fn shown_time(&self, times: Times, result: &InsightResult) -> ShownTime {
        let (zone, known) = match parse_tz(&result.time_zone) {
            Some(tz) => (tz, result.time_zone_known),
            None => (chrono_tz::Tz::UTC, false),
        };
        match times {
            Times::BuildingLocal => ShownTime::building_local(zone, known),
            Times::AsSet => {
                let settings = self.settings();
                ShownTime::as_set(
                    settings.time_display,
                    settings.clock,
                    zone,
                    known,
                    &ComputerZone::detect(),
                )
            }
        }
    }

    /// "Try with demo data" and turning it off again; remembered for the next start.
    pub async fn set_demo_data(&self, enabled: bool) -> Result<()> {
        self.run_demo(enabled).await?;
        self.registry.settings().write().await?.update(|s| {
            s.demo_data = enabled;
            Ok(())
        })
    }

    /// Starts or stops the simulator and its demo connections.
    async fn run_demo(&self, enabled: bool) -> Result<()> {
        let mut running = self.demo.lock().await;
        match (enabled, running.take()) {
            (true, None) => {
                let source = self.demo_source.as_deref();
                *running = Some(demo::start(source, &self.registry, self.today).await?);
            }
            (false, Some(services)) => {
                for c in self.registry.list().iter().filter(|c| c.demo) {
                    self.forget_credentials(&c.id);
                    // The next demo runs on another port: these rows would never match again.
                    self.forget_cached(&c.id).await;
                }
                demo::stop(&self.registry, services).await?;
            }
            (_, unchanged) => *running = unchanged,
        }
        Ok(())
    }

    /// Drops what was learnt about a connection's old credentials (after an edit or delete).
    fn forget_credentials(&self, id: &str) {
        self.sessions.invalidate(id);
        self.health.forget(id);
        self.insights.forget_connection(id);
        self.live_columns.forget(id);
        self.views.forget_connection(id);
    }
}

/// A personal token's expiry as the user reads times: this computer's zone (a token belongs to
/// no building) on the chosen clock; UTC, said so, when the zone cannot be found.
fn token_time_words(twelve_hour: Arc<std::sync::atomic::AtomicBool>) -> crate::auth::ShowTime {
    Arc::new(move |t| {
        let clock = if twelve_hour.load(std::sync::atomic::Ordering::Relaxed) {
            Clock::H12
        } else {
            Clock::H24
        };
        let zone = ComputerZone::detect();
        let at = chrono::DateTime::<chrono::Utc>::from(t).with_timezone(&zone.tz);
        let words = at.format(clock.time_format()).to_string();
        if zone.known {
            words
        } else {
            format!("{words} UTC")
        }
    })
}

fn no_secret(name: &str) -> Error {
    Error::invalid(
        "secret",
        format!("No secret is stored for {name}. Edit the connection and enter its secret."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_today_is_a_date_or_a_clear_error() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23);
        assert_eq!(parse_today("2026-11-23").unwrap(), day);
        assert_eq!(parse_today(" 2026-11-23\n").unwrap(), day);
        assert_eq!(parse_today("").unwrap(), None);
        for bad in ["2026-02-30", "23/11/2026", "today", "2026-11-23T00:00:00Z"] {
            let err = parse_today(bad).unwrap_err();
            assert_eq!(err.code(), "input.invalid", "{bad}");
            assert!(
                err.to_string().contains(TODAY_ENV) && err.to_string().contains("2026-11-23"),
                "{err}"
            );
        }
    }
}
