//! The app's non-secret settings: one typed, versioned struct under one key.
//!
//! The desktop app and the CLI both read and write the same file through [`SettingsFile`].
//! Every change is saved at once, and a failed save leaves the settings as they were. No write
//! is ever lost or half done:
//!
//! - one writer at a time, across processes: [`SettingsStore::update`] holds a lock on
//!   `settings.lock` for its whole read-change-write, and a waiting writer waits (until no
//!   writer has made progress for [`SETTINGS_LOCK_TIMEOUT`]) rather than failing;
//! - every write is crash-safe: a unique temporary file, flushed, renamed into place;
//! - after every successful load the settings are kept in `settings.last-good.json`, which
//!   [`SettingsStore::restore_last_good`] puts back when the main file is damaged.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::file_safety::{LockError, WriteLock, remove_leftover_temp_files, write_atomically};
use occudesk_auth::connections::Connection;
use occudesk_net::{Error, Result};

/// Bump when the shape changes in a way old code cannot read, and migrate in [`Settings::from_value`].
pub const SETTINGS_VERSION: u32 = 1;
/// The key the settings live under in the store file.
pub const SETTINGS_KEY: &str = "settings";
/// The copy of the settings as last loaded successfully, beside the settings file.
pub const LAST_GOOD_FILE_NAME: &str = "settings.last-good.json";
/// The file every writer locks, beside the settings file. Never deleted.
pub const LOCK_FILE_NAME: &str = "settings.lock";
/// How long a writer waits while no other writer gets a turn: a write takes milliseconds and a
/// connection save also holds the lock for its keyring write (seconds at worst, see
/// [`occudesk_auth::vault::KEYRING_TIMEOUT`]), so a queue that moves is waited out however long it is,
/// and only a holder stuck this long makes the waiter give up.
pub const SETTINGS_LOCK_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

/// The portfolio's utilization target band: the figures' own type, saved here.
pub use occudesk_figures::portfolio::TargetBand;
/// How hours are written (24-hour `14:00`, the default, or 12-hour `2:00 PM`), and the zone
/// times of day are shown in: the figures' own types, saved here.
pub use occudesk_figures::shown::{Clock, TimeDisplay};
/// Which utilization the window headlines: the figures' own type, saved here.
pub use occudesk_figures::stats::UtilizationBasis;

/// The Insights view's controls at its last load, besides its connection and building: what
/// the next start reopens. In the window's own words (ids of its granularities, range presets
/// and tabs): the window applies only what it still offers, so a stale value is ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ViewControls {
    pub site_id: Option<i64>,
    pub zone_id: Option<i64>,
    pub group_id: Option<String>,
    pub granularity: Option<String>,
    pub metric: Option<String>,
    /// A range preset ("last30"), counted again from the day the view reopens; `None` for a
    /// range typed by hand, which `from` and `to` hold.
    pub preset: Option<String>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub tab: Option<String>,
}

impl ViewControls {
    /// The longest word the window sends (ids and API names are far shorter): a settings file
    /// is not a place for anything else.
    const MAX_WORD: usize = 128;

