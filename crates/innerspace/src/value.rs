//! Reading fields of answer rows: the one place that decides what counts as a number.
//!
//! Hasura maps Postgres `numeric` and `bigint` to JSON strings on some tenants, so every
//! numeric field is read from a JSON number or from a string that parses as one.

use serde_json::Value;

/// A number, or a number sent as a string.
pub fn number(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// An integer field (`12`, `12.0` or `"12"`); a fraction is not an id.
pub fn int(row: &Value, key: &str) -> Option<i64> {
    let v = row.get(key)?;
    if let Some(i) = v.as_i64() {
        return Some(i);
    }
    let f = number(Some(v))?;
    (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
}

/// A text field.
pub fn text(row: &Value, key: &str) -> Option<String> {
    row.get(key).and_then(Value::as_str).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_and_numbers_as_strings() {
        let row =
            json!({"a": 12, "b": "12", "c": 12.0, "d": " 3.5 ", "e": 1.5, "f": "x", "g": null});
        assert_eq!(int(&row, "a"), Some(12));
        assert_eq!(int(&row, "b"), Some(12));
        assert_eq!(int(&row, "c"), Some(12));
        assert_eq!(int(&row, "e"), None, "a fraction is not an id");
        assert_eq!(int(&row, "f"), None);
        assert_eq!(int(&row, "missing"), None);
        assert_eq!(number(row.get("d")), Some(3.5));
        assert_eq!(number(row.get("g")), None);
        assert_eq!(text(&row, "f").as_deref(), Some("x"));
        assert_eq!(text(&row, "a"), None);
    }
}
