// Generated from Rust by src-tauri/contract.rs: do not edit. Regenerate with
//   OCCUDESK_WRITE_CONTRACT=1 cargo test --test contract
// (tests/contract.rs fails while this file differs from what Rust would write).
//
// The window's vocabulary: every name, code and limit Rust and the window agree on.
// Enum objects map the Rust variant (lowerCamelCase) to the name on the wire.

/** The window's commands (src-tauri/commands/), each with the arguments `invoke` takes (`?`: may be left out). */
export const Command = Object.freeze({
  /** `app_info()` */
  app_info: "app_info",
  /** `set_demo_data({ enabled })` */
  set_demo_data: "set_demo_data",
  /** `restore_settings()` */
  restore_settings: "restore_settings",
  /** `orphaned_secrets()` */
  orphaned_secrets: "orphaned_secrets",
  /** `remove_orphaned_secrets()` */
  remove_orphaned_secrets: "remove_orphaned_secrets",
  /** `set_theme({ theme })` */
  set_theme: "set_theme",
  /** `set_utilization_basis({ basis })` */
  set_utilization_basis: "set_utilization_basis",
  /** `set_time_display({ display, clock })` */
  set_time_display: "set_time_display",
  /** `cache_info()` */
  cache_info: "cache_info",
  /** `clear_cache()` */
  clear_cache: "clear_cache",
  /** `set_cache_limit({ limitMb })` */
  set_cache_limit: "set_cache_limit",
  /** `spatiafi_panel()` */
  spatiafi_panel: "spatiafi_panel",
  /** `spatiafi_sign_in({ request })` */
  spatiafi_sign_in: "spatiafi_sign_in",
  /** `spatiafi_sign_out()` */
  spatiafi_sign_out: "spatiafi_sign_out",
  /** `list_app_credentials()` */
  list_app_credentials: "list_app_credentials",
  /** `create_app_credential({ allowMany })` */
  create_app_credential: "create_app_credential",
  /** `retry_save_app_credential({ clientId })` */
  retry_save_app_credential: "retry_save_app_credential",
  /** `delete_app_credential({ clientId })` */
  delete_app_credential: "delete_app_credential",
  /** `use_app_credential_as_connection({ request })` */
  use_app_credential_as_connection: "use_app_credential_as_connection",
  /** `summary({ viewId, window? })` */
  summary: "summary",
  /** `chart({ viewId, kind, options, window? })` */
  chart: "chart",
  /** `export_chart({ viewId, kind, options, format })` */
  export_chart: "export_chart",
  /** `export_report({ viewId })` */
  export_report: "export_report",
  /** `connection_catalog()` */
  connection_catalog: "connection_catalog",
  /** `list_connections()` */
  list_connections: "list_connections",
  /** `check_connection({ draft })` */
  check_connection: "check_connection",
  /** `save_connection({ draft, secret? })` */
  save_connection: "save_connection",
  /** `delete_connection({ id })` */
  delete_connection: "delete_connection",
  /** `test_connection({ id })` */
  test_connection: "test_connection",
  /** `insight_table({ connectionId, picked })` */
  insight_table: "insight_table",
  /** `buildings({ connectionId })` */
  buildings: "buildings",
  /** `building_detail({ connectionId, buildingId })` */
  building_detail: "building_detail",
  /** `insight_metrics({ connectionId, table })` */
  insight_metrics: "insight_metrics",
  /** `fetch_insights({ connectionId, query, reload?, fetchId, onProgress })` */
  fetch_insights: "fetch_insights",
  /** `cancel_fetch({ fetchId })` */
  cancel_fetch: "cancel_fetch",
  /** `view_rows({ viewId, offset, limit, sort? })` */
  view_rows: "view_rows",
  /** `remember_view({ connectionId, buildingId, controls? })` */
  remember_view: "remember_view",
  /** `set_insights_connection({ connectionId? })` */
  set_insights_connection: "set_insights_connection",
  /** `live({ connectionId, buildingId })` */
  live: "live",
  /** `forecast({ connectionId, query, options, fetchId, onProgress })` */
  forecast: "forecast",
  /** `view_forecast({ viewId, options })` */
  view_forecast: "view_forecast",
  /** `forecast_chart({ viewId, options, chart })` */
  forecast_chart: "forecast_chart",
  /** `export_forecast({ viewId, options, chart, format })` */
  export_forecast: "export_forecast",
  /** `what_if({ connectionId, request, fetchId, onProgress })` */
  what_if: "what_if",
  /** `plan({ viewId, buffer?, byZoneType? })` */
  plan: "plan",
  /** `anomalies({ viewId })` */
  anomalies: "anomalies",
  /** `load_portfolio({ connectionId, from, to, options, fetchId, onProgress })` */
  load_portfolio: "load_portfolio",
  /** `portfolio_zone_types({ connectionId, buildingId, from, to, options, fetchId })` */
  portfolio_zone_types: "portfolio_zone_types",
  /** `target_band()` */
  target_band: "target_band",
  /** `set_target_band({ band })` */
  set_target_band: "set_target_band",
  /** `show_in_folder({ path })` */
  show_in_folder: "show_in_folder",
});

