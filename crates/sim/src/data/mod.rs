//! Deterministic, lazily generated occupancy data.

pub mod calendar;
pub mod catalog;
pub mod model;
pub mod noise;
