//! How errors reach the window: `{code, message}` (plus the form field for input errors).

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct CommandError {
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
}

impl From<occudesk_core::Error> for CommandError {
    fn from(e: occudesk_core::Error) -> Self {
        let field = match &e {
            occudesk_core::Error::InvalidInput { field, .. } => Some(*field),
            _ => None,
        };
        CommandError {
            code: e.code(),
            message: e.to_string(),
            field,
        }
    }
}

pub type CommandResult<T> = Result<T, CommandError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_code_message_and_field() {
        let e: CommandError = occudesk_core::Error::InvalidInput {
            field: "baseUrl",
            message: "Use https://".into(),
        }
        .into();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "input.invalid", "message": "Use https://", "field": "baseUrl"})
        );
        let e: CommandError = occudesk_core::Error::KeyringLocked.into();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "keyring.locked");
        assert!(json.get("field").is_none());
    }
}
