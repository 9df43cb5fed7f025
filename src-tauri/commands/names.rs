// Every command the window may call. Included by build.rs (app manifest, so capabilities
// govern these) and by the app (a test checks capabilities/main.json grants each one).
pub const COMMANDS: &[&str] = &[
    "app_info",
    "set_demo_data",
    "connection_catalog",
    "list_connections",
    "check_connection",
    "save_connection",
    "delete_connection",
    "test_connection",
    "spatiafi_panel",
    "spatiafi_sign_in",
    "spatiafi_sign_out",
    "list_app_credentials",
    "create_app_credential",
    "retry_save_app_credential",
    "delete_app_credential",
    "use_app_credential_as_connection",
];
