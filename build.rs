// The window's commands have one source: the `#[tauri::command]` functions in
// src-tauri/commands/. This script reads them and writes `$OUT_DIR/commands.rs`, which the app
// includes (src-tauri/commands/mod.rs) for the handler list (`generate_handler!`), the list of
// names and each command's arguments as the window spells them (for ui/contract.js). The same
// names declare the app manifest, which makes Tauri check our own commands against
// capabilities/: without it every registered command would be callable by any page in the
// window. capabilities/main.json must grant each one by name; tests/commands.rs fails when it
// does not, or grants one that does not exist.

use std::fmt::Write as _;
use std::path::Path;

use heck::ToLowerCamelCase;
use syn::{FnArg, Item, Pat, Type};

const COMMANDS_DIR: &str = "src-tauri/commands";

/// Arguments Tauri fills in itself: the window never sends them.
const INJECTED: &[&str] = &[
    "State",
    "AppHandle",
    "Window",
    "Webview",
    "WebviewWindow",
    "Request",
    "CommandScope",
    "GlobalScope",
];

struct Command {
    module: String,
    name: String,
    /// (name as the window sends it, optional)
    args: Vec<(String, bool)>,
}

fn main() {
    println!("cargo:rerun-if-changed={COMMANDS_DIR}");
    let commands = read_commands(Path::new(COMMANDS_DIR));
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("commands.rs");
    std::fs::write(&out, render(&commands)).expect("write commands.rs");

    let names: Vec<&'static str> = commands
        .iter()
        .map(|c| &*Box::leak(c.name.clone().into_boxed_str()))
        .collect();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(names.leak())),
    )
    .expect("failed to run tauri-build");
}

/// Every `#[tauri::command]` function of the command modules, module by module in the order
/// `mod.rs` declares them, each in source order.
fn read_commands(dir: &Path) -> Vec<Command> {
    let root = parse(&dir.join("mod.rs"));
    let mut commands = Vec::new();
    for item in &root.items {
        let Item::Mod(module) = item else { continue };
        if module.content.is_some() {
            continue;
        }
        let name = module.ident.to_string();
        let file = parse(&dir.join(format!("{name}.rs")));
        for item in file.items {
            let Item::Fn(function) = item else { continue };
            let Some(attr) = function.attrs.iter().find(|a| is_command(a.path())) else {
                continue;
            };
            // `rename`, `rename_all` and the like would change what the window sends; this
            // script follows Tauri's defaults only, so refuse rather than guess.
            assert!(
                matches!(attr.meta, syn::Meta::Path(_)),
                "{name}::{}: #[tauri::command] with arguments is not supported by build.rs",
                function.sig.ident
            );
            let args = function
                .sig
                .inputs
                .iter()
                .filter_map(|input| {
                    let FnArg::Typed(arg) = input else {
                        return None;
                    };
                    if is_injected(&arg.ty) {
                        return None;
                    }
                    let Pat::Ident(ident) = &*arg.pat else {
                        panic!(
                            "{name}::{}: only plain argument names are supported",
                            function.sig.ident
                        );
                    };
                    let key = ident.ident.to_string().to_lower_camel_case();
                    Some((key, is_option(&arg.ty)))
                })
                .collect();
            commands.push(Command {
                module: name.clone(),
                name: function.sig.ident.to_string(),
                args,
            });
        }
    }
    assert!(
        !commands.is_empty(),
        "no #[tauri::command] in {COMMANDS_DIR}"
    );
    commands
}

fn parse(path: &Path) -> syn::File {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    syn::parse_file(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
}

fn is_command(path: &syn::Path) -> bool {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    segments == ["tauri", "command"] || segments == ["command"]
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(path) => path.path.segments.last(),
        Type::Reference(reference) => last_segment(&reference.elem),
        _ => None,
    }
}

fn is_injected(ty: &Type) -> bool {
    last_segment(ty).is_some_and(|s| INJECTED.contains(&s.ident.to_string().as_str()))
}

fn is_option(ty: &Type) -> bool {
    last_segment(ty).is_some_and(|s| s.ident == "Option")
}

fn render(commands: &[Command]) -> String {
    let mut out = String::from(
        "// Generated by build.rs from the #[tauri::command] functions in src-tauri/commands/.\n\n",
    );
    out.push_str("/// Every command the window may call, in the order of src-tauri/commands/.\n");
    out.push_str("pub const COMMANDS: &[&str] = &[\n");
    for c in commands {
        writeln!(out, "    {:?},", c.name).unwrap();
    }
    out.push_str("];\n\n");
    out.push_str("/// Each command with the arguments the window sends, named as it sends them.\n");
    out.push_str("pub const COMMAND_ARGS: &[CommandArgs] = &[\n");
    for c in commands {
        let args: Vec<String> = c
            .args
            .iter()
            .map(|(name, optional)| format!("Arg {{ name: {name:?}, optional: {optional} }}"))
            .collect();
        writeln!(
            out,
            "    CommandArgs {{ command: {:?}, args: &[{}] }},",
            c.name,
            args.join(", ")
        )
        .unwrap();
    }
    out.push_str("];\n\n");
    out.push_str("/// The handler for every command above (`Builder::invoke_handler`).\n");
    out.push_str("macro_rules! handler {\n    () => {\n        tauri::generate_handler![\n");
    for c in commands {
        writeln!(
            out,
            "            crate::commands::{}::{},",
            c.module, c.name
        )
        .unwrap();
    }
    out.push_str("        ]\n    };\n}\npub(crate) use handler;\n");
    out
}
