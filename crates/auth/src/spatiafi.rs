//! SpatiaFi token flows (api.md §2): HTTP Basic sign-in, the password grant, and client
//! credentials with `client_secret_basic`, `client_secret_post` or `client_secret_jwt`.

use std::time::SystemTime;

use reqwest::header::ACCEPT;
use secrecy::{ExposeSecret, SecretString};

use super::assertion::{CLIENT_ASSERTION_TYPE, client_assertion};
use super::denial::Denial;
use super::provider::{TokenClient, TokenFuture, TokenProvider};
use super::token::{Token, TokenKind};
use crate::connections::SpatiafiAuthMethod;
use occudesk_net::http::{Response, RetryPolicy};
use occudesk_net::{Error, Result};

pub const BASIC_TOKEN_PATH: &str = "/api/v1/auth/jwt/token/basic";
pub const TOKEN_PATH: &str = "/api/v1/auth/jwt/token";

/// One SpatiaFi connection's way of getting a token. For `Basic` and `Password`, `client_id`
/// is the person's email and `secret` their password.
#[derive(Debug)]
pub struct SpatiafiProvider {
    pub base_url: String,
    pub client_id: String,
    pub secret: SecretString,
    pub method: SpatiafiAuthMethod,
}

impl SpatiafiProvider {
    pub fn token_url(&self) -> String {
        format!("{}{TOKEN_PATH}", self.base_url)
    }
}

impl TokenProvider for SpatiafiProvider {
    fn fetch<'a>(&'a self, client: &'a TokenClient) -> TokenFuture<'a> {
        Box::pin(async move {
            let id = self.client_id.as_str();
            let secret = self.secret.expose_secret();
            let token_url = self.token_url();
            let response = match self.method {
                SpatiafiAuthMethod::Basic => {
                    let url = format!("{}{BASIC_TOKEN_PATH}", self.base_url);
                    client
                        .send(|http| {
                            http.get(&url)
                                .header(ACCEPT, "application/json")
                                .basic_auth(id, Some(secret))
                        })
                        .await?
                }
                SpatiafiAuthMethod::Password => {
                    client
                        .send(|http| {
                            form(
                                http,
                                &token_url,
                                &[
                                    ("grant_type", "password"),
                                    ("username", id),
                                    ("password", secret),
                                ],
                            )
                        })
                        .await?
                }
                SpatiafiAuthMethod::ClientSecretBasic => {
                    // RFC 6749 §2.3.1: both parts are form-encoded before base64, so a secret
                    // with `:` or `+` survives (the email/password Basic sign-in is not).
                    let (id, secret) = (form_encode(id), form_encode(secret));
                    client
                        .send(|http| {
                            form(http, &token_url, &[("grant_type", "client_credentials")])
                                .basic_auth(&id, Some(&secret))
                        })
                        .await?
                }
                SpatiafiAuthMethod::ClientSecretPost => {
                    client
                        .send(|http| {
                            form(
                                http,
                                &token_url,
                                &[
                                    ("grant_type", "client_credentials"),
                                    ("client_id", id),
                                    ("client_secret", secret),
                                ],
                            )
                        })
                        .await?
                }
                SpatiafiAuthMethod::ClientSecretJwt => {
                    // Signed inside the builder so a retried attempt carries a fresh `jti`
                    // (the server refuses a replayed one). Real time, not the session clock:
                    // the server checks `iat`/`exp` against its own clock.
                    let assertion =
                        || client_assertion(id, &self.secret, &token_url, SystemTime::now());
                    assertion()?; // Surface a signing failure before any request.
                    client
                        .send(|http| match assertion() {
                            Ok(jwt) => assertion_form(http, &token_url, &jwt),
                            // Signing depends only on the secret, which just signed fine. Were
                            // it to fail now, the server refuses the empty assertion and the
                            // user sees `auth.invalid_client`.
                            Err(_) => assertion_form(http, &token_url, &SecretString::from("")),
                        })
                        .await?
                }
            };
            token_or_error(client, &response, self.method.is_personal())
        })
    }
}

/// Exchanges one given client assertion for a token, exactly once (no retry: an assertion is
/// single-use). The providers make a fresh assertion per attempt; this is for callers and tests
/// that hold their own.
pub async fn exchange_assertion(
    client: &TokenClient,
    base_url: &str,
    assertion: &SecretString,
) -> Result<Token> {
    let token_url = format!("{}{TOKEN_PATH}", base_url.trim_end_matches('/'));
    let response = client
        .send_with(RetryPolicy::no_retry(), |http| {
            assertion_form(http, &token_url, assertion)
        })
        .await?;
    token_or_error(client, &response, false)
}

fn form_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn form(http: &reqwest::Client, url: &str, fields: &[(&str, &str)]) -> reqwest::RequestBuilder {
    http.post(url)
        .header(ACCEPT, "application/json")
        .form(fields)
}

fn assertion_form(
    http: &reqwest::Client,
    url: &str,
    assertion: &SecretString,
) -> reqwest::RequestBuilder {
    form(
        http,
        url,
        &[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", CLIENT_ASSERTION_TYPE),
            ("client_assertion", assertion.expose_secret()),
        ],
    )
}

fn token_or_error(client: &TokenClient, response: &Response, personal: bool) -> Result<Token> {
    if response.status().is_success() {
        return client.token_from(response, "access_token", TokenKind::Bearer);
    }
    let denial = Denial::read(response);
    let refused = if personal {
        Error::AuthInvalidCredentials
    } else {
        Error::AuthInvalidClient
    };
    match denial.status {
        400 | 401 | 403 if denial.password_expired() => Err(Error::AuthPasswordExpired),
        400 | 401 | 403 => Err(refused),
        _ => Err(response.unexpected_status()),
    }
}
