//! What an analyst asks for: a table, a building (and optionally a site, zone, zone type or
//! group), a granularity, a range of building-local dates and some metrics.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::graphql::ApiVersion;
use occudesk_net::{Error, Result};

/// Longest range one query may cover (two years of PT15M for a building is 70,080 rows; ten
/// years keeps a mistyped year from asking for millions).
pub const MAX_RANGE_DAYS: i64 = 3_660;

/// ISO 8601 period lengths the API publishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Granularity {
    #[serde(rename = "PT15M")]
    Pt15m,
    #[serde(rename = "PT1H")]
    Pt1h,
    #[serde(rename = "P1D")]
    P1d,
    #[serde(rename = "P1W")]
    P1w,
    #[serde(rename = "P1M")]
    P1m,
}

impl Granularity {
    pub const ALL: [Granularity; 5] = [
        Granularity::Pt15m,
        Granularity::Pt1h,
        Granularity::P1d,
        Granularity::P1w,
        Granularity::P1m,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Pt15m => "PT15M",
            Granularity::Pt1h => "PT1H",
            Granularity::P1d => "P1D",
            Granularity::P1w => "P1W",
            Granularity::P1m => "P1M",
        }
    }

    /// Periods of a day or shorter: each one lies within one local day, so days (and
    /// unusual days) can be read from them.
    pub fn is_daily_or_finer(self) -> bool {
        matches!(
            self,
            Granularity::Pt15m | Granularity::Pt1h | Granularity::P1d
        )
    }

    /// The most periods of one series that can start within `days` local days. Hourly and
    /// quarter-hourly counts allow for 25-hour fall-back days.
    pub fn max_periods(self, days: i64) -> i64 {
        let days = days.max(0);
        match self {
            Granularity::Pt15m => 100 * days,
            Granularity::Pt1h => 25 * days,
            Granularity::P1d => days,
            Granularity::P1w => (days + 6) / 7,
            Granularity::P1m => days / 28 + 1,
        }
    }
}

impl fmt::Display for Granularity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Granularity {
    type Err = Error;

    fn from_str(s: &str) -> Result<Granularity> {
        let wanted = s.trim().to_ascii_uppercase();
        Granularity::ALL
            .into_iter()
            .find(|g| g.as_str() == wanted)
            .ok_or_else(|| {
                Error::invalid(
                    "granularity",
                    "Choose a granularity: PT15M, PT1H, P1D, P1W or P1M.",
                )
            })
    }
}

/// Which entities a table's rows are about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Building,
    Site,
    Zone,
    ZoneType,
}

/// The tables insight queries read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InsightTable {
    /// v2, one row per building and period, one column per metric.
    #[serde(rename = "BUILDING_INSIGHTS")]
    BuildingInsights,
    #[serde(rename = "ZONE_INSIGHTS")]
    ZoneInsights,
    #[serde(rename = "ZONE_TYPE_INSIGHTS")]
    ZoneTypeInsights,
    /// v1, one row per period and `metric_name` (pivoted to one column per metric).
    #[serde(rename = "building_metrics")]
    BuildingMetrics,
    #[serde(rename = "site_metrics")]
    SiteMetrics,
    #[serde(rename = "zone_metrics")]
    ZoneMetrics,
    /// v1, one row per period and `feature_name` with a JSON value (its numeric members become
    /// columns `feature.key`).
    #[serde(rename = "building_features")]
    BuildingFeatures,
    #[serde(rename = "site_features")]
    SiteFeatures,
    #[serde(rename = "zone_features")]
    ZoneFeatures,
}

impl InsightTable {
    pub const ALL: [InsightTable; 9] = [
        InsightTable::BuildingInsights,
        InsightTable::ZoneInsights,
        InsightTable::ZoneTypeInsights,
        InsightTable::BuildingMetrics,
        InsightTable::SiteMetrics,
        InsightTable::ZoneMetrics,
        InsightTable::BuildingFeatures,
        InsightTable::SiteFeatures,
        InsightTable::ZoneFeatures,
    ];

    /// The tables a connection of `version` has.
    pub fn of_version(version: ApiVersion) -> Vec<InsightTable> {
        InsightTable::ALL
            .into_iter()
            .filter(|t| t.version() == version)
            .collect()
    }

