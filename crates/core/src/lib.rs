//! Occupancy Desk core: everything that is not Tauri.
//!
//! The desktop shell (`src-tauri/`) and the CLI (`crates/cli`) are thin layers over one
//! [`Desk`], which owns the settings, the keyring vault, the HTTP client and the token sessions.

pub mod auth;
pub mod cache;
pub mod connections;
mod desk;
pub mod error;
pub mod health;
pub mod http;
pub mod innerspace;
pub mod insights;
pub mod paths;
pub mod registry;
pub mod settings;
pub mod vault;

pub use desk::{ConnectionList, ConnectionRow, Desk, DeskConfig, DeskInfo, Picked};
pub use error::{Error, ErrorKind, Result};
