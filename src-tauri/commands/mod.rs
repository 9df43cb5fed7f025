//! Window commands, one module per area. Each is `async` so it runs off the main thread.

pub mod app;
pub mod connections;

include!("names.rs");
