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
    Chart, ChartKind, ChartOptions, ChartTheme, ConnectionList, ConnectionRef, ConnectionRow,
    CredentialList, CredentialRow, DEFAULT_ROW_BUDGET, DeleteOutcome, Desk, DeskConfig, DeskInfo,
    ExportFormat, MAX_PAGE_ROWS, NewCredential, OrphanedSecrets, Picked, Provenance,
    RevealedSecret, RowsPage, SignInRequest, SpatiafiPanel, SpatiafiSignIn, UseAsConnection,
    UsedAsConnection, VIEW_METRICS, ViewInfo, WARN_AT_COUNT,
};
// The bounds of the cache size limit, for the window's contract (src-tauri/contract.rs).
pub use desk::{MAX_CACHE_LIMIT_MB, MIN_CACHE_LIMIT_MB};
pub use error::{Error, ErrorKind, Result};
