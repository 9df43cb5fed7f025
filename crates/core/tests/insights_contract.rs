//! Insight queries against a server that keeps `shared/api.md` to the letter: the simulator's
//! `contract` profile (no `ZONE.FLOOR_ID`, only the documented metric columns), with and
//! without introspection; and v1 tenants with several groups, or whose data is old.

mod insights_support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use async_graphql_parser::types::{DocumentOperations, Selection, SelectionSet};
use async_graphql_value::Value as GqlValue;
use chrono::Duration;
use insights_support::*;
use occudesk_core::auth::Session;
use occudesk_core::innerspace::{Granularity, InsightQuery, InsightTable, Insights, graphql};
use occudesk_core::insights::InsightResult;
use occudesk_sim::{SchemaProfile, Sim, SimConfig};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

fn profile(schema: SchemaProfile) -> SimConfig {
    SimConfig {
        schema,
        ..SimConfig::default()
    }
}

async fn fetch(
    insights: &Insights,
    session: &Arc<Session>,
    q: &InsightQuery,
) -> Arc<InsightResult> {
    insights
        .fetch(session, q, |_| {}, &CancellationToken::new())
        .await
        .unwrap_or_else(|e| panic!("{} for {:?}: {e}", e.code(), q.table))
}

/// Queries at every v2 level: a year of a building by the hour, a site's zones for a month, a
/// week of zone types with two metrics.
fn v2_queries() -> Vec<InsightQuery> {
    let year = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2025-01-01",
        "2025-12-31",
    );
    let site = InsightQuery {
        site_id: Some(900000222),
        ..query(
            InsightTable::ZoneInsights,
            71,
            Granularity::P1d,
            "2025-03-01",
            "2025-03-31",
        )
    };
    let types = InsightQuery {
        metrics: vec!["OCCUPANCY_MEAN".into(), "OCCUPANCY_MAX".into()],
        ..query(
            InsightTable::ZoneTypeInsights,
            73,
            Granularity::Pt1h,
            "2025-04-01",
            "2025-04-07",
        )
    };
    vec![year, site, types]
}

#[tokio::test]
async fn contract_entities_derive_each_zones_floor_from_its_site() {
    let (_full_sim, full) = start(SimConfig::default(), Flow::V2).await;
    let (_sim, contract) = start(profile(SchemaProfile::Contract), Flow::V2).await;
    let (a, b) = (sim_insights(), sim_insights());
    assert_eq!(
        a.buildings(&full).await.unwrap(),
        b.buildings(&contract).await.unwrap()
    );
    let want = a.building_detail(&full, 71).await.unwrap();
    let got = b.building_detail(&contract, 71).await.unwrap();
    assert_eq!(got.zones.len(), 18);
    for zone in &got.zones {
        let site = got.sites.iter().find(|s| Some(s.id) == zone.site_id);
        assert!(zone.floor_id.is_some(), "zone {} has no floor", zone.id);
        assert_eq!(zone.floor_id, site.and_then(|s| s.floor_id));
    }
    // The same building as a server with ZONE.FLOOR_ID describes it.
    assert_eq!(*got, *want);
}

#[tokio::test]
async fn contract_insights_at_every_level_equal_the_full_servers() {
    let (_full_sim, full) = start(SimConfig::default(), Flow::V2).await;
    let (_sim, contract) = start(profile(SchemaProfile::Contract), Flow::V2).await;
    let (a, b) = (sim_insights(), sim_insights());
    let metrics = b
        .metrics(&contract, InsightTable::ZoneInsights)
        .await
        .unwrap();
    assert_eq!(
        *metrics,
        [
            "OCCUPANCY_MEAN",
            "OCCUPANCY_MAX",
            "OCCUPANCY_POS_MEAN",
            "OCCUPANCY_PERCENT_CAPACITY_MEAN"
        ],
        "only the columns the contract's server has"
    );
    for q in v2_queries() {
        let want = fetch(&a, &full, &q).await;
        let got = fetch(&b, &contract, &q).await;
        assert!(!got.rows.is_empty(), "{:?}", q.table);
        assert_eq!(got.columns, want.columns);
        assert_eq!(got.rows, want.rows, "{:?}", q.table);
    }
}

