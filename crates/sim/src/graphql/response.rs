//! Writes GraphQL responses the way Hasura does: `{"data": ...}` on success,
//! `{"errors": [{"message", "extensions": {"code", "path"}}]}` (and no data)
//! on any error.

use async_graphql::{PathSegment, ServerError};
use serde_json::json;

use super::exec::{Api, Sel, TableResult};
use crate::tables::cell::push_json_string;

/// Body of an error-only response.
pub fn errors_body(errors: &[(String, &str, String)]) -> String {
    let list: Vec<serde_json::Value> = errors
        .iter()
        .map(|(message, code, path)| json!({"message": message, "extensions": {"code": code, "path": path}}))
        .collect();
    json!({ "errors": list }).to_string()
}

/// Renders an executed request; returns the body and the number of rows in it.
pub fn render(
    resp: &async_graphql::Response,
    mut results: Vec<TableResult>,
    api: &Api,
) -> (String, u64) {
    if !resp.errors.is_empty() {
        let errors: Vec<(String, &str, String)> = resp.errors.iter().map(shape_error).collect();
        return (errors_body(&errors), 0);
    }
    let mut out =
        String::with_capacity(results.iter().map(|r| r.rows.len() * 200).sum::<usize>() + 64);
    let mut rows = 0u64;
    out.push_str("{\"data\":");
    match &resp.data {
        async_graphql::Value::Object(map) => {
            out.push('{');
            for (i, (key, value)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_json_string(&mut out, key.as_str());
                out.push(':');
                match results.iter().position(|r| r.response_key == key.as_str()) {
                    Some(pos) => {
                        let r = results.swap_remove(pos);
                        rows += r.rows.len() as u64;
                        write_rows(&mut out, &r, api);
                    }
                    None => out
                        .push_str(&serde_json::to_string(value).unwrap_or_else(|_| "null".into())),
                }
            }
            out.push('}');
        }
        other => out.push_str(&serde_json::to_string(other).unwrap_or_else(|_| "null".into())),
    }
    out.push('}');
    (out, rows)
}

fn write_rows(out: &mut String, r: &TableResult, api: &Api) {
    let table = api.tables.get(r.table);
    // Keys are escaped once, not once per row.
    let keys: Vec<String> = r
        .fields
        .iter()
        .map(|(k, _)| {
            let mut s = String::new();
            push_json_string(&mut s, k);
            s.push(':');
            s
        })
        .collect();
    out.push('[');
    for (i, row) in r.rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        for (j, ((_, sel), key)) in r.fields.iter().zip(&keys).enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(key);
            match sel {
                Sel::Column(c) => match row.get(*c) {
                    Some(cell) => cell.write_json(out),
                    None => out.push_str("null"),
                },
                Sel::Typename => push_json_string(out, table.map_or("", |t| t.name)),
            }
        }
        out.push('}');
    }
    out.push(']');
}

/// Message, Hasura code and JSON path of one error.
fn shape_error(e: &ServerError) -> (String, &'static str, String) {
    let code = e
        .extensions
        .as_ref()
        .and_then(|x| x.get("code"))
        .and_then(|v| match v {
            async_graphql::Value::String(s) => Some(s.as_str()),
            _ => None,
        })
        .map_or(
            // Errors without a code were raised by validation, before execution.
            if e.path.is_empty() {
                "validation-failed"
            } else {
                "unexpected"
            },
            |c| match c {
                "validation-failed" => "validation-failed",
                "data-exception" => "data-exception",
                _ => "unexpected",
            },
        );
    let mut path = String::from("$");
    if !e.path.is_empty() {
        path.push_str(".selectionSet");
    }
    for seg in &e.path {
        match seg {
            PathSegment::Field(f) => {
                path.push('.');
                path.push_str(f);
            }
            PathSegment::Index(i) => path.push_str(&format!("[{i}]")),
        }
    }
    (e.message.clone(), code, path)
}
