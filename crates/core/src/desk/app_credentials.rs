//! SpatiaFi App Credentials on the Desk: the sign-in, the list with what this computer knows
//! about each credential, create (secret into the keyring first), delete, and "use as
//! connection".
//!
//! Where a new secret goes: the keyring entry [`crate::vault::app_credential_key`]
//! (`app-credential:<client_id>` under the app's service), keyed by client id because the
//! credential exists, and its secret must survive, whether or not a connection uses it.
//! "Use as connection" copies it into the new connection's own entry (the registry's usual
//! place), so deleting that connection later does not lose the secret. Deleting the credential
//! removes every local copy: the entry and the secrets of connections that used it.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, PoisonError};

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use super::Desk;
use crate::auth::{Session, TokenStatus};
use crate::connections::{
    Connection, ConnectionDraft, ConnectionKind, DEFAULT_SPATIAFI_BASE_URL, ServiceKind,
    SpatiafiAuthMethod, validate_base_url,
};
use crate::registry::ConnectionView;
use crate::spatiafi::{self, Deleted};
use crate::vault::app_credential_key;
use crate::{Error, Result};

/// SpatiaFi's advice is one credential per app: creating the tenth asks for confirmation.
pub const WARN_AT_COUNT: usize = 10;

/// The current SpatiaFi sign-in.
pub(super) struct SignedIn {
    session: Arc<Session>,
    email: String,
    connection_id: Option<String>,
}

/// How to sign in: a saved SpatiaFi email connection (password from the keyring), or an email
/// and password typed now (kept in memory for the one token request).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInRequest {
    /// A saved connection's id or name.
    pub connection: Option<String>,
    pub email: Option<String>,
    pub password: Option<SecretString>,
    /// Blank: SpatiaFi's public address (the demo service's while demo data is on).
    pub base_url: Option<String>,
    /// Save a SpatiaFi `basic` connection for this email, its password in the keyring.
    #[serde(default)]
    pub remember: bool,
}

/// Who is signed in and for how long (never the token).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SpatiafiSignIn {
    pub email: String,
    pub base_url: String,
    pub connection_id: Option<String>,
    /// `None` once the service refused the token (sign in again).
    pub token: Option<TokenStatus>,
    /// "Remember password" saved or updated this connection.
    pub saved_connection: Option<ConnectionView>,
    /// "Remember password" failed (signed in anyway).
    pub remember_error: Option<Error>,
}

/// A connection to sign in with.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionRef {
    pub id: String,
    pub name: String,
    pub client_id: String,
    /// A demo connection: its secret is in memory (renewed at every start), not the keyring.
    pub demo: bool,
}

/// Everything the App Credentials panel needs before signing in.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SpatiafiPanel {
    pub signed_in: Option<SpatiafiSignIn>,
    pub default_base_url: String,
    /// Saved SpatiaFi connections that sign in with email and password.
    pub sign_in_connections: Vec<ConnectionRef>,
    pub warn_at_count: usize,
}

/// One App Credential with what this computer knows about it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialRow {
    pub client_id: String,
    pub user_id: String,
    /// Its secret is in this computer's keyring (its own entry, or a connection's); `None`
    /// when the keyring could not be asked.
    pub secret_here: Option<bool>,
    /// Created in this run but the keyring refused it: "Retry saving".
    pub unsaved: bool,
    /// Connections with this client id.
    pub used_by: Vec<ConnectionRef>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialList {
    pub credentials: Vec<CredentialRow>,
    pub keyring_error: Option<Error>,
}

/// A new App Credential's secret, the one secret that ever leaves Rust: the service shows it
/// only once, so the person must see it once. `Debug` redacts it; only serializing it (to the
/// window, or `--json`) reveals it.
pub struct RevealedSecret(SecretString);

