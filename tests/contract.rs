//! `ui/contract.js` (the window's names, codes and limits) is exactly what Rust writes now
//! (src-tauri/contract.rs). `OCCUDESK_WRITE_CONTRACT=1 cargo test --test contract` rewrites it.

use std::path::Path;

use occudesk_app::contract;

const WRITE_ENV: &str = "OCCUDESK_WRITE_CONTRACT";

#[test]
fn the_window_contract_is_what_rust_writes() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(contract::PATH);
    let fresh = contract::render();
    if std::env::var_os(WRITE_ENV).is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed == fresh {
        return;
    }
    let first = committed
        .lines()
        .zip(fresh.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| committed.lines().count().min(fresh.lines().count()));
    panic!(
        "{} is stale: Rust now writes something else. First difference, line {}:\n  committed: {}\n  Rust:      {}\nRegenerate it with `{WRITE_ENV}=1 cargo test --test contract` and commit it.",
        contract::PATH,
        first + 1,
        committed.lines().nth(first).unwrap_or("(end of file)"),
        fresh.lines().nth(first).unwrap_or("(end of file)"),
    );
}
