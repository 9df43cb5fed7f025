//! The app's non-secret settings: one typed, versioned struct under one key.
//!
//! The desktop app keeps it with tauri-plugin-store; the CLI reads and writes the same file
//! through [`SettingsFile`], which speaks the store's format (a JSON object of key → value).
//! Every change is saved at once, and a failed save leaves the settings as they were.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::connections::Connection;
use crate::{Error, Result};

/// Bump when the shape changes in a way old code cannot read, and migrate in [`Settings::from_value`].
pub const SETTINGS_VERSION: u32 = 1;
/// The key the settings live under in the store file.
pub const SETTINGS_KEY: &str = "settings";
/// The store file's name inside the app's data folder.
pub const SETTINGS_FILE_NAME: &str = "settings.json";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeDisplay {
    /// The building's own time zone (what analysts compare across sites).
    #[default]
    BuildingLocal,
    /// This computer's time zone.
    ThisComputer,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub version: u32,
    #[serde(default)]
    pub connections: Vec<Connection>,
    #[serde(default)]
    pub default_connection: Option<String>,
    #[serde(default)]
    pub theme: Theme,
    #[serde(default)]
    pub time_display: TimeDisplay,
    /// Start the built-in simulator and show its demo connections (chosen on first run).
    #[serde(default)]
    pub demo_data: bool,
    /// Size limit of the local cache of fetched days, in MiB; least recently used days go
    /// first when it is exceeded.
    #[serde(default = "default_cache_limit_mb")]
    pub cache_limit_mb: u64,
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
            theme: Theme::default(),
            time_display: TimeDisplay::default(),
            demo_data: false,
            cache_limit_mb: default_cache_limit_mb(),
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

/// Where the settings value is persisted.
pub trait SettingsStorage: Send + Sync {
    /// The stored value, or `None` when nothing was saved yet.
    fn load(&self) -> Result<Option<Value>>;
    /// Writes the value durably before returning.
    fn save(&self, value: Value) -> Result<()>;
    /// A path or description for messages and the Settings page.
    fn location(&self) -> String;
}

/// The settings kept in memory and written through to storage on every change.
pub struct SettingsStore {
    storage: Arc<dyn SettingsStorage>,
    current: Mutex<Settings>,
}

impl SettingsStore {
    /// Loads the settings; a missing file gives defaults, a damaged one an error (never a
    /// silent reset, which would lose the user's connections).
    pub fn open(storage: Arc<dyn SettingsStorage>) -> Result<Self> {
        let current = match storage.load()? {
            Some(value) => Settings::from_value(value, &storage.location())?,
            None => Settings::default(),
        };
        Ok(SettingsStore {
            storage,
            current: Mutex::new(current),
        })
    }

    /// Like [`open`](Self::open), but a damaged or unreadable file gives default settings that
    /// cannot be saved (every save returns the load error) instead of no settings at all, so the
    /// app can still start and explain, and the user's file is never overwritten.
    pub fn open_or_read_only(storage: Arc<dyn SettingsStorage>) -> (Self, Option<Error>) {
        match Self::open(Arc::clone(&storage)) {
            Ok(store) => (store, None),
            Err(e) => (Self::read_only(storage.location(), e.clone()), Some(e)),
        }
    }

    /// Default settings over storage that refuses every save with `reason`.
    pub fn read_only(location: String, reason: Error) -> Self {
        SettingsStore {
            storage: Arc::new(Unwritable { location, reason }),
            current: Mutex::new(Settings::default()),
        }
    }

    pub fn get(&self) -> Settings {
        self.lock().clone()
    }

    pub fn location(&self) -> String {
        self.storage.location()
    }

    /// Applies `change` to the settings as they are on disk now, saves them, and only then
    /// makes them current. Reading first means a change made meanwhile by the CLI (or the app,
    /// when the CLI saves) is kept rather than overwritten.
    pub fn update<T>(&self, change: impl FnOnce(&mut Settings) -> Result<T>) -> Result<T> {
        let mut current = self.lock();
        if let Some(value) = self.storage.load()? {
            *current = Settings::from_value(value, &self.storage.location())?;
        }
        let mut next = current.clone();
        let out = change(&mut next)?;
        next.version = SETTINGS_VERSION;
        let value = serde_json::to_value(&next).map_err(|e| Error::SettingsIo {
            action: "encode",
            path: self.storage.location(),
            reason: e.to_string(),
        })?;
        self.storage.save(value)?;
        *current = next;
        Ok(out)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Settings> {
        self.current.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Storage standing in for a settings file that could not be loaded.
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

/// The tauri-plugin-store file read and written directly (for the CLI and tests). Other keys in
/// the file are preserved; writes go to a temporary file first and are renamed into place.
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
}

impl SettingsStorage for SettingsFile {
    fn load(&self) -> Result<Option<Value>> {
        Ok(self.read_map()?.remove(SETTINGS_KEY))
    }

    fn save(&self, value: Value) -> Result<()> {
        let mut map = self.read_map()?;
        map.insert(SETTINGS_KEY.to_owned(), value);
        let bytes = serde_json::to_vec_pretty(&map).map_err(|e| self.io_error("encode", e))?;
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| self.io_error("create the folder of", e))?;
        }
        let tmp = self.path.with_extension("json.tmp");
        std::fs::write(&tmp, bytes).map_err(|e| self.io_error("write", e))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| self.io_error("replace", e))
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connections::ConnectionDraft;

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
