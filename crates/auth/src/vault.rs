//! Where secrets live: the operating system's keyring, and nowhere else.
//!
//! [`SecretStore`] is the blocking backend (the real keyring, or memory for tests and demo data).
//! [`Vault`] is what the rest of the app uses: it runs every call off the caller's thread, one at a
//! time, with a timeout, because a locked or hung Secret Service can block forever and GNOME
//! Keyring has crashed on concurrent encrypted sessions.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use occudesk_net::{Error, Result};

/// The keyring service name every entry is stored under; the entry's user is the connection id.
pub const KEYRING_SERVICE: &str = "occudesk";

/// How long one keyring call may take before we call the keyring unavailable.
pub const KEYRING_TIMEOUT: Duration = Duration::from_secs(5);

/// How the keyring entries of created SpatiaFi App Credentials start (see
/// [`app_credential_key`]).
pub const APP_CREDENTIAL_PREFIX: &str = "app-credential:";

/// The keyring entry (under the app's service) holding a created App Credential's secret.
/// Keyed by client id, not by a connection: the credential exists, and its secret must be
/// kept, whether or not a connection uses it yet.
pub fn app_credential_key(client_id: &str) -> String {
    format!("{APP_CREDENTIAL_PREFIX}{client_id}")
}

/// A blocking secret backend. Implementations must make `delete` idempotent.
pub trait SecretStore: Send + Sync + 'static {
    fn get(&self, key: &str) -> Result<Option<SecretString>>;
    fn set(&self, key: &str, secret: &SecretString) -> Result<()>;
    fn delete(&self, key: &str) -> Result<()>;
    /// A short human description, shown in Settings ("where secrets are kept").
    fn describe(&self) -> String;
    /// Every key stored under this store's service (never a secret), to find entries no
    /// connection uses. Backends that cannot enumerate say so.
    fn list_keys(&self) -> Result<Vec<String>> {
        Err(Error::KeyringListUnsupported("your keyring"))
    }
}

/// The operating system's keyring through the `keyring` crate (Secret Service on Linux,
/// Keychain on macOS, Credential Manager on Windows).
pub struct KeyringStore {
    service: String,
}

impl KeyringStore {
    pub fn new(service: impl Into<String>) -> Self {
        KeyringStore {
            service: service.into(),
        }
    }

    fn entry(&self, key: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, key).map_err(map_keyring_error)
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, key: &str) -> Result<Option<SecretString>> {
        match self.entry(key)?.get_password() {
            Ok(secret) => Ok(Some(SecretString::from(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring_error(e)),
        }
    }

    fn set(&self, key: &str, secret: &SecretString) -> Result<()> {
        self.entry(key)?
            .set_password(secret.expose_secret())
            .map_err(map_keyring_error)
    }

    fn delete(&self, key: &str) -> Result<()> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring_error(e)),
        }
    }

    fn describe(&self) -> String {
        let backend = if cfg!(target_os = "macos") {
            "macOS Keychain"
        } else if cfg!(target_os = "windows") {
            "Windows Credential Manager"
        } else {
            "Secret Service (GNOME Keyring, KWallet or KeePassXC)"
        };
        format!("{backend}, service \"{}\"", self.service)
    }

    /// The `keyring` crate cannot enumerate, so this asks the Secret Service directly for the
    /// items the `keyring` crate made for our service (attributes `service` and `username`).
    /// Only attributes are read, never a secret, so no encrypted session is needed.
    #[cfg(target_os = "linux")]
    fn list_keys(&self) -> Result<Vec<String>> {
        use dbus_secret_service::{EncryptionType, SecretService};
        let unavailable = |e: dbus_secret_service::Error| match e {
            dbus_secret_service::Error::Locked => Error::KeyringLocked,
            other => Error::KeyringUnavailable(other.to_string()),
        };
        let service = SecretService::connect(EncryptionType::Plain).map_err(unavailable)?;
        let found = service
            .search_items(HashMap::from([("service", self.service.as_str())]))
            .map_err(unavailable)?;
        let mut keys = Vec::new();
        for item in found.unlocked.iter().chain(&found.locked) {
            let attributes = item.get_attributes().map_err(unavailable)?;
            // Another program's item under our service name without a user is not ours.
            if let Some(user) = attributes.get("username") {
                keys.push(user.clone());
            }
        }
        keys.sort_unstable();
        keys.dedup();
        Ok(keys)
    }

    #[cfg(target_os = "macos")]
    fn list_keys(&self) -> Result<Vec<String>> {
        Err(Error::KeyringListUnsupported("Keychain Access"))
    }

    #[cfg(target_os = "windows")]
    fn list_keys(&self) -> Result<Vec<String>> {
        Err(Error::KeyringListUnsupported("Credential Manager"))
    }
}

