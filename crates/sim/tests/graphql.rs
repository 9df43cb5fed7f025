//! GraphQL behaviour: validation errors, introspection, Hasura filters,
//! ordering, paging, the row cap, v1 tables and groups.

mod common;

use common::*;
use occudesk_sim::{SimConfig, demo};
use serde_json::{Value, json};

#[tokio::test]
async fn invalid_graphql_is_an_error_with_a_code() {
    let sim = start(SimConfig::default()).await;
    let s = v2_session(&sim).await;
    for (query, vars) in [
        ("{ BUILDING_INSIGHTS( ", json!({})),          // syntax
        ("{ BUILDING_INSIGHTS { NOPE } }", json!({})), // unknown field
        ("{ NOT_A_TABLE { ID } }", json!({})),         // unknown root
        ("{ BUILDING_INSIGHTS(foo: 1) { BUILDING_ID } }", json!({})), // unknown argument
        (
            "{ BUILDING_INSIGHTS(limit: \"x\") { BUILDING_ID } }",
            json!({}),
        ), // bad argument type
        (
            "{ BUILDING_INSIGHTS(where: {BUILDING_ID: {_eq: \"71\"}}) { BUILDING_ID } }",
            json!({}),
        ),
        (
            "{ BUILDING_INSIGHTS(where: {NOPE: {_eq: 1}}) { BUILDING_ID } }",
            json!({}),
        ),
        (
            "query($b: Int!) { BUILDING(where: {ID: {_eq: $b}}) { ID } }",
            json!({}),
        ), // missing variable
        (
            "query($b: Int!) { BUILDING(where: {ID: {_eq: $b}}) { ID } }",
            json!({"b": "x"}),
        ), // mistyped variable
        ("{ BUILDING(order_by: {ID: sideways}) { ID } }", json!({})),
        ("{ BUILDING(limit: -1) { ID } }", json!({})),
    ] {
        let (status, body) = v2_query(&sim, &s, query, vars).await;
        assert_eq!(status, 200, "{query}");
        assert!(body.get("data").is_none(), "{query}: {body}");
        assert_eq!(error_code(&body), "validation-failed", "{query}: {body}");
        assert!(body["errors"][0]["message"].is_string());
    }
    let (status, body) = v2_query(
        &sim,
        &s,
        "{ BUILDING_INSIGHTS(where: {DATE_TIME_START: {_gte: \"soon\"}}) { BUILDING_ID } }",
        json!({}),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (200, "data-exception".to_owned())
    );
}

