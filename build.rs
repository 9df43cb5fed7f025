// Declaring an app manifest makes Tauri check our own commands against capabilities/; without
// it every registered command would be callable by any page in the window.
include!("src-tauri/commands/names.rs");

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