    /// The root field name (also the GraphQL type name).
    pub fn name(self) -> &'static str {
        match self {
            InsightTable::BuildingInsights => "BUILDING_INSIGHTS",
            InsightTable::ZoneInsights => "ZONE_INSIGHTS",
            InsightTable::ZoneTypeInsights => "ZONE_TYPE_INSIGHTS",
            InsightTable::BuildingMetrics => "building_metrics",
            InsightTable::SiteMetrics => "site_metrics",
            InsightTable::ZoneMetrics => "zone_metrics",
            InsightTable::BuildingFeatures => "building_features",
            InsightTable::SiteFeatures => "site_features",
            InsightTable::ZoneFeatures => "zone_features",
        }
    }

    pub fn version(self) -> ApiVersion {
        match self {
            InsightTable::BuildingInsights
            | InsightTable::ZoneInsights
            | InsightTable::ZoneTypeInsights => ApiVersion::V2,
            _ => ApiVersion::V1,
        }
    }

    pub fn level(self) -> Level {
        match self {
            InsightTable::BuildingInsights
            | InsightTable::BuildingMetrics
            | InsightTable::BuildingFeatures => Level::Building,
            InsightTable::SiteMetrics | InsightTable::SiteFeatures => Level::Site,
            InsightTable::ZoneInsights | InsightTable::ZoneMetrics | InsightTable::ZoneFeatures => {
                Level::Zone
            }
            InsightTable::ZoneTypeInsights => Level::ZoneType,
        }
    }

    /// v1 long tables: one row per period and metric (or feature) name.
    pub fn is_long(self) -> bool {
        self.version() == ApiVersion::V1
    }

    pub fn is_features(self) -> bool {
        matches!(
            self,
            InsightTable::BuildingFeatures
                | InsightTable::SiteFeatures
                | InsightTable::ZoneFeatures
        )
    }

    pub fn has_site(self) -> bool {
        self.version() == ApiVersion::V2 || self.level() != Level::Building
    }

    pub fn has_zone(self) -> bool {
        self.level() == Level::Zone
    }
}

impl fmt::Display for InsightTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for InsightTable {
    type Err = Error;

    fn from_str(s: &str) -> Result<InsightTable> {
        let s = s.trim();
        InsightTable::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                Error::invalid(
                    "table",
                    format!(
                        "Unknown table \"{}\". Choose one of: {}.",
                        super::graphql::shorten(s, 60),
                        InsightTable::ALL.map(InsightTable::name).join(", ")
                    ),
                )
            })
    }
}

/// One insight query. Dates are the building's local dates, both ends included.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InsightQuery {
    pub table: InsightTable,
    pub building_id: i64,
    #[serde(default)]
    pub site_id: Option<i64>,
    #[serde(default)]
    pub zone_id: Option<i64>,
    #[serde(default)]
    pub zone_type: Option<String>,
    /// Empty or absent: the connection's group (v2: the "everyone" nil UUID by default; v1: no
    /// group filter unless the connection has one).
    #[serde(default)]
    pub group_id: Option<String>,
    pub granularity: Granularity,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Metric columns (v2), metric names (v1 `*_metrics`) or feature names (v1
    /// `*_features`). Empty: the default metric (`OCCUPANCY_MEAN` / `occupancy_mean`), or
    /// every feature.
    #[serde(default)]
    pub metrics: Vec<String>,
}

impl InsightQuery {
    /// The same query with its metric set in one form: trimmed, sorted, without blanks or
    /// repeats. Everything a query keys (the memo, the local cache, a view) uses this form,
    /// so `[MEAN, MAX]` and `[MAX, MEAN]` are one query and share one fetch.
    pub fn canonical(&self) -> InsightQuery {
        let mut metrics: Vec<String> = self
            .metrics
            .iter()
            .map(|m| m.trim())
            .filter(|m| !m.is_empty())
            .map(str::to_owned)
            .collect();
        metrics.sort();
        metrics.dedup();
        InsightQuery {
            metrics,
            ..self.clone()
        }
    }

