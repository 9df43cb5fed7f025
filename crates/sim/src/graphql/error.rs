//! Errors raised while planning or running a table query, with Hasura codes.

#[derive(Clone, Debug)]
pub struct QueryError {
    /// Hasura's `extensions.code`.
    pub code: &'static str,
    pub message: String,
}

impl QueryError {
    /// A request that does not fit the schema (Hasura: `validation-failed`).
    pub fn validation(message: impl Into<String>) -> QueryError {
        QueryError {
            code: "validation-failed",
            message: message.into(),
        }
    }

    /// A well-typed value the database rejects (Hasura: `data-exception`).
    pub fn data(message: impl Into<String>) -> QueryError {
        QueryError {
            code: "data-exception",
            message: message.into(),
        }
    }
}

impl From<QueryError> for async_graphql::Error {
    fn from(e: QueryError) -> async_graphql::Error {
        let code = e.code;
        use async_graphql::ErrorExtensions;
        async_graphql::Error::new(e.message).extend_with(|_, ext| ext.set("code", code))
    }
}
