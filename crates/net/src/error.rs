//! One error type for the whole core, with a stable machine code per variant.
//!
//! Messages are for people: they say what happened and what to do. They never carry a secret,
//! a token or a raw response body.

/// Every error the core can return.
#[derive(Clone, Debug, thiserror::Error)]
pub enum Error {
    /// User input failed validation; `field` names the form field at fault.
    #[error("{message}")]
    InvalidInput {
        field: &'static str,
        message: String,
    },

    /// No connection with that id exists.
    #[error("There is no connection with id {0}. It may have been deleted in another window.")]
    ConnectionNotFound(String),

    /// The keyring answered but refuses access until the user unlocks it.
    #[error(
        "Your keyring is locked. Unlock it (for example in Passwords and Keys, or by logging in again) and try again."
    )]
    KeyringLocked,

    /// No usable keyring: no Secret Service running, a timeout, or a platform failure.
    #[error(
        "The system keyring is not available ({0}). Occupancy Desk keeps secrets only in the keyring: start or unlock your keyring (GNOME Keyring, KWallet, macOS Keychain, Windows Credential Manager) and try again."
    )]
    KeyringUnavailable(String),

    /// The settings file could not be read or written.
    #[error("Could not {action} the settings file {path}: {reason}")]
    SettingsIo {
        action: &'static str,
        path: String,
        reason: String,
    },

    /// The settings file exists but does not hold settings this version understands.
    #[error(
        "The settings file {path} is damaged or from a newer version ({reason}). It was left untouched; restore the last good copy if one was kept, or move the file aside to start fresh."
    )]
    SettingsCorrupt { path: String, reason: String },

    /// Another writer (the app or an occudesk-cli command) held the settings lock too long.
    #[error(
        "Another Occupancy Desk window or occudesk-cli command has held the settings file {path} for more than {waited_secs} s without finishing, so this change was not made. Try again; if it keeps happening, look for a stuck occudesk-cli process and end it."
    )]
    SettingsBusy { path: String, waited_secs: u64 },

    /// A restore of the settings was asked for but cannot be done; the text says why.
    #[error("Nothing was restored: {0}.")]
    NothingToRestore(String),

    /// This platform's keyring cannot list its entries, so unused secrets cannot be found.
    #[error(
        "Listing the keyring's entries is not supported on this operating system, so secrets no connection uses cannot be found here. Look for entries of the service \"occudesk\" in {0} and remove the ones you no longer need."
    )]
    KeyringListUnsupported(&'static str),

    /// The token endpoint refused the client id or client secret.
    #[error(
        "The service refused the client id or client secret. Check both in the connection settings (copy them again from the provider's console) and try again."
    )]
    AuthInvalidClient,

    /// InnerSpace v2: the client exists but is not allowed for this audience.
    #[error(
        "The service does not accept the audience \"{audience}\" for this client. Check the audience in the connection settings (the usual value is https://global-config.innerspace.io)."
    )]
    AuthWrongAudience { audience: String },

    /// A person's email or password was refused.
    #[error(
        "The email address or password was not accepted. Check both in the connection settings and try again."
    )]
    AuthInvalidCredentials,

    /// The person's password has expired and must be changed on the service's website.
    #[error(
        "The password for this account has expired. Change it on the service's website, then enter the new one in the connection settings."
    )]
    AuthPasswordExpired,

    /// The API refused a token that was just issued (two 401 answers in a row).
    #[error(
        "The service issued a token but then refused it. The client may lack access to this API or data; check its permissions with your administrator, and that the base URL is right."
    )]
    AuthRejected,

    /// A personal token (pasted by the user; nothing here can renew it) has run out, runs out
    /// within the minute, or was refused by the service. `when` is its expiry as the user's
    /// time display shows times of day, `expires_at` the same in Unix seconds; `connection_id`
    /// the connection whose edit form takes a new one.
    #[error("{}", token_end_message(*.end, .when))]
    TokenExpired {
        connection_id: String,
        expires_at: u64,
        when: String,
        end: TokenEnd,
    },

    /// Nothing answered: connection refused, name not resolved, network down.
    #[error(
        "Could not reach {host}. Check your network connection, the base URL, and whether the service is up, then try again."
    )]
    NetOffline { host: String },

    /// The service did not answer in time.
    #[error(
        "{host} did not answer in time. The service may be slow or overloaded; try again in a moment."
    )]
    NetTimeout { host: String },

    /// A request that must not run twice (creating something) was sent, but no usable answer
    /// came back: the connection broke, the time ran out, or the service failed (5xx). It may
    /// or may not have been carried out, so it is not sent again. `what` is our own words.
    #[error(
        "The request was sent to {host}, but {what}, so it may or may not have been carried out. Check the current list (for example, reload the App Credentials) before trying again, so that nothing is created twice."
    )]
    OutcomeUnknown { host: String, what: String },

    /// A non-loopback URL without `https://`.
    #[error(
        "Refusing to send credentials or data to {host} over plain http://. Use https:// (plain http:// is allowed only for this computer)."
    )]
    InsecureUrl { host: String },

    /// The HTTP client could not be created (TLS setup failed on this system).
    #[error(
        "Could not set up secure connections on this computer. Reinstall Occupancy Desk or report this problem."
    )]
    HttpSetup,

    /// HTTP 429 on every attempt.
    #[error(
        "The service is limiting how fast requests may be made (HTTP 429) and still refused after several retries. Wait a minute and try again, or fetch a shorter range."
    )]
    RateLimited,

    /// HTTP 5xx on every attempt.
    #[error(
        "The service had a problem (HTTP {status}) on every attempt. This is on the service's side; try again later."
    )]
    ServerError { status: u16 },

    /// An answer the client cannot use: an HTML page, malformed JSON, missing fields, an
    /// unexpected status. `what` is our own description, never the body.
    #[error(
        "The service at {host} answered with {what}. Check the base URL (a proxy or sign-in page may be answering instead of the API) and try again."
    )]
    UnexpectedResponse { host: String, what: String },

    /// The built-in simulator behind demo data could not start.
    #[error("The demo data service could not start on this computer: {0}")]
    DemoUnavailable(String),

    /// The SpatiaFi sign-in (a 15-minute token, password not kept) is missing or has run out.
    /// The request was not carried out: the token is checked first, and a server that refuses
    /// a token (401) has done nothing.
    #[error(
        "You are not signed in to SpatiaFi, or your sign-in has run out (it lasts 15 minutes). Sign in again with your email and password; nothing was changed."
    )]
    SignInRequired,

    /// The service refused the request's input (FastAPI's 422), field by field. Each problem
    /// is the field's name and the service's short message (never the echoed input).
    #[error("{}", validation_message(.0))]
    ApiValidation(Vec<ApiProblem>),

    /// The response body exceeded the size limit.
    #[error(
        "The answer from {host} was larger than {limit_mib} MiB and was cut off. Ask for less data at once (a shorter date range or fewer zones)."
    )]
    ResponseTooLarge { host: String, limit_mib: u64 },

    /// The GraphQL service answered HTTP 200 with an `errors` array. `message` is the server's
    /// first error message, shortened and stripped of control characters (GraphQL messages
    /// describe the query, not credentials; tokens never travel in a query).
    #[error(
        "The InnerSpace API refused the query: {message}. If this keeps happening, the API may have changed; report it with this message."
    )]
    GraphqlError { message: String },

    /// The user cancelled a long query. Nothing partial is returned.
    #[error("The query was cancelled. Nothing was kept from it; run it again when you are ready.")]
    Cancelled,

    /// The service could not be reached and the local cache lacks some days of the view, so
    /// nothing is shown rather than a chart with holes. `cause` is the network error's
    /// message, `missing` the missing days as ranges.
    #[error(
        "Working offline: {cause} The local cache lacks {count} day(s) of this view ({missing}), so it is not shown rather than shown incomplete. Connect and load again, or choose only days you loaded before."
    )]
    CacheIncomplete {
        cause: String,
        count: usize,
        missing: String,
    },

    /// The local cache file could not be used (fetches still work without it).
    #[error(
        "Could not {action} the local cache {path}: {reason}. Fetching still works without it; clear the cache in Settings (or occudesk-cli cache clear) if this persists."
    )]
    CacheIo {
        action: &'static str,
        path: String,
        reason: String,
    },
}

