//! Builds a Hasura-shaped GraphQL schema for a list of tables.
//!
//! For every table `T`: object `T`, input `T_bool_exp` (`_and`, `_or`, `_not`
//! and one `<Scalar>_comparison_exp` per column), input `T_order_by` (enum
//! `order_by` per column) and the root field
//! `T(where: T_bool_exp, order_by: [T_order_by!], limit: Int, offset: Int): [T!]!`.
//! The root type is called `query_root`, as in Hasura.

use async_graphql::dynamic::{
    Enum, Field, FieldFuture, InputObject, InputValue, Object, Scalar, Schema, SchemaError, TypeRef,
};

use super::exec::resolve_table;
use super::order::ORDER_BY_VALUES;
use crate::tables::{ColType, Role, Table};

pub fn build(tables: &[Table]) -> Result<Schema, SchemaError> {
    let mut query = Object::new("query_root");
    let mut builder = Schema::build("query_root", None, None);

    builder = builder
        .register(
            Scalar::new("timestamptz").validator(|v| matches!(v, async_graphql::Value::String(_))),
        )
        .register(Scalar::new("jsonb"))
        .register(Enum::new("order_by").items(ORDER_BY_VALUES));
    for ty in [
        ColType::Int,
        ColType::Float,
        ColType::String,
        ColType::Timestamptz,
    ] {
        builder = builder.register(comparison_exp(ty));
    }

    for (idx, table) in tables.iter().enumerate() {
        let mut object = Object::new(table.name);
        let mut bool_exp = InputObject::new(format!("{}_bool_exp", table.name))
            .field(InputValue::new(
                "_and",
                TypeRef::named_nn_list(format!("{}_bool_exp", table.name)),
            ))
            .field(InputValue::new(
                "_or",
                TypeRef::named_nn_list(format!("{}_bool_exp", table.name)),
            ))
            .field(InputValue::new(
                "_not",
                TypeRef::named(format!("{}_bool_exp", table.name)),
            ));
        let mut order_by = InputObject::new(format!("{}_order_by", table.name));
        for col in &table.columns {
            let nullable = col.nullable
                || matches!(
                    col.role,
                    Role::Metric(_) | Role::MetricValue | Role::FeatureValue
                );
            let ty = if nullable {
                TypeRef::named(col.ty.scalar())
            } else {
                TypeRef::named_nn(col.ty.scalar())
            };
            // Never called: rows are written by the response writer (see exec.rs).
            object = object.field(Field::new(col.name, ty, |_| FieldFuture::Value(None)));
            if let Some(cmp) = col.ty.comparison_exp() {
                bool_exp = bool_exp.field(InputValue::new(col.name, TypeRef::named(cmp)));
                order_by = order_by.field(InputValue::new(col.name, TypeRef::named("order_by")));
            }
        }
        query = query.field(
            Field::new(
                table.name,
                TypeRef::named_nn_list_nn(table.name),
                move |ctx| FieldFuture::new(async move { resolve_table(&ctx, idx).map(Some) }),
            )
            .argument(InputValue::new(
                "where",
                TypeRef::named(format!("{}_bool_exp", table.name)),
            ))
            .argument(InputValue::new(
                "order_by",
                TypeRef::named_nn_list(format!("{}_order_by", table.name)),
            ))
            .argument(InputValue::new("limit", TypeRef::named(TypeRef::INT)))
            .argument(InputValue::new("offset", TypeRef::named(TypeRef::INT))),
        );
        builder = builder
            .register(object)
            .register(bool_exp)
            .register(order_by);
    }
    builder.register(query).finish()
}

fn comparison_exp(ty: ColType) -> InputObject {
    let scalar = ty.scalar();
    let mut obj = InputObject::new(ty.comparison_exp().unwrap_or_default());
    for op in ["_eq", "_neq", "_gt", "_gte", "_lt", "_lte"] {
        obj = obj.field(InputValue::new(op, TypeRef::named(scalar)));
    }
    obj = obj
        .field(InputValue::new("_in", TypeRef::named_nn_list(scalar)))
        .field(InputValue::new("_nin", TypeRef::named_nn_list(scalar)))
        .field(InputValue::new(
            "_is_null",
            TypeRef::named(TypeRef::BOOLEAN),
        ));
    if ty == ColType::String {
        for op in ["_like", "_nlike", "_ilike", "_nilike"] {
            obj = obj.field(InputValue::new(op, TypeRef::named(TypeRef::STRING)));
        }
    }
    obj
}