    /// Refuses words no window sends, so the settings file stays small and plain.
    pub fn check(&self) -> Result<()> {
        let words = [
            &self.group_id,
            &self.granularity,
            &self.metric,
            &self.preset,
            &self.tab,
        ];
        if words
            .iter()
            .filter_map(|w| w.as_deref())
            .any(|w| w.len() > Self::MAX_WORD || w.chars().any(char::is_control))
        {
            return Err(Error::invalid(
                "view",
                "The view's controls are not ids the window uses.",
            ));
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub version: u32,
    #[serde(default)]
    pub connections: Vec<Connection>,
    #[serde(default)]
    pub default_connection: Option<String>,
    /// The building the Insights view opens on: the one last loaded.
    #[serde(default)]
    pub default_building: Option<i64>,
    /// The rest of the view last loaded there (filters, range, granularity, metric, tab).
    #[serde(default)]
    pub default_view: Option<ViewControls>,
    /// The connection the Insights view opens on, chosen in Settings; `None` (the default):
    /// the one last loaded (`default_connection`).
    #[serde(default)]
    pub insights_connection: Option<String>,
    #[serde(default)]
    pub theme: Theme,
    #[serde(default)]
    pub time_display: TimeDisplay,
    /// 24- or 12-hour clock for times of day (added after version 1 files existed: absent
    /// means 24-hour).
    #[serde(default)]
    pub clock: Clock,
    /// The utilization the summary headlines (added later: absent means office hours).
    #[serde(default)]
    pub utilization_basis: UtilizationBasis,
    /// Start the built-in simulator and show its demo connections (chosen on first run).
    #[serde(default)]
    pub demo_data: bool,
    /// Size limit of the local cache of fetched days, in MiB; least recently used days go
    /// first when it is exceeded.
    #[serde(default = "default_cache_limit_mb")]
    pub cache_limit_mb: u64,
    /// The utilization band the portfolio colours against and counts days above (added
    /// later: absent means 60–85 %).
    #[serde(default)]
    pub target_band: TargetBand,
}

fn default_cache_limit_mb() -> u64 {
    crate::cache::DEFAULT_LIMIT_MB
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            version: SETTINGS_VERSION,
            connections: Vec::new(),
            default_connection: None,
            default_building: None,
            default_view: None,
            insights_connection: None,
            theme: Theme::default(),
            time_display: TimeDisplay::default(),
            clock: Clock::default(),
            utilization_basis: UtilizationBasis::default(),
            demo_data: false,
            cache_limit_mb: default_cache_limit_mb(),
            target_band: TargetBand::default(),
        }
    }
}

impl Settings {
    fn from_value(value: Value, location: &str) -> Result<Self> {
        let corrupt = |reason: String| Error::SettingsCorrupt {
            path: location.to_owned(),
            reason,
        };
        let version = value
            .get("version")
            .and_then(Value::as_u64)
            .ok_or_else(|| corrupt("no version number".into()))?;
        if version > u64::from(SETTINGS_VERSION) {
            return Err(corrupt(format!(
                "version {version}; this app reads up to {SETTINGS_VERSION}"
            )));
        }
        serde_json::from_value(value).map_err(|e| corrupt(e.to_string()))
    }
}

/// A stored copy of the settings with when it was written.
pub struct StoredCopy {
    pub value: Value,
    pub saved_at: Option<DateTime<Utc>>,
    pub location: String,
}

/// What can be said about a damaged settings file, for "what would be lost".
#[derive(Clone, Debug, Default)]
pub struct FileFacts {
    pub changed_at: Option<DateTime<Utc>>,
    /// Connections that can still be made out in it; `None` when it cannot be read at all.
    pub connections: Option<usize>,
}

/// Where the settings value is persisted.
///
/// Only `load`, `save` and `location` are required; the rest have defaults for storage that
/// only this process uses (tests, memory), which needs no lock and keeps no copies.
pub trait SettingsStorage: Send + Sync {
    /// The stored value, or `None` when nothing was saved yet.
    fn load(&self) -> Result<Option<Value>>;
    /// Writes the value durably before returning: after a crash at any moment the stored value
    /// is either the old one or this one.
    fn save(&self, value: Value) -> Result<()>;
    /// A path or description for messages and the Settings page.
    fn location(&self) -> String;

    /// Waits for the right to write (held until the returned guard is dropped), so writers in
    /// other processes take turns rather than overwrite each other's changes.
    fn lock(&self) -> Result<Box<dyn Send + Sync>> {
        Ok(Box::new(()))
    }
    /// Keeps `value`, just loaded and understood, as the last good copy.
    fn keep_last_good(&self, _value: &Value) -> Result<()> {
        Ok(())
    }
    /// The last good copy, if one was kept and can be read.
    fn last_good(&self) -> Result<Option<StoredCopy>> {
        Ok(None)
    }
    /// What can be told about the stored value as it is (damaged, presumably).
    fn facts(&self) -> FileFacts {
        FileFacts::default()
    }
    /// Replaces a damaged stored value with `value`, keeping the damaged one aside; returns
    /// where it was kept.
    fn replace_damaged(&self, _value: Value) -> Result<Option<String>> {
        Err(Error::NothingToRestore(
            "these settings are not kept in a file".into(),
        ))
    }
}

/// What restoring the last good copy would bring back and what it would lose, in numbers and
/// in one sentence both the app and the CLI show.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreOffer {
    pub damaged_file: String,
    pub damaged_changed_at: Option<DateTime<Utc>>,
    /// Connections still recognisable in the damaged file; `None` if it cannot be read at all.
    pub damaged_connections: Option<usize>,
    pub last_good_file: String,
    pub last_good_saved_at: Option<DateTime<Utc>>,
    /// The names of the connections the last good copy holds.
    pub last_good_connections: Vec<String>,
    pub summary: String,
}

