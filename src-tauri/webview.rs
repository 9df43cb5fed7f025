//! WebKitGTK settings a bare Tauri window leaves at their defaults, chosen for a one-page app
//! that draws its charts as images (measured with `bench/startup-memory.sh`; see README).
//!
//! - **Cache model: document viewer.** WebKit's default (web browser) keeps decoded resources
//!   and whole pages in memory for back/forward navigation. This window never navigates and
//!   its few assets are embedded in the binary, so those caches only hold memory.
//! - **Hardware acceleration: never.** The default composites through OpenGL/DMA-BUF, which
//!   costs a GL context and buffers in the web process (and, with no GPU, Mesa's software
//!   rasteriser). Our pages are forms, tables and chart images: painting them without
//!   compositing is as quick to the eye and much lighter.
//! - **JavaScript without the JIT.** The window's scripts only build forms and tables (the
//!   numbers are crunched in Rust), so JavaScriptCore's interpreter is quick enough, and its
//!   JIT's code and profiling memory is saved. No JIT also means no writable-and-executable
//!   memory in the process that shows remote data.
//!
//! `OCCUDESK_WEBKIT_DEFAULTS=1` leaves WebKit at its defaults: for comparison, or if a
//! graphics driver ever draws the window wrongly.

use tauri::{Runtime, WebviewWindow};

const DEFAULTS_ENV: &str = "OCCUDESK_WEBKIT_DEFAULTS";

fn defaults_wanted() -> bool {
    std::env::var_os(DEFAULTS_ENV).is_some_and(|v| v == "1")
}

/// Settings WebKit reads from the environment of the processes it starts, so they must be in
/// place before the first web view exists. A value the user set is kept.
///
/// `run` calls it first, while the process has a single thread.
pub fn prepare_environment() {
    if defaults_wanted() || std::env::var_os("JSC_useJIT").is_some() {
        return;
    }
    // SAFETY: called at the start of `run`, from `main`, before Tauri, tokio or GTK start any
    // thread, so nothing can read the environment concurrently.
    unsafe { std::env::set_var("JSC_useJIT", "0") };
}

pub fn tune<R: Runtime>(window: &WebviewWindow<R>) {
    if defaults_wanted() {
        tracing::info!("{DEFAULTS_ENV}=1: WebKit runs with its default settings");
        return;
    }
    #[cfg(target_os = "linux")]
    if let Err(e) = window.with_webview(|webview| linux::tune(&webview.inner())) {
        tracing::warn!("could not tune the web view: {e}");
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

#[cfg(target_os = "linux")]
mod linux {
    use webkit2gtk::{
        CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebView, WebViewExt,
    };

    pub fn tune(view: &WebView) {
        if let Some(context) = view.context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
        if let Some(settings) = WebViewExt::settings(view) {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            settings.set_enable_page_cache(false);
        }
    }
}
