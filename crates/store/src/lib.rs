//! What Occupancy Desk keeps on this computer: the settings (one cross-process writer at a
//! time, saved atomically), the registry of connections with their secrets in the keyring, and
//! the local cache of fetched days (SQLite).

pub mod cache;
pub mod file_safety;
pub mod paths;
pub mod registry;
pub mod settings;
