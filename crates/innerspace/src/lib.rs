//! InnerSpace occupancy insights: GraphQL transport, introspection, entities, typed insight
//! queries and the chunked, paged, cancellable fetch engine.
//!
//! Front doors (app, CLI) hold one [`Insights`] and call it with the connection's
//! `Arc<Session>` from [`occudesk_auth::Sessions::get_or_create`].

pub mod entities;
pub mod fetch;
pub mod fields;
pub mod graphql;
pub mod live;
pub mod memo;
pub mod paging;
pub mod plan;
pub mod query;
pub mod rows;
pub mod schema;
pub mod text;
pub mod tzguess;
pub mod value;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use tokio_util::sync::CancellationToken;

pub use entities::{Building, BuildingDetail, Floor, Site, Zone};
pub use fetch::{FetchProgress, FetchTuning};
pub use graphql::ApiVersion;
pub use memo::InsightMemo;
pub use paging::{RowCaps, TableCaps};
pub use query::{Granularity, InsightQuery, InsightTable, Level};
pub use schema::SchemaCache;

use occudesk_auth::connections::{Connection, ConnectionKind, V2_EVERYONE_GROUP};
use occudesk_auth::{Clock, Session, SystemClock};
use occudesk_figures::InsightResult;
use occudesk_figures::time::local_date;
use occudesk_net::{Error, ErrorKind, Result};
use occudesk_store::cache::{DayCache, Scope};

mod cached;

/// How long a building list, building detail or metric list is used without asking the
/// service again (from memory or the local cache). They change rarely (a new floor, zone or
/// column), and reusing them spares every fresh process (each CLI run) the entity and
/// introspection requests; a change still shows within the hour.
pub const ENTITY_TTL: TimeDelta = TimeDelta::hours(1);

/// Whether something fetched at `fetched_at` may be used without asking again. A fetch time in
/// the future (the clock was set back) is not trusted, so it cannot keep an entry forever.
fn is_recent(fetched_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    let age = now.signed_duration_since(fetched_at);
    age >= TimeDelta::zero() && age < ENTITY_TTL
}

/// A looked-up answer (building list, building detail, metric list) and where it came from.
struct Looked<T> {
    value: T,
    /// When the service gave it (this process's request, or the one that filled the cache).
    fetched_at: DateTime<Utc>,
    /// Read back from the local cache rather than fetched now.
    stored: bool,
    /// Set when the service could not be reached and a kept answer, whatever its age, stands
    /// in for it.
    offline: Option<Error>,
}

/// Building details by (connection id, building id), each with its fetch time.
type DetailMap = HashMap<(String, i64), (Arc<BuildingDetail>, DateTime<Utc>)>;

/// The insight queries of every connection: caches of what was learned (metric lists,
/// building details, row caps) and of finished results. One per app (or CLI run).
pub struct Insights {
    clock: Arc<dyn Clock>,
    tuning: FetchTuning,
    schema: SchemaCache,
    /// Building details by (connection, building), with when the service gave them, so a
    /// long-running app asks again after [`ENTITY_TTL`].
    details: Mutex<DetailMap>,
    /// Row caps by connection, then table.
    caps: Mutex<HashMap<String, Arc<TableCaps>>>,
    memo: InsightMemo,
    /// The local store of fetched days; `None` fetches everything (`--no-cache`, tests).
    cache: Option<DayCache>,
}

impl std::fmt::Debug for Insights {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Insights")
            .field("tuning", &self.tuning)
            .field("memo", &self.memo)
            .finish_non_exhaustive()
    }
}

