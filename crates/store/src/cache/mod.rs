//! The local cache of fetched days: one SQLite file in the app data folder, shared by the app
//! and the CLI.
//!
//! InnerSpace publishes insights nightly and a published day never changes, so a day that is
//! old enough is kept for good ("final") and never asked for again. Newer days are kept too,
//! flagged provisional, but only ever used when the service cannot be reached.
//!
//! What is kept: the rows of each (connection, base URL, client id, table, building, site,
//! zone, zone type, group, granularity, metrics, time zone, local day), and the building list,
//! building details and metric lists with their fetch time: a recent one saves a request, an
//! older one still lets a view be picked offline. Never a secret, a token or a session id:
//! none of those is in any key or value here.
//!
//! Safety: WAL mode and a busy timeout let two windows, or the app and the CLI, use the file
//! at once (writers wait for each other instead of failing); each write is one transaction.
//! A damaged file is moved aside with a timestamp, a new one is started, and the reason is
//! logged and handed out once through [`DayCache::take_notice`]; the cache never stops a fetch.

pub mod codec;
mod raw_row;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use occudesk_auth::connections::Connection as ServiceConnection;
use occudesk_net::{Error, Result};

pub use raw_row::RawRow;

/// The cache file's name inside the app data folder.
pub const CACHE_FILE_NAME: &str = "cache.sqlite3";
/// `PRAGMA user_version` of the schema this code writes. Bump it and add a step to
/// [`migrate`] when the tables change.
pub const SCHEMA_VERSION: i64 = 1;
/// Default size limit (Settings → Local cache).
pub const DEFAULT_LIMIT_MB: u64 = 500;
/// How long a writer waits for another process's write before giving up. Writes are short
/// (one view's days), so this is only reached when something is badly stuck.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// What a demo connection's rows are kept under instead of its simulator's address.
const DEMO_BASE_URL: &str = "demo:";

/// Whose data a row is: the connection, and what it pointed at when the row was fetched, so an
/// edited base URL or client id (another account) never serves the old account's rows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Scope {
    pub connection_id: String,
    pub base_url: String,
    pub client_id: String,
}

impl Scope {
    pub fn of(connection: &ServiceConnection) -> Scope {
        // The demo simulator listens on a new loopback port at every start, and answers the
        // same rows for the same days: its days are kept under one name, not under the port,
        // so a demo view reopens from the cache as a real one does.
        let base_url = if connection.demo {
            DEMO_BASE_URL
        } else {
            connection.base_url.trim_end_matches('/')
        };
        Scope {
            connection_id: connection.id.clone(),
            base_url: base_url.to_owned(),
            client_id: connection.client_id.clone(),
        }
    }
}

/// One view of the data, all days: everything that changes which rows a day holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ViewKey {
    pub scope: Scope,
    pub table: String,
    pub building_id: i64,
    pub site_id: Option<i64>,
    pub zone_id: Option<i64>,
    pub zone_type: Option<String>,
    /// The group actually sent (the connection's default resolved), `None` = no filter.
    pub group_id: Option<String>,
    pub granularity: String,
    /// The metric columns (or v1 names) actually requested, in order.
    pub metrics: Vec<String>,
    /// Days are the building's local days in this zone.
    pub time_zone: String,
}

impl ViewKey {
    /// A canonical text of the whole key (the unique column).
    fn text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A day read from the cache.
#[derive(Clone, Debug)]
pub struct StoredDay {
    pub day: NaiveDate,
    /// Old enough that the service will never change it.
    pub is_final: bool,
    pub rows: Vec<RawRow>,
    pub fetched_at: DateTime<Utc>,
}

/// A remembered answer read from the cache.
#[derive(Clone, Debug)]
pub struct StoredLookup<T> {
    pub value: T,
    /// When it was fetched from the service (written since schema 1; rows of that schema
    /// carry the wall-clock time of their fetch, so none needs migrating).
    pub fetched_at: DateTime<Utc>,
}

/// A day to write.
#[derive(Clone, Debug)]
pub struct NewDay {
    pub day: NaiveDate,
    pub is_final: bool,
    pub rows: Vec<RawRow>,
}

/// Facts for Settings and `occudesk-cli cache info`.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CacheInfo {
    /// The database file.
    pub path: String,
    /// Bytes on disk (the file and its write-ahead log).
    pub bytes: u64,
    /// Days kept, over all views.
    pub days: u64,
    /// Views (a building, granularity, metrics…) with at least one day.
    pub views: u64,
    pub limit_mb: u64,
    /// Whether fetches use the cache in this run (`--no-cache` turns it off).
    pub enabled: bool,
}