/// What a restore did.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreReport {
    pub connections: usize,
    /// Where the damaged file was kept (never deleted: it may hold changes worth copying).
    pub damaged_kept_as: Option<String>,
}

/// The settings kept in memory and written through to storage on every change.
pub struct SettingsStore {
    storage: Arc<dyn SettingsStorage>,
    state: Mutex<State>,
}

struct State {
    settings: Settings,
    /// Why the stored settings could not be loaded. While set, nothing is saved (a save would
    /// replace the user's damaged file, and everything still in it, with defaults).
    broken: Option<Error>,
}

impl SettingsStore {
    /// Loads the settings; a missing file gives defaults, a damaged one an error (never a
    /// silent reset, which would lose the user's connections).
    pub fn open(storage: Arc<dyn SettingsStorage>) -> Result<Self> {
        let settings = load_settings(storage.as_ref())?.unwrap_or_default();
        Ok(SettingsStore {
            storage,
            state: Mutex::new(State {
                settings,
                broken: None,
            }),
        })
    }

    /// Like [`open`](Self::open), but a damaged or unreadable file gives default settings that
    /// cannot be saved (every save returns the load error) instead of no settings at all, so the
    /// app can still start and explain, and the user's file is never overwritten; until
    /// [`restore_last_good`](Self::restore_last_good) puts a good copy back.
    pub fn open_or_read_only(storage: Arc<dyn SettingsStorage>) -> (Self, Option<Error>) {
        match Self::open(Arc::clone(&storage)) {
            Ok(store) => (store, None),
            Err(e) => (
                SettingsStore {
                    storage,
                    state: Mutex::new(State {
                        settings: Settings::default(),
                        broken: Some(e.clone()),
                    }),
                },
                Some(e),
            ),
        }
    }

    /// Default settings over storage that refuses every save with `reason`.
    pub fn read_only(location: String, reason: Error) -> Self {
        SettingsStore {
            storage: Arc::new(Unwritable {
                location,
                reason: reason.clone(),
            }),
            state: Mutex::new(State {
                settings: Settings::default(),
                broken: Some(reason),
            }),
        }
    }

    pub fn get(&self) -> Settings {
        self.state().settings.clone()
    }

    pub fn location(&self) -> String {
        self.storage.location()
    }

    /// Why the stored settings could not be loaded, while that is so.
    pub fn broken(&self) -> Option<Error> {
        self.state().broken.clone()
    }

    /// The settings as stored now (another process may have changed them), also made current.
    /// Needs no lock: every write replaces the file whole, so a reader never sees half of one.
    pub fn reload(&self) -> Result<Settings> {
        self.ensure_loaded()?;
        let mut state = self.state();
        if let Some(stored) = load_settings(self.storage.as_ref())? {
            state.settings = stored;
        }
        Ok(state.settings.clone())
    }

