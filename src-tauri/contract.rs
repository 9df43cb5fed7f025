//! The window's vocabulary, written from Rust into one ES module, `ui/contract.js`: command
//! names and their arguments, connection kinds, sign-in methods, granularities, tables, chart
//! kinds, export formats, tabs, themes, time display options, every error code and the limits
//! the window checks before asking. The window imports these instead of typing strings, so a
//! name that changes here changes there, and `tests/contract.rs` fails while the committed file
//! differs from [`render`] (`OCCUDESK_WRITE_CONTRACT=1 cargo test --test contract` rewrites it).
//!
//! Why not ts-rs or tauri-specta: both emit TypeScript types (or JSDoc typedefs), not values.
//! The window is plain ES modules with no build step, and what it compares against (kinds,
//! codes, limits) must exist at run time. tauri-specta would also need `specta::Type` on every
//! core type that crosses the boundary and its own command registration.
//!
//! Values come from Rust only: enum names are their serde names (from serde itself, see
//! [`variants`]), object keys are the Rust variant names in lowerCamelCase, error codes are
//! `Error::code()` of one error of each variant, and the words the window shows for options
//! are matched exhaustively below, so a new variant does not compile until it has them.

use std::fmt::{self, Debug, Write as _};

use chrono::NaiveTime;
use occudesk_core::connections::{ServiceKind, SpatiafiAuthMethod};
use occudesk_core::error::{ApiProblem, TokenEnd};
use occudesk_core::innerspace::schema::{FALLBACK_METRIC, V1_DEFAULT_METRIC};
use occudesk_core::innerspace::{ApiVersion, Granularity, InsightTable};
use occudesk_core::insights::definitions::DEFINITIONS;
use occudesk_core::settings::{Clock, Theme, TimeDisplay, UtilizationBasis};
use occudesk_core::{
    ChartKind, Error, ExportFormat, Liveness, MAX_CACHE_LIMIT_MB, MAX_PAGE_ROWS,
    MIN_CACHE_LIMIT_MB, RowSortKey, SeriesPeriods, WARN_AT_COUNT,
};
use serde::de::{self, DeserializeOwned, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::commands::COMMAND_ARGS;

/// Where the generated module lives, from the workspace root.
pub const PATH: &str = "ui/contract.js";

/// How the time display setting applies, shown under it in Settings (written once, here).
pub const TIME_DISPLAY_RULE: &str = "Applies to Insights: the table, the figures, chart axes and tooltips, always labelled with the zone in use. The heatmap and the busiest hour stay in the building's local time (they describe its day); CSV exports keep building local time with UTC offsets.";

/// The tabs of a loaded view in Insights. Their ids are the window's `Tab` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Tab {
    TimeSeries,
    Heatmap,
    Compare,
    Planning,
    PlanAhead,
    Visits,
    Table,
}

/// What a tab shows and exports.
struct TabSpec {
    label: &'static str,
    /// The charts drawn on it, in order.
    charts: &'static [ChartKind],
    /// The charts drawn instead with "Office hours only" ticked; empty: no such choice.
    office_hours_charts: &'static [ChartKind],
    /// What Export saves when the tab draws no chart.
    export_chart: Option<ChartKind>,
    export_formats: &'static [ExportFormat],
    /// The connection kinds it appears for; empty: every InnerSpace kind.
    kinds: &'static [ServiceKind],
    /// It draws a chart of its own rather than a view's (Plan ahead's forecast band).
    own_chart: bool,
}

const ALL_FORMATS: &[ExportFormat] = &[ExportFormat::Csv, ExportFormat::Svg, ExportFormat::Png];

impl Tab {
    fn spec(self) -> TabSpec {
        let tab = |label, charts| TabSpec {
            label,
            charts,
            office_hours_charts: &[],
            export_chart: None,
            export_formats: ALL_FORMATS,
            kinds: &[],
            own_chart: false,
        };
        match self {
            Tab::TimeSeries => tab("Time series", &[ChartKind::TimeSeries]),
            Tab::Heatmap => TabSpec {
                office_hours_charts: &[ChartKind::HeatmapOfficeHours],
                ..tab("Heatmap", &[ChartKind::Heatmap])
            },
            Tab::Compare => tab("Compare", &[ChartKind::Compare, ChartKind::Ranking]),
            Tab::Planning => tab("Planning", &[ChartKind::Planning]),
            // Its own chart (the forecast band), loaded with its own history.
            Tab::PlanAhead => TabSpec {
                own_chart: true,
                ..tab("Plan ahead", &[])
            },
            // v1 publishes how many days a week people come.
            Tab::Visits => TabSpec {
                kinds: &[ServiceKind::InnerspaceV1, ServiceKind::InnerspaceToken],
                ..tab("Visits", &[ChartKind::WeeklyVisits])
            },
            // The rows themselves: Export saves the time series' data.
            Tab::Table => TabSpec {
                export_chart: Some(ChartKind::TimeSeries),
                export_formats: &[ExportFormat::Csv],
                ..tab("Table", &[])
            },
        }
    }
}