/// The cache; cheap to clone, every clone uses the same database connection.
#[derive(Clone)]
pub struct DayCache {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for DayCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DayCache")
            .field("path", &self.inner.path)
            .finish_non_exhaustive()
    }
}

struct Inner {
    path: PathBuf,
    /// Opened on first use, so a desk opens instantly and a broken cache never stops it.
    db: Mutex<Option<Connection>>,
    limit_bytes: AtomicU64,
    /// Why the file was moved aside, until someone shows it.
    notice: Mutex<Option<String>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Why a database call failed: the file is damaged (move it aside and start again), or
/// anything else (locked past the timeout, disk full, a newer schema).
enum DbFail {
    Damaged(String),
    Other(String),
}

impl From<rusqlite::Error> for DbFail {
    fn from(e: rusqlite::Error) -> DbFail {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                DbFail::Damaged(e.to_string())
            }
            _ => DbFail::Other(e.to_string()),
        }
    }
}

type DbResult<T> = std::result::Result<T, DbFail>;

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn day_number(day: NaiveDate) -> i64 {
    i64::from(day.year()) * 10_000 + i64::from(day.month()) * 100 + i64::from(day.day())
}

fn day_of_number(n: i64) -> Option<NaiveDate> {
    let (y, m, d) = (n / 10_000, (n / 100) % 100, n % 100);
    NaiveDate::from_ymd_opt(
        i32::try_from(y).ok()?,
        u32::try_from(m).ok()?,
        u32::try_from(d).ok()?,
    )
}

impl DayCache {
    /// The cache file in `data_dir`. Nothing is touched until the first use.
    pub fn in_dir(data_dir: &Path, limit_mb: u64) -> DayCache {
        DayCache::at(data_dir.join(CACHE_FILE_NAME), limit_mb)
    }

    pub fn at(path: PathBuf, limit_mb: u64) -> DayCache {
        DayCache {
            inner: Arc::new(Inner {
                path,
                db: Mutex::new(None),
                limit_bytes: AtomicU64::new(mb_to_bytes(limit_mb)),
                notice: Mutex::new(None),
            }),
        }
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    pub fn limit_mb(&self) -> u64 {
        self.inner.limit_bytes.load(Ordering::Relaxed) / (1024 * 1024)
    }

    /// A new size limit; applied now (least recently used days go first).
    pub async fn set_limit_mb(&self, limit_mb: u64) -> Result<()> {
        self.inner
            .limit_bytes
            .store(mb_to_bytes(limit_mb), Ordering::Relaxed);
        self.blocking("trim", |inner| {
            inner.with_db(|db| {
                let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
                evict(&tx, inner.limit_bytes.load(Ordering::Relaxed))?;
                tx.commit()?;
                Ok(())
            })
        })
        .await
    }

    /// Why the cache file was replaced, once: the first caller shows it, later ones get `None`.
    pub fn take_notice(&self) -> Option<String> {
        lock(&self.inner.notice).take()
    }

    /// The days of `key` from `from` to `to` that are kept (unreadable ones are left out, so
    /// they count as missing), and marks them used.
    pub async fn days(
        &self,
        key: &ViewKey,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<StoredDay>> {
        let text = key.text();
        let (lo, hi) = (day_number(from), day_number(to));
        let blobs = self
            .blocking("read", move |inner| {
                inner.with_db(|db| {
                    let mut stmt = db.prepare_cached(
                        "SELECT d.day, d.final, r.rows, d.fetched_at
                         FROM views v JOIN days d ON d.view_id = v.id
                         JOIN day_rows r ON r.day_id = d.id
                         WHERE v.key = ?1 AND d.day BETWEEN ?2 AND ?3 ORDER BY d.day",
                    )?;
                    let found = stmt
                        .query_map(params![text, lo, hi], |r| {
                            Ok((
                                r.get::<_, i64>(0)?,
                                r.get::<_, bool>(1)?,
                                r.get::<_, Vec<u8>>(2)?,
                                r.get::<_, i64>(3)?,
                            ))
                        })?
                        .collect::<rusqlite::Result<Vec<_>>>()?;
                    Ok(found)
                })
            })
            .await?;
        if !blobs.is_empty() {
            self.touch(key.text(), lo, hi);
        }
        Ok(blobs
            .into_iter()
            .filter_map(|(day, is_final, blob, fetched)| {
                Some(StoredDay {
                    day: day_of_number(day)?,
                    is_final,
                    rows: codec::decode(&blob)?,
                    fetched_at: DateTime::<Utc>::from_timestamp_millis(fetched)?,
                })
            })
            .collect())
    }

    /// Marks days used, for the size limit, without making the reader wait: it is only
    /// bookkeeping, and another process holding the write lock must not slow a view. The
    /// rows live in their own table, so this rewrites only small records.
    fn touch(&self, text: String, lo: i64, hi: i64) {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let touched = inner.with_db(|db| {
                db.execute(
                    "UPDATE days SET last_used_at = ?4
                     WHERE view_id = (SELECT id FROM views WHERE key = ?1)
                     AND day BETWEEN ?2 AND ?3",
                    params![text, lo, hi, now_ms()],
                )?;
                Ok(())
            });
            if let Err(e) = touched {
                tracing::debug!("cache: could not mark days used: {e}");
            }
        });
    }

