//! Which metrics a table offers.
//!
//! v2: the full metric column list is not public (api.md §1.3), so it is learned from GraphQL
//! introspection: the numeric (Float/Int) columns of the table's type, minus keys. A server
//! that refuses introspection (a GraphQL error) gets the one documented column,
//! `OCCUPANCY_MEAN`.
//!
//! v1: metrics and features are values of `metric_name` / `feature_name`, not columns, so
//! their names are learned from a small sample of recent rows.
//!
//! Answers are cached per connection and table in a [`SchemaCache`] the caller owns.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::fields::{self, EntityFields};
use super::graphql::{self, is_identifier};
use super::query::InsightTable;
use occudesk_auth::Session;
use occudesk_net::{Error, Result};

/// The one metric column the vendor documents.
pub const FALLBACK_METRIC: &str = "OCCUPANCY_MEAN";
/// The v1 metric every customer has (preferred as the default).
pub const V1_DEFAULT_METRIC: &str = "occupancy_mean";

/// Scalars that hold numbers, in GraphQL and in Hasura's Postgres mapping.
const NUMERIC_SCALARS: [&str; 9] = [
    "Float", "Int", "float8", "float4", "numeric", "bigint", "smallint", "integer", "Int8",
];

type MetricMap = HashMap<(String, InsightTable), Arc<Vec<String>>>;

/// Metric lists by (connection id, table), and entity fields by connection id.
#[derive(Debug, Default)]
pub struct SchemaCache {
    by_key: Mutex<MetricMap>,
    entity_fields: Mutex<HashMap<String, Arc<EntityFields>>>,
}

impl SchemaCache {
    /// The fields of the v2 entity types, from the cache or the server.
    pub async fn entity_fields(&self, session: &Session) -> Result<Arc<EntityFields>> {
        let id = &session.connection().id;
        if let Some(hit) = lock(&self.entity_fields).get(id) {
            return Ok(hit.clone());
        }
        let learned = Arc::new(fields::learn(session).await?);
        lock(&self.entity_fields).insert(id.clone(), learned.clone());
        Ok(learned)
    }

    pub fn get(&self, connection_id: &str, table: InsightTable) -> Option<Arc<Vec<String>>> {
        self.map().get(&(connection_id.to_owned(), table)).cloned()
    }

    pub fn insert(&self, connection_id: &str, table: InsightTable, metrics: Arc<Vec<String>>) {
        self.map()
            .insert((connection_id.to_owned(), table), metrics);
    }

    /// Forgets everything learned about a connection (it was edited or deleted).
    pub fn forget(&self, connection_id: &str) {
        self.map().retain(|(id, _), _| id != connection_id);
        lock(&self.entity_fields).remove(connection_id);
    }

    fn map(&self) -> std::sync::MutexGuard<'_, MetricMap> {
        lock(&self.by_key)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Each critical section is one map operation, so a poisoned map is still consistent.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The metrics of `table`, from the cache or the server.
pub async fn metrics(
    cache: &SchemaCache,
    session: &Session,
    table: InsightTable,
    now: DateTime<Utc>,
) -> Result<Arc<Vec<String>>> {
    let id = session.connection().id.clone();
    if let Some(hit) = cache.get(&id, table) {
        return Ok(hit);
    }
    let learned = if table.is_long() {
        sample_names(session, table, now).await?
    } else {
        introspect(session, table).await?
    };
    let learned = Arc::new(learned);
    cache.insert(&id, table, learned.clone());
    Ok(learned)
}

const INTROSPECT: &str = "query Columns($name: String!) {
  __type(name: $name) { fields { name type { kind name ofType { kind name ofType { kind name } } } } }
}";

