// Every command the window may call. Included by build.rs (app manifest, so capabilities
// govern these) and by the app (a test checks capabilities/main.json grants each one).
pub const COMMANDS: &[&str] = &[
    "app_info",
    "set_demo_data",
    "cache_info",
    "clear_cache",
    "set_cache_limit",
    "connection_catalog",
    "list_connections",
    "check_connection",
    "save_connection",
    "delete_connection",
    "test_connection",
    "insight_table",
    "buildings",
    "building_detail",
    "insight_metrics",
    "fetch_insights",
    "cancel_fetch",
];