impl Error {
    /// A stable code the window and scripts can match on. Never change one once shipped.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } => "input.invalid",
            Error::ConnectionNotFound(_) => "connection.not_found",
            Error::KeyringLocked => "keyring.locked",
            Error::KeyringUnavailable(_) => "keyring.unavailable",
            Error::SettingsIo { .. } => "settings.io",
            Error::SettingsCorrupt { .. } => "settings.corrupt",
            Error::SettingsBusy { .. } => "settings.busy",
            Error::NothingToRestore(_) => "settings.nothing_to_restore",
            Error::KeyringListUnsupported(_) => "keyring.list_unsupported",
            Error::AuthInvalidClient => "auth.invalid_client",
            Error::AuthWrongAudience { .. } => "auth.wrong_audience",
            Error::AuthInvalidCredentials => "auth.invalid_credentials",
            Error::AuthPasswordExpired => "auth.password_expired",
            Error::AuthRejected => "auth.rejected",
            Error::TokenExpired { .. } => "auth.token_expired",
            Error::NetOffline { .. } => "net.offline",
            Error::NetTimeout { .. } => "net.timeout",
            Error::OutcomeUnknown { .. } => "net.outcome_unknown",
            Error::InsecureUrl { .. } => "net.insecure_url",
            Error::HttpSetup => "net.setup",
            Error::RateLimited => "api.rate_limited",
            Error::ServerError { .. } => "api.server_error",
            Error::UnexpectedResponse { .. } => "api.unexpected_response",
            Error::ResponseTooLarge { .. } => "api.too_large",
            Error::DemoUnavailable(_) => "demo.unavailable",
            Error::GraphqlError { .. } => "graphql.error",
            Error::Cancelled => "query.cancelled",
            Error::SignInRequired => "auth.signin_required",
            Error::ApiValidation(_) => "api.validation",
            Error::CacheIncomplete { .. } => "cache.incomplete",
            Error::CacheIo { .. } => "cache.io",
        }
    }

    /// Which kind of failure this is, for front doors that group errors (the CLI's exit codes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput { .. } | Error::ApiValidation(_) => ErrorKind::Input,
            Error::ConnectionNotFound(_) => ErrorKind::NotFound,
            Error::KeyringLocked
            | Error::KeyringUnavailable(_)
            | Error::KeyringListUnsupported(_) => ErrorKind::Keyring,
            Error::AuthInvalidClient
            | Error::AuthWrongAudience { .. }
            | Error::AuthInvalidCredentials
            | Error::AuthPasswordExpired
            | Error::AuthRejected
            | Error::TokenExpired { .. }
            | Error::SignInRequired => ErrorKind::Auth,
            Error::NetOffline { .. }
            | Error::NetTimeout { .. }
            | Error::InsecureUrl { .. }
            | Error::RateLimited
            | Error::ServerError { .. }
            | Error::UnexpectedResponse { .. }
            | Error::ResponseTooLarge { .. }
            | Error::OutcomeUnknown { .. }
            | Error::GraphqlError { .. }
            // Offline is what stopped the view: the remedy is the network, as for the above.
            | Error::CacheIncomplete { .. } => ErrorKind::Service,
            Error::SettingsIo { .. }
            | Error::SettingsCorrupt { .. }
            | Error::SettingsBusy { .. }
            | Error::NothingToRestore(_)
            | Error::HttpSetup
            | Error::DemoUnavailable(_)
            | Error::Cancelled
            | Error::CacheIo { .. } => ErrorKind::Local,
        }
    }

    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field,
            message: message.into(),
        }
    }
}