    /// Waits (at most [`SETTINGS_LOCK_TIMEOUT`]) until no other writer, in this process or
    /// another, is changing the settings, and keeps them from doing so until the returned
    /// writer is dropped. Blocks the calling thread; async code uses [`write`](Self::write).
    pub fn lock(&self) -> Result<SettingsWriter<'_>> {
        self.ensure_loaded()?;
        let guard = self.storage.lock()?;
        Ok(SettingsWriter {
            store: self,
            _guard: guard,
        })
    }

    /// [`lock`](Self::lock) for async code: the wait happens on a blocking thread. Hold the
    /// writer across other work that must not interleave with another writer's (the keyring
    /// write that goes with a connection).
    pub async fn write(&self) -> Result<SettingsWriter<'_>> {
        self.ensure_loaded()?;
        let storage = Arc::clone(&self.storage);
        let location = storage.location();
        let guard = tokio::task::spawn_blocking(move || storage.lock())
            .await
            .map_err(|e| Error::SettingsIo {
                action: "lock",
                path: location,
                reason: e.to_string(),
            })??;
        Ok(SettingsWriter {
            store: self,
            _guard: guard,
        })
    }

    /// Applies `change` to the settings as they are on disk now, saves them, and only then
    /// makes them current, all while holding the write lock: a change made meanwhile by the
    /// CLI (or the app, when the CLI saves) is kept rather than overwritten.
    pub fn update<T>(&self, change: impl FnOnce(&mut Settings) -> Result<T>) -> Result<T> {
        self.lock()?.update(change)
    }

    /// When the stored settings are damaged and a last good copy exists: what restoring it
    /// would bring back and lose. `None` when there is nothing to restore.
    pub fn restore_offer(&self) -> Result<Option<RestoreOffer>> {
        let damage = match load_settings(self.storage.as_ref()) {
            Ok(_) => return Ok(None),
            Err(e @ Error::SettingsCorrupt { .. }) => e,
            Err(e) => return Err(e),
        };
        let Some(copy) = self.readable_last_good()? else {
            return Ok(None);
        };
        tracing::debug!(
            code = damage.code(),
            "a last good copy can replace the settings"
        );
        let facts = self.storage.facts();
        let names: Vec<String> = copy.1.connections.iter().map(|c| c.name.clone()).collect();
        let summary = restore_summary(&facts, &copy.0, &names);
        Ok(Some(RestoreOffer {
            damaged_file: self.storage.location(),
            damaged_changed_at: facts.changed_at,
            damaged_connections: facts.connections,
            last_good_file: copy.0.location.clone(),
            last_good_saved_at: copy.0.saved_at,
            last_good_connections: names,
            summary,
        }))
    }

    /// Puts the last good copy back in place of a damaged settings file (kept aside, not
    /// deleted) and makes it current; saving works again afterwards. Refuses when the file is
    /// not damaged (another process may have restored or fixed it meanwhile).
    pub fn restore_last_good(&self) -> Result<RestoreReport> {
        let _guard = self.storage.lock()?;
        match load_settings(self.storage.as_ref()) {
            Err(Error::SettingsCorrupt { .. }) => {}
            Err(e) => return Err(e),
            Ok(stored) => {
                let mut state = self.state();
                state.settings = stored.unwrap_or_default();
                state.broken = None;
                return Err(Error::NothingToRestore(format!(
                    "the settings file {} is not damaged (any more), so it was left as it is",
                    self.storage.location()
                )));
            }
        }
        let Some((copy, settings)) = self.readable_last_good()? else {
            return Err(Error::NothingToRestore(format!(
                "no readable last good copy of {} was kept",
                self.storage.location()
            )));
        };
        let kept = self.storage.replace_damaged(copy.value)?;
        let connections = settings.connections.len();
        let mut state = self.state();
        state.settings = settings;
        state.broken = None;
        Ok(RestoreReport {
            connections,
            damaged_kept_as: kept,
        })
    }

    fn readable_last_good(&self) -> Result<Option<(StoredCopy, Settings)>> {
        let Some(copy) = self.storage.last_good()? else {
            return Ok(None);
        };
        match Settings::from_value(copy.value.clone(), &copy.location) {
            Ok(settings) => Ok(Some((copy, settings))),
            Err(e) => {
                tracing::warn!(code = e.code(), "the last good copy cannot be used: {e}");
                Ok(None)
            }
        }
    }

    fn ensure_loaded(&self) -> Result<()> {
        match self.broken() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The right to change the settings, held until dropped (see [`SettingsStore::lock`]).
pub struct SettingsWriter<'a> {
    store: &'a SettingsStore,
    _guard: Box<dyn Send + Sync>,
}

impl SettingsWriter<'_> {
    /// The settings as stored now; nobody else can change them while this writer lives.
    pub fn current(&self) -> Result<Settings> {
        self.store.reload()
    }

    /// Reads the stored settings, applies `change`, saves, and only then makes the result
    /// current: a failed change or save leaves both the file and memory as they were.
    pub fn update<T>(&self, change: impl FnOnce(&mut Settings) -> Result<T>) -> Result<T> {
        let store = self.store;
        store.ensure_loaded()?;
        let mut next = store.reload()?;
        let out = change(&mut next)?;
        next.version = SETTINGS_VERSION;
        let value = serde_json::to_value(&next).map_err(|e| Error::SettingsIo {
            action: "encode",
            path: store.storage.location(),
            reason: e.to_string(),
        })?;
        store.storage.save(value)?;
        store.state().settings = next;
        Ok(out)
    }
}