fn granularity_label(g: Granularity) -> &'static str {
    match g {
        Granularity::Pt15m => "15 minutes",
        Granularity::Pt1h => "Hour",
        Granularity::P1d => "Day",
        Granularity::P1w => "Week",
        Granularity::P1m => "Month",
    }
}

fn theme_label(t: Theme) -> &'static str {
    match t {
        Theme::System => "Same as the system",
        Theme::Light => "Light",
        Theme::Dark => "Dark",
    }
}

fn utilization_basis_label(b: UtilizationBasis) -> &'static str {
    match b {
        UtilizationBasis::OfficeHours => "Office hours (08–18, Mon–Fri)",
        UtilizationBasis::AllHours => "All hours",
    }
}

/// The window adds this computer's zone to `ThisComputer`'s label.
fn time_display_label(d: TimeDisplay) -> &'static str {
    match d {
        TimeDisplay::BuildingLocal => "Building's local time",
        TimeDisplay::ThisComputer => "This computer's time zone",
    }
}

/// "24-hour (14:00)", "12-hour (2:00 PM)": the example is written by the clock itself.
fn clock_label(c: Clock) -> String {
    let hours = match c {
        Clock::H24 => "24-hour",
        Clock::H12 => "12-hour",
    };
    let example = NaiveTime::from_hms_opt(14, 0, 0).unwrap();
    format!("{hours} ({})", example.format(c.time_format()))
}

/// One error of each variant of core's `Error`, for their codes. [`variant_index`] matches
/// every variant, so a new one stops this compiling until it has a place here.
fn every_error() -> Vec<Error> {
    let errors = vec![
        Error::invalid("field", "m"),
        Error::ConnectionNotFound(String::new()),
        Error::KeyringLocked,
        Error::KeyringUnavailable(String::new()),
        Error::SettingsIo {
            action: "read",
            path: String::new(),
            reason: String::new(),
        },
        Error::SettingsCorrupt {
            path: String::new(),
            reason: String::new(),
        },
        Error::SettingsBusy {
            path: String::new(),
            waited_secs: 0,
        },
        Error::NothingToRestore(String::new()),
        Error::KeyringListUnsupported(""),
        Error::AuthInvalidClient,
        Error::AuthWrongAudience {
            audience: String::new(),
        },
        Error::AuthInvalidCredentials,
        Error::AuthPasswordExpired,
        Error::AuthRejected,
        Error::NetOffline {
            host: String::new(),
        },
        Error::NetTimeout {
            host: String::new(),
        },
        Error::OutcomeUnknown {
            host: String::new(),
            what: String::new(),
        },
        Error::InsecureUrl {
            host: String::new(),
        },
        Error::HttpSetup,
        Error::RateLimited,
        Error::ServerError { status: 500 },
        Error::UnexpectedResponse {
            host: String::new(),
            what: String::new(),
        },
        Error::DemoUnavailable(String::new()),
        Error::SignInRequired,
        Error::ApiValidation(vec![ApiProblem {
            field: String::new(),
            message: String::new(),
        }]),
        Error::ResponseTooLarge {
            host: String::new(),
            limit_mib: 0,
        },
        Error::GraphqlError {
            message: String::new(),
        },
        Error::Cancelled,
        Error::CacheIncomplete {
            cause: String::new(),
            count: 0,
            missing: String::new(),
        },
        Error::CacheIo {
            action: "open",
            path: String::new(),
            reason: String::new(),
        },
        Error::TokenExpired {
            connection_id: String::new(),
            expires_at: 0,
            when: String::new(),
            end: TokenEnd::Expired,
        },
    ];
    for (i, e) in errors.iter().enumerate() {
        assert_eq!(
            variant_index(e),
            i,
            "every_error() is out of order at {e:?}"
        );
    }
    assert_eq!(
        errors.len(),
        ERROR_VARIANTS,
        "every_error() lacks a variant"
    );
    errors
}

