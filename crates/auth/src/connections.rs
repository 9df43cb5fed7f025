//! The non-secret description of a connection, and the validation of what users type.
//!
//! A connection's secret (client secret or password) is never part of this type: it lives in
//! the keyring under the connection id.

use serde::{Deserialize, Serialize};
use url::Url;

use occudesk_net::http::is_secure;
use occudesk_net::{Error, Result};

pub const DEFAULT_INNERSPACE_BASE_URL: &str = "https://api.innerspace.io";
pub const DEFAULT_INNERSPACE_AUDIENCE: &str = "https://global-config.innerspace.io";
pub const DEFAULT_SPATIAFI_BASE_URL: &str = "https://auth.spatiafi.com";
/// InnerSpace v2's "everyone" group (api.md §1.3).
pub const V2_EVERYONE_GROUP: &str = "00000000-0000-0000-0000-000000000000";

/// The services a connection can talk to. The one table of kinds: the CLI's `--kind` values
/// and the window's list both come from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceKind {
    InnerspaceV2,
    InnerspaceV1,
    /// A person's own bearer JWT, pasted from InnerSpace's web app (api.md §1.4).
    InnerspaceToken,
    Spatiafi,
}

impl ServiceKind {
    pub const ALL: [ServiceKind; 4] = [
        Self::InnerspaceV2,
        Self::InnerspaceV1,
        Self::InnerspaceToken,
        Self::Spatiafi,
    ];

    /// The stable name in the settings file, the CLI and the window.
    pub fn id(self) -> &'static str {
        match self {
            Self::InnerspaceV2 => "innerspace-v2",
            Self::InnerspaceV1 => "innerspace-v1",
            Self::InnerspaceToken => "innerspace-token",
            Self::Spatiafi => "spatiafi",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::InnerspaceV2 => "InnerSpace v2 (session)",
            Self::InnerspaceV1 => "InnerSpace v1 (bearer token)",
            Self::InnerspaceToken => "InnerSpace personal token (pasted JWT)",
            Self::Spatiafi => "SpatiaFi",
        }
    }

    pub fn default_base_url(self) -> &'static str {
        match self {
            Self::InnerspaceV2 | Self::InnerspaceV1 | Self::InnerspaceToken => {
                DEFAULT_INNERSPACE_BASE_URL
            }
            Self::Spatiafi => DEFAULT_SPATIAFI_BASE_URL,
        }
    }

    pub fn parse(id: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|k| k.id() == id).ok_or_else(|| {
            let known: Vec<&str> = Self::ALL.iter().map(|k| k.id()).collect();
            Error::invalid(
                "kind",
                format!(
                    "Unknown connection kind \"{id}\": choose {}.",
                    known.join(", ")
                ),
            )
        })
    }
}

/// How a SpatiaFi connection authenticates at the token endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpatiafiAuthMethod {
    /// Client credentials, an HS256 assertion signed with the secret (recommended).
    ClientSecretJwt,
    /// Client credentials, secret in an HTTP Basic header.
    ClientSecretBasic,
    /// Client credentials, secret in the form body.
    ClientSecretPost,
    /// `grant_type=password` with email and password.
    Password,
    /// `GET /api/v1/auth/jwt/token/basic` with email and password (15-minute tokens, for humans).
    Basic,
}

impl SpatiafiAuthMethod {
    pub const ALL: [SpatiafiAuthMethod; 5] = [
        Self::ClientSecretJwt,
        Self::ClientSecretBasic,
        Self::ClientSecretPost,
        Self::Password,
        Self::Basic,
    ];
    /// What a new SpatiaFi connection uses unless told otherwise.
    pub const DEFAULT: SpatiafiAuthMethod = Self::ClientSecretJwt;

