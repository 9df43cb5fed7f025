//! The non-secret description of a connection, and the validation of what users type.
//!
//! A connection's secret (client secret or password) is never part of this type: it lives in
//! the keyring under the connection id.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::{Error, Result};

pub const DEFAULT_INNERSPACE_BASE_URL: &str = "https://api.innerspace.io";
pub const DEFAULT_INNERSPACE_AUDIENCE: &str = "https://global-config.innerspace.io";
pub const DEFAULT_SPATIAFI_BASE_URL: &str = "https://auth.spatiafi.com";
/// InnerSpace v2's "everyone" group (api.md §1.3).
pub const V2_EVERYONE_GROUP: &str = "00000000-0000-0000-0000-000000000000";

/// How a SpatiaFi connection authenticates at the token endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpatiafiAuthMethod {
    /// `GET /api/v1/auth/jwt/token/basic` with email and password (15-minute tokens, for humans).
    Basic,
    /// `grant_type=password` with email and password.
    Password,
    /// Client credentials, secret in an HTTP Basic header.
    ClientSecretBasic,
    /// Client credentials, secret in the form body.
    ClientSecretPost,
    /// Client credentials, an HS256 assertion signed with the secret (recommended).
    ClientSecretJwt,
}

impl SpatiafiAuthMethod {
    /// Whether the connection's "client id" is a person's email (and its secret a password).
    pub fn is_personal(self) -> bool {
        matches!(self, Self::Basic | Self::Password)
    }
}

/// What kind of service a connection talks to, with the fields only that kind has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
pub enum ConnectionKind {
    InnerspaceV2 {
        audience: String,
        group_id: Option<String>,
    },
    InnerspaceV1 {
        group_id: Option<String>,
    },
    Spatiafi {
        auth_method: SpatiafiAuthMethod,
    },
}

impl ConnectionKind {
    pub fn label(&self) -> &'static str {
        match self {
            ConnectionKind::InnerspaceV2 { .. } => "innerspace-v2",
            ConnectionKind::InnerspaceV1 { .. } => "innerspace-v1",
            ConnectionKind::Spatiafi { .. } => "spatiafi",
        }
    }
}

/// A saved connection. Safe to write to the settings file and to send to the window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    pub id: String,
    pub name: String,
    pub base_url: String,
    pub client_id: String,
    #[serde(flatten)]
    pub kind: ConnectionKind,
    /// Demo connections point at the built-in simulator; their secrets live in memory only and
    /// they are never written to the settings file.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub demo: bool,
}

/// What a user submits in the add/edit form or on the command line. Blank optional fields take
/// the kind's defaults.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionDraft {
    /// Present when editing an existing connection.
    pub id: Option<String>,
    pub name: String,
    pub kind: String,
    pub base_url: Option<String>,
    pub client_id: String,
    pub audience: Option<String>,
    pub group_id: Option<String>,
    pub auth_method: Option<SpatiafiAuthMethod>,
}

fn non_blank(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

impl ConnectionDraft {
    /// Checks every field and builds the connection, giving new connections a fresh id.
    pub fn validate(&self) -> Result<Connection> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(Error::invalid("name", "Give the connection a name."));
        }
        if name.chars().count() > 100 {
            return Err(Error::invalid(
                "name",
                "Keep the name under 100 characters.",
            ));
        }
        let client_id = self.client_id.trim();
        if client_id.is_empty() {
            return Err(Error::invalid(
                "clientId",
                "Enter the client id (or, for SpatiaFi sign-in, the email address).",
            ));
        }
        let (kind, default_base) = match self.kind.as_str() {
            "innerspace-v2" => (
                ConnectionKind::InnerspaceV2 {
                    audience: non_blank(&self.audience)
                        .unwrap_or_else(|| DEFAULT_INNERSPACE_AUDIENCE.to_owned()),
                    group_id: non_blank(&self.group_id),
                },
                DEFAULT_INNERSPACE_BASE_URL,
            ),
            "innerspace-v1" => (
                ConnectionKind::InnerspaceV1 {
                    group_id: non_blank(&self.group_id),
                },
                DEFAULT_INNERSPACE_BASE_URL,
            ),
            "spatiafi" => (
                ConnectionKind::Spatiafi {
                    auth_method: self
                        .auth_method
                        .unwrap_or(SpatiafiAuthMethod::ClientSecretJwt),
                },
                DEFAULT_SPATIAFI_BASE_URL,
            ),
            other => {
                return Err(Error::invalid(
                    "kind",
                    format!(
                        "Unknown connection kind \"{other}\": choose innerspace-v2, innerspace-v1 or spatiafi."
                    ),
                ));
            }
        };
        let base_url = match non_blank(&self.base_url) {
            Some(url) => validate_base_url(&url)?,
            None => default_base.to_owned(),
        };
        let id = match non_blank(&self.id) {
            Some(id) => id,
            None => uuid::Uuid::new_v4().to_string(),
        };
        Ok(Connection {
            id,
            name: name.to_owned(),
            base_url,
            client_id: client_id.to_owned(),
            kind,
            demo: false,
        })
    }
}

