//! One error type for the whole core, with a stable machine code per variant.
//!
//! Messages are for people: they say what happened and what to do. They never carry a secret,
//! a token or a raw response body.

/// Every error the core can return.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// User input failed validation; `field` names the form field at fault.
    #[error("{message}")]
    InvalidInput { field: &'static str, message: String },

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
        "The settings file {path} is damaged or from a newer version ({reason}). It was left untouched; move it aside to start fresh."
    )]
    SettingsCorrupt { path: String, reason: String },
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
        }
    }

    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field,
            message: message.into(),
        }
    }
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
                "settings.corrupt"
            ]
        );
    }

    #[test]
    fn keyring_unavailable_gives_advice() {
        let msg = Error::KeyringUnavailable("timed out".into()).to_string();
        assert!(msg.contains("timed out"));
        assert!(msg.contains("unlock your keyring"));
    }
}
