//! Occupancy Desk core: everything that is not Tauri.
//!
//! The desktop shell (`src-tauri/`) and the CLI (`crates/cli`) are thin layers over one
//! [`Desk`], which owns the settings, the keyring vault, the HTTP client and the token sessions.

/// Connections, the keyring vault and token exchange (the `occudesk-auth` crate).
pub use occudesk_auth::{self as auth, connections, vault};
mod desk;
/// Settings, the registry of connections and the local cache (the `occudesk-store` crate).
pub use occudesk_store::{cache, file_safety, paths, registry, settings};
pub mod health;
/// Insight series and the figures computed from them (the `occudesk-figures` crate).
pub use occudesk_figures as insights;
/// The InnerSpace client and the fetch engine (the `occudesk-innerspace` crate).
pub use occudesk_innerspace as innerspace;
/// The HTTP client and the errors (the `occudesk-net` crate).
pub use occudesk_net::{error, http};
pub mod spatiafi;

pub use desk::{
    Chart, ChartKind, ChartOptions, ChartTheme, ConnectionList, ConnectionRef, ConnectionRow,
    CredentialList, CredentialRow, DEFAULT_ROW_BUDGET, DeleteOutcome, DemoServices, DemoSource,
    Desk, DeskConfig, DeskInfo, ExportFormat, MAX_PAGE_ROWS, NewCredential, OrphanedSecrets,
    Picked, Provenance, RevealedSecret, RowSort, RowSortKey, RowsPage, SignInRequest,
    SpatiafiPanel, SpatiafiSignIn, UseAsConnection, UsedAsConnection, VIEW_METRICS, ViewInfo,
    WARN_AT_COUNT,
};
// The bounds of the cache size limit, for the window's contract (src-tauri/contract.rs).
pub use desk::{MAX_CACHE_LIMIT_MB, MIN_CACHE_LIMIT_MB};
// Time series at any range, zoomed (issue 25).
pub use desk::{ChartWindow, RAW_DAYS_PT1H, RAW_DAYS_PT15M, SeriesPeriods};
// The Live board (issue 26).
pub use desk::{LiveBoard, LiveFloor, LiveZone, Liveness};
// Plan ahead (issue 24).
pub use desk::{ForecastChart, ForecastOptions, LoadedForecast, SpaceRef, WhatIfRequest};
// The portfolio (issue 23).
pub use desk::write_rows_parquet;
pub use desk::{
    BUILDINGS_AT_ONCE, Portfolio, PortfolioCharts, PortfolioProgress, PortfolioRequest,
    PortfolioRow, RowsSink, ZoneTypesView, portfolio_charts,
};
pub use occudesk_net::{Error, ErrorKind, Result, TokenEnd};