#[tokio::test]
async fn introspection_lists_tables_metrics_and_hasura_types() {
    let sim = start(SimConfig::default()).await;
    let s = v2_session(&sim).await;
    let q = "query { __schema { queryType { name fields { name } } }
        bi: __type(name: \"BUILDING_INSIGHTS\") { fields { name type { kind name ofType { name } } } }
        zi: __type(name: \"ZONE_INSIGHTS\") { fields { name } }
        ob: __type(name: \"order_by\") { enumValues { name } }
        be: __type(name: \"BUILDING_INSIGHTS_bool_exp\") { inputFields { name type { name } } }
        ic: __type(name: \"Int_comparison_exp\") { inputFields { name } } }";
    let (_, body) = v2_query(&sim, &s, q, json!({})).await;
    let data = &body["data"];
    assert_eq!(data["__schema"]["queryType"]["name"], "query_root");
    let roots: Vec<&str> = data["__schema"]["queryType"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    for t in [
        "BUILDING_INSIGHTS",
        "ZONE_INSIGHTS",
        "ZONE_TYPE_INSIGHTS",
        "BUILDING",
        "FLOOR",
        "SITE",
        "ZONE",
    ] {
        assert!(roots.contains(&t), "{t} in {roots:?}");
    }
    let names = |v: &Value, key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|f| f["name"].as_str().map(str::to_owned))
            .collect()
    };
    let bi = names(&data["bi"], "fields");
    for m in [
        "OCCUPANCY_MEAN",
        "OCCUPANCY_MAX",
        "OCCUPANCY_POS_MEAN",
        "OCCUPANCY_PERCENT_CAPACITY_MEAN",
        "DATE_PARTITION",
        "DATE_TIME_START",
    ] {
        assert!(bi.contains(&m.to_owned()), "{m}");
    }
    let mean = data["bi"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["name"] == "OCCUPANCY_MEAN")
        .expect("mean");
    assert_eq!(mean["type"]["name"], "Float");
    assert!(names(&data["zi"], "fields").contains(&"CAPACITY".to_owned()));
    assert!(names(&data["ob"], "enumValues").contains(&"desc".to_owned()));
    let be = data["be"]["inputFields"].as_array().expect("inputFields");
    let ty_of = |n: &str| {
        be.iter()
            .find(|f| f["name"] == n)
            .map(|f| f["type"]["name"].clone())
    };
    assert_eq!(ty_of("DATE_PARTITION"), Some(json!("Int_comparison_exp")));
    assert_eq!(ty_of("GROUP_ID"), Some(json!("String_comparison_exp")));
    assert_eq!(
        ty_of("DATE_TIME_START"),
        Some(json!("timestamptz_comparison_exp"))
    );
    assert_eq!(ty_of("OCCUPANCY_MEAN"), Some(json!("Float_comparison_exp")));
    assert!(ty_of("_and").is_some() && ty_of("_or").is_some() && ty_of("_not").is_some());
    let ic = names(&data["ic"], "inputFields");
    for op in [
        "_eq", "_neq", "_gt", "_gte", "_lt", "_lte", "_in", "_nin", "_is_null",
    ] {
        assert!(ic.contains(&op.to_owned()), "{op}");
    }
}

#[tokio::test]
async fn where_order_limit_offset_follow_hasura() {
    let sim = start(SimConfig::default()).await;
    let s = v2_session(&sim).await;
    let zones = |w: Value| {
        let s = s.clone();
        let sim = sim.clone();
        async move {
            let q = "query z($w: ZONE_bool_exp!) { ZONE(where: $w, order_by: [{ID: asc}]) { ID BUILDING_ID ZONE_TYPE CAPACITY NAME } }";
            let (_, body) = v2_query(&sim, &s, q, json!({"w": w})).await;
            rows(&body, "ZONE")
                .iter()
                .map(|r| r["ID"].as_i64().expect("id"))
                .collect::<Vec<i64>>()
        }
    };
    let all = zones(json!({})).await;
    assert!(all.len() >= 30);
    let b71 = zones(json!({"BUILDING_ID": {"_eq": 71}})).await;
    assert_eq!(b71.len(), 18);
    assert!(
        zones(json!({"BUILDING_ID": {"_neq": 71}}))
            .await
            .iter()
            .all(|id| !b71.contains(id))
    );
    assert_eq!(
        zones(json!({"BUILDING_ID": {"_in": [71, 75]}})).await.len(),
        24
    );
    assert_eq!(
        zones(json!({"BUILDING_ID": {"_nin": [71, 75]}}))
            .await
            .len(),
        all.len() - 24
    );
    assert_eq!(
        zones(json!({"BUILDING_ID": {"_gt": 71, "_lte": 73}}))
            .await
            .len(),
        24
    );
    assert_eq!(
        zones(json!({"_or": [{"BUILDING_ID": {"_eq": 71}}, {"BUILDING_ID": {"_eq": 72}}]}))
            .await
            .len(),
        30
    );
    assert_eq!(
        zones(json!({"_not": {"BUILDING_ID": {"_lt": 75}}}))
            .await
            .len(),
        6
    );
    assert_eq!(
        zones(json!({"_and": [{"BUILDING_ID": {"_gte": 74}}, {"ZONE_TYPE": {"_eq": "KITCHEN"}}]}))
            .await
            .len(),
        3
    );
    assert_eq!(
        zones(json!({"NAME": {"_like": "Kitchen%"}})).await.len(),
        all.len() / 6
    );
    assert_eq!(
        zones(json!({"NAME": {"_ilike": "kitchen%"}})).await.len(),
        all.len() / 6
    );
    assert_eq!(zones(json!({"NAME": {"_is_null": true}})).await.len(), 0);
    assert_eq!(
        zones(json!({"NAME": {"_is_null": false}})).await.len(),
        all.len()
    );

    // order_by with two keys, then limit/offset pages of that order.
    let q = "query { ZONE(order_by: [{CAPACITY: desc}, {ID: asc}]) { ID CAPACITY } }";
    let (_, body) = v2_query(&sim, &s, q, json!({})).await;
    let ordered = rows(&body, "ZONE").clone();
    for w in ordered.windows(2) {
        let (a, b) = (f(&w[0]["CAPACITY"]), f(&w[1]["CAPACITY"]));
        assert!(a > b || (a == b && w[0]["ID"].as_i64() < w[1]["ID"].as_i64()));
    }
    let q = "query p($l: Int!, $o: Int!) { page: ZONE(order_by: [{CAPACITY: desc}, {ID: asc}], limit: $l, offset: $o) { ID CAPACITY } }";
    let (_, body) = v2_query(&sim, &s, q, json!({"l": 7, "o": 5})).await;
    assert_eq!(rows(&body, "page").as_slice(), &ordered[5..12]);
}

#[tokio::test]
async fn row_cap_truncates_silently() {
    let sim = start(SimConfig {
        row_cap: 100,
        ..SimConfig::default()
    })
    .await;
    let s = v2_session(&sim).await;
    let q = "query w($o: Int) { BUILDING_INSIGHTS(where: {BUILDING_ID: {_eq: 74}, GRANULARITY: {_eq: \"PT15M\"},
              DATE_PARTITION: {_gte: 20250602, _lte: 20250608}}, order_by: {DATE_TIME_START: asc}, offset: $o) { DATE_TIME_START } }";
    let (status, body) = v2_query(&sim, &s, q, json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(rows(&body, "BUILDING_INSIGHTS").len(), 100);
    let (_, body) = v2_query(&sim, &s, q, json!({"o": 650})).await;
    assert_eq!(
        rows(&body, "BUILDING_INSIGHTS").len(),
        22,
        "7 days × 96 = 672 rows in all"
    );
    assert_eq!(sim.counters(demo::V2_CLIENT_ID).rows, 122);
}

#[tokio::test]
async fn aliases_variables_typename_and_groups() {
    let sim = start(SimConfig::default()).await;
    let s = v2_session(&sim).await;
    // Hasura-typed variables, two aliased root fields, __typename, a fragment.
    let q = "query two($w: BUILDING_INSIGHTS_bool_exp!, $o: [BUILDING_INSIGHTS_order_by!], $g: String!) {
        a: BUILDING_INSIGHTS(where: $w, order_by: $o, limit: 2) { t: __typename start: DATE_TIME_START ...m }
        b: BUILDING_INSIGHTS(where: {_and: [$w, {GROUP_ID: {_eq: $g}}]}, limit: 2) { BUILDING_ID }
      }
      fragment m on BUILDING_INSIGHTS { OCCUPANCY_MEAN GROUP_ID }";
    let w = json!({"BUILDING_ID": {"_eq": 71}, "SITE_ID": {"_eq": 900000222}, "GRANULARITY": {"_eq": "P1D"}, "DATE_PARTITION": {"_gte": 20250501, "_lte": 20250510}});
    let (_, body) = v2_query(&sim, &s, q, json!({"w": w, "o": [{"DATE_TIME_START": "desc"}], "g": "all-e707b3a8-0732-49ae-9156-13ff1138540e"})).await;
    let a = rows(&body, "a");
    assert_eq!(a.len(), 2);
    assert_eq!(a[0]["t"], "BUILDING_INSIGHTS");
    assert_eq!(a[0]["start"], "2025-05-10T05:00:00.000Z");
    assert_eq!(a[0]["GROUP_ID"], "00000000-0000-0000-0000-000000000000");
    assert_eq!(a[0].as_object().map(|o| o.len()), Some(4));
    assert!(rows(&body, "b").is_empty(), "another group has no rows");

    // v1: long format, the customer's own `all-` group.
    let token = v1_token(&sim).await;
    let q = "query sample_graphql($g: String!) {
        data: building_features(where: {_and: [{building_id: {_eq: 71}}, {feature_name: {_eq: \"weekly_frequency_dist\"}},
          {granularity: {_eq: \"P1W\"}}, {group_id: {_eq: $g}},
          {date_time_start: {_gte: \"2025-01-06T06:00:00.000Z\", _lt: \"2025-01-13T06:00:00.000Z\"}}]}) { feature_value date_time_start group_id } }";
    let (_, body) = v1_query(&sim, &token, q, json!({"g": sim.v1_group_id()})).await;
    let data = rows(&body, "data");
    assert_eq!(data.len(), 1, "{body}");
    assert_eq!(data[0]["date_time_start"], "2025-01-06T06:00:00.000Z");
    assert!(sim.v1_group_id().starts_with("all-"));
    let dist = data[0]["feature_value"].as_object().expect("object");
    assert_eq!(
        dist.keys().cloned().collect::<Vec<_>>(),
        ["1", "2", "3", "4", "5", "6", "7"]
    );
    let total: f64 = dist.values().map(f).sum();
    assert!((total - 1.0).abs() < 1e-3, "{total}");
    let (_, body) = v1_query(
        &sim,
        &token,
        q,
        json!({"g": "all-e707b3a8-0732-49ae-9156-13ff1138540e"}),
    )
    .await;
    assert!(rows(&body, "data").is_empty());

    // v1 metrics carry the same numbers as v2 insights in the all- group; the visitors- group
    // counts 15 % of the people. Without a group filter both come back, all- first.
    let q1 = "{ m: building_metrics(where: {building_id: {_eq: 72}, granularity: {_eq: \"P1D\"}, metric_name: {_eq: \"occupancy_mean\"},
               date_time_start: {_eq: \"2025-06-03T23:00:00Z\"}}) { group_id metric_value metric_name } }";
    let (_, b1) = v1_query(&sim, &token, q1, json!({})).await;
    let q2 = "{ BUILDING_INSIGHTS(where: {BUILDING_ID: {_eq: 72}, GRANULARITY: {_eq: \"P1D\"}, DATE_PARTITION: {_eq: 20250604}}) { OCCUPANCY_MEAN DATE_TIME_START } }";
    let (_, b2) = v2_query(&sim, &s, q2, json!({})).await;
    let v1 = rows(&b1, "m");
    let v2 = rows(&b2, "BUILDING_INSIGHTS");
    assert_eq!((v1.len(), v2.len()), (2, 1), "{b1} {b2}");
    assert_eq!(v2[0]["DATE_TIME_START"], "2025-06-03T23:00:00.000Z");
    assert_eq!(v1[0]["group_id"], sim.v1_groups()[0]);
    assert_eq!(v1[0]["metric_value"], v2[0]["OCCUPANCY_MEAN"]);
    assert_eq!(v1[1]["group_id"], sim.v1_groups()[1]);
    let (all, visitors) = (f(&v1[0]["metric_value"]), f(&v1[1]["metric_value"]));
    assert!((visitors - 0.15 * all).abs() < 1e-9, "{all} {visitors}");

    // Other v1 tables answer.
    for t in [
        "building_metrics",
        "site_metrics",
        "site_features",
        "zone_metrics",
        "zone_features",
    ] {
        let q = format!(
            "{{ {t}(limit: 3, where: {{granularity: {{_eq: \"P1W\"}}}}) {{ building_id granularity date_time_start }} }}"
        );
        let (_, body) = v1_query(&sim, &token, &q, json!({})).await;
        assert_eq!(rows(&body, t).len(), 3, "{t}: {body}");
    }
    let counters = sim.counters(demo::V1_CLIENT_ID);
    assert_eq!((counters.token_requests, counters.api_requests), (1, 8));
    assert_eq!(counters.rows, 1 + 2 + 15);
}