/** The arguments each command takes; `call` refuses any other (Tauri would ignore it). */
export const COMMAND_ARGS = Object.freeze({
  app_info: Object.freeze([]),
  set_demo_data: Object.freeze(["enabled"]),
  restore_settings: Object.freeze([]),
  orphaned_secrets: Object.freeze([]),
  remove_orphaned_secrets: Object.freeze([]),
  set_theme: Object.freeze(["theme"]),
  set_utilization_basis: Object.freeze(["basis"]),
  set_time_display: Object.freeze(["display", "clock"]),
  cache_info: Object.freeze([]),
  clear_cache: Object.freeze([]),
  set_cache_limit: Object.freeze(["limitMb"]),
  spatiafi_panel: Object.freeze([]),
  spatiafi_sign_in: Object.freeze(["request"]),
  spatiafi_sign_out: Object.freeze([]),
  list_app_credentials: Object.freeze([]),
  create_app_credential: Object.freeze(["allowMany"]),
  retry_save_app_credential: Object.freeze(["clientId"]),
  delete_app_credential: Object.freeze(["clientId"]),
  use_app_credential_as_connection: Object.freeze(["request"]),
  summary: Object.freeze(["viewId", "window"]),
  chart: Object.freeze(["viewId", "kind", "options", "window"]),
  export_chart: Object.freeze(["viewId", "kind", "options", "format"]),
  export_report: Object.freeze(["viewId"]),
  connection_catalog: Object.freeze([]),
  list_connections: Object.freeze([]),
  check_connection: Object.freeze(["draft"]),
  save_connection: Object.freeze(["draft", "secret"]),
  delete_connection: Object.freeze(["id"]),
  test_connection: Object.freeze(["id"]),
  insight_table: Object.freeze(["connectionId", "picked"]),
  buildings: Object.freeze(["connectionId"]),
  building_detail: Object.freeze(["connectionId", "buildingId"]),
  insight_metrics: Object.freeze(["connectionId", "table"]),
  fetch_insights: Object.freeze(["connectionId", "query", "reload", "fetchId", "onProgress"]),
  cancel_fetch: Object.freeze(["fetchId"]),
  view_rows: Object.freeze(["viewId", "offset", "limit", "sort"]),
  remember_view: Object.freeze(["connectionId", "buildingId", "controls"]),
  set_insights_connection: Object.freeze(["connectionId"]),
  live: Object.freeze(["connectionId", "buildingId"]),
  forecast: Object.freeze(["connectionId", "query", "options", "fetchId", "onProgress"]),
  view_forecast: Object.freeze(["viewId", "options"]),
  forecast_chart: Object.freeze(["viewId", "options", "chart"]),
  export_forecast: Object.freeze(["viewId", "options", "chart", "format"]),
  what_if: Object.freeze(["connectionId", "request", "fetchId", "onProgress"]),
  plan: Object.freeze(["viewId", "buffer", "byZoneType"]),
  anomalies: Object.freeze(["viewId"]),
  load_portfolio: Object.freeze(["connectionId", "from", "to", "options", "fetchId", "onProgress"]),
  portfolio_zone_types: Object.freeze(["connectionId", "buildingId", "from", "to", "options", "fetchId"]),
  target_band: Object.freeze([]),
  set_target_band: Object.freeze(["band"]),
  show_in_folder: Object.freeze(["path"]),
});

