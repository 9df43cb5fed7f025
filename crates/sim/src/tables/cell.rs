//! One value of a generated row.

use std::cmp::Ordering;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Float(f64),
    Str(Arc<str>),
    /// Unix milliseconds, UTC.
    Time(i64),
    Json(Arc<serde_json::Value>),
}

impl Cell {
    /// Total order within one column type; `None` across types or for JSON.
    pub fn cmp_same(&self, other: &Cell) -> Option<Ordering> {
        match (self, other) {
            (Cell::Int(a), Cell::Int(b)) => Some(a.cmp(b)),
            (Cell::Float(a), Cell::Float(b)) => Some(a.total_cmp(b)),
            (Cell::Int(a), Cell::Float(b)) => Some((*a as f64).total_cmp(b)),
            (Cell::Float(a), Cell::Int(b)) => Some(a.total_cmp(&(*b as f64))),
            (Cell::Str(a), Cell::Str(b)) => Some(a.cmp(b)),
            (Cell::Time(a), Cell::Time(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }

    /// Writes the cell as JSON. Times use the API's format, e.g. `2024-01-01T06:00:00.000Z`.
    pub fn write_json(&self, out: &mut String) {
        match self {
            Cell::Null => out.push_str("null"),
            Cell::Int(v) => {
                use std::fmt::Write;
                let _ = write!(out, "{v}");
            }
            Cell::Float(v) => {
                if v.is_finite() {
                    // serde_json prints the shortest round-tripping form.
                    out.push_str(&serde_json::Number::from_f64(*v).map_or_else(|| "null".to_owned(), |n| n.to_string()));
                } else {
                    out.push_str("null");
                }
            }
            Cell::Str(s) => push_json_string(out, s),
            Cell::Time(ms) => {
                out.push('"');
                push_timestamp(out, *ms);
                out.push('"');
            }
            Cell::Json(v) => out.push_str(&v.to_string()),
        }
    }
}

pub fn push_json_string(out: &mut String, s: &str) {
    out.push_str(&serde_json::Value::String(s.to_owned()).to_string());
}

/// RFC 3339 in UTC with milliseconds and `Z`.
pub fn push_timestamp(out: &mut String, ms: i64) {
    use std::fmt::Write;
    match chrono::DateTime::from_timestamp_millis(ms) {
        Some(t) => {
            let _ = write!(out, "{}", t.format("%Y-%m-%dT%H:%M:%S%.3fZ"));
        }
        None => out.push_str("1970-01-01T00:00:00.000Z"),
    }
}
