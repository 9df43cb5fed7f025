//! Window commands, one module per area, each one call on the `Desk`. Commands that may wait
//! (keyring, network, disk) are `async`, so they run off the main thread.

pub mod app;
pub mod app_credentials;
pub mod charts;
pub mod connections;
pub mod insights;
pub mod planning;

include!("names.rs");
