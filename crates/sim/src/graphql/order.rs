//! Hasura `order_by`: `[{COL: asc|desc|asc_nulls_first|...}]`, in list order.

use std::cmp::Ordering;

use async_graphql::Value;

use super::error::QueryError;
use crate::tables::{Cell, Table};

#[derive(Clone, Copy, Debug)]
pub struct OrderKey {
    pub col: usize,
    pub desc: bool,
    pub nulls_first: bool,
}

/// The values of Hasura's `order_by` enum.
pub const ORDER_BY_VALUES: [&str; 6] = [
    "asc",
    "asc_nulls_first",
    "asc_nulls_last",
    "desc",
    "desc_nulls_first",
    "desc_nulls_last",
];

pub fn compile(table: &Table, value: &Value) -> Result<Vec<OrderKey>, QueryError> {
    let items: Vec<&Value> = match value {
        Value::Null => return Ok(Vec::new()),
        Value::List(items) => items.iter().collect(),
        // Input coercion: a single object stands for a one-element list.
        other => vec![other],
    };
    let mut keys = Vec::new();
    for item in items {
        let Value::Object(map) = item else {
            return Err(QueryError::validation(format!(
                "expected an object for type '{}_order_by'",
                table.name
            )));
        };
        for (name, dir) in map {
            let col = table
                .column_index(name.as_str())
                .filter(|&i| table.columns[i].ty.comparison_exp().is_some())
                .ok_or_else(|| {
                    QueryError::validation(format!(
                        "field '{name}' not found in type: '{}_order_by'",
                        table.name
                    ))
                })?;
            let dir = match dir {
                Value::Enum(n) => n.as_str().to_owned(),
                Value::String(s) => s.clone(),
                Value::Null => continue,
                _ => {
                    return Err(QueryError::validation(
                        "expected an enum value of type 'order_by'",
                    ));
                }
            };
            let (desc, nulls_first) = match dir.as_str() {
                // Postgres defaults: NULLS LAST for ASC, NULLS FIRST for DESC.
                "asc" | "asc_nulls_last" => (false, false),
                "asc_nulls_first" => (false, true),
                "desc" | "desc_nulls_first" => (true, true),
                "desc_nulls_last" => (true, false),
                other => {
                    return Err(QueryError::validation(format!(
                        "unexpected value '{other}' for enum 'order_by'"
                    )));
                }
            };
            keys.push(OrderKey {
                col,
                desc,
                nulls_first,
            });
        }
    }
    Ok(keys)
}

pub fn compare(keys: &[OrderKey], a: &[Cell], b: &[Cell]) -> Ordering {
    for k in keys {
        let (x, y) = (&a[k.col], &b[k.col]);
        let o = match (x == &Cell::Null, y == &Cell::Null) {
            (true, true) => Ordering::Equal,
            (true, false) => {
                if k.nulls_first {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            (false, true) => {
                if k.nulls_first {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            (false, false) => {
                let o = x.cmp_same(y).unwrap_or(Ordering::Equal);
                if k.desc { o.reverse() } else { o }
            }
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}