    /// The stable name (as in api.md and the settings file).
    pub fn id(self) -> &'static str {
        match self {
            Self::ClientSecretJwt => "client_secret_jwt",
            Self::ClientSecretBasic => "client_secret_basic",
            Self::ClientSecretPost => "client_secret_post",
            Self::Password => "password",
            Self::Basic => "basic",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ClientSecretJwt => "Client credentials, signed assertion (recommended)",
            Self::ClientSecretBasic => "Client credentials, Basic header",
            Self::ClientSecretPost => "Client credentials, form body",
            Self::Password => "Email and password (password grant)",
            Self::Basic => "Email and password (Basic sign-in)",
        }
    }

    /// Accepts the id, or the same with dashes (`client-secret-jwt`, as CLI flags are written).
    pub fn parse(id: &str) -> Result<Self> {
        let id = id.replace('-', "_");
        Self::ALL.into_iter().find(|m| m.id() == id).ok_or_else(|| {
            let known: Vec<&str> = Self::ALL.iter().map(|m| m.id()).collect();
            Error::invalid(
                "authMethod",
                format!(
                    "Unknown sign-in method \"{id}\": choose {}.",
                    known.join(", ")
                ),
            )
        })
    }

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
    /// The token is the connection's secret; it has no client id. It speaks the v1 API at
    /// the base URL's root, as the seeds' bearer examples do.
    InnerspaceToken {
        group_id: Option<String>,
    },
    Spatiafi {
        auth_method: SpatiafiAuthMethod,
    },
}

impl ConnectionKind {
    pub fn service(&self) -> ServiceKind {
        match self {
            ConnectionKind::InnerspaceV2 { .. } => ServiceKind::InnerspaceV2,
            ConnectionKind::InnerspaceV1 { .. } => ServiceKind::InnerspaceV1,
            ConnectionKind::InnerspaceToken { .. } => ServiceKind::InnerspaceToken,
            ConnectionKind::Spatiafi { .. } => ServiceKind::Spatiafi,
        }
    }

    /// Whether the connection signs in as a person (email and password).
    pub fn is_personal(&self) -> bool {
        matches!(self, ConnectionKind::Spatiafi { auth_method } if auth_method.is_personal())
    }
}

/// The kinds and sign-in methods with their labels and defaults, for the window's form.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    pub kinds: Vec<KindInfo>,
    pub auth_methods: Vec<AuthMethodInfo>,
    pub default_kind: &'static str,
    pub default_auth_method: &'static str,
    pub default_audience: &'static str,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KindInfo {
    pub id: &'static str,
    pub label: &'static str,
    pub default_base_url: &'static str,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthMethodInfo {
    pub id: &'static str,
    pub label: &'static str,
    pub personal: bool,
}

