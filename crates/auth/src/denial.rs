//! Reading why a token endpoint said no. The text is used only to choose an error code; it is
//! never shown or logged, since servers sometimes echo what they were sent.

use serde_json::Value;

use occudesk_net::http::Response;

/// A refusal from a token endpoint.
#[derive(Debug)]
pub struct Denial {
    pub status: u16,
    /// Lowercased OAuth `error`, FastAPI `detail` (when a string) and descriptions, for matching.
    text: String,
}

impl Denial {
    pub fn read(response: &Response) -> Denial {
        let mut text = String::new();
        // Accepts OAuth (`error`, `error_description`), FastAPI (`detail` as string or as a
        // list of `{msg}`), and generic (`message`) bodies; anything else leaves `text` empty
        // and the status alone decides.
        if let Ok(body) = serde_json::from_slice::<Value>(response.body()) {
            for key in ["error", "error_description", "detail", "message"] {
                collect(body.get(key), &mut text);
            }
        }
        Denial {
            status: response.status().as_u16(),
            text: text.to_lowercase(),
        }
    }

    /// Whether the refusal mentions `needle` (lowercase) anywhere.
    pub fn mentions(&self, needle: &str) -> bool {
        self.text.contains(needle)
    }

    /// A refusal about an expired password ("PASSWORD_EXPIRED", "password has expired").
    pub fn password_expired(&self) -> bool {
        self.mentions("password_expired") || (self.mentions("password") && self.mentions("expired"))
    }
}

fn collect(value: Option<&Value>, into: &mut String) {
    match value {
        Some(Value::String(s)) => {
            into.push_str(s);
            into.push(' ');
        }
        Some(Value::Array(items)) => {
            for item in items {
                collect(item.get("msg"), into);
                collect(item.get("type"), into);
            }
        }
        Some(Value::Object(map)) => {
            for key in ["code", "reason", "msg", "message"] {
                collect(map.get(key), into);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;

    fn denial(status: u16, body: &str) -> Denial {
        Denial::read(&Response::new(
            StatusCode::from_u16(status).unwrap(),
            HeaderMap::new(),
            body.as_bytes().to_vec(),
            "h".into(),
        ))
    }

    #[test]
    fn reads_oauth_fastapi_and_garbage() {
        let d = denial(
            403,
            r#"{"error":"access_denied","error_description":"Service not enabled within domain: x"}"#,
        );
        assert_eq!(d.status, 403);
        assert!(d.mentions("service not enabled"));
        assert!(denial(400, r#"{"detail":"PASSWORD_EXPIRED"}"#).password_expired());
        assert!(denial(400, r#"{"detail":{"code":"PASSWORD_EXPIRED"}}"#).password_expired());
        assert!(!denial(400, r#"{"detail":"LOGIN_BAD_CREDENTIALS"}"#).password_expired());
        let list = denial(
            422,
            r#"{"detail":[{"loc":["body"],"msg":"field required","type":"missing"}]}"#,
        );
        assert!(list.mentions("field required"));
        assert!(!denial(502, "<html>").mentions("html"));
    }
}
