//! Occupancy Desk's network layer: the one HTTP client every request goes through (TLS only,
//! redirects checked, answers bounded, retries with backoff), and the errors every part of
//! the app reports, each with a stable code and words for the user.

pub mod error;
pub mod http;

pub use error::{Error, ErrorKind, Result, TokenEnd};
