// Every command the window may call. Included by build.rs (app manifest, so capabilities
// govern these) and by the app (a test checks capabilities/main.json grants each one).
pub const COMMANDS: &[&str] = &[
    "app_info",
    "list_connections",
    "save_connection",
    "delete_connection",
    "connection_has_secret",
    "set_demo_data",
    "test_connection",
];