/// How many variants [`variant_index`] knows: one more than its last arm.
const ERROR_VARIANTS: usize = 31;

/// The place of `e`'s variant in [`every_error`]. Exhaustive on purpose: when core's `Error`
/// grows, add an arm here (and raise [`ERROR_VARIANTS`]) and one error there.
fn variant_index(e: &Error) -> usize {
    match e {
        Error::InvalidInput { .. } => 0,
        Error::ConnectionNotFound(_) => 1,
        Error::KeyringLocked => 2,
        Error::KeyringUnavailable(_) => 3,
        Error::SettingsIo { .. } => 4,
        Error::SettingsCorrupt { .. } => 5,
        Error::SettingsBusy { .. } => 6,
        Error::NothingToRestore(_) => 7,
        Error::KeyringListUnsupported(_) => 8,
        Error::AuthInvalidClient => 9,
        Error::AuthWrongAudience { .. } => 10,
        Error::AuthInvalidCredentials => 11,
        Error::AuthPasswordExpired => 12,
        Error::AuthRejected => 13,
        Error::NetOffline { .. } => 14,
        Error::NetTimeout { .. } => 15,
        Error::OutcomeUnknown { .. } => 16,
        Error::InsecureUrl { .. } => 17,
        Error::HttpSetup => 18,
        Error::RateLimited => 19,
        Error::ServerError { .. } => 20,
        Error::UnexpectedResponse { .. } => 21,
        Error::DemoUnavailable(_) => 22,
        Error::SignInRequired => 23,
        Error::ApiValidation(_) => 24,
        Error::ResponseTooLarge { .. } => 25,
        Error::GraphqlError { .. } => 26,
        Error::Cancelled => 27,
        Error::CacheIncomplete { .. } => 28,
        Error::CacheIo { .. } => 29,
        Error::TokenExpired { .. } => 30,
    }
}

/// Every variant of a unit-variant enum with its serde name, in declaration order. The names
/// are serde's own: its derived `Deserialize` hands the list of variant names to
/// `deserialize_enum`, which [`Introspect`] catches; each name is then read back into a value.
pub fn variants<T: DeserializeOwned + PartialEq + Debug>() -> Vec<(T, &'static str)> {
    let names = match T::deserialize(Introspect) {
        Err(Caught::Variants(names)) => names,
        Err(Caught::Other(why)) => panic!("{}: {why}", std::any::type_name::<T>()),
        Ok(_) => unreachable!("Introspect produces no value"),
    };
    let mut out: Vec<(T, &'static str)> = Vec::new();
    for &name in names {
        let value: T = serde_json::from_value(Value::String(name.into()))
            .unwrap_or_else(|e| panic!("{name} is not a unit variant: {e}"));
        // An alias would list one variant twice; the contract names each variant once.
        assert!(
            out.iter().all(|(v, _)| *v != value),
            "{name}: aliases are not supported"
        );
        out.push((value, name));
    }
    out
}

/// The serde name of `value` (for enums that are only `Deserialize`).
fn name_of<T: DeserializeOwned + PartialEq + Debug>(value: &T) -> &'static str {
    variants::<T>()
        .into_iter()
        .find(|(v, _)| v == value)
        .map(|(_, name)| name)
        .unwrap()
}

/// The serde name of a value that serializes as a string.
fn serde_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value).unwrap() {
        Value::String(s) => s,
        other => panic!("not a plain name: {other}"),
    }
}

/// `InnerspaceV2` → `innerspaceV2`, from a variant's `Debug` (its Rust name, fields cut off).
fn key_of(value: &impl Debug) -> String {
    let debug = format!("{value:?}");
    let name: String = debug
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let mut chars = name.chars();
    let first = chars.next().unwrap().to_ascii_lowercase();
    std::iter::once(first).chain(chars).collect()
}

/// A deserializer that only answers "an enum with these variants".
struct Introspect;

#[derive(Debug)]
enum Caught {
    Variants(&'static [&'static str]),
    Other(String),
}

impl fmt::Display for Caught {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Caught {}

impl de::Error for Caught {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Caught::Other(msg.to_string())
    }
}