impl Default for Insights {
    fn default() -> Self {
        Insights::new()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Each critical section is one map operation, so a poisoned map is still consistent.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Insights {
    pub fn new() -> Insights {
        Insights::with_clock(Arc::new(SystemClock))
    }

    /// With a clock of the caller's choice: "today" decides what counts as the future.
    pub fn with_clock(clock: Arc<dyn Clock>) -> Insights {
        Insights {
            clock,
            tuning: FetchTuning::default(),
            schema: SchemaCache::default(),
            details: Mutex::new(HashMap::new()),
            caps: Mutex::new(HashMap::new()),
            memo: InsightMemo::default(),
            cache: None,
        }
    }

    /// Keeps fetched days in `cache` and asks the service only for the others. Demo
    /// connections' days too: they are kept under one name whatever port the simulator has
    /// this time (`cache::Scope::of`), as it answers the same rows for the same days.
    pub fn with_cache(mut self, cache: DayCache) -> Insights {
        self.cache = Some(cache);
        self
    }

    /// Other chunk and page sizes (benchmarks, tests).
    pub fn with_tuning(mut self, tuning: FetchTuning) -> Insights {
        self.tuning = tuning;
        self
    }

    fn now(&self) -> DateTime<Utc> {
        DateTime::<Utc>::from(self.clock.now())
    }

    fn caps_of(&self, connection_id: &str) -> Arc<TableCaps> {
        lock(&self.caps)
            .entry(connection_id.to_owned())
            .or_default()
            .clone()
    }

    /// The row cap `table`'s answers on this connection have revealed, if any.
    pub fn row_cap(&self, connection_id: &str, table: InsightTable) -> Option<usize> {
        lock(&self.caps)
            .get(connection_id)
            .and_then(|c| c.cap(table.name()))
    }

    /// Every building the connection sees, with its time zone. A list fetched less than
    /// [`ENTITY_TTL`] ago is reused from the local cache; offline, the list last fetched (so a
    /// view can still be picked on a train).
    pub async fn buildings(&self, session: &Arc<Session>) -> Result<Vec<Building>> {
        let caps = self.caps_of(&session.connection().id);
        let online = entities::buildings(session, &caps, &self.schema, self.now());
        self.remembered(session.connection(), "buildings", String::new(), online)
            .await
            .map(|looked| looked.value)
    }

    /// A building's floors, sites, zones, zone types, time zone and capacity (cached for
    /// [`ENTITY_TTL`]).
    pub async fn building_detail(
        &self,
        session: &Arc<Session>,
        building_id: i64,
    ) -> Result<Arc<BuildingDetail>> {
        self.detail_or_offline(session, building_id)
            .await
            .map(|(detail, _)| detail)
    }

    /// The detail, and the network error if it came from the local cache (or an old copy in
    /// memory) because the service could not be reached. Offline answers are not kept in
    /// memory, so the next call online asks the service again.
    async fn detail_or_offline(
        &self,
        session: &Arc<Session>,
        building_id: i64,
    ) -> Result<(Arc<BuildingDetail>, Option<Error>)> {
        let key = (session.connection().id.clone(), building_id);
        let now = self.now();
        let kept = lock(&self.details).get(&key).cloned();
        if let Some((detail, fetched_at)) = &kept
            && is_recent(*fetched_at, now)
        {
            return Ok((detail.clone(), None));
        }
        let caps = self.caps_of(&key.0);
        let online = entities::building_detail(session, &caps, &self.schema, building_id, now);
        let looked = match self
            .remembered(
                session.connection(),
                "building",
                building_id.to_string(),
                online,
            )
            .await
        {
            Ok(looked) => looked,
            // No kept copy in the local cache (none, demo, `--no-cache`): the one in memory,
            // older than the TTL, still beats no building.
            Err(e) if unreachable(&e) => {
                return match kept {
                    Some((detail, _)) => Ok((detail, Some(e))),
                    None => Err(e),
                };
            }
            Err(e) => return Err(e),
        };
        // `tz` is not stored: a detail read back from the cache gets it from its zone name.
        let detail = Arc::new(if looked.stored {
            looked.value.with_zone_from_name()
        } else {
            looked.value
        });
        if looked.offline.is_none() {
            // With its own fetch time: a detail the cache kept for 50 minutes is asked for
            // again in 10, not in an hour.
            lock(&self.details).insert(key, (detail.clone(), looked.fetched_at));
        }
        Ok((detail, looked.offline))
    }

    /// A lookup: the answer the local cache kept, if the service gave it less than
    /// [`ENTITY_TTL`] ago (no request); else the service's answer (`online`, not started
    /// until then), kept with its fetch time; or, when the service cannot be reached, the kept
    /// one whatever its age, with the error that sent us there. Without a cache (demo,
    /// `--no-cache`), always the service.
    async fn remembered<T>(
        &self,
        connection: &Connection,
        what: &'static str,
        key: String,
        online: impl Future<Output = Result<T>>,
    ) -> Result<Looked<T>>
    where
        T: serde::Serialize + serde::de::DeserializeOwned + Send + 'static,
    {
        let now = self.now();
        let fetched = |value| Looked {
            value,
            fetched_at: now,
            stored: false,
            offline: None,
        };
        let Some(cache) = self.cache.clone() else {
            return online.await.map(fetched);
        };
        let scope = Scope::of(connection);
        // A cache that cannot be read is logged and skipped: the service answers instead.
        let kept = match cache.lookup::<T>(&scope, what, key.clone()).await {
            Ok(kept) => kept,
            Err(e) => {
                tracing::warn!(code = e.code(), "{e}");
                None
            }
        };
        let kept = match kept {
            Some(k) if is_recent(k.fetched_at, now) => {
                return Ok(Looked {
                    value: k.value,
                    fetched_at: k.fetched_at,
                    stored: true,
                    offline: None,
                });
            }
            other => other,
        };
        match online.await {
            Ok(value) => {
                if let Err(e) = cache.put_lookup(&scope, what, key, &value, now).await {
                    tracing::warn!(code = e.code(), "{e}");
                }
                Ok(fetched(value))
            }
            Err(e) if unreachable(&e) => match kept {
                Some(k) => Ok(Looked {
                    value: k.value,
                    fetched_at: k.fetched_at,
                    stored: true,
                    offline: Some(e),
                }),
                None => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    /// The metrics of a table: v2 numeric columns (introspection, else `OCCUPANCY_MEAN`), v1
    /// metric or feature names seen in recent rows. Cached per connection: in memory for the
    /// process, in the local cache for [`ENTITY_TTL`].
    pub async fn metrics(
        &self,
        session: &Arc<Session>,
        table: InsightTable,
    ) -> Result<Arc<Vec<String>>> {
        self.metrics_or_offline(session, table)
            .await
            .map(|(metrics, _)| metrics)
    }

    async fn metrics_or_offline(
        &self,
        session: &Arc<Session>,
        table: InsightTable,
    ) -> Result<(Arc<Vec<String>>, Option<Error>)> {
        let connection = session.connection();
        let version = ApiVersion::of(connection)?;
        if table.version() != version {
            return Err(Error::invalid(
                "table",
                format!("The table {table} is not available on this connection."),
            ));
        }
        if let Some(hit) = self.schema.get(&connection.id, table) {
            return Ok((hit, None));
        }
        let online = async {
            schema::metrics(&self.schema, session, table, self.now())
                .await
                .map(|m| m.as_ref().clone())
        };
        let looked = self
            .remembered(connection, "metrics", table.name().to_owned(), online)
            .await?;
        let metrics = Arc::new(looked.value);
        if looked.stored && looked.offline.is_none() {
            // A recent list from the cache is kept in memory as a fetched one is (by
            // `schema::metrics`), so later views of this process read neither service nor file.
            self.schema.insert(&connection.id, table, metrics.clone());
        }
        Ok((metrics, looked.offline))
    }

    /// The finished result of `query`, if it is still in memory (and, when it shows
    /// provisional days, recent).
    pub fn cached(&self, session: &Session, query: &InsightQuery) -> Option<Arc<InsightResult>> {
        self.memo.get(session.connection(), query, self.clock.now())
    }

    /// Forgets everything about a connection (call when it is edited or deleted).
    pub fn forget_connection(&self, connection_id: &str) {
        self.memo.forget(connection_id);
        self.schema.forget(connection_id);
        lock(&self.details).retain(|(id, _), _| id != connection_id);
        lock(&self.caps).remove(connection_id);
    }

    /// Runs `query` and returns every row, or an error; never a partial result.
    ///
    /// `progress` is called after each response. Cancelling `cancel` stops new requests,
    /// drops those in flight and returns `query.cancelled`. A result is kept in memory, so
    /// the same query again costs no request.
    pub async fn fetch(
        &self,
        session: &Arc<Session>,
        query: &InsightQuery,
        progress: impl Fn(FetchProgress) + Send + Sync,
        cancel: &CancellationToken,
    ) -> Result<Arc<InsightResult>> {
        self.fetch_as(session, query, Freshness::Usual, &progress, cancel)
            .await
    }

    /// As [`fetch`](Self::fetch), but every day of the range is asked for again, final or
    /// not, and replaces what the local cache kept for it ("Reload this range"). The rest of
    /// the cache stays.
    pub async fn reload(
        &self,
        session: &Arc<Session>,
        query: &InsightQuery,
        progress: impl Fn(FetchProgress) + Send + Sync,
        cancel: &CancellationToken,
    ) -> Result<Arc<InsightResult>> {
        self.fetch_as(session, query, Freshness::Reload, &progress, cancel)
            .await
    }

    /// [`fetch`](Self::fetch) or [`reload`](Self::reload).
    pub async fn fetch_as(
        &self,
        session: &Arc<Session>,
        query: &InsightQuery,
        freshness: Freshness,
        progress: &(dyn Fn(FetchProgress) + Send + Sync),
        cancel: &CancellationToken,
    ) -> Result<Arc<InsightResult>> {
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        // Cancel covers the building and metric look-ups too, not only the chunks.
        tokio::select! {
            biased;
            _ = cancel.cancelled() => Err(Error::Cancelled),
            result = self.fetch_uncancelled(session, query, freshness, progress, cancel) => result,
        }
    }

    async fn fetch_uncancelled(
        &self,
        session: &Arc<Session>,
        query: &InsightQuery,
        freshness: Freshness,
        progress: &(dyn Fn(FetchProgress) + Send + Sync),
        cancel: &CancellationToken,
    ) -> Result<Arc<InsightResult>> {
        let query = &query.canonical();
        let connection = session.connection();
        let version = ApiVersion::of(connection)?;
        if freshness == Freshness::Usual
            && let Some(hit) = self.memo.get(connection, query, self.clock.now())
        {
            return Ok(hit);
        }
        // Both are cached after the first time; together they cost one round trip. Offline,
        // both come from the local cache (if they were ever fetched).
        let ((detail, detail_offline), (available, metrics_offline)) = tokio::try_join!(
            self.detail_or_offline(session, query.building_id),
            self.metrics_or_offline(session, query.table)
        )?;
        let tz = detail.tz;
        let today = local_date(self.now(), tz);
        query.check_shape(version, today)?;
        let metrics = resolve_metrics(query, &available)?;
        let group = group_for(connection, query);
        let prepared = text::prepare(query, group.as_deref(), &metrics)?;

        // Nothing is published after today: do not spend requests on the future.
        let to = query.to.min(today);
        let mut plan = cached::Plan::new(
            self,
            connection,
            query,
            &detail,
            &metrics,
            group.clone(),
            to,
        )
        .await;
        if freshness == Freshness::Reload {
            plan.reload_all();
        }
        if let Some(offline) = detail_offline.or(metrics_offline) {
            return plan.offline(query, &detail, &metrics, offline);
        }
        let per_period = if query.table.is_long() {
            metrics.len()
        } else {
            1
        };
        let series = entity_count(query, &detail) * per_period;
        let caps = self.caps_of(&connection.id).of(query.table.name());
        let target = self.tuning.target_under(caps.cap());
        // Only the days the cache lacks, in as few contiguous ranges as there are gaps.
        let chunks: Vec<plan::DateChunk> = plan
            .missing_ranges()
            .into_iter()
            .flat_map(|(first, last)| {
                plan::plan_chunks(first, last, query.granularity, series, target)
            })
            .collect();
        let chunk_count = chunks.len() as u32;

        let (raw, requests) = if chunks.is_empty() {
            (Vec::new(), 0)
        } else {
            let job = fetch::Job {
                session,
                caps: &caps,
                table: query.table,
                prepared: &prepared,
                metrics: &metrics,
                tz,
                granularity: query.granularity,
                series,
                chunks,
                tuning: self.tuning,
            };
            match fetch::run(job, progress, cancel).await {
                Ok(fetched) => fetched,
                // The service is unreachable or failing: show what the cache holds, or say
                // exactly which days it lacks.
                Err(e) if unreachable(&e) && plan.has_cache() => {
                    return plan.offline(query, &detail, &metrics, e);
                }
                Err(e) => return Err(e),
            }
        };
        let (all_raw, source, provisional) = plan.online(raw).await;
        let rows::Merged {
            columns,
            rows,
            group_id,
        } = rows::merge(query.table, &metrics, tz, all_raw)?;
        let notice = rows
            .is_empty()
            .then(|| no_data_notice(query, to, &detail.building.name));
        let result = Arc::new(InsightResult {
            time_zone: tz.name().to_owned(),
            time_zone_known: detail.building.time_zone_known,
            table: query.table.name().to_owned(),
            granularity: query.granularity.as_str().to_owned(),
            columns,
            rows,
            group_id: group.or(group_id),
            notice,
            requests,
            chunks: chunk_count,
            source,
        });
        tracing::debug!(
            connection = connection.id,
            table = query.table.name(),
            granularity = query.granularity.as_str(),
            chunks = chunk_count,
            requests,
            rows = result.rows.len(),
            days_from_cache = result.source.days_from_cache,
            "insight fetch complete"
        );
        let provisional_since = provisional.then(|| self.clock.now());
        self.memo
            .put(connection, query, result.clone(), provisional_since);
        Ok(result)
    }
}

/// Whether a fetch may answer from memory and the local cache, or must ask for every day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// Final days from the cache, a recent result from memory.
    Usual,
    /// Every day of the range from the service.
    Reload,
}

/// Whether `e` means the service cannot be reached right now (no network, a timeout, a
/// failing or overloaded service), so the local cache should stand in. An answer that is not
/// what the API sends (an HTML page, cut-off JSON, rows without their columns) is not an
/// outage: it is reported as `api.unexpected_response`, never passed off as an offline
/// view. Nor are other answers about the request (a refused GraphQL query, an insecure
/// address, an oversized answer): hiding them behind cached rows would mislead.
fn unreachable(e: &Error) -> bool {
    e.kind() == ErrorKind::Service
        && matches!(
            e,
            Error::NetOffline { .. }
                | Error::NetTimeout { .. }
                | Error::ServerError { .. }
                | Error::RateLimited
        )
}

/// Why a fetch has no rows, in words, with what to try: never the granularity already chosen.
fn no_data_notice(query: &InsightQuery, to: NaiveDate, building: &str) -> String {
    let days = if query.from == to {
        format!("on {to}")
    } else {
        format!("from {} to {to}", query.from)
    };
    let (by, what_to_try) = match query.granularity {
        Granularity::Pt15m => (
            "15 minutes",
            "15-minute data is being retired and may not be published here: choose Hour or another range.",
        ),
        Granularity::Pt1h => ("hour", NOTHING_PUBLISHED),
        Granularity::P1d => ("day", NOTHING_PUBLISHED),
        Granularity::P1w => ("week", NOTHING_PUBLISHED),
        Granularity::P1m => ("month", NOTHING_PUBLISHED),
    };
    format!("No data for {building} {days} by {by}. {what_to_try}")
}

const NOTHING_PUBLISHED: &str = "Nothing was published for these days: choose an earlier range.";

/// The metrics to read: the query's (each must be available), or the default.
fn resolve_metrics(query: &InsightQuery, available: &[String]) -> Result<Vec<String>> {
    if available.is_empty() {
        return Err(Error::invalid(
            "metrics",
            format!(
                "No metrics were found in {} on this connection; it may hold no recent data.",
                query.table
            ),
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for m in &query.metrics {
        let m = m.trim();
        if m.is_empty() || out.iter().any(|o| o == m) {
            continue;
        }
        if !available.iter().any(|a| a == m) {
            return Err(Error::invalid(
                "metrics",
                format!(
                    "{} has no metric \"{}\". Available: {}.",
                    query.table,
                    graphql::shorten(m, 60),
                    available.join(", ")
                ),
            ));
        }
        out.push(m.to_owned());
    }
    if out.is_empty() {
        if query.table.is_features() {
            out = available.to_vec();
        } else {
            let default = [schema::FALLBACK_METRIC, schema::V1_DEFAULT_METRIC]
                .into_iter()
                .find(|d| available.iter().any(|a| a == d))
                .unwrap_or(&available[0]);
            out.push(default.to_owned());
        }
    }
    Ok(out)
}

/// v2: the query's group, else the connection's, else the nil UUID ("everyone"). v1: the
/// query's or the connection's, else no group filter (the `all-` id differs per customer).
fn group_for(connection: &Connection, query: &InsightQuery) -> Option<String> {
    let non_blank = |g: &Option<String>| {
        g.as_deref()
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_owned)
    };
    let own = non_blank(&query.group_id);
    match &connection.kind {
        ConnectionKind::InnerspaceV2 { group_id, .. } => Some(
            own.or_else(|| non_blank(group_id))
                .unwrap_or_else(|| V2_EVERYONE_GROUP.to_owned()),
        ),
        ConnectionKind::InnerspaceV1 { group_id }
        | ConnectionKind::InnerspaceToken { group_id } => own.or_else(|| non_blank(group_id)),
        ConnectionKind::Spatiafi { .. } => None,
    }
}

/// The most rows `query` can answer with, one per period of each entity it covers: what a
/// view is measured against before anything is fetched.
pub fn expected_rows(query: &InsightQuery, detail: &BuildingDetail) -> u64 {
    let days = (query.to - query.from).num_days() + 1;
    let periods = u64::try_from(query.granularity.max_periods(days)).unwrap_or(0);
    periods.saturating_mul(entity_count(query, detail) as u64)
}

/// How many series a query covers (for chunk sizing).
fn entity_count(query: &InsightQuery, detail: &BuildingDetail) -> usize {
    let n = match query.table.level() {
        Level::Building => 1,
        Level::Site => match query.site_id {
            Some(_) => 1,
            None => detail.sites.len(),
        },
        Level::Zone => match (query.zone_id, query.site_id) {
            (Some(_), _) => 1,
            (None, Some(site)) => detail
                .zones
                .iter()
                .filter(|z| z.site_id == Some(site))
                .count(),
            (None, None) => detail.zones.len(),
        },
        Level::ZoneType => match query.zone_type.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => 1,
            _ => detail.zone_types.len(),
        },
    };
    n.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outages_fall_back_to_the_cache_but_malformed_answers_and_refusals_do_not() {
        let host = || "h".to_owned();
        for e in [
            Error::NetOffline { host: host() },
            Error::NetTimeout { host: host() },
            Error::ServerError { status: 503 },
            Error::RateLimited,
        ] {
            assert!(unreachable(&e), "{e:?}");
        }
        for e in [
            Error::UnexpectedResponse {
                host: host(),
                what: "an HTML page".into(),
            },
            Error::GraphqlError {
                message: "no such column".into(),
            },
            Error::InsecureUrl { host: host() },
            Error::AuthRejected,
            Error::Cancelled,
            Error::invalid("from", "x"),
        ] {
            assert!(!unreachable(&e), "{e:?}");
        }
    }
}
