//! Occupancy Desk core: everything that is not Tauri.
//!
//! The desktop shell (`src-tauri/`) and the CLI (`crates/cli`) are thin layers over these modules.

pub mod auth;
pub mod connections;
pub mod error;
pub mod health;
pub mod http;
pub mod innerspace;
pub mod insights;
pub mod paths;
pub mod registry;
pub mod settings;
pub mod vault;

pub use error::{Error, Result};
