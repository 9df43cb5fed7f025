//! The saved connections together with their secrets: the one place that keeps the settings
//! file and the keyring in step. The desktop app and the CLI both go through it.

use std::sync::{Mutex, PoisonError};

use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use crate::settings::SettingsStore;
use occudesk_auth::connections::{Connection, ConnectionDraft, FieldProblem};
use occudesk_auth::vault::Vault;
use occudesk_net::{Error, Result};

/// A connection as the window and the CLI see it: never the secret, only whether one is stored
/// (`None` when the keyring could not be asked).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionView {
    #[serde(flatten)]
    pub connection: Connection,
    pub has_secret: Option<bool>,
}

pub struct Registry {
    settings: SettingsStore,
    vault: Vault,
    /// Demo connections and their secrets live in memory only, never in the file or keyring.
    demo_vault: Vault,
    demo_connections: Mutex<Vec<Connection>>,
}

impl Registry {
    pub fn new(settings: SettingsStore, vault: Vault) -> Self {
        Registry {
            settings,
            vault,
            demo_vault: Vault::memory(),
            demo_connections: Mutex::new(Vec::new()),
        }
    }

    pub fn settings(&self) -> &SettingsStore {
        &self.settings
    }

    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// Saved connections first, then demo ones.
    pub fn list(&self) -> Vec<Connection> {
        let mut all = self.settings.get().connections;
        all.extend(self.demo().iter().cloned());
        all
    }