/// Maps keyring errors to ours. The keyring's own text is kept (it names the platform failure,
/// never the secret) so users can search for it.
fn map_keyring_error(e: keyring::Error) -> Error {
    match e {
        keyring::Error::NoStorageAccess(_) => Error::KeyringLocked,
        keyring::Error::TooLong(field, _) => Error::invalid(
            "secret",
            format!("The {field} is too long for the keyring."),
        ),
        keyring::Error::BadEncoding(_) => {
            Error::KeyringUnavailable("the stored secret is not valid text".into())
        }
        other => Error::KeyringUnavailable(other.to_string()),
    }
}

/// Secrets in process memory only: for unit tests and for demo data, which must never write to
/// the user's keyring.
#[derive(Default)]
pub struct MemoryStore {
    secrets: Mutex<HashMap<String, SecretString>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<SecretString>> {
        let map = self.secrets.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(map.get(key).cloned())
    }

    fn set(&self, key: &str, secret: &SecretString) -> Result<()> {
        let mut map = self.secrets.lock().unwrap_or_else(PoisonError::into_inner);
        map.insert(key.to_owned(), secret.clone());
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<()> {
        let mut map = self.secrets.lock().unwrap_or_else(PoisonError::into_inner);
        map.remove(key);
        Ok(())
    }

    fn describe(&self) -> String {
        "memory only (demo data; forgotten when the app quits)".into()
    }

    fn list_keys(&self) -> Result<Vec<String>> {
        let map = self.secrets.lock().unwrap_or_else(PoisonError::into_inner);
        let mut keys: Vec<String> = map.keys().cloned().collect();
        keys.sort_unstable();
        Ok(keys)
    }
}

/// The async face of a [`SecretStore`]: off-thread, serialized, bounded in time.
#[derive(Clone)]
pub struct Vault {
    store: Arc<dyn SecretStore>,
    // One call at a time across the process. Held inside the blocking task, so a hung call keeps
    // it and every later call times out too, which is the honest answer ("unavailable").
    lock: Arc<Mutex<()>>,
    timeout: Duration,
}

impl Vault {
    pub fn new(store: Arc<dyn SecretStore>) -> Self {
        Self::with_timeout(store, KEYRING_TIMEOUT)
    }

    pub fn with_timeout(store: Arc<dyn SecretStore>, timeout: Duration) -> Self {
        Vault {
            store,
            lock: Arc::new(Mutex::new(())),
            timeout,
        }
    }

    /// The OS keyring under [`KEYRING_SERVICE`].
    pub fn keyring() -> Self {
        Self::new(Arc::new(KeyringStore::new(KEYRING_SERVICE)))
    }

    /// Memory only.
    pub fn memory() -> Self {
        Self::new(Arc::new(MemoryStore::new()))
    }

    pub fn describe(&self) -> String {
        self.store.describe()
    }

    pub async fn get(&self, key: &str) -> Result<Option<SecretString>> {
        let key = key.to_owned();
        self.run(move |store, _| store.get(&key)).await
    }

    /// Stores `secret` under `key`. If this answers with an error, the keyring holds what it
    /// held before: a write that completes after the caller gave up (a locked keyring unlocked
    /// late) is undone.
    pub async fn set(&self, key: &str, secret: SecretString) -> Result<()> {
        let key = key.to_owned();
        self.run(move |store, call| {
            // Read what is there first, in the same job and under the same lock, so it can be
            // put back if the caller stops waiting while the write is under way.
            let previous = store.get(&key);
            if call.is_abandoned() {
                return Err(abandoned());
            }
            store.set(&key, &secret)?;
            if call.finish() {
                return Ok(());
            }
            restore(store, &key, previous, "save");
            Err(abandoned())
        })
        .await
    }

    /// Deletes the secret under `key` (nothing there is fine). If this answers with an error,
    /// the secret is still there: a delete that completes after the caller gave up is undone.
    pub async fn delete(&self, key: &str) -> Result<()> {
        let key = key.to_owned();
        self.run(move |store, call| {
            let previous = store.get(&key);
            if call.is_abandoned() {
                return Err(abandoned());
            }
            store.delete(&key)?;
            if call.finish() {
                return Ok(());
            }
            restore(store, &key, previous, "delete");
            Err(abandoned())
        })
        .await
    }

    /// Every key stored under this vault's service (see [`SecretStore::list_keys`]).
    pub async fn list_keys(&self) -> Result<Vec<String>> {
        self.run(|store, _| store.list_keys()).await
    }

    pub async fn contains(&self, key: &str) -> Result<bool> {
        Ok(self.get(key).await?.is_some())
    }

