//! One GraphQL endpoint (v1 or v2): its schema and the tables behind it.

use std::sync::Arc;

use async_graphql::dynamic::Schema;

use super::exec::Api;
use super::schema;
use crate::tables::Table;

/// A schema and the tables behind it.
pub struct Endpoint {
    pub api: Arc<Api>,
    pub schema: Schema,
}

impl Endpoint {
    pub fn new(tables: Vec<Table>) -> Result<Endpoint, String> {
        let schema = schema::build(&tables).map_err(|e| e.to_string())?;
        Ok(Endpoint {
            api: Arc::new(Api { tables }),
            schema,
        })
    }
}