    /// Writes days of `key` in one transaction, then trims the cache to its size limit. A
    /// provisional day never replaces a final one (another process may have stored it final
    /// meanwhile).
    pub async fn put_days(&self, key: &ViewKey, days: &[NewDay]) -> Result<()> {
        if days.is_empty() {
            return Ok(());
        }
        let key = key.clone();
        let text = key.text();
        let encoded: Vec<(i64, bool, usize, Vec<u8>)> = days
            .iter()
            .map(|d| {
                (
                    day_number(d.day),
                    d.is_final,
                    d.rows.len(),
                    codec::encode(&d.rows),
                )
            })
            .collect();
        self.blocking("write", move |inner| {
            inner.with_db(|db| {
                let now = now_ms();
                let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
                tx.execute(
                    "INSERT INTO views (key, connection_id, base_url, client_id, tbl,
                         building_id, site_id, zone_id, zone_type, group_id, granularity,
                         metrics, time_zone)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                     ON CONFLICT (key) DO NOTHING",
                    params![
                        text,
                        key.scope.connection_id,
                        key.scope.base_url,
                        key.scope.client_id,
                        key.table,
                        key.building_id,
                        key.site_id,
                        key.zone_id,
                        key.zone_type,
                        key.group_id,
                        key.granularity,
                        key.metrics.join(","),
                        key.time_zone,
                    ],
                )?;
                let view: i64 =
                    tx.query_row("SELECT id FROM views WHERE key = ?1", [&text], |r| r.get(0))?;
                {
                    // A provisional day never replaces a final one (another process may have
                    // stored it final meanwhile): then no id comes back and the rows stay.
                    let mut day_stmt = tx.prepare_cached(
                        "INSERT INTO days (view_id, day, final, row_count, bytes, fetched_at,
                             last_used_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
                         ON CONFLICT (view_id, day) DO UPDATE SET
                             final = excluded.final, row_count = excluded.row_count,
                             bytes = excluded.bytes, fetched_at = excluded.fetched_at,
                             last_used_at = excluded.last_used_at
                         WHERE days.final = 0 OR excluded.final = 1
                         RETURNING id",
                    )?;
                    let mut rows_stmt = tx.prepare_cached(
                        "INSERT OR REPLACE INTO day_rows (day_id, rows) VALUES (?1, ?2)",
                    )?;
                    for (day, is_final, count, blob) in &encoded {
                        let id: Option<i64> = day_stmt
                            .query_row(
                                params![view, day, is_final, *count as i64, blob.len() as i64, now],
                                |r| r.get(0),
                            )
                            .optional()?;
                        if let Some(id) = id {
                            rows_stmt.execute(params![id, blob])?;
                        }
                    }
                }
                evict(&tx, inner.limit_bytes.load(Ordering::Relaxed))?;
                tx.commit()?;
                Ok(())
            })
        })
        .await
    }

    /// A remembered answer (building list, building detail, metric list) and when it was
    /// fetched: the caller reuses a recent one and serves an older one only offline.
    pub async fn lookup<T: DeserializeOwned + Send + 'static>(
        &self,
        scope: &Scope,
        what: &'static str,
        key: String,
    ) -> Result<Option<StoredLookup<T>>> {
        let scope = scope.clone();
        let found: Option<(String, i64)> = self
            .blocking("read", move |inner| {
                inner.with_db(|db| {
                    Ok(db
                        .query_row(
                            "SELECT value, fetched_at FROM lookups WHERE connection_id = ?1
                             AND base_url = ?2 AND client_id = ?3 AND what = ?4 AND key = ?5",
                            params![
                                scope.connection_id,
                                scope.base_url,
                                scope.client_id,
                                what,
                                key
                            ],
                            |r| Ok((r.get(0)?, r.get(1)?)),
                        )
                        .optional()?)
                })
            })
            .await?;
        // A value this version cannot read counts as missing: it is fetched again and
        // replaced.
        Ok(found.and_then(|(text, fetched)| {
            Some(StoredLookup {
                value: serde_json::from_str(&text).ok()?,
                // A time out of range counts as long ago: the value is stale, but still
                // better than nothing offline.
                fetched_at: DateTime::<Utc>::from_timestamp_millis(fetched)
                    .unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
            })
        }))
    }

    /// Remembers an answer fetched at `fetched_at` (the caller's clock, so a pinned clock in
    /// tests decides its age, never the wall clock), replacing the one kept before.
    pub async fn put_lookup<T: Serialize>(
        &self,
        scope: &Scope,
        what: &'static str,
        key: String,
        value: &T,
        fetched_at: DateTime<Utc>,
    ) -> Result<()> {
        let scope = scope.clone();
        let text = serde_json::to_string(value).map_err(|e| self.inner.io("encode", e))?;
        self.blocking("write", move |inner| {
            inner.with_db(|db| {
                db.execute(
                    "INSERT OR REPLACE INTO lookups
                     (connection_id, base_url, client_id, what, key, value, fetched_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        scope.connection_id,
                        scope.base_url,
                        scope.client_id,
                        what,
                        key,
                        text,
                        fetched_at.timestamp_millis()
                    ],
                )?;
                Ok(())
            })
        })
        .await
    }

    /// Forgets everything fetched through a connection (it was deleted).
    pub async fn forget_connection(&self, connection_id: &str) -> Result<()> {
        let id = connection_id.to_owned();
        self.blocking("delete from", move |inner| {
            inner.with_db(|db| {
                let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
                tx.execute(
                    "DELETE FROM days WHERE view_id IN
                     (SELECT id FROM views WHERE connection_id = ?1)",
                    [&id],
                )?;
                tx.execute("DELETE FROM views WHERE connection_id = ?1", [&id])?;
                tx.execute("DELETE FROM lookups WHERE connection_id = ?1", [&id])?;
                tx.commit()?;
                Ok(())
            })
        })
        .await
    }

    /// Empties the cache and gives the space back to the disk.
    pub async fn clear(&self) -> Result<()> {
        self.blocking("clear", |inner| {
            inner.with_db(|db| {
                let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
                tx.execute_batch(
                    "DELETE FROM day_rows; DELETE FROM days; DELETE FROM views;
                     DELETE FROM lookups;",
                )?;
                tx.commit()?;
                // Shrinking needs a moment without other writers; if another window is
                // writing, the rows are gone anyway and the space is reused later.
                if let Err(e) = db.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);") {
                    tracing::debug!("cache: could not shrink the file now: {e}");
                }
                Ok(())
            })
        })
        .await
    }

    /// Size, place and contents.
    pub async fn info(&self, enabled: bool) -> Result<CacheInfo> {
        let limit_mb = self.limit_mb();
        self.blocking("read", move |inner| {
            let (days, views) = inner.with_db(|db| {
                Ok(db.query_row(
                    "SELECT count(*), count(DISTINCT view_id) FROM days",
                    [],
                    |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
                )?)
            })?;
            let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
            let wal = with_suffix(&inner.path, "-wal");
            Ok(CacheInfo {
                path: inner.path.display().to_string(),
                bytes: size(&inner.path) + size(&wal),
                days: days.max(0) as u64,
                views: views.max(0) as u64,
                limit_mb,
                enabled,
            })
        })
        .await
    }

    /// Runs `f` on a blocking thread: SQLite calls block (and may wait for another
    /// process's write), which must not stall the async runtime.
    async fn blocking<T: Send + 'static>(
        &self,
        action: &'static str,
        f: impl FnOnce(&Inner) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || f(&inner))
            .await
            .map_err(|e| self.inner.io(action, e))?
    }
}

