//! A fully read, size-limited response, and turning its body into JSON without ever quoting it.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use serde::de::DeserializeOwned;

use crate::{Error, Result};

/// A response whose body has been read (within the size limit).
///
/// `Debug` shows the status and the body's length, never the body: it may hold a token.
pub struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    /// `host[:port]` for error messages.
    pub(crate) host: String,
}

impl Response {
    /// An answer as received: for code that reads answers, and its tests.
    pub fn new(status: StatusCode, headers: HeaderMap, body: Vec<u8>, host: String) -> Response {
        Response {
            status,
            headers,
            body,
            host,
        }
    }
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("host", &self.host)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl Response {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    pub fn body(&self) -> &[u8] {
        &self.body
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    /// An `api.unexpected_response` error naming this response's host; `what` must be our own
    /// words, never text from the body.
    pub fn unexpected(&self, what: impl Into<String>) -> Error {
        Error::UnexpectedResponse {
            host: self.host.clone(),
            what: what.into(),
        }
    }

    /// An error for a status the caller did not expect, e.g. "HTTP 404 Not Found".
    pub fn unexpected_status(&self) -> Error {
        self.unexpected(format!(
            "HTTP {} {}",
            self.status.as_u16(),
            self.status.canonical_reason().unwrap_or("")
        ))
    }

    /// The body as JSON. An HTML page or broken JSON becomes `api.unexpected_response`.
    pub fn json_value(&self) -> Result<serde_json::Value> {
        if self.looks_like_html() {
            return Err(self.unexpected(format!(
                "an HTML page instead of JSON (HTTP {})",
                self.status.as_u16()
            )));
        }
        serde_json::from_slice(&self.body).map_err(|e| {
            // The position is safe to show; serde's message could quote the body.
            let what = if e.is_eof() {
                "JSON that stops part-way".to_owned()
            } else {
                format!("malformed JSON (line {}, column {})", e.line(), e.column())
            };
            self.unexpected(what)
        })
    }

    /// The body deserialized into `T`. Missing fields are named; other mismatches are
    /// described without their values.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        let value = self.json_value()?;
        serde_json::from_value(value).map_err(|e| {
            let message = e.to_string();
            let what = if message.starts_with("missing field") {
                format!("JSON without an expected field ({message})")
            } else {
                "JSON of an unexpected shape".to_owned()
            };
            self.unexpected(what)
        })
    }

    fn looks_like_html(&self) -> bool {
        let declared = self
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains("html"));
        let first = self.body.iter().find(|b| !b.is_ascii_whitespace());
        declared || first == Some(&b'<')
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn response(content_type: &str, body: &str) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
        Response {
            status: StatusCode::OK,
            headers,
            body: body.as_bytes().to_vec(),
            host: "127.0.0.1:1".into(),
        }
    }

    #[test]
    fn html_and_broken_json_are_clear_errors_without_the_body() {
        let html = response("text/html", "<html><body>secret-looking</body></html>");
        let err = html.json_value().unwrap_err();
        assert_eq!(err.code(), "api.unexpected_response");
        assert!(err.to_string().contains("HTML page"));
        assert!(!err.to_string().contains("secret-looking"));

        let html_as_json = response("application/json", "  <!DOCTYPE html>");
        assert!(
            html_as_json
                .json_value()
                .unwrap_err()
                .to_string()
                .contains("HTML")
        );

        let cut = response("application/json", "{\"access_token\": \"tok-123");
        let err = cut.json_value().unwrap_err();
        assert!(err.to_string().contains("stops part-way"), "{err}");
        assert!(!err.to_string().contains("tok-123"));

        let garbage = response("application/json", "{\"a\": tok-456}");
        let err = garbage.json_value().unwrap_err();
        assert!(err.to_string().contains("malformed JSON"), "{err}");
        assert!(!err.to_string().contains("tok-456"));
    }

    #[test]
    fn typed_errors_name_fields_but_not_values() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            n: u64,
        }
        let missing = response("application/json", "{}");
        assert!(missing.json::<T>().unwrap_err().to_string().contains("`n`"));
        let wrong = response("application/json", "{\"n\": \"value-789\"}");
        let err = wrong.json::<T>().unwrap_err();
        assert!(!err.to_string().contains("value-789"), "{err}");
        assert_eq!(
            response("application/json", "{\"n\": 3}")
                .json::<T>()
                .unwrap()
                .n,
            3
        );
    }

    #[test]
    fn debug_hides_the_body() {
        let r = response("application/json", "{\"access_token\":\"tok-abc\"}");
        let shown = format!("{r:?}");
        assert!(!shown.contains("tok-abc"));
        assert!(shown.contains("body_len"));
    }
}
