//! Window commands, one module per area, each one call on the `Desk`. Commands that may wait
//! (keyring, network, disk) are `async`, so they run off the main thread.
//!
//! The functions below are the one list of commands: build.rs reads every `#[tauri::command]`
//! in these modules and generates the handler, [`COMMANDS`] (which also declares the app
//! manifest, so capabilities/main.json must grant each by name) and [`COMMAND_ARGS`] (what
//! ui/contract.js documents). A new command is a function here and a line in the capability.

pub mod app;
pub mod app_credentials;
pub mod charts;
pub mod connections;
pub mod insights;
pub mod live;
pub mod plan_ahead;
pub mod planning;
pub mod portfolio;
pub mod saved_files;

/// One argument of a command, named as the window sends it (camelCase).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arg {
    pub name: &'static str,
    /// An `Option`: the window may leave it out.
    pub optional: bool,
}

/// A command and the arguments the window sends it (Tauri fills in the rest: state, app handle).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandArgs {
    pub command: &'static str,
    pub args: &'static [Arg],
}

include!(concat!(env!("OUT_DIR"), "/commands.rs"));
