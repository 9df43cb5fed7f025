//! InnerSpace token flows (api.md §1.1): v2 sessions and v1 bearer tokens.

use reqwest::header::ACCEPT;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::denial::Denial;
use super::provider::{TokenClient, TokenFuture, TokenProvider};
use super::token::{Token, TokenKind};
use occudesk_net::http::Response;
use occudesk_net::{Error, Result};

pub const V2_TOKEN_PATH: &str = "/v2/oauth/token";
pub const V1_TOKEN_PATH: &str = "/api/rest/oauth/token";

/// v2: `POST {base}/v2/oauth/token` with JSON `{client_id, client_secret, audience}`; the
/// answer's `session_id` goes into `X-Session-Id`.
#[derive(Debug)]
pub struct V2Provider {
    pub base_url: String,
    pub client_id: String,
    pub secret: SecretString,
    pub audience: String,
}

impl TokenProvider for V2Provider {
    fn fetch<'a>(&'a self, client: &'a TokenClient) -> TokenFuture<'a> {
        Box::pin(async move {
            let url = format!("{}{V2_TOKEN_PATH}", self.base_url);
            let response = client
                .send(|http| {
                    http.post(&url)
                        .header(ACCEPT, "application/json")
                        .json(&json!({
                            "client_id": self.client_id,
                            "client_secret": self.secret.expose_secret(),
                            "audience": self.audience,
                        }))
                })
                .await?;
            if response.status().is_success() {
                return client.token_from(&response, "session_id", TokenKind::Session);
            }
            Err(v2_error(&response, &self.audience))
        })
    }
}

fn v2_error(response: &Response, audience: &str) -> Error {
    let denial = Denial::read(response);
    let wrong_audience = Error::AuthWrongAudience {
        audience: audience.to_owned(),
    };
    match denial.status {
        // Auth0 answers 403 when the client may not use the requested API ("Service not
        // enabled within domain", "Client is not authorized to access ...").
        403 => wrong_audience,
        400 if denial.mentions("audience") || denial.mentions("service not enabled") => {
            wrong_audience
        }
        401 => Error::AuthInvalidClient,
        400 if denial.mentions("invalid_client") || denial.mentions("access_denied") => {
            Error::AuthInvalidClient
        }
        _ => response.unexpected_status(),
    }
}

/// v1 (deprecated and transitional): `POST {base}/api/rest/oauth/token` with the client id and
/// secret as a form, or as JSON if the form is refused; `access_token` at the top level or in
/// `oauth_token`, sent as `Authorization: Bearer`.
#[derive(Debug)]
pub struct V1Provider {
    pub base_url: String,
    pub client_id: String,
    pub secret: SecretString,
}

impl TokenProvider for V1Provider {
    fn fetch<'a>(&'a self, client: &'a TokenClient) -> TokenFuture<'a> {
        Box::pin(async move {
            let url = format!("{}{V1_TOKEN_PATH}", self.base_url);
            let form = client
                .send(|http| {
                    http.post(&url).header(ACCEPT, "application/json").form(&[
                        ("client_id", self.client_id.as_str()),
                        ("client_secret", self.secret.expose_secret()),
                    ])
                })
                .await?;
            // The seeds disagree on the encoding (api.md §1.1): a 400/415/422 may mean "not
            // form data", so ask once more with JSON before giving up.
            let response = if matches!(form.status().as_u16(), 400 | 415 | 422) {
                tracing::debug!(
                    status = form.status().as_u16(),
                    "v1 token form refused; retrying as JSON"
                );
                client
                    .send(|http| {
                        http.post(&url)
                            .header(ACCEPT, "application/json")
                            .json(&json!({
                                "client_id": self.client_id,
                                "client_secret": self.secret.expose_secret(),
                            }))
                    })
                    .await?
            } else {
                form
            };
            v1_token(client, &response)
        })
    }
}

fn v1_token(client: &TokenClient, response: &Response) -> Result<Token> {
    if response.status().is_success() {
        return client.token_from(response, "access_token", TokenKind::Bearer);
    }
    let denial = Denial::read(response);
    match denial.status {
        401 | 403 => Err(Error::AuthInvalidClient),
        400 if denial.mentions("invalid_client")
            || denial.mentions("access_denied")
            || denial.mentions("unauthorized") =>
        {
            Err(Error::AuthInvalidClient)
        }
        _ => Err(response.unexpected_status()),
    }
}