/// Loads and checks the stored settings; after every successful load the value is kept as the
/// last good copy (a failure to keep it is logged: it must not stop the user's change).
fn load_settings(storage: &dyn SettingsStorage) -> Result<Option<Settings>> {
    let Some(value) = storage.load()? else {
        return Ok(None);
    };
    let settings = Settings::from_value(value.clone(), &storage.location())?;
    if let Err(e) = storage.keep_last_good(&value) {
        tracing::warn!(
            code = e.code(),
            "could not keep a last good copy of the settings: {e}"
        );
    }
    Ok(Some(settings))
}

fn restore_summary(facts: &FileFacts, copy: &StoredCopy, names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
    let more = names.len().saturating_sub(shown.len());
    let list = match (shown.is_empty(), more) {
        (true, _) => String::new(),
        (false, 0) => format!(" ({})", shown.join(", ")),
        (false, n) => format!(" ({} and {n} more)", shown.join(", ")),
    };
    let damaged = match facts.connections {
        Some(n) => format!("still shows {}", count(n, "connection")),
        None => "cannot be read at all".into(),
    };
    format!(
        "The last good copy, saved {}, holds {}{list}. The damaged file, changed {}, {damaged}. \
         Restoring puts the copy back: changes made after it was saved are lost, and the damaged \
         file is kept beside it.",
        when(copy.saved_at),
        count(names.len(), "connection"),
        when(facts.changed_at),
    )
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// "2025-03-01 14:05 UTC (3 h ago)": the time, and how old that makes it.
fn when(at: Option<DateTime<Utc>>) -> String {
    let Some(at) = at else {
        return "at an unknown time".into();
    };
    let secs = (Utc::now() - at).num_seconds().max(0);
    let age = match secs {
        0..60 => format!("{secs} s"),
        60..3600 => format!("{} min", secs / 60),
        3600..172_800 => format!("{} h", secs / 3600),
        _ => format!("{} days", secs / 86_400),
    };
    format!("{} ({age} ago)", at.format("%Y-%m-%d %H:%M UTC"))
}

/// Storage standing in for a settings file that could not be opened at all.
struct Unwritable {
    location: String,
    reason: Error,
}

impl SettingsStorage for Unwritable {
    fn load(&self) -> Result<Option<Value>> {
        Ok(None)
    }

    fn save(&self, _: Value) -> Result<()> {
        Err(self.reason.clone())
    }

    fn location(&self) -> String {
        self.location.clone()
    }
}

/// The settings file (a JSON object of key → value, the format tauri-plugin-store used, so
/// files written by earlier versions still open; other keys in it are preserved), with its
/// companions in the same folder: the lock file every writer takes, and the last good copy.
///
/// Both the app and the CLI use this, so every write is crash-safe and takes the lock: see
/// [`crate::file_safety`].
pub struct SettingsFile {
    path: PathBuf,
}

impl SettingsFile {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        SettingsFile { path: path.into() }
    }

    /// The settings file inside an app data folder.
    pub fn in_dir(dir: &Path) -> Self {
        Self::new(crate::paths::settings_file(dir))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `settings.last-good.json` beside the settings file.
    pub fn last_good_path(&self) -> PathBuf {
        self.path.with_file_name(LAST_GOOD_FILE_NAME)
    }

    fn lock_path(&self) -> PathBuf {
        self.path.with_file_name(LOCK_FILE_NAME)
    }

    fn io_error(&self, action: &'static str, e: impl std::fmt::Display) -> Error {
        Error::SettingsIo {
            action,
            path: self.path.display().to_string(),
            reason: e.to_string(),
        }
    }

    fn read_map(&self) -> Result<serde_json::Map<String, Value>> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Default::default()),
            Err(e) => return Err(self.io_error("read", e)),
        };
        serde_json::from_slice(&bytes).map_err(|e| Error::SettingsCorrupt {
            path: self.path.display().to_string(),
            reason: e.to_string(),
        })
    }

    fn encode(&self, map: &serde_json::Map<String, Value>) -> Result<Vec<u8>> {
        serde_json::to_vec_pretty(map).map_err(|e| self.io_error("encode", e))
    }
}

fn modified(path: &Path) -> Option<DateTime<Utc>> {
    let time = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(DateTime::<Utc>::from(time))
}

impl SettingsStorage for SettingsFile {
    fn load(&self) -> Result<Option<Value>> {
        Ok(self.read_map()?.remove(SETTINGS_KEY))
    }

