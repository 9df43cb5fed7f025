//! Insight queries through the desk: the connection's shared session, the engine's caches,
//! and cancellable fetches that a front door can stop by id.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use super::{Desk, no_secret};
use crate::auth::Session;
use crate::innerspace::{
    ApiVersion, Building, BuildingDetail, FetchProgress, Freshness, InsightQuery, InsightTable,
};
use crate::insights::InsightResult;
use crate::{Error, Result};

/// Which filters an analyst set below the building.
#[derive(Clone, Copy, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Picked {
    #[serde(default)]
    pub site: bool,
    #[serde(default)]
    pub zone: bool,
    #[serde(default)]
    pub zone_type: bool,
}

/// Fetches that are running, by the id the front door gave them, so they can be cancelled.
#[derive(Default)]
pub(super) struct RunningFetches {
    by_id: Mutex<HashMap<String, CancellationToken>>,
}

impl RunningFetches {
    /// Runs `work` as the fetch `id`. Registered before anything is awaited, so a Cancel
    /// pressed while the session is still being built (a keyring read) is not lost; a new
    /// fetch under a running id cancels the old one. Cancelled, it ends with
    /// `query.cancelled` and drops whatever `work` had in flight.
    pub(super) async fn run<T, F>(
        &self,
        id: &str,
        work: impl FnOnce(CancellationToken) -> F,
    ) -> Result<T>
    where
        F: Future<Output = Result<T>>,
    {
        let cancel = self.start(id);
        let outcome = tokio::select! {
            biased;
            _ = cancel.cancelled() => Err(Error::Cancelled),
            outcome = work(cancel.clone()) => outcome,
        };
        self.finish(id, &cancel);
        outcome
    }

    fn start(&self, id: &str) -> CancellationToken {
        let token = CancellationToken::new();
        // A new fetch under a running id replaces it: the old one is cancelled, not orphaned.
        if let Some(old) = self.lock().insert(id.to_owned(), token.clone()) {
            old.cancel();
        }
        token
    }

    fn finish(&self, id: &str, token: &CancellationToken) {
        let mut running = self.lock();
        if running.get(id).is_some_and(|t| t == token) {
            running.remove(id);
        }
    }

    fn cancel(&self, id: &str) -> bool {
        self.lock().remove(id).inspect(|t| t.cancel()).is_some()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, CancellationToken>> {
        self.by_id.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Desk {
    /// The connection's session (one token for all its queries), made from the keyring's
    /// secret the first time.
    pub async fn session(&self, connection_id: &str) -> Result<Arc<Session>> {
        let connection = self.registry.get(connection_id)?;
        self.sessions
            .get_or_create(&connection, || async {
                self.registry
                    .secret(connection_id)
                    .await?
                    .ok_or_else(|| no_secret(&connection.name))
            })
            .await
    }

    /// The table that answers what the analyst picked: v2 keeps zone types, zones and sites
    /// (every zone of the site) in their own tables, v1 has a table per level.
    pub fn insight_table(&self, connection_id: &str, picked: Picked) -> Result<InsightTable> {
        let connection = self.registry.get(connection_id)?;
        Ok(match ApiVersion::of(&connection)? {
            ApiVersion::V2 if picked.zone_type => InsightTable::ZoneTypeInsights,
            ApiVersion::V2 if picked.zone || picked.site => InsightTable::ZoneInsights,
            ApiVersion::V2 => InsightTable::BuildingInsights,
            ApiVersion::V1 if picked.zone => InsightTable::ZoneMetrics,
            ApiVersion::V1 if picked.site => InsightTable::SiteMetrics,
            ApiVersion::V1 => InsightTable::BuildingMetrics,
        })
    }

    pub async fn buildings(&self, connection_id: &str) -> Result<Vec<Building>> {
        let session = self.session(connection_id).await?;
        self.insights.buildings(&session).await
    }

    pub async fn building_detail(
        &self,
        connection_id: &str,
        building_id: i64,
    ) -> Result<Arc<BuildingDetail>> {
        let session = self.session(connection_id).await?;
        self.insights.building_detail(&session, building_id).await
    }

    pub async fn metrics(
        &self,
        connection_id: &str,
        table: InsightTable,
    ) -> Result<Arc<Vec<String>>> {
        let session = self.session(connection_id).await?;
        self.insights.metrics(&session, table).await
    }

    /// Every row of `query`, or an error; never a partial result. `fetch_id` names the fetch
    /// for [`cancel_fetch`](Self::cancel_fetch); `progress` hears about every response.
    /// [`Freshness::Reload`] asks for every day of the range again ("Reload this range").
    pub async fn fetch_insights(
        &self,
        connection_id: &str,
        query: &InsightQuery,
        freshness: Freshness,
        fetch_id: &str,
        progress: impl Fn(FetchProgress) + Send + Sync,
    ) -> Result<Arc<InsightResult>> {
        self.fetches
            .run(fetch_id, |cancel| async move {
                let session = self.session(connection_id).await?;
                self.insights
                    .fetch_as(&session, query, freshness, &progress, &cancel)
                    .await
            })
            .await
    }

    /// Stops a running fetch: no new requests, those in flight dropped, and the fetch ends
    /// with `query.cancelled`. Returns whether it was running.
    pub fn cancel_fetch(&self, fetch_id: &str) -> bool {
        self.fetches.cancel(fetch_id)
    }
}