/** Connection kinds: a connection's `kind` (core `ServiceKind`). */
export const ConnectionKind = Object.freeze({
  innerspaceV2: "innerspace-v2",
  innerspaceV1: "innerspace-v1",
  innerspaceToken: "innerspace-token",
  spatiafi: "spatiafi",
});

/** SpatiaFi sign-in methods (core `SpatiafiAuthMethod`). */
export const AuthMethod = Object.freeze({
  clientSecretJwt: "client_secret_jwt",
  clientSecretBasic: "client_secret_basic",
  clientSecretPost: "client_secret_post",
  password: "password",
  basic: "basic",
});

/** Period lengths an insight query asks for (core `Granularity`). */
export const Granularity = Object.freeze({
  pt15m: "PT15M",
  pt1h: "PT1H",
  p1d: "P1D",
  p1w: "P1W",
  p1m: "P1M",
});

/** The granularity picker's options, in order. */
export const GRANULARITIES = Object.freeze([
  Object.freeze({ value: "PT15M", label: "15 minutes" }),
  Object.freeze({ value: "PT1H", label: "Hour" }),
  Object.freeze({ value: "P1D", label: "Day" }),
  Object.freeze({ value: "P1W", label: "Week" }),
  Object.freeze({ value: "P1M", label: "Month" }),
]);

/** The tables insight queries read (core `InsightTable`). */
export const InsightTable = Object.freeze({
  buildingInsights: "BUILDING_INSIGHTS",
  zoneInsights: "ZONE_INSIGHTS",
  zoneTypeInsights: "ZONE_TYPE_INSIGHTS",
  buildingMetrics: "building_metrics",
  siteMetrics: "site_metrics",
  zoneMetrics: "zone_metrics",
  buildingFeatures: "building_features",
  siteFeatures: "site_features",
  zoneFeatures: "zone_features",
});

/** InnerSpace v2 tables: their buildings have zone types, so a plan per zone type. */
export const V2_TABLES = Object.freeze([
  "BUILDING_INSIGHTS",
  "ZONE_INSIGHTS",
  "ZONE_TYPE_INSIGHTS",
]);

/** The metric a view starts on when the table has it (v2's, then v1's). */
export const PREFERRED_METRICS = Object.freeze([
  "OCCUPANCY_MEAN",
  "occupancy_mean",
]);

/** What the `chart` and `export_chart` commands draw (core `ChartKind`). */
export const ChartKind = Object.freeze({
  timeSeries: "timeSeries",
  heatmap: "heatmap",
  heatmapOfficeHours: "heatmapOfficeHours",
  compare: "compare",
  ranking: "ranking",
  planning: "planning",
  weeklyVisits: "weeklyVisits",
});

/** Which periods the time series draws: daily figures for a long range, or the raw periods (core `SeriesPeriods`). */
export const SeriesPeriods = Object.freeze({
  auto: "auto",
  raw: "raw",
});

/** What Export writes (core `ExportFormat`). */
export const ExportFormat = Object.freeze({
  csv: "csv",
  svg: "svg",
  png: "png",
});