pub fn catalog() -> Catalog {
    Catalog {
        kinds: ServiceKind::ALL
            .iter()
            .map(|k| KindInfo {
                id: k.id(),
                label: k.label(),
                default_base_url: k.default_base_url(),
            })
            .collect(),
        auth_methods: SpatiafiAuthMethod::ALL
            .iter()
            .map(|m| AuthMethodInfo {
                id: m.id(),
                label: m.label(),
                personal: m.is_personal(),
            })
            .collect(),
        default_kind: ServiceKind::InnerspaceV2.id(),
        default_auth_method: SpatiafiAuthMethod::DEFAULT.id(),
        default_audience: DEFAULT_INNERSPACE_AUDIENCE,
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

impl Connection {
    /// The draft that saves this connection unchanged: with a new secret, it replaces the
    /// secret alone (a personal token pasted anew, a rotated client secret).
    pub fn draft(&self) -> ConnectionDraft {
        let (audience, group_id, auth_method) = match &self.kind {
            ConnectionKind::InnerspaceV2 { audience, group_id } => {
                (Some(audience.clone()), group_id.clone(), None)
            }
            ConnectionKind::InnerspaceV1 { group_id }
            | ConnectionKind::InnerspaceToken { group_id } => (None, group_id.clone(), None),
            ConnectionKind::Spatiafi { auth_method } => (None, None, Some(*auth_method)),
        };
        ConnectionDraft {
            id: Some(self.id.clone()),
            name: self.name.clone(),
            kind: self.kind.service().id().to_owned(),
            base_url: Some(self.base_url.clone()),
            client_id: self.client_id.clone(),
            audience,
            group_id,
            auth_method,
        }
    }
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

/// One field's problem in a draft, for the form's as-you-type messages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    pub field: &'static str,
    pub message: String,
}

impl From<Error> for FieldProblem {
    fn from(e: Error) -> Self {
        match e {
            Error::InvalidInput { field, message } => FieldProblem { field, message },
            other => FieldProblem {
                field: "form",
                message: other.to_string(),
            },
        }
    }
}

impl ConnectionDraft {
    /// Checks every field and builds the connection, giving new connections a fresh id. The
    /// error names the first field at fault, in the form's order.
    pub fn validate(&self) -> Result<Connection> {
        self.build().map_err(|mut problems| {
            let first = problems.remove(0);
            Error::invalid(first.field, first.message)
        })
    }

    /// Every field problem at once (empty when the draft is valid): what the window shows as
    /// the user types, so it never accepts what [`validate`](Self::validate) refuses.
    pub fn problems(&self) -> Vec<FieldProblem> {
        self.build().err().unwrap_or_default()
    }

    fn build(&self) -> std::result::Result<Connection, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut check = |outcome: Result<()>| {
            if let Err(e) = outcome {
                problems.push(FieldProblem::from(e));
            }
        };
        let kind = ServiceKind::parse(&self.kind);
        let auth_method = self.auth_method.unwrap_or(SpatiafiAuthMethod::DEFAULT);
        let name = self.name.trim();
        check(if name.is_empty() {
            Err(Error::invalid("name", "Give the connection a name."))
        } else if name.chars().count() > 100 {
            Err(Error::invalid(
                "name",
                "Keep the name under 100 characters.",
            ))
        } else {
            Ok(())
        });
        let base_url = match (&kind, non_blank(&self.base_url)) {
            (_, Some(url)) => validate_base_url(&url),
            (Ok(kind), None) => Ok(kind.default_base_url().to_owned()),
            (Err(_), None) => Ok(String::new()),
        };
        // A personal token stands for its person: there is no client id to give.
        let token = matches!(kind, Ok(ServiceKind::InnerspaceToken));
        let client_id = if token { "" } else { self.client_id.trim() };
        check(if client_id.is_empty() && !token {
            let personal = matches!(kind, Ok(ServiceKind::Spatiafi)) && auth_method.is_personal();
            Err(Error::invalid(
                "clientId",
                if personal {
                    "Enter the email address."
                } else {
                    "Enter the client id."
                },
            ))
        } else {
            Ok(())
        });
        let kind = kind.map_err(|e| problems.push(e.into())).ok();
        let base_url = base_url.map_err(|e| problems.push(e.into())).ok();
        let (Some(kind), Some(base_url), true) = (kind, base_url, problems.is_empty()) else {
            return Err(problems);
        };
        let kind = match kind {
            ServiceKind::InnerspaceV2 => ConnectionKind::InnerspaceV2 {
                audience: non_blank(&self.audience)
                    .unwrap_or_else(|| DEFAULT_INNERSPACE_AUDIENCE.to_owned()),
                group_id: non_blank(&self.group_id),
            },
            ServiceKind::InnerspaceV1 => ConnectionKind::InnerspaceV1 {
                group_id: non_blank(&self.group_id),
            },
            ServiceKind::InnerspaceToken => ConnectionKind::InnerspaceToken {
                group_id: non_blank(&self.group_id),
            },
            ServiceKind::Spatiafi => ConnectionKind::Spatiafi { auth_method },
        };
        Ok(Connection {
            id: non_blank(&self.id).unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            name: name.to_owned(),
            base_url,
            client_id: client_id.to_owned(),
            kind,
            demo: false,
        })
    }
}

/// Parses a base URL and insists on `https://` unless the host is this machine (the one rule,
/// [`is_secure`]), so no secret ever crosses a network in clear text. Returns it without a
/// trailing slash.
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
    if !is_secure(&url) {
        return Err(Error::invalid(
            "baseUrl",
            match url.scheme() {
                "http" => format!(
                    "Use https:// for {host}: plain http:// is allowed only for this computer (localhost, 127.0.0.1)."
                ),
                other => format!("The base URL must start with https://, not {other}://"),
            },
        ));
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
    fn a_personal_token_needs_no_client_id_and_keeps_none() {
        let mut d = draft("innerspace-token");
        d.client_id = "typed anyway".into();
        let c = d.validate().unwrap();
        assert_eq!(c.client_id, "");
        assert_eq!(c.kind, ConnectionKind::InnerspaceToken { group_id: None });
        assert_eq!(c.base_url, DEFAULT_INNERSPACE_BASE_URL);
        d.client_id = "".into();
        assert!(d.problems().is_empty());
    }

    #[test]
    fn a_connection_saved_again_from_its_draft_is_unchanged() {
        for kind in ServiceKind::ALL {
            let mut d = draft(kind.id());
            d.group_id = Some("g".into());
            let c = d.validate().unwrap();
            assert_eq!(c.draft().validate().unwrap(), c, "{}", kind.id());
        }
    }

    #[test]
    fn unknown_kind_is_refused() {
        assert_eq!(draft("ftp").validate().unwrap_err().code(), "input.invalid");
        assert_eq!(draft("ftp").problems()[0].field, "kind");
    }

    #[test]
    fn problems_name_every_field_at_once_in_form_order() {
        assert!(draft("innerspace-v2").problems().is_empty());
        let mut d = draft("spatiafi");
        d.name = " ".into();
        d.client_id = "".into();
        d.base_url = Some("http://evil.example".into());
        d.auth_method = Some(SpatiafiAuthMethod::Password);
        let problems = d.problems();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["name", "clientId", "baseUrl"]);
        assert_eq!(problems[1].message, "Enter the email address.");
        // validate() reports the first of the same problems.
        match d.validate().unwrap_err() {
            Error::InvalidInput { field, .. } => assert_eq!(field, "name"),
            e => panic!("unexpected {e:?}"),
        }
    }

    #[test]
    fn the_kinds_table_round_trips_through_its_ids() {
        for kind in ServiceKind::ALL {
            assert_eq!(ServiceKind::parse(kind.id()).unwrap(), kind);
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.id());
        }
        for method in SpatiafiAuthMethod::ALL {
            assert_eq!(SpatiafiAuthMethod::parse(method.id()).unwrap(), method);
            assert_eq!(serde_json::to_value(method).unwrap(), method.id());
        }
        assert_eq!(
            SpatiafiAuthMethod::parse("client-secret-post").unwrap(),
            SpatiafiAuthMethod::ClientSecretPost
        );
        assert_eq!(
            SpatiafiAuthMethod::parse("nope").unwrap_err().code(),
            "input.invalid"
        );
        let catalog = serde_json::to_value(catalog()).unwrap();
        assert_eq!(catalog["kinds"].as_array().unwrap().len(), 4);
        assert_eq!(
            catalog["kinds"][3]["defaultBaseUrl"],
            DEFAULT_SPATIAFI_BASE_URL
        );
        assert_eq!(catalog["authMethods"][3]["personal"], true);
        assert_eq!(catalog["defaultAuthMethod"], "client_secret_jwt");
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
        assert!(validate_base_url("https://example.com/#top").is_err());
        assert!(validate_base_url("http://127.0.0.1:9/?a").is_err());
        assert!(validate_base_url("http://user:pw@127.0.0.1:9").is_err());
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