impl<'de> de::Deserializer<'de> for Introspect {
    type Error = Caught;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Caught> {
        Err(Caught::Other("not an externally tagged enum".into()))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Caught> {
        Err(Caught::Variants(variants))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

/// `{key: "name", ...}` for an enum that serializes as its name, keyed by its Rust variants.
fn named<T: DeserializeOwned + Serialize + PartialEq + Debug>() -> Vec<(String, Value)> {
    variants::<T>()
        .into_iter()
        .map(|(value, name)| {
            assert_eq!(
                serde_name(&value),
                name,
                "serializes unlike it deserializes"
            );
            (key_of(&value), json!(name))
        })
        .collect()
}

/// As [`named`], for enums that are only `Deserialize` (arguments the window sends).
fn named_in<T: DeserializeOwned + PartialEq + Debug>() -> Vec<(String, Value)> {
    variants::<T>()
        .into_iter()
        .map(|(value, name)| (key_of(&value), json!(name)))
        .collect()
}

/// The module's text.
pub fn render() -> String {
    let mut js = Js::default();
    js.line("// Generated from Rust by src-tauri/contract.rs: do not edit. Regenerate with");
    js.line("//   OCCUDESK_WRITE_CONTRACT=1 cargo test --test contract");
    js.line("// (tests/contract.rs fails while this file differs from what Rust would write).");
    js.line("//");
    js.line("// The window's vocabulary: every name, code and limit Rust and the window agree on.");
    js.line("// Enum objects map the Rust variant (lowerCamelCase) to the name on the wire.");

    let args: Vec<(String, Value)> = COMMAND_ARGS
        .iter()
        .map(|c| (c.command.to_owned(), json!(c.command)))
        .collect();
    let docs: Vec<String> = COMMAND_ARGS
        .iter()
        .map(|c| {
            let names: Vec<String> = c
                .args
                .iter()
                .map(|a| format!("{}{}", a.name, if a.optional { "?" } else { "" }))
                .collect();
            if names.is_empty() {
                format!("`{}()`", c.command)
            } else {
                format!("`{}({{ {} }})`", c.command, names.join(", "))
            }
        })
        .collect();
    js.object_with_docs(
        "Command",
        "The window's commands (src-tauri/commands/), each with the arguments `invoke` takes (`?`: may be left out).",
        &args,
        &docs,
    );
    let arg_lists: Vec<(String, Value)> = COMMAND_ARGS
        .iter()
        .map(|c| {
            let names: Vec<&str> = c.args.iter().map(|a| a.name).collect();
            (c.command.to_owned(), json!(names))
        })
        .collect();
    js.object(
        "COMMAND_ARGS",
        "The arguments each command takes; `call` refuses any other (Tauri would ignore it).",
        &arg_lists,
    );

    js.object(
        "ConnectionKind",
        "Connection kinds: a connection's `kind` (core `ServiceKind`).",
        &named::<ServiceKind>(),
    );
    js.object(
        "AuthMethod",
        "SpatiaFi sign-in methods (core `SpatiafiAuthMethod`).",
        &named::<SpatiafiAuthMethod>(),
    );
    js.object(
        "Granularity",
        "Period lengths an insight query asks for (core `Granularity`).",
        &named::<Granularity>(),
    );
    let granularities: Vec<Value> = variants::<Granularity>()
        .into_iter()
        .map(|(g, name)| json!({"value": name, "label": granularity_label(g)}))
        .collect();
    js.value(
        "GRANULARITIES",
        "The granularity picker's options, in order.",
        &json!(granularities),
    );
    js.object(
        "InsightTable",
        "The tables insight queries read (core `InsightTable`).",
        &named::<InsightTable>(),
    );
    let v2: Vec<String> = InsightTable::of_version(ApiVersion::V2)
        .iter()
        .map(serde_name)
        .collect();
    js.value(
        "V2_TABLES",
        "InnerSpace v2 tables: their buildings have zone types, so a plan per zone type.",
        &json!(v2),
    );
    js.value(
        "PREFERRED_METRICS",
        "The metric a view starts on when the table has it (v2's, then v1's).",
        &json!([FALLBACK_METRIC, V1_DEFAULT_METRIC]),
    );
    js.object(
        "ChartKind",
        "What the `chart` and `export_chart` commands draw (core `ChartKind`).",
        &named_in::<ChartKind>(),
    );
    js.object(
        "SeriesPeriods",
        "Which periods the time series draws: daily figures for a long range, or the raw periods (core `SeriesPeriods`).",
        &named::<SeriesPeriods>(),
    );
    js.object(
        "ExportFormat",
        "What Export writes (core `ExportFormat`).",
        &named_in::<ExportFormat>(),
    );
    js.object(
        "Tab",
        "The tabs of a loaded view (src-tauri/contract.rs `Tab`).",
        &named::<Tab>(),
    );
    let tabs: Vec<Value> = variants::<Tab>()
        .into_iter()
        .map(|(tab, id)| {
            let spec = tab.spec();
            let charts = |kinds: &[ChartKind]| -> Vec<&str> { kinds.iter().map(name_of).collect() };
            json!({
                "id": id,
                "label": spec.label,
                "charts": charts(spec.charts),
                "officeHoursCharts": charts(spec.office_hours_charts),
                "exportChart": spec.export_chart.as_ref().map(name_of),
                "exportFormats": spec.export_formats.iter().map(name_of).collect::<Vec<_>>(),
                "kinds": spec.kinds.iter().map(serde_name).collect::<Vec<_>>(),
                "ownChart": spec.own_chart,
            })
        })
        .collect();
    js.value(
        "TABS",
        "Each tab in order: its charts (`officeHoursCharts` instead with \"Office hours only\"), what Export saves when it draws no chart and in which formats, the connection kinds it is for (empty: every InnerSpace kind), and whether it draws a chart of its own (`ownChart`, Plan ahead's forecast band).",
        &json!(tabs),
    );
    js.object(
        "Liveness",
        "What the Live board shows (core `Liveness`).",
        &named::<Liveness>(),
    );
    js.object(
        "Theme",
        "The window's theme setting (core `Theme`).",
        &named::<Theme>(),
    );
    let themes: Vec<Value> = variants::<Theme>()
        .into_iter()
        .map(|(t, name)| json!({"value": name, "label": theme_label(t)}))
        .collect();
    js.value("THEMES", "The theme picker's options.", &json!(themes));
    js.object(
        "UtilizationBasis",
        "The utilization the summary headlines (core `UtilizationBasis`).",
        &named::<UtilizationBasis>(),
    );
    let bases: Vec<Value> = variants::<UtilizationBasis>()
        .into_iter()
        .map(|(b, name)| json!({"value": name, "label": utilization_basis_label(b)}))
        .collect();
    js.value(
        "UTILIZATION_BASES",
        "The utilization basis picker's options.",
        &json!(bases),
    );
    js.object(
        "TimeDisplay",
        "The zone times are shown in (core `TimeDisplay`).",
        &named::<TimeDisplay>(),
    );
    js.object(
        "Clock",
        "24- or 12-hour times of day (core `Clock`).",
        &named::<Clock>(),
    );
    let displays: Vec<Value> = variants::<TimeDisplay>()
        .into_iter()
        .map(|(d, name)| json!({"value": name, "label": time_display_label(d)}))
        .collect();
    let clocks: Vec<Value> = variants::<Clock>()
        .into_iter()
        .map(|(c, name)| json!({"value": name, "label": clock_label(c)}))
        .collect();
    js.value(
        "TIME_DISPLAY",
        "Settings → Time display: its options (this computer's zone is added to that label), the clocks, the defaults and how the setting applies.",
        &json!({
            "displays": displays,
            "clocks": clocks,
            "defaultDisplay": serde_name(&TimeDisplay::default()),
            "defaultClock": serde_name(&Clock::default()),
            "rule": TIME_DISPLAY_RULE,
        }),
    );

    let codes: Vec<(String, Value)> = every_error()
        .iter()
        .map(|e| (key_of(e), json!(e.code())))
        .collect();
    for (_, code) in &codes {
        // The window's own codes (ui/api.js) live under "window."; no Rust code may.
        assert!(
            !code.as_str().unwrap().starts_with("window."),
            "{code} takes the window's namespace"
        );
    }
    js.object(
        "ErrorCode",
        "Every code core's `Error` can carry (`Error::code()`), keyed by its variant. The window's own codes are in api.js.",
        &codes,
    );

    let definitions: Vec<(String, Value)> = DEFINITIONS
        .iter()
        .map(|(id, sentence)| ((*id).to_owned(), json!(sentence)))
        .collect();
    js.object(
        "FIGURE_DEFINITIONS",
        "Each figure's one-line definition, keyed by figure id (occudesk_figures::definitions: the report and the README read the same list).",
        &definitions,
    );

    js.value(
        "CACHE_LIMIT_MB",
        "The cache size limit a user may set, in MB (core `MIN_CACHE_LIMIT_MB`, `MAX_CACHE_LIMIT_MB`).",
        &json!({"min": MIN_CACHE_LIMIT_MB, "max": MAX_CACHE_LIMIT_MB}),
    );
    js.value(
        "MAX_PAGE_ROWS",
        "The most rows `view_rows` returns at once.",
        &json!(MAX_PAGE_ROWS),
    );
    js.object(
        "RowSortKey",
        "What `view_rows({ sort })` orders the table by (core `RowSortKey`).",
        &named::<RowSortKey>(),
    );
    js.value(
        "WARN_AT_COUNT",
        "Creating this many App Credentials asks first (SpatiaFi advises one per app).",
        &json!(WARN_AT_COUNT),
    );
    js.text
}

/// Writes JS declarations, one entry a line, frozen so the window cannot change them.
#[derive(Default)]
struct Js {
    text: String,
}

impl Js {
    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }

    fn doc(&mut self, doc: &str) {
        writeln!(self.text, "\n/** {doc} */").unwrap();
    }

    fn object(&mut self, name: &str, doc: &str, entries: &[(String, Value)]) {
        self.object_with_docs(name, doc, entries, &[]);
    }

    fn object_with_docs(
        &mut self,
        name: &str,
        doc: &str,
        entries: &[(String, Value)],
        docs: &[String],
    ) {
        self.doc(doc);
        writeln!(self.text, "export const {name} = Object.freeze({{").unwrap();
        for (i, (key, value)) in entries.iter().enumerate() {
            if let Some(doc) = docs.get(i) {
                writeln!(self.text, "  /** {doc} */").unwrap();
            }
            writeln!(self.text, "  {}: {},", js_key(key), frozen(value)).unwrap();
        }
        self.text.push_str("});\n");
    }

    fn value(&mut self, name: &str, doc: &str, value: &Value) {
        self.doc(doc);
        let body = match value {
            Value::Array(items) if !items.is_empty() => {
                let lines: Vec<String> = items
                    .iter()
                    .map(|item| format!("  {},\n", frozen(item)))
                    .collect();
                format!("Object.freeze([\n{}])", lines.concat())
            }
            Value::Object(map) => {
                let lines: Vec<String> = ordered(map)
                    .map(|(k, v)| format!("  {}: {},\n", js_key(k), frozen(v)))
                    .collect();
                format!("Object.freeze({{\n{}}})", lines.concat())
            }
            other => frozen(other),
        };
        writeln!(self.text, "export const {name} = {body};").unwrap();
    }
}

/// A JSON value as a JS expression, arrays and objects frozen all the way down.
fn frozen(value: &Value) -> String {
    match value {
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(frozen).collect();
            format!("Object.freeze([{}])", items.join(", "))
        }
        Value::Object(map) => {
            let fields: Vec<String> = ordered(map)
                .map(|(k, v)| format!("{}: {}", js_key(k), frozen(v)))
                .collect();
            format!("Object.freeze({{ {} }})", fields.join(", "))
        }
        other => other.to_string(),
    }
}

/// An object's fields in an order that does not depend on serde_json's features: `id` or
/// `value` first, then `label`, then the rest by name.
fn ordered(map: &serde_json::Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    let rank = |key: &str| match key {
        "id" | "value" => 0,
        "label" => 1,
        _ => 2,
    };
    let mut fields: Vec<(&String, &Value)> = map.iter().collect();
    fields.sort_by(|(a, _), (b, _)| rank(a).cmp(&rank(b)).then(a.cmp(b)));
    fields.into_iter()
}

/// A property name: bare when it is an identifier, quoted otherwise.
fn js_key(key: &str) -> String {
    let ident = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if ident {
        key.to_owned()
    } else {
        serde_json::to_string(key).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_names_come_from_serde() {
        let kinds = variants::<ServiceKind>();
        assert_eq!(
            kinds,
            ServiceKind::ALL
                .iter()
                .map(|k| (*k, k.id()))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            name_of(&ChartKind::HeatmapOfficeHours),
            "heatmapOfficeHours"
        );
        assert_eq!(key_of(&Granularity::Pt15m), "pt15m");
        assert_eq!(key_of(&Error::Cancelled), "cancelled");
        assert_eq!(key_of(&Error::invalid("f", "m")), "invalidInput");
    }

    #[test]
    fn every_error_has_a_distinct_code() {
        let mut codes: Vec<&str> = every_error().iter().map(Error::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ERROR_VARIANTS);
    }

    #[test]
    fn clock_labels_are_written_by_the_clock() {
        assert_eq!(clock_label(Clock::H24), "24-hour (14:00)");
        assert_eq!(clock_label(Clock::H12), "12-hour (2:00 PM)");
    }
}