fn mb_to_bytes(mb: u64) -> u64 {
    mb.max(1).saturating_mul(1024 * 1024)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Deletes least recently used days until the rows fit in `limit` bytes.
fn evict(db: &Connection, limit: u64) -> rusqlite::Result<()> {
    let total: i64 = db.query_row("SELECT coalesce(sum(bytes), 0) FROM days", [], |r| r.get(0))?;
    let mut over = total - i64::try_from(limit).unwrap_or(i64::MAX);
    if over <= 0 {
        return Ok(());
    }
    let mut stmt = db.prepare("SELECT id, bytes FROM days ORDER BY last_used_at, id")?;
    let victims: Vec<(i64, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .take_while(|row| {
            let go = over > 0;
            if let Ok((_, bytes)) = row {
                over -= bytes;
            }
            go
        })
        .collect::<rusqlite::Result<_>>()?;
    let mut delete = db.prepare("DELETE FROM days WHERE id = ?1")?;
    for (id, _) in &victims {
        delete.execute([id])?;
    }
    db.execute(
        "DELETE FROM views WHERE NOT EXISTS (SELECT 1 FROM days WHERE view_id = views.id)",
        [],
    )?;
    tracing::debug!(days = victims.len(), "cache: trimmed to its size limit");
    Ok(())
}

/// Brings a database to [`SCHEMA_VERSION`]. Each step runs in one immediate transaction, so
/// two processes opening a new file at once do not both create the tables.
fn migrate(db: &mut Connection) -> DbResult<()> {
    let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(DbFail::Other(format!(
            "it was written by a newer Occupancy Desk (schema {version}, this one reads up to {SCHEMA_VERSION}); update the app or clear the cache"
        )));
    }
    if version < 1 {
        // One row per view (everything but the day), one small row per (view, local day)
        // with the bookkeeping, and the day's rows apart: a read marks days used without
        // rewriting their rows.
        tx.execute_batch(
            "CREATE TABLE views (
                id INTEGER PRIMARY KEY,
                key TEXT NOT NULL UNIQUE,
                connection_id TEXT NOT NULL,
                base_url TEXT NOT NULL,
                client_id TEXT NOT NULL,
                tbl TEXT NOT NULL,
                building_id INTEGER NOT NULL,
                site_id INTEGER,
                zone_id INTEGER,
                zone_type TEXT,
                group_id TEXT,
                granularity TEXT NOT NULL,
                metrics TEXT NOT NULL,
                time_zone TEXT NOT NULL
            );
            CREATE INDEX views_by_connection ON views (connection_id);
            CREATE TABLE days (
                id INTEGER PRIMARY KEY,
                view_id INTEGER NOT NULL REFERENCES views (id),
                day INTEGER NOT NULL,
                final INTEGER NOT NULL,
                row_count INTEGER NOT NULL,
                bytes INTEGER NOT NULL,
                fetched_at INTEGER NOT NULL,
                last_used_at INTEGER NOT NULL,
                UNIQUE (view_id, day)
            );
            CREATE INDEX days_by_use ON days (last_used_at);
            CREATE TABLE day_rows (
                day_id INTEGER PRIMARY KEY,
                rows BLOB NOT NULL
            );
            CREATE TRIGGER day_rows_follow AFTER DELETE ON days BEGIN
                DELETE FROM day_rows WHERE day_id = old.id;
            END;
            CREATE TABLE lookups (
                connection_id TEXT NOT NULL,
                base_url TEXT NOT NULL,
                client_id TEXT NOT NULL,
                what TEXT NOT NULL,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                fetched_at INTEGER NOT NULL,
                PRIMARY KEY (connection_id, base_url, client_id, what, key)
            );
            PRAGMA user_version = 1;",
        )?;
    }
    tx.commit()?;
    Ok(())
}