/** The tabs of a loaded view (src-tauri/contract.rs `Tab`). */
export const Tab = Object.freeze({
  timeSeries: "timeSeries",
  heatmap: "heatmap",
  compare: "compare",
  planning: "planning",
  planAhead: "planAhead",
  visits: "visits",
  table: "table",
});

/** Each tab in order: its charts (`officeHoursCharts` instead with "Office hours only"), what Export saves when it draws no chart and in which formats, the connection kinds it is for (empty: every InnerSpace kind), and whether it draws a chart of its own (`ownChart`, Plan ahead's forecast band). */
export const TABS = Object.freeze([
  Object.freeze({ id: "timeSeries", label: "Time series", charts: Object.freeze(["timeSeries"]), exportChart: null, exportFormats: Object.freeze(["csv", "svg", "png"]), kinds: Object.freeze([]), officeHoursCharts: Object.freeze([]), ownChart: false }),
  Object.freeze({ id: "heatmap", label: "Heatmap", charts: Object.freeze(["heatmap"]), exportChart: null, exportFormats: Object.freeze(["csv", "svg", "png"]), kinds: Object.freeze([]), officeHoursCharts: Object.freeze(["heatmapOfficeHours"]), ownChart: false }),
  Object.freeze({ id: "compare", label: "Compare", charts: Object.freeze(["compare", "ranking"]), exportChart: null, exportFormats: Object.freeze(["csv", "svg", "png"]), kinds: Object.freeze([]), officeHoursCharts: Object.freeze([]), ownChart: false }),
  Object.freeze({ id: "planning", label: "Planning", charts: Object.freeze(["planning"]), exportChart: null, exportFormats: Object.freeze(["csv", "svg", "png"]), kinds: Object.freeze([]), officeHoursCharts: Object.freeze([]), ownChart: false }),
  Object.freeze({ id: "planAhead", label: "Plan ahead", charts: Object.freeze([]), exportChart: null, exportFormats: Object.freeze(["csv", "svg", "png"]), kinds: Object.freeze([]), officeHoursCharts: Object.freeze([]), ownChart: true }),
  Object.freeze({ id: "visits", label: "Visits", charts: Object.freeze(["weeklyVisits"]), exportChart: null, exportFormats: Object.freeze(["csv", "svg", "png"]), kinds: Object.freeze(["innerspace-v1", "innerspace-token"]), officeHoursCharts: Object.freeze([]), ownChart: false }),
  Object.freeze({ id: "table", label: "Table", charts: Object.freeze([]), exportChart: "timeSeries", exportFormats: Object.freeze(["csv"]), kinds: Object.freeze([]), officeHoursCharts: Object.freeze([]), ownChart: false }),
]);

/** What the Live board shows (core `Liveness`). */
export const Liveness = Object.freeze({
  live: "live",
  noReadings: "no-readings",
  notAvailable: "not-available",
});

/** The window's theme setting (core `Theme`). */
export const Theme = Object.freeze({
  system: "system",
  light: "light",
  dark: "dark",
});

/** The theme picker's options. */
export const THEMES = Object.freeze([
  Object.freeze({ value: "system", label: "Same as the system" }),
  Object.freeze({ value: "light", label: "Light" }),
  Object.freeze({ value: "dark", label: "Dark" }),
]);

/** The utilization the summary headlines (core `UtilizationBasis`). */
export const UtilizationBasis = Object.freeze({
  officeHours: "officeHours",
  allHours: "allHours",
});

/** The utilization basis picker's options. */
export const UTILIZATION_BASES = Object.freeze([
  Object.freeze({ value: "officeHours", label: "Office hours (08–18, Mon–Fri)" }),
  Object.freeze({ value: "allHours", label: "All hours" }),
]);

/** The zone times are shown in (core `TimeDisplay`). */
export const TimeDisplay = Object.freeze({
  buildingLocal: "building-local",
  thisComputer: "this-computer",
});

/** 24- or 12-hour times of day (core `Clock`). */
export const Clock = Object.freeze({
  h24: "24h",
  h12: "12h",
});

