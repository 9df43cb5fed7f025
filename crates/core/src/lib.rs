//! Occupancy Desk core: everything that is not Tauri.
//!
//! The desktop shell (`src-tauri/`) and the CLI (`crates/cli`) are thin layers over one
//! [`Desk`], which owns the settings, the keyring vault, the HTTP client and the token sessions.

pub mod auth;
pub mod cache;
pub mod connections;
mod desk;
pub mod error;
pub mod file_safety;
pub mod health;
pub mod http;
pub mod innerspace;
pub mod insights;
pub mod paths;
pub mod registry;
pub mod settings;
pub mod spatiafi;
pub mod vault;

pub use desk::{
    Chart, ChartKind, ConnectionList, ConnectionRef, ConnectionRow, CredentialList, CredentialRow,
    DeleteOutcome, Desk, DeskConfig, DeskInfo, ExportFormat, NewCredential, OrphanedSecrets,
    Picked, RevealedSecret, SignInRequest, SpatiafiPanel, SpatiafiSignIn, UseAsConnection,
    UsedAsConnection, WARN_AT_COUNT,
};
pub use error::{Error, ErrorKind, Result};
