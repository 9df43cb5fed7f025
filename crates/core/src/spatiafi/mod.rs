//! SpatiaFi App Credentials (api.md §2): sign in as a person with the Basic endpoint, then
//! list, create and delete App Credentials over that sign-in.
//!
//! The sign-in keeps the 15-minute token and nothing else: the password is used for the one
//! token request and dropped ([`SignInOnce`]). When the token runs out, the next call fails
//! with `auth.signin_required` before anything is sent (or after a 401, which means the
//! service did nothing), so the window can ask for the password again and then repeat the
//! call without doing anything twice.

use std::sync::{Arc, Mutex, PoisonError};

use reqwest::StatusCode;
use reqwest::header::ACCEPT;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::auth::spatiafi::SpatiafiProvider;
use crate::auth::{Clock, Session, TokenClient, TokenFuture, TokenProvider};
use crate::connections::{Connection, ConnectionKind, SpatiafiAuthMethod};
use crate::error::ApiProblem;
use crate::http::{HttpClient, Response};
use crate::{Error, Result};

/// Where App Credentials live (the form in api.md's table; a 307 to the slash form, as a
/// FastAPI router may answer, is followed by the HTTP layer keeping method and body).
pub const CLIENTS_PATH: &str = "/api/v1/clients";

/// An App Credential as the list returns it (never with a secret).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppCredential {
    #[serde(alias = "client_id")]
    pub client_id: String,
    #[serde(alias = "user_id", default)]
    pub user_id: String,
}

/// A newly created App Credential with the secret the service shows only this once.
#[derive(Debug)]
pub struct Created {
    pub client_id: String,
    pub user_id: String,
    pub client_secret: SecretString,
}

/// What a delete found on the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Deleted {
    Deleted,
    /// 404: it was deleted elsewhere (another computer, the website) already.
    AlreadyGone,
}

/// A token provider that can be used once: it signs in with the password, then forgets it.
/// Any later fetch (the token ran out, or the service refused it) is `auth.signin_required`.
#[derive(Debug)]
pub struct SignInOnce {
    provider: Mutex<Option<SpatiafiProvider>>,
}

impl SignInOnce {
    pub fn new(base_url: &str, email: &str, password: SecretString) -> SignInOnce {
        SignInOnce {
            provider: Mutex::new(Some(SpatiafiProvider {
                base_url: base_url.trim_end_matches('/').to_owned(),
                client_id: email.to_owned(),
                secret: password,
                method: SpatiafiAuthMethod::Basic,
            })),
        }
    }
}

impl TokenProvider for SignInOnce {
    fn fetch<'a>(&'a self, client: &'a TokenClient) -> TokenFuture<'a> {
        let provider = self
            .provider
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        Box::pin(async move {
            match provider {
                // The provider (and the password in it) is dropped when this future ends.
                Some(provider) => provider.fetch(client).await,
                None => Err(Error::SignInRequired),
            }
        })
    }
}

/// Signs in with email and password through the Basic endpoint and returns a session whose
/// token is good for 15 minutes and cannot be renewed without the password.
pub async fn sign_in(
    base_url: &str,
    email: &str,
    password: SecretString,
    http: HttpClient,
    clock: Arc<dyn Clock>,
) -> Result<Arc<Session>> {
    if email.trim().is_empty() {
        return Err(Error::invalid(
            "email",
            "Enter your SpatiaFi email address.",
        ));
    }
    if password.expose_secret().is_empty() {
        return Err(Error::invalid("password", "Enter your SpatiaFi password."));
    }
    // Not saved anywhere: the connection type is just what a session is built from.
    let connection = Connection {
        id: "spatiafi-sign-in".into(),
        name: format!("SpatiaFi sign-in ({})", email.trim()),
        base_url: base_url.trim_end_matches('/').to_owned(),
        client_id: email.trim().to_owned(),
        kind: ConnectionKind::Spatiafi {
            auth_method: SpatiafiAuthMethod::Basic,
        },
        demo: false,
    };
    let provider = SignInOnce::new(&connection.base_url, &connection.client_id, password);
    let session = Session::with_provider(&connection, Box::new(provider), http, clock)?;
    session.test().await?;
    Ok(Arc::new(session))
}

fn clients_url(session: &Session) -> String {
    format!("{}{CLIENTS_PATH}", session.connection().base_url)
}

/// `GET /api/v1/clients`.
pub async fn list(session: &Session) -> Result<Vec<AppCredential>> {
    let url = clients_url(session);
    let response = session
        .send_authorized(|http| http.get(&url).header(ACCEPT, "application/json"))
        .await?;
    if !response.status().is_success() {
        return Err(refusal(&response));
    }
    let credentials: Vec<AppCredential> = response.json()?;
    Ok(credentials)
}