    /// Checks what can be checked without the server: dates in order and not all in the
    /// future, filters that the table has. `today` is the building's local date.
    pub fn check_shape(&self, version: ApiVersion, today: NaiveDate) -> Result<()> {
        if self.table.version() != version {
            let which = match version {
                ApiVersion::V2 => "an InnerSpace v2",
                ApiVersion::V1 => "an InnerSpace v1",
            };
            return Err(Error::invalid(
                "table",
                format!(
                    "The table {} is not available on {which} connection. Choose one of: {}.",
                    self.table,
                    InsightTable::of_version(version)
                        .iter()
                        .map(|t| t.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if self.from > self.to {
            return Err(Error::invalid(
                "from",
                format!(
                    "The start date {} is after the end date {}. Swap them or pick another range.",
                    self.from, self.to
                ),
            ));
        }
        if (self.to - self.from).num_days() >= MAX_RANGE_DAYS {
            return Err(Error::invalid(
                "to",
                "Ask for at most ten years at once.".to_owned(),
            ));
        }
        if self.from > today {
            return Err(Error::invalid(
                "from",
                format!(
                    "The range {} to {} lies wholly in the future (today is {today} in the building). Insights are published nightly, so the latest data is for yesterday.",
                    self.from, self.to
                ),
            ));
        }
        if self.zone_id.is_some() && !self.table.has_zone() {
            return Err(Error::invalid(
                "zoneId",
                format!(
                    "{} has no zones; choose a zone table or leave the zone out.",
                    self.table
                ),
            ));
        }
        if self.site_id.is_some() && !self.table.has_site() {
            return Err(Error::invalid(
                "siteId",
                format!(
                    "{} has no sites; choose a site table or leave the site out.",
                    self.table
                ),
            ));
        }
        if self
            .zone_type
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty())
            && self.table != InsightTable::ZoneTypeInsights
        {
            return Err(Error::invalid(
                "zoneType",
                "Only ZONE_TYPE_INSIGHTS can be filtered by zone type.",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(from: &str, to: &str) -> InsightQuery {
        InsightQuery {
            table: InsightTable::BuildingInsights,
            building_id: 71,
            site_id: None,
            zone_id: None,
            zone_type: None,
            group_id: None,
            granularity: Granularity::Pt1h,
            from: from.parse().unwrap(),
            to: to.parse().unwrap(),
            metrics: vec![],
        }
    }

    #[test]
    fn granularity_parses_and_displays() {
        for g in Granularity::ALL {
            assert_eq!(g.to_string().parse::<Granularity>().unwrap(), g);
        }
        assert_eq!(" pt1h ".parse::<Granularity>().unwrap(), Granularity::Pt1h);
        assert_eq!(
            "PT2H".parse::<Granularity>().unwrap_err().code(),
            "input.invalid"
        );
        assert_eq!(
            serde_json::to_value(Granularity::Pt15m).unwrap(),
            serde_json::json!("PT15M")
        );
    }

    #[test]
    fn tables_parse_and_belong_to_a_version() {
        assert_eq!(
            "zone_metrics".parse::<InsightTable>().unwrap(),
            InsightTable::ZoneMetrics
        );
        assert_eq!(InsightTable::of_version(ApiVersion::V2).len(), 3);
        assert!("NOPE".parse::<InsightTable>().is_err());
    }

    #[test]
    fn shape_checks() {
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        assert!(
            query("2026-01-01", "2026-01-31")
                .check_shape(ApiVersion::V2, today)
                .is_ok()
        );
        let err = query("2026-02-01", "2026-01-31")
            .check_shape(ApiVersion::V2, today)
            .unwrap_err();
        assert_eq!(err.code(), "input.invalid");
        assert!(err.to_string().contains("after the end date"));
        let err = query("2026-12-01", "2026-12-31")
            .check_shape(ApiVersion::V2, today)
            .unwrap_err();
        assert!(err.to_string().contains("future"), "{err}");
        assert!(
            query("2026-01-01", "2026-01-31")
                .check_shape(ApiVersion::V1, today)
                .is_err()
        );
        let mut q = query("2026-01-01", "2026-01-31");
        q.zone_id = Some(1);
        assert!(q.check_shape(ApiVersion::V2, today).is_err());
    }
}