/** Settings → Time display: its options (this computer's zone is added to that label), the clocks, the defaults and how the setting applies. */
export const TIME_DISPLAY = Object.freeze({
  clocks: Object.freeze([Object.freeze({ value: "24h", label: "24-hour (14:00)" }), Object.freeze({ value: "12h", label: "12-hour (2:00 PM)" })]),
  defaultClock: "24h",
  defaultDisplay: "building-local",
  displays: Object.freeze([Object.freeze({ value: "building-local", label: "Building's local time" }), Object.freeze({ value: "this-computer", label: "This computer's time zone" })]),
  rule: "Applies to Insights: the table, the figures, chart axes and tooltips, always labelled with the zone in use. The heatmap and the busiest hour stay in the building's local time (they describe its day); CSV exports keep building local time with UTC offsets.",
});

/** Every code core's `Error` can carry (`Error::code()`), keyed by its variant. The window's own codes are in api.js. */
export const ErrorCode = Object.freeze({
  invalidInput: "input.invalid",
  connectionNotFound: "connection.not_found",
  keyringLocked: "keyring.locked",
  keyringUnavailable: "keyring.unavailable",
  settingsIo: "settings.io",
  settingsCorrupt: "settings.corrupt",
  settingsBusy: "settings.busy",
  nothingToRestore: "settings.nothing_to_restore",
  keyringListUnsupported: "keyring.list_unsupported",
  authInvalidClient: "auth.invalid_client",
  authWrongAudience: "auth.wrong_audience",
  authInvalidCredentials: "auth.invalid_credentials",
  authPasswordExpired: "auth.password_expired",
  authRejected: "auth.rejected",
  netOffline: "net.offline",
  netTimeout: "net.timeout",
  outcomeUnknown: "net.outcome_unknown",
  insecureUrl: "net.insecure_url",
  httpSetup: "net.setup",
  rateLimited: "api.rate_limited",
  serverError: "api.server_error",
  unexpectedResponse: "api.unexpected_response",
  demoUnavailable: "demo.unavailable",
  signInRequired: "auth.signin_required",
  apiValidation: "api.validation",
  responseTooLarge: "api.too_large",
  graphqlError: "graphql.error",
  cancelled: "query.cancelled",
  cacheIncomplete: "cache.incomplete",
  cacheIo: "cache.io",
  tokenExpired: "auth.token_expired",
});