fn open_file(path: &Path) -> DbResult<Connection> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| DbFail::Other(e.to_string()))?;
    }
    let mut db = Connection::open(path)?;
    db.busy_timeout(BUSY_TIMEOUT)?;
    // WAL: readers never wait for a writer, and a crash mid-write leaves the file intact.
    let _mode: String = db.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    db.pragma_update(None, "synchronous", "NORMAL")?;
    migrate(&mut db)?;
    // Touch both tables so a file damaged past its header is found now, not mid-fetch.
    db.query_row("SELECT count(*) FROM lookups", [], |r| r.get::<_, i64>(0))?;
    db.query_row("SELECT max(id) FROM days", [], |r| {
        r.get::<_, Option<i64>>(0)
    })?;
    Ok(db)
}

impl Inner {
    fn io(&self, action: &'static str, reason: impl std::fmt::Display) -> Error {
        Error::CacheIo {
            action,
            path: self.path.display().to_string(),
            reason: reason.to_string(),
        }
    }

    /// Runs `f` on the open database. A damaged file is moved aside and `f` runs once more on
    /// a new, empty one.
    fn with_db<T>(&self, mut f: impl FnMut(&mut Connection) -> DbResult<T>) -> Result<T> {
        let mut guard = lock(&self.db);
        for attempt in 0..2 {
            if guard.is_none() {
                *guard = Some(self.open()?);
            }
            let Some(db) = guard.as_mut() else {
                continue;
            };
            match f(db) {
                Ok(value) => return Ok(value),
                Err(DbFail::Damaged(reason)) if attempt == 0 => {
                    // Close it before renaming, so nothing more is written to the old file.
                    *guard = None;
                    self.move_aside(&reason);
                }
                Err(DbFail::Damaged(reason) | DbFail::Other(reason)) => {
                    return Err(self.io("use", reason));
                }
            }
        }
        Err(self.io("use", "it stayed damaged after being replaced"))
    }

