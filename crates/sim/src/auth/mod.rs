//! Token endpoints and the table of issued credentials.

pub mod assertion;
pub mod grants;
pub mod innerspace;
pub mod personal;
pub mod spatiafi;
pub mod tokens;