impl RevealedSecret {
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl std::fmt::Debug for RevealedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl Serialize for RevealedSecret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.expose_secret())
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewCredential {
    pub client_id: String,
    pub user_id: String,
    pub client_secret: RevealedSecret,
    /// Stored in the keyring (before this answer was sent).
    pub saved: bool,
    /// Why it could not be stored; the secret is then kept in memory for "Retry saving".
    pub save_error: Option<Error>,
    /// The keyring entry (user name under the app's service) holding it.
    pub keyring_key: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteOutcome {
    pub client_id: String,
    /// The service had no such credential (deleted elsewhere); removed here all the same.
    pub already_gone: bool,
    /// Connections whose stored secret (now useless) was removed.
    pub secrets_removed_from: Vec<ConnectionRef>,
    /// Deleted on the service, but a local copy could not be removed.
    pub local_error: Option<Error>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UseAsConnection {
    pub client_id: String,
    /// Blank: "SpatiaFi <first part of the client id>".
    pub name: Option<String>,
    /// Blank: `client_secret_jwt`.
    pub auth_method: Option<SpatiafiAuthMethod>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsedAsConnection {
    pub connection: ConnectionView,
    /// The token the test fetched (its expiry), or why the test failed (the connection is
    /// saved either way).
    pub token: Option<TokenStatus>,
    pub test_error: Option<Error>,
}

fn is_spatiafi_client(c: &Connection, client_id: &str) -> bool {
    matches!(&c.kind, ConnectionKind::Spatiafi { auth_method } if !auth_method.is_personal())
        && c.client_id.eq_ignore_ascii_case(client_id)
}

fn reference(c: &Connection) -> ConnectionRef {
    ConnectionRef {
        id: c.id.clone(),
        name: c.name.clone(),
        client_id: c.client_id.clone(),
        demo: c.demo,
    }
}

impl Desk {
    /// The panel's state: who is signed in, the address to offer, connections to sign in with.
    pub async fn spatiafi_panel(&self) -> SpatiafiPanel {
        let signed_in = self.spatiafi_status().await;
        let sign_in_connections = self
            .registry
            .list()
            .iter()
            .filter(|c| c.kind.service() == ServiceKind::Spatiafi && c.kind.is_personal())
            .map(reference)
            .collect();
        SpatiafiPanel {
            signed_in,
            default_base_url: self.spatiafi_default_base_url().await,
            sign_in_connections,
            warn_at_count: WARN_AT_COUNT,
        }
    }

    /// SpatiaFi's public address, or the demo service's while demo data is on.
    async fn spatiafi_default_base_url(&self) -> String {
        let demo = self.demo.lock().await;
        demo.iter()
            .flat_map(|services| services.connections())
            .find(|(c, _)| c.kind.service() == ServiceKind::Spatiafi)
            .map_or_else(|| DEFAULT_SPATIAFI_BASE_URL.to_owned(), |(c, _)| c.base_url)
    }

    /// Signs in to SpatiaFi for managing App Credentials. The token stays in this Desk; the
    /// password is used once and forgotten (unless "remember" saves it in the keyring).
    pub async fn spatiafi_sign_in(&self, request: SignInRequest) -> Result<SpatiafiSignIn> {
        let (email, password, base_url, connection_id) = match request.connection.as_deref() {
            Some(name) if !name.trim().is_empty() => {
                let c = self.find_connection(name)?;
                if !(c.kind.service() == ServiceKind::Spatiafi && c.kind.is_personal()) {
                    return Err(Error::invalid(
                        "connection",
                        format!(
                            "{} does not sign in with an email and password. Choose a SpatiaFi connection whose sign-in method is \"Email and password\", or type your email and password.",
                            c.name
                        ),
                    ));
                }
                let password = self.registry.secret(&c.id).await?.ok_or_else(|| {
                    Error::invalid(
                        "connection",
                        format!(
                            "No password is stored for {}. Edit the connection and enter it, or type your email and password.",
                            c.name
                        ),
                    )
                })?;
                (
                    c.client_id.clone(),
                    password,
                    c.base_url.clone(),
                    Some(c.id),
                )
            }
            _ => {
                let email = request
                    .email
                    .as_deref()
                    .unwrap_or_default()
                    .trim()
                    .to_owned();
                if email.is_empty() {
                    return Err(Error::invalid(
                        "email",
                        "Enter your SpatiaFi email address.",
                    ));
                }
                let password = request
                    .password
                    .filter(|p| !p.expose_secret().is_empty())
                    .ok_or_else(|| Error::invalid("password", "Enter your SpatiaFi password."))?;
                let base_url = match request.base_url.as_deref().map(str::trim) {
                    Some(url) if !url.is_empty() => validate_base_url(url)?,
                    _ => self.spatiafi_default_base_url().await,
                };
                (email, password, base_url, None)
            }
        };
        let remembered = (request.remember && connection_id.is_none()).then(|| password.clone());
        let session = spatiafi::sign_in(
            &base_url,
            &email,
            password,
            self.sessions.http().clone(),
            self.sessions.clock(),
        )
        .await?;
        let token = session.status().await;
        *self.signed_in() = Some(SignedIn {
            session,
            email: email.clone(),
            connection_id: connection_id.clone(),
        });
        let (saved_connection, remember_error) = match remembered {
            Some(password) => match self.remember_password(&email, &base_url, password).await {
                Ok(view) => (Some(view), None),
                Err(e) => (None, Some(e)),
            },
            None => (None, None),
        };
        let connection_id =
            connection_id.or_else(|| saved_connection.as_ref().map(|v| v.connection.id.clone()));
        if let Some(signed_in) = self.signed_in().as_mut() {
            signed_in.connection_id.clone_from(&connection_id);
        }
        Ok(SpatiafiSignIn {
            email,
            base_url,
            connection_id,
            token,
            saved_connection,
            remember_error,
        })
    }

    /// "Remember password": a SpatiaFi `basic` connection for this email and address, its
    /// password in the keyring (updated if one exists already).
    async fn remember_password(
        &self,
        email: &str,
        base_url: &str,
        password: SecretString,
    ) -> Result<ConnectionView> {
        let existing = self
            .registry
            .settings()
            .get()
            .connections
            .into_iter()
            .find(|c| {
                c.kind.service() == ServiceKind::Spatiafi
                    && c.kind.is_personal()
                    && c.client_id.eq_ignore_ascii_case(email)
                    && c.base_url == base_url
            });
        let draft = ConnectionDraft {
            id: existing.as_ref().map(|c| c.id.clone()),
            name: existing
                .as_ref()
                .map_or_else(|| format!("SpatiaFi {email}"), |c| c.name.clone()),
            kind: ServiceKind::Spatiafi.id().to_owned(),
            base_url: Some(base_url.to_owned()),
            client_id: email.to_owned(),
            audience: None,
            group_id: None,
            auth_method: Some(match existing.map(|c| c.kind) {
                Some(ConnectionKind::Spatiafi { auth_method }) => auth_method,
                _ => SpatiafiAuthMethod::Basic,
            }),
        };
        self.save_connection(&draft, Some(password)).await
    }

    /// Who is signed in, and how long the token has left.
    pub async fn spatiafi_status(&self) -> Option<SpatiafiSignIn> {
        let (session, email, connection_id) = {
            let guard = self.signed_in();
            let s = guard.as_ref()?;
            (s.session.clone(), s.email.clone(), s.connection_id.clone())
        };
        Some(SpatiafiSignIn {
            email,
            base_url: session.connection().base_url.clone(),
            connection_id,
            token: session.status().await,
            saved_connection: None,
            remember_error: None,
        })
    }

    /// Forgets the SpatiaFi token.
    pub fn spatiafi_sign_out(&self) {
        *self.signed_in() = None;
    }

    fn spatiafi_session(&self) -> Result<Arc<Session>> {
        self.signed_in()
            .as_ref()
            .map(|s| s.session.clone())
            .ok_or(Error::SignInRequired)
    }

    /// The signed-in person's App Credentials, each with whether this computer holds its
    /// secret and which connections use it.
    pub async fn spatiafi_credentials(&self) -> Result<CredentialList> {
        let session = self.spatiafi_session()?;
        let listed = spatiafi::list(&session).await?;
        let (views, mut keyring_error) = self.registry.list_views().await;
        let unsaved = self.unsaved_ids();
        let mut credentials = Vec::with_capacity(listed.len());
        for credential in listed {
            let users: Vec<&ConnectionView> = views
                .iter()
                .filter(|v| is_spatiafi_client(&v.connection, &credential.client_id))
                .collect();
            let in_connection = users.iter().any(|v| v.has_secret == Some(true));
            let secret_here = if in_connection {
                Some(true)
            } else if keyring_error.is_some() {
                None
            } else {
                let key = app_credential_key(&credential.client_id);
                match self.registry.vault().contains(&key).await {
                    Ok(found) => Some(found),
                    Err(e) => {
                        keyring_error = Some(e);
                        None
                    }
                }
            };
            credentials.push(CredentialRow {
                unsaved: unsaved.contains(&credential.client_id),
                used_by: users.iter().map(|v| reference(&v.connection)).collect(),
                client_id: credential.client_id,
                user_id: credential.user_id,
                secret_here,
            });
        }
        Ok(CredentialList {
            credentials,
            keyring_error,
        })
    }

    /// Creates an App Credential and stores its secret in the keyring before answering. If the
    /// keyring refuses, the secret is still returned (the service will not show it again),
    /// with `saved: false`, and kept in memory for [`Desk::spatiafi_retry_save`].
    ///
    /// Unless `allow_many`, refuses when the account already has `WARN_AT_COUNT - 1` or more.
    pub async fn spatiafi_create(&self, allow_many: bool) -> Result<NewCredential> {
        let session = self.spatiafi_session()?;
        if !allow_many {
            let count = spatiafi::list(&session).await?.len();
            if count + 1 >= WARN_AT_COUNT {
                return Err(Error::invalid(
                    "allowMany",
                    format!(
                        "This account already has {count} App Credentials. SpatiaFi advises one per app, reused rather than created anew; delete the ones no connection uses, or confirm that you want another."
                    ),
                ));
            }
        }
        let created = spatiafi::create(&session).await?;
        let key = app_credential_key(&created.client_id);
        // The keyring first: nothing else happens to the secret until this has been tried.
        let stored = self
            .registry
            .vault()
            .set(&key, created.client_secret.clone())
            .await;
        let save_error = stored.err();
        if save_error.is_some() {
            self.unsaved_map()
                .insert(created.client_id.clone(), created.client_secret.clone());
        }
        tracing::info!(saved = save_error.is_none(), "App Credential created");
        Ok(NewCredential {
            client_id: created.client_id,
            user_id: created.user_id,
            client_secret: RevealedSecret(created.client_secret),
            saved: save_error.is_none(),
            save_error,
            keyring_key: key,
        })
    }

    /// "Retry saving": stores a new secret the keyring refused at create time.
    pub async fn spatiafi_retry_save(&self, client_id: &str) -> Result<()> {
        let secret = self.unsaved_map().get(client_id).cloned().ok_or_else(|| {
            Error::invalid(
                "clientId",
                format!(
                    "There is no unsaved secret for {client_id} (it was saved already, or the app was restarted)."
                ),
            )
        })?;
        self.registry
            .vault()
            .set(&app_credential_key(client_id), secret)
            .await?;
        self.unsaved_map().remove(client_id);
        Ok(())
    }

    /// Deletes an App Credential on the service (a 404 means someone did already), then every
    /// local copy of its secret: its own keyring entry and the secrets of connections that used
    /// it (they can no longer sign in; the connections stay, marked "no secret").
    pub async fn spatiafi_delete(&self, client_id: &str) -> Result<DeleteOutcome> {
        let client_id = client_id.trim();
        let session = self.spatiafi_session()?;
        let deleted = spatiafi::delete(&session, client_id).await?;
        let mut local_error = self
            .registry
            .vault()
            .delete(&app_credential_key(client_id))
            .await
            .err();
        self.unsaved_map().remove(client_id);
        let mut secrets_removed_from = Vec::new();
        let service = session
            .connection()
            .base_url
            .trim_end_matches('/')
            .to_owned();
        for c in self.registry.list() {
            // Demo secrets live in memory and are renewed at every start. A connection to
            // another SpatiaFi address with the same client id is another credential.
            if c.demo
                || !is_spatiafi_client(&c, client_id)
                || c.base_url.trim_end_matches('/') != service
            {
                continue;
            }
            match self.registry.vault().delete(&c.id).await {
                Ok(()) => {
                    self.forget_credentials(&c.id);
                    secrets_removed_from.push(reference(&c));
                }
                Err(e) => {
                    local_error.get_or_insert(e);
                }
            }
        }
        if let Some(e) = &local_error {
            tracing::warn!(
                code = e.code(),
                "App Credential deleted on the service, but a local copy could not be removed"
            );
        }
        Ok(DeleteOutcome {
            client_id: client_id.to_owned(),
            already_gone: deleted == Deleted::AlreadyGone,
            secrets_removed_from,
            local_error,
        })
    }

    /// Turns a credential whose secret this computer holds into a SpatiaFi connection (at the
    /// signed-in address) and proves it by fetching a token.
    pub async fn spatiafi_use_as_connection(
        &self,
        request: UseAsConnection,
    ) -> Result<UsedAsConnection> {
        let client_id = request.client_id.trim().to_owned();
        let method = request.auth_method.unwrap_or(SpatiafiAuthMethod::DEFAULT);
        if method.is_personal() {
            return Err(Error::invalid(
                "authMethod",
                "An App Credential signs in with client credentials: choose client_secret_jwt, client_secret_basic or client_secret_post.",
            ));
        }
        let base_url = self.spatiafi_session()?.connection().base_url.clone();
        let secret = self.held_secret(&client_id).await?.ok_or_else(|| {
            Error::invalid(
                "clientId",
                format!(
                    "This computer does not hold the secret of {client_id}: SpatiaFi shows a secret only when it is created. Create a new App Credential instead (and delete this one if nothing uses it)."
                ),
            )
        })?;
        let name = request
            .name
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| {
                format!("SpatiaFi {}", client_id.chars().take(8).collect::<String>())
            });
        let draft = ConnectionDraft {
            id: None,
            name,
            kind: ServiceKind::Spatiafi.id().to_owned(),
            base_url: Some(base_url),
            client_id,
            audience: None,
            group_id: None,
            auth_method: Some(method),
        };
        let connection = self.save_connection(&draft, Some(secret)).await?;
        let (token, test_error) = match self.test_connection(&connection.connection.id).await {
            Ok(status) => (Some(status), None),
            Err(e) => (None, Some(e)),
        };
        Ok(UsedAsConnection {
            connection,
            token,
            test_error,
        })
    }

    /// The secret of an App Credential held here: its own entry, an unsaved one, or a
    /// connection's.
    async fn held_secret(&self, client_id: &str) -> Result<Option<SecretString>> {
        if let Some(secret) = self
            .registry
            .vault()
            .get(&app_credential_key(client_id))
            .await?
        {
            return Ok(Some(secret));
        }
        if let Some(secret) = self.unsaved_map().get(client_id).cloned() {
            return Ok(Some(secret));
        }
        for c in self.registry.list() {
            if is_spatiafi_client(&c, client_id)
                && let Some(secret) = self.registry.secret(&c.id).await?
            {
                return Ok(Some(secret));
            }
        }
        Ok(None)
    }

    fn signed_in(&self) -> std::sync::MutexGuard<'_, Option<SignedIn>> {
        self.spatiafi.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn unsaved_map(&self) -> std::sync::MutexGuard<'_, HashMap<String, SecretString>> {
        self.unsaved.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn unsaved_ids(&self) -> HashSet<String> {
        self.unsaved_map().keys().cloned().collect()
    }
}