/// How a personal token came to an end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenEnd {
    /// Its `exp` has passed.
    Expired,
    /// Its `exp` is less than a minute away: a request sent now may outlive it.
    Expiring,
    /// The service answered 401 although its `exp` has not passed (revoked, or clocks apart).
    Refused,
}

fn token_end_message(end: TokenEnd, when: &str) -> String {
    match end {
        TokenEnd::Expired => format!("Your token expired at {when}; paste a new one."),
        TokenEnd::Expiring => {
            format!("Your token expires at {when}, in less than a minute; paste a new one.")
        }
        TokenEnd::Refused => format!(
            "The service no longer accepts your token (it was valid until {when}); paste a new one."
        ),
    }
}

/// One field the service refused, from FastAPI's `{"detail":[{"loc","msg","type"}]}`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ApiProblem {
    /// The field's name as the window's forms spell it (`client_id` → `clientId`); `request`
    /// when the service blamed the request as a whole.
    pub field: String,
    pub message: String,
}

fn validation_message(problems: &[ApiProblem]) -> String {
    let listed: Vec<String> = problems
        .iter()
        .map(|p| format!("{}: {}", p.field, p.message))
        .collect();
    format!(
        "The service refused the request ({}). Correct the field{} named and try again.",
        listed.join("; "),
        if problems.len() == 1 { "" } else { "s" }
    )
}

