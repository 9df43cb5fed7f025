// Every command the window may call. Included by build.rs (app manifest, so capabilities
// govern these) and by the app (a test checks capabilities/main.json grants each one).
pub const COMMANDS: &[&str] = &[
    "app_info",
    "set_demo_data",
    "restore_settings",
    "orphaned_secrets",
    "remove_orphaned_secrets",
    "connection_catalog",
    "list_connections",
    "check_connection",
    "save_connection",
    "delete_connection",
    "test_connection",
];