/// Parses a base URL and insists on `https://` unless the host is this machine, so no secret
/// ever crosses a network in clear text. Returns it without a trailing slash.
pub fn validate_base_url(input: &str) -> Result<String> {
    let url = Url::parse(input.trim()).map_err(|e| {
        Error::invalid(
            "baseUrl",
            format!("\"{input}\" is not a valid URL ({e}). Example: https://api.innerspace.io"),
        )
    })?;
    let Some(host) = url.host_str() else {
        return Err(Error::invalid(
            "baseUrl",
            "The base URL needs a host name, like https://api.innerspace.io",
        ));
    };
    match url.scheme() {
        "https" => {}
        "http" if is_loopback_host(host) => {}
        "http" => {
            return Err(Error::invalid(
                "baseUrl",
                format!(
                    "Use https:// for {host}: plain http:// is allowed only for this computer (localhost, 127.0.0.1)."
                ),
            ));
        }
        other => {
            return Err(Error::invalid(
                "baseUrl",
                format!("The base URL must start with https://, not {other}://"),
            ));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid(
            "baseUrl",
            "Leave user names and passwords out of the base URL: it is stored in the settings file. Put the secret in the secret field.",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid(
            "baseUrl",
            "The base URL cannot contain ? or #; give just the address of the service.",
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// True for `localhost` and loopback addresses (127.0.0.0/8, ::1).
pub fn is_loopback_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(kind: &str) -> ConnectionDraft {
        ConnectionDraft {
            name: " Head office ".into(),
            kind: kind.into(),
            client_id: "abc".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_new_v2_connection_gets_defaults_and_an_id() {
        let c = draft("innerspace-v2").validate().unwrap();
        assert_eq!(c.name, "Head office");
        assert_eq!(c.base_url, DEFAULT_INNERSPACE_BASE_URL);
        assert_eq!(
            c.kind,
            ConnectionKind::InnerspaceV2 {
                audience: DEFAULT_INNERSPACE_AUDIENCE.into(),
                group_id: None
            }
        );
        assert_eq!(c.id.len(), 36);
    }

    #[test]
    fn editing_keeps_the_id() {
        let mut d = draft("spatiafi");
        d.id = Some("keep-me".into());
        d.auth_method = Some(SpatiafiAuthMethod::ClientSecretPost);
        let c = d.validate().unwrap();
        assert_eq!(c.id, "keep-me");
        assert_eq!(c.base_url, DEFAULT_SPATIAFI_BASE_URL);
    }

    #[test]
    fn blank_name_and_client_id_are_refused_with_the_field() {
        let mut d = draft("innerspace-v1");
        d.name = "  ".into();
        match d.validate().unwrap_err() {
            Error::InvalidInput { field, .. } => assert_eq!(field, "name"),
            e => panic!("unexpected {e:?}"),
        }
        let mut d = draft("innerspace-v1");
        d.client_id = "".into();
        match d.validate().unwrap_err() {
            Error::InvalidInput { field, .. } => assert_eq!(field, "clientId"),
            e => panic!("unexpected {e:?}"),
        }
    }

    #[test]
    fn unknown_kind_is_refused() {
        assert_eq!(draft("ftp").validate().unwrap_err().code(), "input.invalid");
    }

    #[test]
    fn base_urls_need_https_unless_loopback() {
        assert_eq!(
            validate_base_url("https://api.example.com/").unwrap(),
            "https://api.example.com"
        );
        assert_eq!(
            validate_base_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert!(validate_base_url("http://localhost:1/x/").is_ok());
        assert!(validate_base_url("http://[::1]:9").is_ok());
        let err = validate_base_url("http://api.example.com").unwrap_err();
        assert!(err.to_string().contains("Use https://"), "{err}");
        assert!(validate_base_url("ftp://example.com").is_err());
        assert!(validate_base_url("htps//typo").is_err());
        assert!(validate_base_url("https://example.com/?a=1").is_err());
        let err = validate_base_url("https://user:pw@example.com").unwrap_err();
        assert!(
            err.to_string()
                .contains("Leave user names and passwords out")
        );
    }

    #[test]
    fn serialized_form_is_flat_and_camel_case() {
        let c = draft("innerspace-v2").validate().unwrap();
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["kind"], "innerspace-v2");
        assert_eq!(json["audience"], DEFAULT_INNERSPACE_AUDIENCE);
        assert_eq!(json["clientId"], "abc");
        assert!(json.get("demo").is_none());
        let back: Connection = serde_json::from_value(json).unwrap();
        assert_eq!(back, c);
    }
}