/// How an error reaches the window and `--json` output: `{code, message}`, plus the form
/// field for input errors, every refused field (`fields`) for a service's 422, and the
/// connection (`connection`) whose token ran out, so the window can open its edit form.
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (field, fields) = match self {
            Error::InvalidInput { field, .. } => (Some(*field), None),
            Error::ApiValidation(problems) => {
                (problems.first().map(|p| p.field.as_str()), Some(problems))
            }
            _ => (None, None),
        };
        let connection = match self {
            Error::TokenExpired { connection_id, .. } => Some(connection_id),
            _ => None,
        };
        let len = 2
            + usize::from(field.is_some())
            + usize::from(fields.is_some())
            + usize::from(connection.is_some());
        let mut s = serializer.serialize_struct("Error", len)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        if let Some(field) = field {
            s.serialize_field("field", field)?;
        }
        if let Some(fields) = fields {
            s.serialize_field("fields", fields)?;
        }
        if let Some(connection) = connection {
            s.serialize_field("connection", connection)?;
        }
        s.end()
    }
}

/// Groups of errors that call for the same kind of remedy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad usage or invalid input: fix what was typed.
    Input,
    /// No such connection (or other named thing).
    NotFound,
    /// The system keyring is locked or unavailable.
    Keyring,
    /// The service refused the credentials.
    Auth,
    /// The network or the remote service failed.
    Service,
    /// Something on this computer failed (settings file, TLS setup, demo service).
    Local,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_distinct() {
        let all = [
            Error::invalid("name", "x"),
            Error::ConnectionNotFound("c".into()),
            Error::KeyringLocked,
            Error::KeyringUnavailable("x".into()),
            Error::SettingsIo {
                action: "read",
                path: "p".into(),
                reason: "r".into(),
            },
            Error::SettingsCorrupt {
                path: "p".into(),
                reason: "r".into(),
            },
            Error::SettingsBusy {
                path: "p".into(),
                waited_secs: 10,
            },
            Error::NothingToRestore("r".into()),
            Error::KeyringListUnsupported("Keychain Access"),
            Error::AuthInvalidClient,
            Error::AuthWrongAudience {
                audience: "a".into(),
            },
            Error::AuthInvalidCredentials,
            Error::AuthPasswordExpired,
            Error::AuthRejected,
            Error::TokenExpired {
                connection_id: "c".into(),
                expires_at: 0,
                when: "14:05".into(),
                end: TokenEnd::Expired,
            },
            Error::NetOffline { host: "h".into() },
            Error::NetTimeout { host: "h".into() },
            Error::OutcomeUnknown {
                host: "h".into(),
                what: "w".into(),
            },
            Error::InsecureUrl { host: "h".into() },
            Error::HttpSetup,
            Error::RateLimited,
            Error::ServerError { status: 503 },
            Error::UnexpectedResponse {
                host: "h".into(),
                what: "w".into(),
            },
            Error::ResponseTooLarge {
                host: "h".into(),
                limit_mib: 32,
            },
            Error::DemoUnavailable("port".into()),
            Error::GraphqlError {
                message: "m".into(),
            },
            Error::Cancelled,
            Error::SignInRequired,
            Error::ApiValidation(vec![ApiProblem {
                field: "clientId".into(),
                message: "Input should be a valid UUID".into(),
            }]),
            Error::CacheIncomplete {
                cause: "c".into(),
                count: 1,
                missing: "2026-01-01".into(),
            },
            Error::CacheIo {
                action: "open",
                path: "p".into(),
                reason: "r".into(),
            },
        ];
        let codes: Vec<_> = all.iter().map(Error::code).collect();
        assert_eq!(
            codes,
            [
                "input.invalid",
                "connection.not_found",
                "keyring.locked",
                "keyring.unavailable",
                "settings.io",
                "settings.corrupt",
                "settings.busy",
                "settings.nothing_to_restore",
                "keyring.list_unsupported",
                "auth.invalid_client",
                "auth.wrong_audience",
                "auth.invalid_credentials",
                "auth.password_expired",
                "auth.rejected",
                "auth.token_expired",
                "net.offline",
                "net.timeout",
                "net.outcome_unknown",
                "net.insecure_url",
                "net.setup",
                "api.rate_limited",
                "api.server_error",
                "api.unexpected_response",
                "api.too_large",
                "demo.unavailable",
                "graphql.error",
                "query.cancelled",
                "auth.signin_required",
                "api.validation",
                "cache.incomplete",
                "cache.io",
            ]
        );
        let mut unique = codes.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), codes.len(), "codes must be distinct");
    }

    #[test]
    fn serializes_code_message_and_field() {
        let e = Error::invalid("baseUrl", "Use https://");
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "input.invalid", "message": "Use https://", "field": "baseUrl"})
        );
        let json = serde_json::to_value(Error::KeyringLocked).unwrap();
        assert_eq!(json["code"], "keyring.locked");
        assert!(json.get("field").is_none());
    }

    #[test]
    fn offline_without_every_day_names_the_missing_days() {
        let e = Error::CacheIncomplete {
            cause: "Could not reach h.".into(),
            count: 3,
            missing: "2026-01-01 to 2026-01-03".into(),
        };
        assert_eq!(e.kind(), ErrorKind::Service);
        let msg = e.to_string();
        assert!(
            msg.contains("2026-01-01 to 2026-01-03") && msg.contains("3 day(s)"),
            "{msg}"
        );
        assert!(msg.contains("Could not reach h."), "{msg}");
    }

    #[test]
    fn keyring_unavailable_gives_advice() {
        let msg = Error::KeyringUnavailable("timed out".into()).to_string();
        assert!(msg.contains("timed out"));
        assert!(msg.contains("unlock your keyring"));
    }

    #[test]
    fn a_personal_token_says_when_it_ended_and_what_to_do() {
        let ended = |end| Error::TokenExpired {
            connection_id: "c".into(),
            expires_at: 0,
            when: "14:05".into(),
            end,
        };
        assert_eq!(
            ended(TokenEnd::Expired).to_string(),
            "Your token expired at 14:05; paste a new one."
        );
        assert!(
            ended(TokenEnd::Expiring)
                .to_string()
                .starts_with("Your token expires at 14:05")
        );
        assert!(
            ended(TokenEnd::Refused)
                .to_string()
                .contains("valid until 14:05")
        );
        assert_eq!(ended(TokenEnd::Refused).kind(), ErrorKind::Auth);
    }
}