    fn open(&self) -> Result<Connection> {
        match open_file(&self.path) {
            Ok(db) => Ok(db),
            Err(DbFail::Damaged(reason)) => {
                self.move_aside(&reason);
                open_file(&self.path).map_err(|e| match e {
                    DbFail::Damaged(r) | DbFail::Other(r) => self.io("open", r),
                })
            }
            Err(DbFail::Other(reason)) => Err(self.io("open", reason)),
        }
    }

    /// Renames the damaged file (and its WAL, which belongs to it and must never be replayed
    /// into the new file) to `cache.sqlite3.damaged-YYYYMMDD-HHMMSS-mmm`.
    fn move_aside(&self, reason: &str) {
        // Milliseconds too: two damaged files within a second must not overwrite each other.
        let stamp = Utc::now().format("%Y%m%d-%H%M%S-%3f");
        let aside = with_suffix(&self.path, &format!(".damaged-{stamp}"));
        let moved = std::fs::rename(&self.path, &aside);
        for suffix in ["-wal", "-shm"] {
            let side = with_suffix(&self.path, suffix);
            if side.exists() {
                let _ = std::fs::rename(&side, with_suffix(&aside, suffix));
            }
        }
        let message = match moved {
            Ok(()) => format!(
                "The local cache {} was damaged ({reason}). It was moved aside to {} and a new, empty cache was started; views will be fetched again. You may delete the old file.",
                self.path.display(),
                aside.display()
            ),
            Err(e) => format!(
                "The local cache {} was damaged ({reason}) and could not be moved aside ({e}). Close Occupancy Desk and delete that file.",
                self.path.display()
            ),
        };
        tracing::warn!("{message}");
        *lock(&self.notice) = Some(message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ViewKey {
        ViewKey {
            scope: Scope {
                connection_id: "c".into(),
                base_url: "https://api.innerspace.io".into(),
                client_id: "client".into(),
            },
            table: "BUILDING_INSIGHTS".into(),
            building_id: 71,
            site_id: None,
            zone_id: None,
            zone_type: None,
            group_id: Some("00000000-0000-0000-0000-000000000000".into()),
            granularity: "PT1H".into(),
            metrics: vec!["OCCUPANCY_MEAN".into()],
            time_zone: "America/Chicago".into(),
        }
    }

    #[test]
    fn a_demo_connections_days_are_kept_whatever_port_its_simulator_has() {
        let on = |port: u16, demo: bool| {
            Scope::of(&ServiceConnection {
                id: "demo-innerspace-v2".into(),
                name: "Demo".into(),
                base_url: format!("http://127.0.0.1:{port}/"),
                client_id: "demo-client".into(),
                kind: occudesk_auth::connections::ConnectionKind::InnerspaceV1 { group_id: None },
                demo,
            })
        };
        assert_eq!(on(40001, true), on(40002, true));
        // A real connection's address is part of whose data it is.
        assert_ne!(on(40001, false), on(40002, false));
        assert_eq!(on(40001, false).base_url, "http://127.0.0.1:40001");
    }

    fn row(value: f64) -> RawRow {
        RawRow {
            start: DateTime::<Utc>::from_timestamp(1_735_711_200, 0).unwrap(),
            partition: Some(20250101),
            building_id: 71,
            site_id: None,
            zone_id: None,
            zone_type: None,
            group_id: None,
            values: vec![Some(value)],
            named: None,
        }
    }

    fn day(is_final: bool, value: f64) -> NewDay {
        NewDay {
            day: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            is_final,
            rows: vec![row(value)],
        }
    }

    #[tokio::test]
    async fn a_final_day_is_never_replaced_by_a_provisional_one() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DayCache::in_dir(dir.path(), 500);
        let d = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        cache.put_days(&key(), &[day(false, 1.0)]).await.unwrap();
        cache.put_days(&key(), &[day(true, 2.0)]).await.unwrap();
        cache.put_days(&key(), &[day(false, 3.0)]).await.unwrap();
        let kept = cache.days(&key(), d, d).await.unwrap();
        assert_eq!(kept.len(), 1);
        assert!(kept[0].is_final);
        assert_eq!(kept[0].rows[0].values, [Some(2.0)]);
        // Another view (other metrics) is another row.
        let mut other = key();
        other.metrics = vec!["OCCUPANCY_MAX".into()];
        assert!(cache.days(&other, d, d).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn reopening_keeps_the_schema_and_a_newer_schema_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let d = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        DayCache::in_dir(dir.path(), 500)
            .put_days(&key(), &[day(true, 1.0)])
            .await
            .unwrap();
        let again = DayCache::in_dir(dir.path(), 500);
        assert_eq!(again.days(&key(), d, d).await.unwrap().len(), 1);
        drop(again);

        let file = dir.path().join(CACHE_FILE_NAME);
        let db = Connection::open(&file).unwrap();
        let version: i64 = db
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        db.execute_batch("PRAGMA user_version = 99").unwrap();
        drop(db);
        let newer = DayCache::in_dir(dir.path(), 500);
        let err = newer.info(true).await.unwrap_err();
        assert_eq!(err.code(), "cache.io");
        assert!(err.to_string().contains("newer Occupancy Desk"), "{err}");
        assert!(file.exists(), "a newer app's cache is not moved aside");
        assert!(newer.take_notice().is_none());
    }
}
