//! The crates' dependency graph is the architecture, and the compiler keeps it only if the
//! manifests do: this test reads the resolved graph (`cargo metadata`) and fails when a layer
//! reaches one it must not.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// The platform this test runs on: the graph is resolved for it alone, from what is already
/// downloaded (no network).
fn host() -> String {
    let out = Command::new("rustc")
        .arg("-vV")
        .output()
        .expect("rustc -vV runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .expect("rustc names its host")
}

/// Normal (not dev, not build) dependencies of every package in the resolved graph, by name.
fn normal_graph() -> BTreeMap<String, BTreeSet<String>> {
    let out = Command::new(cargo())
        .args(["metadata", "--format-version", "1", "--offline", "--locked"])
        .args(["--filter-platform", &host()])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let name_of: BTreeMap<&str, &str> = meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap_or(""),
                p["name"].as_str().unwrap_or(""),
            )
        })
        .collect();
    meta["resolve"]["nodes"]
        .as_array()
        .expect("resolve nodes")
        .iter()
        .map(|node| {
            let name = name_of[node["id"].as_str().unwrap_or("")].to_owned();
            let deps = node["deps"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|d| {
                    d["dep_kinds"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|k| k["kind"].is_null())
                })
                .map(|d| name_of[d["pkg"].as_str().unwrap_or("")].to_owned())
                .collect();
            (name, deps)
        })
        .collect()
}

/// Everything `root` reaches through normal dependencies.
fn reach(graph: &BTreeMap<String, BTreeSet<String>>, root: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![root.to_owned()];
    while let Some(next) = todo.pop() {
        for dep in graph.get(&next).into_iter().flatten() {
            if seen.insert(dep.clone()) {
                todo.push(dep.clone());
            }
        }
    }
    seen
}

#[test]
fn each_layer_reaches_only_the_layers_below_it() {
    let graph = normal_graph();
    let ours = |set: &BTreeSet<String>| -> BTreeSet<String> {
        set.iter()
            .filter(|d| d.starts_with("occudesk"))
            .cloned()
            .collect()
    };
    let under = |crate_name: &str, allowed: &[&str]| {
        let reached = ours(&reach(&graph, crate_name));
        let allowed: BTreeSet<String> = allowed.iter().map(|s| s.to_string()).collect();
        assert!(
            reached.is_subset(&allowed),
            "{crate_name} reaches {:?}, beyond {allowed:?}",
            reached.difference(&allowed).collect::<Vec<_>>()
        );
    };
    // The product never links the simulator: demo data comes from the doors.
    under(
        "occudesk-core",
        &[
            "occudesk-net",
            "occudesk-auth",
            "occudesk-store",
            "occudesk-figures",
            "occudesk-charts",
            "occudesk-innerspace",
            "occudesk-parquet",
        ],
    );
    under("occudesk-net", &[]);
    // Parquet files from figures' rows: the Apache crates behind one small crate.
    under("occudesk-parquet", &["occudesk-figures", "occudesk-charts"]);
    under("occudesk-auth", &["occudesk-net"]);
    under(
        "occudesk-store",
        &[
            "occudesk-net",
            "occudesk-auth",
            "occudesk-figures",
            "occudesk-charts",
        ],
    );
    under(
        "occudesk-innerspace",
        &[
            "occudesk-net",
            "occudesk-auth",
            "occudesk-store",
            "occudesk-figures",
            "occudesk-charts",
        ],
    );
    under("occudesk-figures", &["occudesk-charts"]);
    under("occudesk-charts", &[]);

    // Figures and charts are pure: no network code at all.
    for pure in ["occudesk-figures", "occudesk-charts", "occudesk-parquet"] {
        let reached = reach(&graph, pure);
        for network in ["reqwest", "hyper", "rustls", "occudesk-net"] {
            assert!(!reached.contains(network), "{pure} reaches {network}");
        }
    }

    // The doors depend on the Desk's crate (and the demo data they start), nothing below it.
    for door in ["occudesk", "occudesk-cli"] {
        let direct = ours(&graph[door]);
        let expected: BTreeSet<String> = ["occudesk-core", "occudesk-demo"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(direct, expected, "{door}'s own crates");
    }
}
