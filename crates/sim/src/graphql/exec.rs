//! Root-field resolution for table queries.
//!
//! async-graphql parses and validates the request, coerces variables and
//! answers introspection; but resolving thousands of rows field by field
//! through its executor costs microseconds per cell. So each table resolver
//! runs the query itself, records the rows and the requested columns (with
//! aliases) in a per-request [`Collector`], and hands the executor an empty
//! list. The response writer later splices the rows in (`response.rs`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use async_graphql::Value;
use async_graphql::dynamic::{FieldValue, ResolverContext};

use super::error::QueryError;
use super::{filter, order};
use crate::data::calendar::History;
use crate::data::catalog::Catalog;
use crate::tables::Table;
use crate::tables::generate::{self, DataCtx, Row};

/// What one API (v1 or v2) serves.
pub struct Api {
    pub tables: Vec<Table>,
}

/// Per-request state handed to resolvers through request data.
pub struct QueryEnv {
    pub api: Arc<Api>,
    pub catalog: Arc<Catalog>,
    pub history: History,
    pub row_cap: usize,
    /// Smaller caps of some tables (Hasura limits rows per table and role).
    pub table_row_caps: BTreeMap<String, usize>,
    pub live: Arc<crate::tables::realtime::LiveFeed>,
    /// The real time of the request (Unix seconds): realtime readings are minutes old.
    pub now: i64,
    pub collector: Collector,
}

/// One requested output field of a row.
#[derive(Clone, Debug)]
pub enum Sel {
    Column(usize),
    Typename,
}

/// Rows of one root field, ready to be written.
pub struct TableResult {
    pub response_key: String,
    pub table: usize,
    pub fields: Vec<(String, Sel)>,
    pub rows: Vec<Row>,
}

#[derive(Default)]
pub struct Collector {
    results: Mutex<Vec<TableResult>>,
}

impl Collector {
    fn push(&self, r: TableResult) {
        if let Ok(mut v) = self.results.lock() {
            v.retain(|x| x.response_key != r.response_key);
            v.push(r);
        }
    }

    pub fn take(&self) -> Vec<TableResult> {
        self.results
            .lock()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default()
    }
}

/// Resolver of the root field for table `idx`.
pub fn resolve_table<'a>(
    ctx: &ResolverContext<'a>,
    idx: usize,
) -> Result<FieldValue<'a>, async_graphql::Error> {
    let env = ctx.data::<Arc<QueryEnv>>()?;
    let table = env
        .api
        .tables
        .get(idx)
        .ok_or_else(|| async_graphql::Error::new("internal: unknown table"))?;
    let arg = |name: &str| {
        ctx.args
            .get(name)
            .map_or(Value::Null, |v| v.as_value().clone())
    };
    let pred = filter::compile(table, &arg("where"))?;
    let order = order::compile(table, &arg("order_by"))?;
    let limit = non_negative(&arg("limit"), "limit")?;
    let offset = non_negative(&arg("offset"), "offset")?.unwrap_or(0);
    let fields = selection(ctx, table)?;

    // Hasura caps silently: the client sees a short page, not an error.
    let cap = env
        .table_row_caps
        .get(table.name)
        .copied()
        .unwrap_or(env.row_cap);
    let take = limit.unwrap_or(usize::MAX).min(cap);
    let want = offset.saturating_add(take);
    let data = DataCtx {
        catalog: &env.catalog,
        history: env.history,
        live: (&env.live, env.now),
    };
    let mut rows: Vec<Row> = Vec::new();
    if order.is_empty() {
        generate::generate(table, &data, pred.as_ref(), &mut |row| {
            rows.push(row);
            rows.len() < want
        });
    } else {
        // Keep only the best `want` rows while generating, so an unbounded
        // sorted query costs time but not memory.
        let compact_at = want.saturating_mul(2).saturating_add(4096);
        generate::generate(table, &data, pred.as_ref(), &mut |row| {
            rows.push(row);
            if rows.len() >= compact_at {
                rows.sort_by(|a, b| order::compare(&order, a, b));
                rows.truncate(want);
            }
            true
        });
        rows.sort_by(|a, b| order::compare(&order, a, b));
    }
    let rows: Vec<Row> = rows.into_iter().skip(offset).take(take).collect();
    let field = ctx.ctx.field();
    env.collector.push(TableResult {
        response_key: field.alias().unwrap_or(field.name()).to_owned(),
        table: idx,
        fields,
        rows,
    });
    Ok(FieldValue::list(Vec::<FieldValue<'a>>::new()))
}

fn non_negative(v: &Value, name: &str) -> Result<Option<usize>, QueryError> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => match n.as_i64() {
            Some(i) if i >= 0 => Ok(Some(usize::try_from(i).unwrap_or(usize::MAX))),
            _ => Err(QueryError::validation(format!(
                "unexpected negative value for '{name}'"
            ))),
        },
        _ => Err(QueryError::validation(format!(
            "expected an integer for '{name}'"
        ))),
    }
}

/// The row fields requested under the root field, honouring aliases,
/// fragments and `@skip` / `@include`.
fn selection(
    ctx: &ResolverContext<'_>,
    table: &Table,
) -> Result<Vec<(String, Sel)>, async_graphql::Error> {
    let mut out: Vec<(String, Sel)> = Vec::new();
    for sub in ctx.ctx.field().selection_set() {
        if skipped(&sub.directives()?) {
            continue;
        }
        let key = sub.alias().unwrap_or(sub.name());
        if out.iter().any(|(k, _)| k == key) {
            continue;
        }
        let sel = if sub.name() == "__typename" {
            Sel::Typename
        } else {
            Sel::Column(table.column_index(sub.name()).ok_or_else(|| {
                QueryError::validation(format!(
                    "field '{}' not found in type: '{}'",
                    sub.name(),
                    table.name
                ))
            })?)
        };
        out.push((key.to_owned(), sel));
    }
    Ok(out)
}

fn skipped(directives: &[async_graphql::parser::types::ConstDirective]) -> bool {
    directives.iter().any(|d| {
        let cond = d
            .arguments
            .iter()
            .find(|(n, _)| n.node.as_str() == "if")
            .is_some_and(|(_, v)| v.node == Value::Boolean(true));
        match d.name.node.as_str() {
            "skip" => cond,
            "include" => !cond,
            _ => false,
        }
    })
}
