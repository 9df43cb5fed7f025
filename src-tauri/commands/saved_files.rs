//! Files this run of the app saved through the save dialog, and "Show in folder" for them.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use occudesk_core::{Error, Result};
use tauri::State;

/// The paths the user chose in the save dialog since the app started: the only files "Show in
/// folder" reveals, so the window cannot point the file manager anywhere else.
#[derive(Default)]
pub struct SavedFiles(Mutex<HashSet<PathBuf>>);

impl SavedFiles {
    pub fn add(&self, path: &Path) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_owned());
    }

    fn contains(&self, path: &Path) -> bool {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(path)
    }
}

/// "Show in folder" beside "Saved …": the system's file manager opens its folder with the
/// file selected.
#[tauri::command]
pub async fn show_in_folder(saved: State<'_, SavedFiles>, path: String) -> Result<()> {
    let path = PathBuf::from(path);
    if !saved.contains(&path) {
        return Err(Error::invalid(
            "path",
            "Only a file this app saved can be shown in its folder.",
        ));
    }
    // A D-Bus call (or the Windows shell): off the async threads.
    tauri::async_runtime::spawn_blocking(move || tauri_plugin_opener::reveal_item_in_dir(&path))
        .await
        .map_err(|e| Error::invalid("path", format!("The folder could not be shown: {e}")))?
        .map_err(|e| {
            Error::invalid(
                "path",
                format!("No file manager could show the folder ({e}); the file is saved."),
            )
        })
}
