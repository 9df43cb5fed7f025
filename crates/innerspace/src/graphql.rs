//! GraphQL over an authorised [`Session`]: `POST {"operationName", "variables", "query"}`.
//!
//! Every user value travels in `variables`. Query text is assembled only from our own
//! constants and from column names that passed [`check_identifier`] (our enums, or names
//! introspection reported), so nothing a user types can change a query's shape.

use reqwest::header::ACCEPT;
use serde_json::{Map, Value};

use occudesk_auth::Session;
use occudesk_auth::connections::{Connection, ConnectionKind};
use occudesk_net::{Error, Result};

/// Longest server error message we pass on, in characters.
const MAX_MESSAGE_CHARS: usize = 240;

/// Which InnerSpace API a connection speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApiVersion {
    /// `POST {base}/v2/api`, UPPER_SNAKE tables.
    V2,
    /// `POST {base}/`, lowercase long tables.
    V1,
}

impl ApiVersion {
    pub fn of(connection: &Connection) -> Result<ApiVersion> {
        match connection.kind {
            ConnectionKind::InnerspaceV2 { .. } => Ok(ApiVersion::V2),
            // A personal token is sent to the root endpoint, as the seeds' bearer examples are.
            ConnectionKind::InnerspaceV1 { .. } | ConnectionKind::InnerspaceToken { .. } => {
                Ok(ApiVersion::V1)
            }
            ConnectionKind::Spatiafi { .. } => Err(Error::invalid(
                "connection",
                "This is a SpatiaFi connection; occupancy insights need an InnerSpace connection.",
            )),
        }
    }
}

/// The GraphQL endpoint of an InnerSpace connection.
pub fn endpoint(connection: &Connection) -> Result<String> {
    let base = connection.base_url.trim_end_matches('/');
    Ok(match ApiVersion::of(connection)? {
        ApiVersion::V2 => format!("{base}/v2/api"),
        ApiVersion::V1 => format!("{base}/"),
    })
}

/// The host of a connection's base URL, for error messages ("the service" if unreadable).
pub fn host(connection: &Connection) -> String {
    url::Url::parse(&connection.base_url)
        .map(|u| occudesk_net::http::host_of(&u))
        .unwrap_or_else(|_| "the service".to_owned())
}

/// Whether `name` may appear in query text: `^[A-Za-z_][A-Za-z0-9_]*$`.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `name` if it is a safe GraphQL identifier, else `input.invalid`.
pub fn check_identifier<'a>(field: &'static str, name: &'a str) -> Result<&'a str> {
    if is_identifier(name) {
        Ok(name)
    } else {
        Err(Error::invalid(
            field,
            format!(
                "\"{}\" is not a valid column name (letters, digits and underscores only).",
                shorten(name, 60)
            ),
        ))
    }
}

/// Sends one GraphQL operation and returns its `data` object.
///
/// A 200 with `errors` becomes `graphql.error` carrying the server's (shortened) message; an
/// HTML page, broken JSON or a missing `data` becomes `api.unexpected_response`.
pub async fn execute(
    session: &Session,
    operation: &str,
    query: &str,
    variables: Value,
) -> Result<Map<String, Value>> {
    let url = endpoint(session.connection())?;
    let body = serde_json::json!({
        "operationName": operation,
        "variables": variables,
        "query": query,
    });
    let response = session
        .send_authorized(|http| {
            http.post(&url)
                .header(ACCEPT, "application/json")
                .json(&body)
        })
        .await?;
    let ok = response.status().is_success();
    let value = match response.json_value() {
        Ok(v) => v,
        Err(_) if !ok => return Err(response.unexpected_status()),
        Err(e) => return Err(e),
    };
    let Value::Object(mut top) = value else {
        return Err(response.unexpected("JSON that is not a GraphQL answer"));
    };
    if let Some(errors) = top.get("errors").and_then(Value::as_array)
        && !errors.is_empty()
    {
        return Err(graphql_error(errors));
    }
    if !ok {
        return Err(response.unexpected_status());
    }
    match top.remove("data") {
        Some(Value::Object(data)) => Ok(data),
        _ => Err(response.unexpected("a GraphQL answer without data")),
    }
}

/// The first error's message, cleaned up, plus how many more there were.
fn graphql_error(errors: &[Value]) -> Error {
    let first = errors
        .first()
        .and_then(|e| e.get("message"))
        .and_then(Value::as_str)
        .map(|m| shorten(m, MAX_MESSAGE_CHARS))
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "no message given".to_owned());
    let message = match errors.len() {
        0 | 1 => first,
        n => format!("{first} (and {} more)", n - 1),
    };
    Error::GraphqlError { message }
}

/// Control characters out, whitespace collapsed, at most `max` characters.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let cleaned: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if cleaned.chars().count() <= max {
        cleaned
    } else {
        let mut cut: String = cleaned.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn identifiers() {
        for ok in ["OCCUPANCY_MEAN", "_x", "a1", "building_metrics"] {
            assert!(is_identifier(ok), "{ok}");
        }
        for bad in ["", "1a", "A-B", "A B", "A}", "a\n", "É", "x:y"] {
            assert!(!is_identifier(bad), "{bad}");
        }
        assert_eq!(
            check_identifier("metrics", "X } y").unwrap_err().code(),
            "input.invalid"
        );
    }

    #[test]
    fn graphql_errors_are_short_and_clean() {
        let long = "x".repeat(1000);
        let err = graphql_error(&[
            json!({"message": format!("bad\n\tthing {long}")}),
            json!({}),
        ]);
        let text = err.to_string();
        assert_eq!(err.code(), "graphql.error");
        assert!(text.contains("bad thing x"));
        assert!(text.contains("(and 1 more)"));
        assert!(text.len() < 500);
        assert!(!text.contains('\n'));
    }
}
