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
            Cell::Int(v) => out.push_str(itoa::Buffer::new().format(*v)),
            Cell::Float(v) => {
                if v.is_finite() {
                    // Same shortest round-trip form serde_json prints.
                    out.push_str(ryu::Buffer::new().format_finite(*v));
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

/// Appends `s` as a JSON string literal.
pub fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                use std::fmt::Write;
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// RFC 3339 in UTC with milliseconds and `Z`, written digit by digit
/// (formatting through chrono's format strings costs more than generating the row).
pub fn push_timestamp(out: &mut String, ms: i64) {
    use chrono::{Datelike, Timelike};
    let t = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    let pad = |out: &mut String, v: u32, width: usize| {
        let mut buf = itoa::Buffer::new();
        let digits = buf.format(v);
        for _ in digits.len()..width {
            out.push('0');
        }
        out.push_str(digits);
    };
    pad(out, u32::try_from(t.year()).unwrap_or(0), 4);
    out.push('-');
    pad(out, t.month(), 2);
    out.push('-');
    pad(out, t.day(), 2);
    out.push('T');
    pad(out, t.hour(), 2);
    out.push(':');
    pad(out, t.minute(), 2);
    out.push(':');
    pad(out, t.second(), 2);
    out.push('.');
    pad(out, t.timestamp_subsec_millis(), 3);
    out.push('Z');
}

#[cfg(test)]
mod tests {
    use super::{Cell, push_json_string, push_timestamp};

    #[test]
    fn strings_escape_like_serde_json() {
        for s in [
            "plain",
            "quote\"back\\slash",
            "line\nfeed\ttab\u{1}",
            "unicodé ✓",
        ] {
            let mut out = String::new();
            push_json_string(&mut out, s);
            assert_eq!(
                serde_json::from_str::<String>(&out).ok().as_deref(),
                Some(s)
            );
        }
    }

    #[test]
    fn timestamps_have_millis_and_z() {
        let mut out = String::new();
        push_timestamp(&mut out, 1_704_088_800_123);
        assert_eq!(out, "2024-01-01T06:00:00.123Z");
    }

    #[test]
    fn floats_print_like_serde_json() {
        for v in [0.0, 1.5, 12.345_678_9, 1e-7, 250.0] {
            let mut out = String::new();
            Cell::Float(v).write_json(&mut out);
            assert_eq!(out, serde_json::json!(v).to_string());
        }
    }
}