/// Numeric non-key columns of a v2 table, or the fallback when introspection is refused.
async fn introspect(session: &Session, table: InsightTable) -> Result<Vec<String>> {
    let data = match graphql::execute(
        session,
        "Columns",
        INTROSPECT,
        json!({"name": table.name()}),
    )
    .await
    {
        Ok(data) => data,
        Err(Error::GraphqlError { .. }) => return Ok(vec![FALLBACK_METRIC.to_owned()]),
        Err(e) => return Err(e),
    };
    let fields = data
        .get("__type")
        .and_then(|t| t.get("fields"))
        .and_then(Value::as_array);
    let Some(fields) = fields else {
        return Ok(vec![FALLBACK_METRIC.to_owned()]);
    };
    let mut out: Vec<String> = fields
        .iter()
        .filter(|f| is_numeric(f.get("type")))
        .filter_map(|f| f.get("name").and_then(Value::as_str))
        .filter(|name| is_identifier(name) && !is_key(name))
        .map(str::to_owned)
        .collect();
    if out.is_empty() {
        out.push(FALLBACK_METRIC.to_owned());
    }
    Ok(out)
}

/// Unwraps NON_NULL / LIST wrappers and checks the named scalar.
fn is_numeric(ty: Option<&Value>) -> bool {
    let mut ty = ty;
    for _ in 0..4 {
        let Some(t) = ty else { return false };
        match t.get("kind").and_then(Value::as_str) {
            Some("NON_NULL") => ty = t.get("ofType"),
            Some("SCALAR") => {
                return t
                    .get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| NUMERIC_SCALARS.contains(&n));
            }
            _ => return false,
        }
    }
    false
}

/// Ids and the partition key are numbers but not metrics.
fn is_key(name: &str) -> bool {
    name == "ID" || name.ends_with("_ID") || name == "DATE_PARTITION" || name == "LEVEL"
}

/// Distinct `metric_name` / `feature_name` values among recent rows of a v1 table, in the
/// order first seen. Recent = the last 60 days at any granularity (features like
/// `weekly_frequency_dist` exist only at P1W); if that finds nothing (old data), any rows.
async fn sample_names(
    session: &Session,
    table: InsightTable,
    now: DateTime<Utc>,
) -> Result<Vec<String>> {
    let column = if table.is_features() {
        "feature_name"
    } else {
        "metric_name"
    };
    let since =
        (now - chrono::Duration::days(60)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let recent = format!(
        "query Names($since: timestamptz!) {{ rows: {t}(where: {{date_time_start: {{_gte: $since}}}}, limit: 2000) {{ {column} }} }}",
        t = table.name()
    );
    let any = format!(
        "query Names {{ rows: {t}(limit: 2000) {{ {column} }} }}",
        t = table.name()
    );
    let mut names = names_in(
        &graphql::execute(session, "Names", &recent, json!({"since": since})).await?,
        column,
    );
    if names.is_empty() {
        names = names_in(
            &graphql::execute(session, "Names", &any, json!({})).await?,
            column,
        );
    }
    // The usual default first, so an empty metric list means `occupancy_mean`.
    if let Some(pos) = names.iter().position(|n| n == V1_DEFAULT_METRIC) {
        let name = names.remove(pos);
        names.insert(0, name);
    }
    Ok(names)
}

fn names_in(data: &serde_json::Map<String, Value>, column: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for row in data
        .get("rows")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(name) = row.get(column).and_then(Value::as_str)
            && !out.iter().any(|n| n == name)
        {
            out.push(name.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_types_unwrap_non_null() {
        let float = json!({"kind": "SCALAR", "name": "Float"});
        let nn_int =
            json!({"kind": "NON_NULL", "name": null, "ofType": {"kind": "SCALAR", "name": "Int"}});
        let text = json!({"kind": "SCALAR", "name": "String"});
        let list = json!({"kind": "LIST", "ofType": {"kind": "SCALAR", "name": "Float"}});
        assert!(is_numeric(Some(&float)));
        assert!(is_numeric(Some(&nn_int)));
        assert!(!is_numeric(Some(&text)));
        assert!(!is_numeric(Some(&list)));
        assert!(is_key("BUILDING_ID") && is_key("DATE_PARTITION") && !is_key("CAPACITY"));
    }
}