    /// Runs `call` on a blocking thread, one call at a time, and waits at most the timeout.
    ///
    /// `call` marks the moment its change is made with [`Call::finish`]; if the caller already
    /// gave up by then, `call` must undo the change. Either the call finishes first (the caller
    /// gets its result, even if it arrives just after the timeout) or the caller gives up first
    /// (the call is skipped or undone): a caller is never told "not done" about a change that
    /// stays.
    async fn run<T, F>(&self, call: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn SecretStore, &Call) -> Result<T> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        let lock = Arc::clone(&self.lock);
        let state = Arc::new(Call::default());
        let job_state = Arc::clone(&state);
        let mut task = tokio::task::spawn_blocking(move || {
            let _one_at_a_time = lock.lock().unwrap_or_else(PoisonError::into_inner);
            // Queued behind a hung call until its caller gave up: do nothing, so a delete the
            // user was told failed does not happen once the keyring wakes.
            if job_state.is_abandoned() {
                return Err(abandoned());
            }
            let result = call(store.as_ref(), &job_state);
            // Calls that change nothing (reads, failures) finish here.
            job_state.finish();
            result
        });
        let joined = match tokio::time::timeout(self.timeout, &mut task).await {
            Ok(joined) => joined,
            Err(_) if state.abandon() => {
                return Err(Error::KeyringUnavailable(format!(
                    "no answer within {} s; it may be locked and waiting for a password. Nothing was changed",
                    self.timeout.as_millis().div_ceil(1000)
                )));
            }
            // The call finished its change just as the time ran out: its result is moments
            // away and is the truth.
            Err(_) => task.await,
        };
        joined.unwrap_or_else(|join_error| {
            Err(Error::KeyringUnavailable(format!(
                "the keyring call failed: {join_error}"
            )))
        })
    }
}

/// One keyring call as both its caller and its blocking job see it. Exactly one of them moves
/// it out of "pending": the job when its change is made, or the caller when it stops waiting.
#[derive(Default)]
struct Call {
    state: AtomicU8,
}

const PENDING: u8 = 0;
const FINISHED: u8 = 1;
const ABANDONED: u8 = 2;

impl Call {
    /// The job made its change (or has none to make). False if the caller gave up first.
    fn finish(&self) -> bool {
        match self
            .state
            .compare_exchange(PENDING, FINISHED, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => true,
            Err(current) => current == FINISHED,
        }
    }