    fn save(&self, value: Value) -> Result<()> {
        let mut map = self.read_map()?;
        map.insert(SETTINGS_KEY.to_owned(), value);
        let bytes = self.encode(&map)?;
        write_atomically(&self.path, &bytes).map_err(|e| self.io_error("write", e))
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn lock(&self) -> Result<Box<dyn Send + Sync>> {
        let lock =
            WriteLock::acquire(&self.lock_path(), SETTINGS_LOCK_TIMEOUT).map_err(|e| match e {
                LockError::TimedOut => Error::SettingsBusy {
                    path: self.location(),
                    waited_secs: SETTINGS_LOCK_TIMEOUT.as_secs(),
                },
                LockError::Io(e) => Error::SettingsIo {
                    action: "lock",
                    path: self.lock_path().display().to_string(),
                    reason: e.to_string(),
                },
            })?;
        // Holding the lock, no other writer is between creating and renaming a temporary file.
        remove_leftover_temp_files(&self.path);
        Ok(Box::new(lock))
    }

    /// Written only when it differs, so reading settings costs no write in the usual case.
    /// Needs no lock: two processes keeping a copy at once each write a whole good copy.
    fn keep_last_good(&self, value: &Value) -> Result<()> {
        let mut map = serde_json::Map::new();
        map.insert(SETTINGS_KEY.to_owned(), value.clone());
        let bytes = self.encode(&map)?;
        let path = self.last_good_path();
        if std::fs::read(&path).is_ok_and(|kept| kept == bytes) {
            return Ok(());
        }
        write_atomically(&path, &bytes).map_err(|e| Error::SettingsIo {
            action: "write",
            path: path.display().to_string(),
            reason: e.to_string(),
        })
    }

    fn last_good(&self) -> Result<Option<StoredCopy>> {
        let path = self.last_good_path();
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(Error::SettingsIo {
                    action: "read",
                    path: path.display().to_string(),
                    reason: e.to_string(),
                });
            }
        };
        let value = serde_json::from_slice::<serde_json::Map<String, Value>>(&bytes)
            .ok()
            .and_then(|mut map| map.remove(SETTINGS_KEY));
        Ok(value.map(|value| StoredCopy {
            value,
            saved_at: modified(&path),
            location: path.display().to_string(),
        }))
    }

    fn facts(&self) -> FileFacts {
        let connections = std::fs::read(&self.path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
            .and_then(|v| {
                v.get(SETTINGS_KEY)?
                    .get("connections")?
                    .as_array()
                    .map(Vec::len)
            });
        FileFacts {
            changed_at: modified(&self.path),
            connections,
        }
    }

    /// Copies the damaged file aside first, then replaces it whole: there is no moment without
    /// a settings file, so a reader never mistakes the folder for a first start.
    fn replace_damaged(&self, value: Value) -> Result<Option<String>> {
        let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
        let kept = self
            .path
            .with_file_name(format!("settings.damaged-{stamp}.json"));
        let kept = match std::fs::read(&self.path) {
            Ok(bytes) => {
                write_atomically(&kept, &bytes).map_err(|e| self.io_error("keep a copy of", e))?;
                Some(kept.display().to_string())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(self.io_error("read", e)),
        };
        let mut map = serde_json::Map::new();
        map.insert(SETTINGS_KEY.to_owned(), value);
        let bytes = self.encode(&map)?;
        write_atomically(&self.path, &bytes).map_err(|e| self.io_error("write", e))?;
        Ok(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use occudesk_auth::connections::ConnectionDraft;

    fn sample_connection() -> Connection {
        ConnectionDraft {
            name: "HQ".into(),
            kind: "innerspace-v2".into(),
            client_id: "cid".into(),
            ..Default::default()
        }
        .validate()
        .unwrap()
    }

    #[test]
    fn missing_file_gives_defaults_and_changes_are_saved_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = SettingsStore::open(Arc::new(SettingsFile::in_dir(dir.path()))).unwrap();
        assert_eq!(store.get(), Settings::default());
        let c = sample_connection();
        store
            .update(|s| {
                s.connections.push(c.clone());
                Ok(())
            })
            .unwrap();
        let reopened = SettingsStore::open(Arc::new(SettingsFile::in_dir(dir.path()))).unwrap();
        assert_eq!(reopened.get().connections, vec![c]);
        assert_eq!(reopened.get().version, SETTINGS_VERSION);
    }

    #[test]
    fn a_file_from_before_the_time_display_setting_opens_on_its_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(dir.path());
        std::fs::write(
            file.path(),
            r#"{"settings": {"version": 1, "connections": [], "theme": "dark"}}"#,
        )
        .unwrap();
        let store = SettingsStore::open(Arc::new(SettingsFile::in_dir(dir.path()))).unwrap();
        let s = store.get();
        assert_eq!(s.theme, Theme::Dark);
        assert_eq!(s.time_display, TimeDisplay::BuildingLocal);
        assert_eq!(s.clock, Clock::H24);
        store
            .update(|s| {
                s.time_display = TimeDisplay::ThisComputer;
                s.clock = Clock::H12;
                Ok(())
            })
            .unwrap();
        let raw: Value = serde_json::from_slice(&std::fs::read(file.path()).unwrap()).unwrap();
        assert_eq!(raw["settings"]["timeDisplay"], "this-computer");
        assert_eq!(raw["settings"]["clock"], "12h");
        let reopened = SettingsStore::open(Arc::new(SettingsFile::in_dir(dir.path()))).unwrap();
        assert_eq!(reopened.get().clock, Clock::H12);
    }

    #[test]
    fn other_keys_in_the_store_file_survive() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(dir.path());
        std::fs::write(file.path(), r#"{"windowState": {"w": 3}}"#).unwrap();
        let store = SettingsStore::open(Arc::new(SettingsFile::in_dir(dir.path()))).unwrap();
        store
            .update(|s| {
                s.theme = Theme::Dark;
                Ok(())
            })
            .unwrap();
        let raw: Value = serde_json::from_slice(&std::fs::read(file.path()).unwrap()).unwrap();
        assert_eq!(raw["windowState"]["w"], 3);
        assert_eq!(raw["settings"]["theme"], "dark");
    }

    #[test]
    fn a_damaged_or_newer_file_is_an_error_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(dir.path());
        std::fs::write(file.path(), "{not json").unwrap();
        let err = SettingsStore::open(Arc::new(SettingsFile::in_dir(dir.path())))
            .err()
            .unwrap();
        assert_eq!(err.code(), "settings.corrupt");
        assert_eq!(std::fs::read_to_string(file.path()).unwrap(), "{not json");

        std::fs::write(file.path(), r#"{"settings": {"version": 99}}"#).unwrap();
        let err = SettingsStore::open(Arc::new(SettingsFile::in_dir(dir.path())))
            .err()
            .unwrap();
        assert!(err.to_string().contains("version 99"), "{err}");
    }

    #[test]
    fn a_damaged_file_opens_read_only_and_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(dir.path());
        std::fs::write(file.path(), "{oops").unwrap();
        let (store, error) =
            SettingsStore::open_or_read_only(Arc::new(SettingsFile::in_dir(dir.path())));
        assert_eq!(error.unwrap().code(), "settings.corrupt");
        assert_eq!(store.get(), Settings::default());
        let err = store
            .update(|s| {
                s.theme = Theme::Dark;
                Ok(())
            })
            .unwrap_err();
        assert_eq!(err.code(), "settings.corrupt");
        assert_eq!(std::fs::read_to_string(file.path()).unwrap(), "{oops");
    }

    #[test]
    fn changes_made_by_another_process_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let app = SettingsStore::open(Arc::new(SettingsFile::in_dir(dir.path()))).unwrap();
        let cli = SettingsStore::open(Arc::new(SettingsFile::in_dir(dir.path()))).unwrap();
        cli.update(|s| {
            s.connections.push(sample_connection());
            Ok(())
        })
        .unwrap();
        app.update(|s| {
            s.theme = Theme::Light;
            Ok(())
        })
        .unwrap();
        let reopened = SettingsStore::open(Arc::new(SettingsFile::in_dir(dir.path()))).unwrap();
        assert_eq!(
            reopened.get().connections.len(),
            1,
            "the CLI's connection was lost"
        );
        assert_eq!(reopened.get().theme, Theme::Light);
    }

    fn add_named(store: &SettingsStore, name: &str) {
        let mut c = sample_connection();
        c.id = format!("id-{name}");
        c.name = name.into();
        store
            .update(|s| {
                s.connections.push(c);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn writers_in_parallel_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        // Each thread opens its own store over the same folder, as separate processes do.
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let dir = dir.path().to_owned();
                std::thread::spawn(move || {
                    let store = SettingsStore::open(Arc::new(SettingsFile::in_dir(&dir))).unwrap();
                    for i in 0..10 {
                        add_named(&store, &format!("t{t}-{i}"));
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let reopened = SettingsStore::open(Arc::new(SettingsFile::in_dir(dir.path()))).unwrap();
        assert_eq!(reopened.get().connections.len(), 80);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn a_damaged_file_is_restored_from_the_last_good_copy_only_on_request() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(dir.path());
        let store = SettingsStore::open(Arc::new(SettingsFile::in_dir(dir.path()))).unwrap();
        add_named(&store, "HQ");
        add_named(&store, "Labs");
        // Loaded once more (the next start): that load is what the last good copy keeps.
        SettingsStore::open(Arc::new(SettingsFile::in_dir(dir.path()))).unwrap();
        assert!(file.last_good_path().exists());

        std::fs::write(file.path(), "{\"settings\": {\"version\": 1, \"conn").unwrap();
        let last_good_before = std::fs::read(file.last_good_path()).unwrap();
        let (store, error) =
            SettingsStore::open_or_read_only(Arc::new(SettingsFile::in_dir(dir.path())));
        assert_eq!(error.unwrap().code(), "settings.corrupt");
        let offer = store
            .restore_offer()
            .unwrap()
            .expect("a restore is offered");
        assert_eq!(offer.last_good_connections, ["HQ", "Labs"]);
        assert_eq!(offer.damaged_connections, None);
        assert!(
            offer.summary.contains("2 connections (HQ, Labs)"),
            "{}",
            offer.summary
        );
        assert!(
            offer.summary.contains("cannot be read"),
            "{}",
            offer.summary
        );
        // Opening and offering wrote nothing.
        assert_eq!(
            std::fs::read_to_string(file.path()).unwrap(),
            "{\"settings\": {\"version\": 1, \"conn"
        );
        assert_eq!(
            std::fs::read(file.last_good_path()).unwrap(),
            last_good_before
        );

        let report = store.restore_last_good().unwrap();
        assert_eq!(report.connections, 2);
        let kept = report.damaged_kept_as.unwrap();
        assert!(std::fs::read_to_string(kept).unwrap().ends_with("\"conn"));
        assert_eq!(store.get().connections.len(), 2);
        assert!(store.broken().is_none());
        // Saving works again, and the file is whole.
        add_named(&store, "Third");
        let reopened = SettingsStore::open(Arc::new(SettingsFile::in_dir(dir.path()))).unwrap();
        assert_eq!(reopened.get().connections.len(), 3);
        // A second restore finds nothing to do and changes nothing.
        assert_eq!(
            store.restore_last_good().unwrap_err().code(),
            "settings.nothing_to_restore"
        );
        assert!(store.restore_offer().unwrap().is_none());
    }

    #[test]
    fn without_a_last_good_copy_no_restore_is_offered() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(dir.path());
        std::fs::write(file.path(), "{oops").unwrap();
        let (store, _) =
            SettingsStore::open_or_read_only(Arc::new(SettingsFile::in_dir(dir.path())));
        assert!(store.restore_offer().unwrap().is_none());
        assert_eq!(
            store.restore_last_good().unwrap_err().code(),
            "settings.nothing_to_restore"
        );
        assert_eq!(std::fs::read_to_string(file.path()).unwrap(), "{oops");
    }

    /// Storage that refuses to write, like a full disk.
    struct ReadOnly;
    impl SettingsStorage for ReadOnly {
        fn load(&self) -> Result<Option<Value>> {
            Ok(None)
        }
        fn save(&self, _: Value) -> Result<()> {
            Err(Error::SettingsIo {
                action: "write",
                path: "ro".into(),
                reason: "disk full".into(),
            })
        }
        fn location(&self) -> String {
            "ro".into()
        }
    }

    #[test]
    fn a_failed_save_changes_nothing_in_memory() {
        let store = SettingsStore::open(Arc::new(ReadOnly)).unwrap();
        let err = store
            .update(|s| {
                s.theme = Theme::Dark;
                Ok(())
            })
            .unwrap_err();
        assert_eq!(err.code(), "settings.io");
        assert_eq!(store.get().theme, Theme::System);
    }
}