    pub fn get(&self, id: &str) -> Result<Connection> {
        self.list()
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| Error::ConnectionNotFound(id.to_owned()))
    }

    /// Every connection with whether its secret is stored. A keyring failure does not hide
    /// the connections: they are listed with the secret status unknown, and the error is
    /// returned beside them. After one failure the keyring is not asked again (each call
    /// could wait out the timeout).
    pub async fn list_views(&self) -> (Vec<ConnectionView>, Option<Error>) {
        let mut views = Vec::new();
        let mut keyring_error = None;
        for connection in self.list() {
            let has_secret = if keyring_error.is_some() && !connection.demo {
                None
            } else {
                match self.vault_for(&connection).contains(&connection.id).await {
                    Ok(known) => Some(known),
                    Err(e) => {
                        keyring_error.get_or_insert(e);
                        None
                    }
                }
            };
            views.push(ConnectionView {
                connection,
                has_secret,
            });
        }
        (views, keyring_error)
    }

    /// Adds or updates a connection. A blank or absent secret keeps the stored one. The secret
    /// is written to the keyring before the settings; if the settings cannot be saved, the
    /// previous secret (or none) is put back, so a failure leaves both as they were and no
    /// secret is left behind for a connection that was never saved.
    ///
    /// The settings write lock is held across both writes, so another process's
    /// [`remove_orphaned_secrets`](Self::remove_orphaned_secrets) never sees the new secret
    /// before its connection, and two saves never interleave.
    pub async fn save(
        &self,
        draft: &ConnectionDraft,
        secret: Option<SecretString>,
    ) -> Result<ConnectionView> {
        let connection = draft.validate()?;
        let existing = draft.id.as_deref().map(|id| self.get(id)).transpose()?;
        if existing.as_ref().is_some_and(|c| c.demo) {
            return Err(Error::invalid(
                "id",
                "Demo connections cannot be edited; add a connection of your own instead.",
            ));
        }
        ensure_name_free(&connection.id, &connection.name, &self.list())?;
        let secret = secret.filter(|s| !s.expose_secret().trim().is_empty());
        let writer = self.settings.write().await?;
        let replaced = match secret {
            Some(secret) => {
                // A new connection has a fresh random id: nothing can be stored under it yet,
                // so the keyring is not asked (one round trip less while holding the lock).
                let previous = match existing {
                    Some(_) => self.vault.get(&connection.id).await?,
                    None => None,
                };
                self.vault.set(&connection.id, secret).await?;
                Some(previous)
            }
            None => None,
        };
        let demos = self.demo().clone();
        let saved = writer.update(|s| {
            // Checked again on the file as it is now: another process may have taken the name.
            ensure_name_free(
                &connection.id,
                &connection.name,
                s.connections.iter().chain(&demos),
            )?;
            match s.connections.iter_mut().find(|c| c.id == connection.id) {
                Some(slot) => *slot = connection.clone(),
                None => s.connections.push(connection.clone()),
            }
            if s.default_connection.is_none() {
                s.default_connection = Some(connection.id.clone());
            }
            Ok(())
        });
        if let Err(e) = saved {
            if let Some(previous) = replaced {
                self.restore_secret(&connection.id, previous).await;
            }
            return Err(e);
        }
        drop(writer);
        // Saved; if the keyring cannot say whether a secret is stored, that is unknown, not
        // a failure of the save.
        let has_secret = self.vault.contains(&connection.id).await.ok();
        Ok(ConnectionView {
            connection,
            has_secret,
        })
    }

    /// Removes the keyring entry, then the connection. If the keyring refuses, nothing is
    /// removed, so no secret is left behind without a connection to find it by; if the
    /// settings cannot be saved, the secret is put back.
    pub async fn delete(&self, id: &str) -> Result<()> {
        let connection = self.get(id)?;
        if connection.demo {
            self.demo_vault.delete(id).await?;
            self.demo().retain(|c| c.id != id);
            return Ok(());
        }
        let writer = self.settings.write().await?;
        let previous = self.vault.get(id).await?;
        self.vault.delete(id).await?;
        let saved = writer.update(|s| {
            s.connections.retain(|c| c.id != id);
            if s.default_connection.as_deref() == Some(id) {
                s.default_connection = s.connections.first().map(|c| c.id.clone());
                // The building was the deleted connection's.
                s.default_building = None;
            }
            if s.insights_connection.as_deref() == Some(id) {
                s.insights_connection = None;
            }
            Ok(())
        });
        if saved.is_err() {
            self.restore_secret(id, previous).await;
        }
        saved
    }

    /// The keys of this app's keyring entries that no saved connection uses: left behind by
    /// a process killed between its keyring write and its settings write, or by earlier
    /// versions that lost settings writes. Compared with the settings as stored now.
    pub async fn orphaned_secrets(&self) -> Result<Vec<String>> {
        let settings = self.settings.reload()?;
        let keys = self.vault.list_keys().await?;
        Ok(unused(keys, &settings.connections))
    }

    /// Removes the entries [`orphaned_secrets`](Self::orphaned_secrets) finds and returns their
    /// keys. Holds the settings write lock throughout, so a connection being saved right now
    /// (its secret written, its settings not yet) is never mistaken for an orphan.
    pub async fn remove_orphaned_secrets(&self) -> Result<Vec<String>> {
        let writer = self.settings.write().await?;
        let settings = writer.current()?;
        let orphans = unused(self.vault.list_keys().await?, &settings.connections);
        for key in &orphans {
            self.vault.delete(key).await?;
        }
        Ok(orphans)
    }

    /// Every problem of a draft, the name being taken included, for the form as the user types.
    pub fn problems(&self, draft: &ConnectionDraft) -> Vec<FieldProblem> {
        let mut problems = draft.problems();
        let id = draft.id.as_deref().unwrap_or_default();
        if let Err(e) = ensure_name_free(id, draft.name.trim(), &self.list()) {
            problems.retain(|p| p.field != "name");
            problems.insert(0, e.into());
        }
        problems
    }

    /// Best effort after a failed save: the save's error is the one the user needs to see.
    /// Tried twice, because a keyring that just failed a write may answer the next call; if
    /// both fail, the entry is left over and `occudesk-cli connection doctor --fix` (or the
    /// Settings view) removes it.
    async fn restore_secret(&self, id: &str, previous: Option<SecretString>) {
        for attempt in 1..=2 {
            let restored = match previous.clone() {
                Some(secret) => self.vault.set(id, secret).await,
                None => self.vault.delete(id).await,
            };
            match restored {
                Ok(()) => return,
                Err(e) => tracing::warn!(
                    code = e.code(),
                    attempt,
                    "could not restore the keyring entry after a failed save; if this stays, run `occudesk-cli connection doctor --fix`"
                ),
            }
        }
    }

    /// The stored secret, for the token exchange. Never send it to the window.
    pub async fn secret(&self, id: &str) -> Result<Option<SecretString>> {
        let connection = self.get(id)?;
        self.vault_for(&connection).get(id).await
    }

    /// Replaces the demo connections (the simulator's address changes every start).
    pub async fn set_demo_connections(&self, demos: Vec<(Connection, SecretString)>) -> Result<()> {
        let mut connections = Vec::new();
        for (mut connection, secret) in demos {
            connection.demo = true;
            self.demo_vault.set(&connection.id, secret).await?;
            connections.push(connection);
        }
        *self.demo() = connections;
        Ok(())
    }

    fn vault_for(&self, connection: &Connection) -> &Vault {
        if connection.demo {
            &self.demo_vault
        } else {
            &self.vault
        }
    }

    fn demo(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        self.demo_connections
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// The keys no connection uses. A created App Credential's secret is never one of them: it is
/// kept whether or not a connection uses it, and SpatiaFi will not show it again.
fn unused(keys: Vec<String>, connections: &[Connection]) -> Vec<String> {
    keys.into_iter()
        .filter(|key| !key.starts_with(occudesk_auth::vault::APP_CREDENTIAL_PREFIX))
        .filter(|key| !connections.iter().any(|c| &c.id == key))
        .collect()
}

/// Names are unique, ignoring case, so the CLI can find a connection by name.
fn ensure_name_free<'a>(
    id: &str,
    name: &str,
    others: impl IntoIterator<Item = &'a Connection>,
) -> Result<()> {
    let wanted = name.to_lowercase();
    match others
        .into_iter()
        .find(|c| c.id != id && !wanted.is_empty() && c.name.to_lowercase() == wanted)
    {
        Some(taken) => Err(Error::invalid(
            "name",
            format!(
                "A connection named \"{}\" already exists. Choose another name.",
                taken.name
            ),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::settings::SettingsFile;

    fn registry(dir: &std::path::Path) -> Registry {
        let settings = SettingsStore::open(Arc::new(SettingsFile::in_dir(dir))).unwrap();
        Registry::new(settings, Vault::memory())
    }

    fn draft() -> ConnectionDraft {
        ConnectionDraft {
            name: "HQ".into(),
            kind: "innerspace-v1".into(),
            client_id: "client-1".into(),
            ..Default::default()
        }
    }

    fn secret(s: &str) -> Option<SecretString> {
        Some(SecretString::from(s.to_owned()))
    }

    #[tokio::test]
    async fn save_stores_the_secret_in_the_vault_not_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let reg = registry(dir.path());
        let view = reg
            .save(&draft(), secret("top-secret-value"))
            .await
            .unwrap();
        assert_eq!(view.has_secret, Some(true));
        let id = view.connection.id.clone();
        assert_eq!(
            reg.secret(&id).await.unwrap().unwrap().expose_secret(),
            "top-secret-value"
        );
        let file = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
        assert!(file.contains("client-1"));
        assert!(!file.contains("top-secret-value"));
        assert_eq!(reg.settings().get().default_connection, Some(id));
    }

    #[tokio::test]
    async fn editing_with_a_blank_secret_keeps_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let reg = registry(dir.path());
        let id = reg
            .save(&draft(), secret("first"))
            .await
            .unwrap()
            .connection
            .id;
        let mut edit = draft();
        edit.id = Some(id.clone());
        edit.name = "Renamed".into();
        let view = reg.save(&edit, secret("  ")).await.unwrap();
        assert_eq!(view.connection.name, "Renamed");
        assert_eq!(
            reg.secret(&id).await.unwrap().unwrap().expose_secret(),
            "first"
        );
        assert_eq!(reg.list().len(), 1);
    }

    #[tokio::test]
    async fn editing_an_unknown_id_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let reg = registry(dir.path());
        let mut edit = draft();
        edit.id = Some("nope".into());
        let err = reg.save(&edit, None).await.unwrap_err();
        assert_eq!(err.code(), "connection.not_found");
    }

    #[tokio::test]
    async fn names_are_unique_ignoring_case() {
        let dir = tempfile::tempdir().unwrap();
        let reg = registry(dir.path());
        let id = reg.save(&draft(), None).await.unwrap().connection.id;
        let mut same = draft();
        same.name = " hq ".into();
        let err = reg.save(&same, secret("s")).await.unwrap_err();
        assert_eq!(err.code(), "input.invalid");
        assert!(err.to_string().contains("already exists"), "{err}");
        assert_eq!(reg.list().len(), 1);
        assert_eq!(reg.problems(&same)[0].field, "name");
        // Renaming a connection to its own name in another case is fine.
        same.id = Some(id);
        assert!(reg.problems(&same).is_empty());
        reg.save(&same, None).await.unwrap();
        assert_eq!(reg.list()[0].name, "hq");
    }

    #[tokio::test]
    async fn delete_removes_connection_and_secret() {
        let dir = tempfile::tempdir().unwrap();
        let reg = registry(dir.path());
        let id = reg.save(&draft(), secret("s")).await.unwrap().connection.id;
        reg.delete(&id).await.unwrap();
        assert!(reg.list().is_empty());
        assert!(reg.vault().get(&id).await.unwrap().is_none());
        assert_eq!(reg.settings().get().default_connection, None);
        assert_eq!(
            reg.delete(&id).await.unwrap_err().code(),
            "connection.not_found"
        );
    }

    #[tokio::test]
    async fn invalid_input_saves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let reg = registry(dir.path());
        let mut bad = draft();
        bad.base_url = Some("http://example.com".into());
        assert_eq!(
            reg.save(&bad, secret("s")).await.unwrap_err().code(),
            "input.invalid"
        );
        assert!(reg.list().is_empty());
        assert!(!dir.path().join("settings.json").exists());
    }

    /// Settings storage whose saves can be made to fail, like a full disk.
    #[derive(Default)]
    struct FlakyDisk {
        inner: std::sync::Mutex<Option<serde_json::Value>>,
        full: std::sync::atomic::AtomicBool,
    }
    impl crate::settings::SettingsStorage for FlakyDisk {
        fn load(&self) -> Result<Option<serde_json::Value>> {
            Ok(self.inner.lock().unwrap().clone())
        }
        fn save(&self, value: serde_json::Value) -> Result<()> {
            if self.full.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(Error::SettingsIo {
                    action: "write",
                    path: "disk".into(),
                    reason: "no space left".into(),
                });
            }
            *self.inner.lock().unwrap() = Some(value);
            Ok(())
        }
        fn location(&self) -> String {
            "disk".into()
        }
    }

    #[tokio::test]
    async fn a_failed_save_puts_the_previous_secret_back() {
        let disk = Arc::new(FlakyDisk::default());
        let reg = Registry::new(SettingsStore::open(disk.clone()).unwrap(), Vault::memory());
        let id = reg
            .save(&draft(), secret("old"))
            .await
            .unwrap()
            .connection
            .id;
        disk.full.store(true, std::sync::atomic::Ordering::SeqCst);

        let mut edit = draft();
        edit.id = Some(id.clone());
        assert_eq!(
            reg.save(&edit, secret("new")).await.unwrap_err().code(),
            "settings.io"
        );
        assert_eq!(
            reg.secret(&id).await.unwrap().unwrap().expose_secret(),
            "old"
        );

        assert_eq!(reg.delete(&id).await.unwrap_err().code(), "settings.io");
        assert_eq!(reg.list().len(), 1);
        assert_eq!(
            reg.secret(&id).await.unwrap().unwrap().expose_secret(),
            "old"
        );

        let mut another = draft();
        another.name = "Another".into();
        let err = reg.save(&another, secret("orphan")).await.unwrap_err();
        assert_eq!(err.code(), "settings.io");
        assert_eq!(reg.list().len(), 1, "nothing new was added");
        assert_eq!(
            reg.vault().list_keys().await.unwrap(),
            std::slice::from_ref(&id),
            "the secret of the connection that was not saved was removed again"
        );
        assert!(reg.orphaned_secrets().await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn orphan_cleanup_removes_only_entries_no_connection_uses() {
        let dir = tempfile::tempdir().unwrap();
        let reg = registry(dir.path());
        let id = reg.save(&draft(), secret("s")).await.unwrap().connection.id;
        reg.vault()
            .set("stray-id", SecretString::from("left"))
            .await
            .unwrap();
        // A created App Credential's secret belongs to no connection yet, and must stay.
        let credential = occudesk_auth::vault::app_credential_key("0oa-new");
        reg.vault()
            .set(&credential, SecretString::from("shown once"))
            .await
            .unwrap();
        assert_eq!(reg.orphaned_secrets().await.unwrap(), ["stray-id"]);
        assert_eq!(reg.remove_orphaned_secrets().await.unwrap(), ["stray-id"]);
        let mut left = reg.vault().list_keys().await.unwrap();
        left.sort();
        let mut expected = vec![credential, id];
        expected.sort();
        assert_eq!(left, expected);
        assert!(reg.orphaned_secrets().await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn with_damaged_settings_no_entry_is_called_an_orphan() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("settings.json"), "{oops").unwrap();
        let (settings, _) =
            SettingsStore::open_or_read_only(Arc::new(SettingsFile::in_dir(dir.path())));
        let reg = Registry::new(settings, Vault::memory());
        reg.vault()
            .set("a-real-connection", SecretString::from("s"))
            .await
            .unwrap();
        for err in [
            reg.orphaned_secrets().await.unwrap_err(),
            reg.remove_orphaned_secrets().await.unwrap_err(),
        ] {
            assert_eq!(err.code(), "settings.corrupt");
        }
        assert_eq!(reg.vault().list_keys().await.unwrap().len(), 1);
    }

    /// A keyring that refuses every call, like a locked one.
    struct LockedKeyring;
    impl occudesk_auth::vault::SecretStore for LockedKeyring {
        fn get(&self, _: &str) -> Result<Option<SecretString>> {
            Err(Error::KeyringLocked)
        }
        fn set(&self, _: &str, _: &SecretString) -> Result<()> {
            Err(Error::KeyringLocked)
        }
        fn delete(&self, _: &str) -> Result<()> {
            Err(Error::KeyringLocked)
        }
        fn describe(&self) -> String {
            "locked".into()
        }
    }

    #[tokio::test]
    async fn a_locked_keyring_still_lists_connections() {
        let dir = tempfile::tempdir().unwrap();
        let settings = SettingsStore::open(Arc::new(SettingsFile::in_dir(dir.path()))).unwrap();
        let reg = Registry::new(settings, Vault::new(Arc::new(LockedKeyring)));
        assert_eq!(
            reg.save(&draft(), secret("s")).await.unwrap_err().code(),
            "keyring.locked"
        );
        assert!(reg.list().is_empty(), "nothing saved without its secret");
        reg.save(&draft(), None).await.unwrap();
        let mut second = draft();
        second.name = "Second".into();
        reg.save(&second, None).await.unwrap();
        let (views, error) = reg.list_views().await;
        assert_eq!(views.len(), 2);
        assert!(views.iter().all(|v| v.has_secret.is_none()));
        assert_eq!(error.unwrap().code(), "keyring.locked");
    }

    #[tokio::test]
    async fn demo_connections_stay_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let reg = registry(dir.path());
        let demo = draft().validate().unwrap();
        let id = demo.id.clone();
        reg.set_demo_connections(vec![(demo, SecretString::from("demo-secret".to_owned()))])
            .await
            .unwrap();
        assert!(reg.secret(&id).await.unwrap().is_some());
        assert!(reg.vault().get(&id).await.unwrap().is_none());
        assert!(reg.get(&id).unwrap().demo);
        assert!(!dir.path().join("settings.json").exists());
        let mut edit = draft();
        edit.id = Some(id.clone());
        assert_eq!(
            reg.save(&edit, None).await.unwrap_err().code(),
            "input.invalid"
        );
        reg.delete(&id).await.unwrap();
        assert!(reg.list().is_empty());
    }
}