/// `POST /api/v1/clients` with an empty JSON object (`owner_id` left out). Sent once: a
/// create whose answer is lost ends as `net.outcome_unknown`, never as a second credential.
pub async fn create(session: &Session) -> Result<Created> {
    let url = clients_url(session);
    let response = session
        .send_authorized_create(|http| {
            http.post(&url)
                .header(ACCEPT, "application/json")
                .json(&serde_json::json!({}))
        })
        .await?;
    if !response.status().is_success() {
        return Err(refusal(&response));
    }
    let body = response.json_value()?;
    let field = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_owned);
    let (Some(client_id), Some(secret)) = (field("client_id"), field("client_secret")) else {
        // The credential may exist without us holding its secret: say to look at the list.
        return Err(response.unexpected(
            "an answer to \"create\" without a client id and secret (the credential may have been created; reload the list and delete any you cannot use)",
        ));
    };
    Ok(Created {
        client_id,
        user_id: field("user_id").unwrap_or_default(),
        client_secret: SecretString::from(secret),
    })
}

/// `DELETE /api/v1/clients/{client_id}`. A 404 is [`Deleted::AlreadyGone`].
pub async fn delete(session: &Session, client_id: &str) -> Result<Deleted> {
    let client_id = client_id.trim();
    if client_id.is_empty() {
        return Err(Error::invalid("clientId", "Give the client id to delete."));
    }
    let mut url = url::Url::parse(&clients_url(session)).map_err(|_| {
        Error::invalid(
            "baseUrl",
            "The SpatiaFi address is not a valid URL. Sign in again with the right address.",
        )
    })?;
    // As a path segment, so an id with `/` or `?` cannot reach another endpoint.
    url.path_segments_mut()
        .map_err(|_| Error::invalid("baseUrl", "The SpatiaFi address cannot hold a path."))?
        .push(client_id);
    let response = session
        .send_authorized(|http| http.delete(url.clone()).header(ACCEPT, "application/json"))
        .await?;
    match response.status() {
        s if s.is_success() => Ok(Deleted::Deleted),
        StatusCode::NOT_FOUND => Ok(Deleted::AlreadyGone),
        _ => Err(refusal(&response)),
    }
}

/// Why the App Credentials API said no: a 422 field by field, a 401 (after one renewal) as
/// "sign in again", anything else by its status. Never the body's text beyond FastAPI's
/// per-field `msg`.
fn refusal(response: &Response) -> Error {
    match response.status() {
        StatusCode::UNPROCESSABLE_ENTITY => match validation_problems(response.body()) {
            Some(problems) => Error::ApiValidation(problems),
            None => response.unexpected_status(),
        },
        StatusCode::UNAUTHORIZED => Error::SignInRequired,
        StatusCode::FORBIDDEN => Error::AuthRejected,
        _ => response.unexpected_status(),
    }
}

/// FastAPI's `{"detail":[{"loc":[...],"msg":"...","type":"..."}]}` as one problem per entry.
pub fn validation_problems(body: &[u8]) -> Option<Vec<ApiProblem>> {
    let body: Value = serde_json::from_slice(body).ok()?;
    let problems: Vec<ApiProblem> = body
        .get("detail")?
        .as_array()?
        .iter()
        .map(|item| {
            // `loc` starts with where the value came from (body, path, query); the rest names
            // the field. Our forms spell fields in camelCase.
            let field = item
                .get("loc")
                .and_then(Value::as_array)
                .map(|loc| {
                    loc.iter()
                        .skip_while(|p| {
                            matches!(p.as_str(), Some("body" | "path" | "query" | "header"))
                        })
                        .map(|p| match p {
                            Value::String(s) => camel_case(s),
                            other => other.to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join(".")
                })
                .filter(|f| !f.is_empty())
                .unwrap_or_else(|| "request".to_owned());
            let message = item
                .get("msg")
                .and_then(Value::as_str)
                .map(short)
                .unwrap_or_else(|| "not accepted".to_owned());
            ApiProblem { field, message }
        })
        .collect();
    (!problems.is_empty()).then_some(problems)
}

fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// FastAPI's messages are short sentences; a long one is cut so it cannot carry much else.
fn short(text: &str) -> String {
    const MAX: usize = 120;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fastapi_validation_details_field_by_field() {
        let body = br#"{"detail":[{"type":"uuid_parsing","loc":["path","client_id"],"msg":"Input should be a valid UUID","input":"x"},{"type":"missing","loc":["body"],"msg":"Field required"}]}"#;
        let problems = validation_problems(body).unwrap();
        assert_eq!(problems[0].field, "clientId");
        assert_eq!(problems[0].message, "Input should be a valid UUID");
        assert_eq!(problems[1].field, "request");
        assert!(validation_problems(br#"{"detail":"Not Found"}"#).is_none());
        assert!(validation_problems(b"<html>").is_none());
    }
}