    /// The caller stops waiting. False if the job already finished.
    fn abandon(&self) -> bool {
        self.state
            .compare_exchange(PENDING, ABANDONED, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    fn is_abandoned(&self) -> bool {
        self.state.load(Ordering::Acquire) == ABANDONED
    }
}

fn abandoned() -> Error {
    Error::KeyringUnavailable("the call was abandoned".into())
}

/// Puts back what `key` held before a change its caller no longer waited for. Logs that it did
/// (never the secret): a user who unlocked the keyring late should find out why their change
/// is not there.
fn restore(
    store: &dyn SecretStore,
    key: &str,
    previous: Result<Option<SecretString>>,
    what: &'static str,
) {
    let (undone, how) = match previous {
        Ok(Some(secret)) => (store.set(key, &secret), "the earlier secret was put back"),
        Ok(None) => (store.delete(key), "the new secret was removed"),
        // The old secret could not be read before the change, so it cannot be put back. For a
        // save, at least remove the new secret, which no setting refers to.
        Err(_) if what == "save" => (
            store.delete(key),
            "the new secret was removed; the earlier one could not be read, so it is gone",
        ),
        Err(_) => {
            tracing::warn!(
                key,
                "the keyring carried out a {what} after its caller had given up (timeout); it could not be undone because the secret could not be read beforehand"
            );
            return;
        }
    };
    match undone {
        Ok(()) => tracing::warn!(
            key,
            "the keyring carried out a {what} after its caller had given up (timeout); undone: {how}"
        ),
        Err(e) => tracing::warn!(
            key,
            code = e.code(),
            "the keyring carried out a {what} after its caller had given up (timeout), and undoing it failed"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[tokio::test]
    async fn memory_vault_round_trip_and_idempotent_delete() {
        let vault = Vault::memory();
        assert!(vault.get("c1").await.unwrap().is_none());
        vault.set("c1", secret("s3cret")).await.unwrap();
        assert_eq!(
            vault.get("c1").await.unwrap().unwrap().expose_secret(),
            "s3cret"
        );
        assert!(vault.contains("c1").await.unwrap());
        assert!(!vault.contains("c2").await.unwrap());
        vault.delete("c1").await.unwrap();
        vault.delete("c1").await.unwrap();
        assert!(!vault.contains("c1").await.unwrap());
    }

    /// A backend slower than the timeout, like a Secret Service waiting on an unlock prompt.
    /// Counts the deletes it actually performed.
    #[derive(Default)]
    struct HangingStore {
        deletes: std::sync::atomic::AtomicU32,
    }
    impl SecretStore for HangingStore {
        fn get(&self, _: &str) -> Result<Option<SecretString>> {
            std::thread::sleep(Duration::from_millis(500));
            Ok(None)
        }
        fn set(&self, _: &str, _: &SecretString) -> Result<()> {
            std::thread::sleep(Duration::from_millis(500));
            Ok(())
        }
        fn delete(&self, _: &str) -> Result<()> {
            self.deletes.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
        fn describe(&self) -> String {
            "hanging".into()
        }
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_hung_keyring_times_out_and_queued_calls_never_run_later() {
        let store = Arc::new(HangingStore::default());
        let vault = Vault::with_timeout(store.clone(), Duration::from_millis(100));
        let (set, delete) = tokio::join!(vault.set("c1", secret("x")), vault.delete("c1"));
        for err in [set.unwrap_err(), delete.unwrap_err()] {
            assert_eq!(err.code(), "keyring.unavailable");
            assert!(err.to_string().contains("no answer within"), "{err}");
        }
        // Let the hung call finish; the delete queued behind it was abandoned, not replayed.
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert_eq!(store.deletes.load(Ordering::SeqCst), 0);
    }

    /// A keyring whose writes wait, like GNOME Keyring behind its unlock prompt, until the test
    /// "unlocks" it. Reads answer at once (the prompt is for the write in these scenarios).
    #[derive(Default)]
    struct PromptingStore {
        inner: MemoryStore,
        unlocked: Mutex<bool>,
        unlock: std::sync::Condvar,
        writes_done: std::sync::atomic::AtomicU32,
    }
    impl PromptingStore {
        fn wait_for_unlock(&self) {
            let mut unlocked = self.unlocked.lock().unwrap_or_else(PoisonError::into_inner);
            while !*unlocked {
                unlocked = self
                    .unlock
                    .wait(unlocked)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
        fn open(&self) {
            *self.unlocked.lock().unwrap_or_else(PoisonError::into_inner) = true;
            self.unlock.notify_all();
        }
    }
    impl SecretStore for PromptingStore {
        fn get(&self, key: &str) -> Result<Option<SecretString>> {
            self.inner.get(key)
        }
        fn set(&self, key: &str, secret: &SecretString) -> Result<()> {
            self.wait_for_unlock();
            self.inner.set(key, secret)?;
            self.writes_done.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
        fn delete(&self, key: &str) -> Result<()> {
            self.wait_for_unlock();
            self.inner.delete(key)?;
            self.writes_done.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
        fn describe(&self) -> String {
            "prompting".into()
        }
    }

    /// Runs `op` against a locked store holding `before`, lets it time out, unlocks, and
    /// returns what the store holds once the late call has finished.
    async fn late_write(
        before: Option<&str>,
        op: impl FnOnce(Vault) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<()>>>>,
    ) -> Option<String> {
        let store = Arc::new(PromptingStore::default());
        if let Some(b) = before {
            store.inner.set("c1", &secret(b)).unwrap();
        }
        let vault = Vault::with_timeout(store.clone(), Duration::from_millis(100));
        let err = op(vault.clone()).await.unwrap_err();
        assert_eq!(err.code(), "keyring.unavailable");
        // The user unlocks the keyring after the caller was told the change was not made.
        store.open();
        // The next call queues behind the late one, so it sees the keyring after it.
        let after = vault.get("c1").await.unwrap();
        assert!(
            store.writes_done.load(Ordering::SeqCst) >= 1,
            "the late call ran"
        );
        after.map(|s| s.expose_secret().to_owned())
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_write_that_times_out_and_completes_later_is_undone() {
        // A new secret: it must not land under an id nothing refers to.
        let stored = late_write(None, |v| {
            Box::pin(async move { v.set("c1", secret("new")).await })
        })
        .await;
        assert_eq!(stored, None);
        // An edit: the stored secret must stay the one the settings still go with.
        let stored = late_write(Some("old"), |v| {
            Box::pin(async move { v.set("c1", secret("new")).await })
        })
        .await;
        assert_eq!(stored.as_deref(), Some("old"));
        // A delete the caller was told failed: the secret is still there afterwards.
        let stored = late_write(Some("old"), |v| {
            Box::pin(async move { v.delete("c1").await })
        })
        .await;
        assert_eq!(stored.as_deref(), Some("old"));
    }

    #[test]
    fn keyring_errors_map_to_actionable_codes() {
        let locked = map_keyring_error(keyring::Error::NoStorageAccess("locked".into()));
        assert_eq!(locked.code(), "keyring.locked");
        let failure = map_keyring_error(keyring::Error::PlatformFailure(
            "org.freedesktop.secrets was not provided".into(),
        ));
        assert_eq!(failure.code(), "keyring.unavailable");
        assert!(failure.to_string().contains("org.freedesktop.secrets"));
    }

    #[test]
    fn debug_of_a_secret_is_redacted() {
        let s = secret("hunter2");
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