#[tokio::test]
async fn without_introspection_the_contract_columns_are_used() {
    let (_sim, session) = start(
        SimConfig {
            introspection: false,
            ..profile(SchemaProfile::Contract)
        },
        Flow::V2,
    )
    .await;
    let insights = sim_insights();
    let detail = insights.building_detail(&session, 71).await.unwrap();
    assert_eq!(detail.zones.len(), 18);
    assert!(detail.zones.iter().all(|z| z.floor_id.is_some()));
    assert!(detail.capacity.is_some_and(|c| c > 0.0));
    let metrics = insights
        .metrics(&session, InsightTable::BuildingInsights)
        .await
        .unwrap();
    assert_eq!(*metrics, ["OCCUPANCY_MEAN"]);
    let q = &v2_queries()[0];
    assert_eq!(fetch(&insights, &session, q).await.rows.len(), 365 * 24);
}

/// The fields a document names: `(type, field)` for every selected field below a root field
/// and every column named in a `where` or `order_by` argument; root fields as `("query_root",
/// name)`. Aliases are ignored, introspection (`__type`) is skipped.
fn fields_named(query: &str) -> BTreeSet<(String, String)> {
    let doc = async_graphql_parser::parse_query(query).expect("the client sends valid GraphQL");
    let mut out = BTreeSet::new();
    let operations: Vec<_> = match &doc.operations {
        DocumentOperations::Single(op) => vec![op],
        DocumentOperations::Multiple(ops) => ops.values().collect(),
    };
    for op in operations {
        for root in &op.node.selection_set.node.items {
            let Selection::Field(root) = &root.node else {
                panic!("fragments are not expected");
            };
            let table = root.node.name.node.to_string();
            if table.starts_with("__") {
                continue;
            }
            out.insert(("query_root".to_owned(), table.clone()));
            for (name, value) in &root.node.arguments {
                if ["where", "order_by"].contains(&name.node.as_str()) {
                    columns_in(&value.node, &table, &mut out);
                }
            }
            selected(&root.node.selection_set.node, &table, &mut out);
        }
    }
    out
}

fn selected(set: &SelectionSet, table: &str, out: &mut BTreeSet<(String, String)>) {
    for item in &set.items {
        if let Selection::Field(f) = &item.node {
            out.insert((table.to_owned(), f.node.name.node.to_string()));
        }
    }
}

fn columns_in(value: &GqlValue, table: &str, out: &mut BTreeSet<(String, String)>) {
    match value {
        GqlValue::Object(map) => {
            for (key, inner) in map {
                if matches!(key.as_str(), "_and" | "_or" | "_not") {
                    columns_in(inner, table, out);
                } else if !key.starts_with('_') {
                    out.insert((table.to_owned(), key.to_string()));
                }
            }
        }
        GqlValue::List(items) => items.iter().for_each(|v| columns_in(v, table, out)),
        _ => {}
    }
}

/// The server's own answer to `__type(name)` for each table named.
async fn introspected(
    session: &Session,
    types: &BTreeSet<String>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for ty in types {
        let data = graphql::execute(
            session,
            "Fields",
            "query Fields($t: String!) { __type(name: $t) { fields { name } } }",
            json!({"t": ty}),
        )
        .await
        .unwrap();
        let fields = data["__type"]["fields"]
            .as_array()
            .unwrap_or_else(|| panic!("the server has no type {ty}"))
            .iter()
            .filter_map(|f| f["name"].as_str().map(str::to_owned))
            .collect();
        out.insert(ty.clone(), fields);
    }
    out
}

async fn documents_sent(sim: &Sim, path: &str) -> Vec<String> {
    sim.requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == path)
        .filter_map(|r| serde_json::from_slice::<Value>(&r.body).ok())
        .filter_map(|b| b["query"].as_str().map(str::to_owned))
        .collect()
}

/// Every field of every document sent, checked against what introspection of the same server
/// returned. Any other field fails the whole query on a real tenant.
async fn assert_only_introspected_fields(sim: &Sim, session: &Session, path: &str) {
    let documents = documents_sent(sim, path).await;
    assert!(documents.len() > 5, "{} documents", documents.len());
    let named: BTreeSet<(String, String)> =
        documents.iter().flat_map(|d| fields_named(d)).collect();
    let tables: BTreeSet<String> = named
        .iter()
        .filter(|(ty, _)| ty == "query_root")
        .map(|(_, table)| table.clone())
        .collect();
    let known = introspected(session, &tables).await;
    for (ty, field) in &named {
        if ty == "query_root" {
            continue;
        }
        assert!(
            known[ty].contains(field),
            "the client named {ty}.{field}, which this server does not have"
        );
    }
}