/** Each figure's one-line definition, keyed by figure id (occudesk_figures::definitions: the report and the README read the same list). */
export const FIGURE_DEFINITIONS = Object.freeze({
  peak: "Peak: the most people counted at once in any period of the range, and when.",
  "peak-hour-sum": "Peak hour (sum of zone means): for a floor or site, the busiest hour of its zones together, their average occupancies added up; a lower bound of the instantaneous peak.",
  "highest-mean": "Highest mean (no peak column): the largest average occupancy of any period, where the data has no maximum.",
  mean: "Mean: the average number of people present per period, over every period of the range (nights, weekends and closed days included).",
  "mean-occupied": "Mean occupied: the same average over only the periods when anyone was present (an average above 0).",
  capacity: "Capacity: the zone's capacity, or for a building, floor or site the sum over its zones.",
  utilization: "Utilization (all hours): the mean as a percentage of capacity, over all hours of every day in the range; in brackets, the peak as a percentage of capacity.",
  "utilization-office-hours": "Utilization (office hours): the mean over the periods that start 08:00–18:00 on Monday to Friday, building time, as a percentage of capacity; in brackets, the peak as a percentage of capacity.",
  "busiest-hour-of-the-week": "Busiest hour of the week: the weekday and hour, in building time, with the highest average occupancy.",
  "busiest-weekday": "Busiest weekday: the weekday with the highest average occupancy.",
  "over-capacity": "Over capacity: the share of the range's periods whose peak was above capacity (more people than places).",
  "plan-working-days": "Working days: the Monday-to-Friday days in the range whose daily peak is above 0.",
  "plan-daily-peak": "Daily peak p50 / p90 / p95: the working days' peaks that half, 90 % and 95 % of those days stay at or below.",
  "plan-needed-capacity": "Needed capacity: the p90 daily peak plus a buffer, rounded up (needed capacity = p90 daily peak + 10 % buffer).",
  "plan-capacity": "Capacity (plan): the capacity of the zones planned for, summed over the building, floor, site or zone type.",
  "plan-surplus": "Surplus: capacity minus needed capacity, so the buffer is already set aside (needed capacity = p90 daily peak + 10 % buffer); the percentage is of capacity.",
  "plan-shortfall": "Shortfall: needed capacity minus capacity, so it includes the buffer (needed capacity = p90 daily peak + 10 % buffer); the percentage is of capacity.",
  "forecast-quantiles": "Forecast p10 / p50 / p90 / p95: for each weekday, the daily peaks that 10 %, half, 90 % and 95 % of its history days stayed at or below (the same weekday over the last 12 weeks unless told otherwise, closed and unusual days left out; at least 6 such days, else no forecast and the reason).",
  "overflow-risk": "Overflow risk: for each weekday, the share of its history days whose daily peak was above the capacity proposed.",
  "expected-days": "Expected days above capacity: each weekday's overflow risk times its forecast days, added up over the weekdays with a forecast.",
  "coverage-80": "Coverage of the p10–p90 band: in the backtest (the last 8 weeks forecast from the weeks before them), the share of working days whose peak lay between p10 and p90; about 80 % means the band is honest.",
  "mae-p50": "Error of the forecast's middle: in the backtest, the mean absolute difference between each working day's peak and its weekday's p50.",
  "mae-naive": "Error of last week's value: in the backtest, the mean absolute difference between each working day's peak and the same weekday's peak one week earlier, over the same days.",
  "combined-peak": "Combined p90 / p95 daily peak: the spaces' hourly means added up on the same instants, each day's largest sum taken on the first space's calendar, then the working days' peaks that 90 % and 95 % of those days stay at or below.",
  "combined-need": "Combined need: the combined p90 daily peak plus the buffer, rounded up (needed_capacity of the spaces together).",
  "separate-needs": "Sum of separate needs: each space's own needed capacity, on the same hourly basis, added up.",
  "shared-saving": "Shared saving: the sum of separate needs minus the combined need, the places saved by sharing because peaks do not coincide.",
  "days-over-capacity": "Days over capacity (what-if): the working days whose combined daily peak was above the capacity proposed.",
  "time-used": "Time used % (time_used_pct): the share of office-hours periods, those starting 08:00–18:00 building time on working days, with anyone present (a mean above 0).",
  "fill-when-used": "Fill when used % (occupied_fill_pct): the mean occupied as a percentage of capacity, how full the building is while anyone is in.",
  trend: "Trend (trend_pts): the utilization (all hours) minus the same figure over the range of equal length just before, in percentage points.",
  "days-over-target": "Days over target (days_over_target): the working days whose daily peak, as a percentage of capacity, is above the target band's upper bound.",
  "target-band": "Target band: the utilization range, in whole percent, a building should stay in (60–85 % unless changed in Settings); the portfolio colours each building against it.",
});

/** The cache size limit a user may set, in MB (core `MIN_CACHE_LIMIT_MB`, `MAX_CACHE_LIMIT_MB`). */
export const CACHE_LIMIT_MB = Object.freeze({
  max: 100000,
  min: 10,
});

/** The most rows `view_rows` returns at once. */
export const MAX_PAGE_ROWS = 500;

/** What `view_rows({ sort })` orders the table by (core `RowSortKey`). */
export const RowSortKey = Object.freeze({
  time: "time",
  where: "where",
  value: "value",
});

/** Creating this many App Credentials asks first (SpatiaFi advises one per app). */
export const WARN_AT_COUNT = 10;