#[tokio::test]
async fn no_v2_document_names_a_field_outside_what_introspection_returned() {
    let (sim, session) = start(profile(SchemaProfile::Contract), Flow::V2).await;
    let insights = sim_insights();
    insights.buildings(&session).await.unwrap();
    insights.building_detail(&session, 71).await.unwrap();
    for q in v2_queries() {
        let all = insights.metrics(&session, q.table).await.unwrap();
        let q = InsightQuery {
            metrics: all.to_vec(),
            ..q
        };
        fetch(&insights, &session, &q).await;
    }
    assert_only_introspected_fields(&sim, &session, "/v2/api").await;
}

#[tokio::test]
async fn no_v1_document_names_a_field_outside_what_introspection_returned() {
    let (sim, session) = start(SimConfig::default(), Flow::V1TopLevel).await;
    let insights = sim_insights();
    insights.buildings(&session).await.unwrap();
    insights.building_detail(&session, 71).await.unwrap();
    for table in [InsightTable::BuildingMetrics, InsightTable::ZoneMetrics] {
        let q = query(table, 71, Granularity::P1d, "2025-03-01", "2025-03-14");
        fetch(&insights, &session, &q).await;
    }
    assert_only_introspected_fields(&sim, &session, "/").await;
}

fn v1_month(group: Option<String>) -> InsightQuery {
    InsightQuery {
        group_id: group,
        ..query(
            InsightTable::BuildingMetrics,
            71,
            Granularity::P1d,
            "2025-03-01",
            "2025-03-31",
        )
    }
}

fn means(result: &InsightResult) -> Vec<f64> {
    result.rows.iter().filter_map(|r| r.values[0]).collect()
}

#[tokio::test]
async fn v1_without_a_group_shows_the_all_group_never_a_mixture() {
    let (sim, session) = start(SimConfig::default(), Flow::V1TopLevel).await;
    let [everyone, visitors] = <[String; 2]>::try_from(sim.v1_groups()).unwrap();
    assert!(everyone.starts_with("all-") && visitors.starts_with("visitors-"));
    let insights = sim_insights();

    let detail = insights.building_detail(&session, 71).await.unwrap();
    assert_eq!(detail.groups, [everyone.clone(), visitors.clone()]);

    let none = fetch(&insights, &session, &v1_month(None)).await;
    let all = fetch(&insights, &session, &v1_month(Some(everyone.clone()))).await;
    let some = fetch(&insights, &session, &v1_month(Some(visitors.clone()))).await;
    assert_eq!(none.rows.len(), 31);
    assert_eq!(means(&none), means(&all), "no group chosen: the all- group");
    assert_eq!(none.group_id.as_deref(), Some(everyone.as_str()));
    assert_eq!(some.group_id.as_deref(), Some(visitors.as_str()));
    // The visitors are 15 % of the people: never the building's figure.
    for (a, v) in means(&all).iter().zip(means(&some)) {
        assert!(
            (v - 0.15 * a).abs() < 1e-9 && (a - v).abs() > 1e-6,
            "{a} {v}"
        );
    }
}

#[tokio::test]
async fn v1_discovery_finds_buildings_sites_and_zones_of_data_that_ended_long_ago() {
    for days_later in [30, 400, 900] {
        let (_sim, session) = start(SimConfig::default(), Flow::V1TopLevel).await;
        // The client's today is long after the tenant's last published day.
        let insights = insights_on(sim_today() + Duration::days(days_later));
        let buildings = insights.buildings(&session).await.unwrap();
        assert_eq!(buildings.len(), 5, "{days_later} days later");
        let tz = |id: i64| {
            buildings
                .iter()
                .find(|b| b.id == id)
                .map(|b| b.time_zone.clone())
        };
        assert_eq!(tz(73).as_deref(), Some("Australia/Sydney"));
        let detail = insights.building_detail(&session, 73).await.unwrap();
        assert_eq!(
            (detail.sites.len(), detail.zones.len()),
            (2, 12),
            "{days_later} days later"
        );
        assert!(detail.capacity.is_some_and(|c| c > 0.0));
    }
}
