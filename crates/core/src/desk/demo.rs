//! Demo data as the doors provide it. Core never starts a simulator: the app and the CLI give
//! the Desk a [`DemoSource`] (theirs serves simulated services on loopback), and core only
//! registers the connections it names, whose secrets stay in memory (never in the keyring).

use chrono::NaiveDate;
use futures_util::future::BoxFuture;
use secrecy::SecretString;

use crate::connections::Connection;
use crate::registry::Registry;
use crate::{Error, Result};

/// Something that can serve demo data.
pub trait DemoSource: Send + Sync {
    /// Starts serving demo data whose history ends the day before `today`; why not, in words.
    fn start(
        &self,
        today: NaiveDate,
    ) -> BoxFuture<'static, std::result::Result<Box<dyn DemoServices>, String>>;
}

/// Demo services while they run.
pub trait DemoServices: Send + Sync {
    /// The connections to the services, each with its secret.
    fn connections(&self) -> Vec<(Connection, SecretString)>;
    /// Stops serving.
    fn stop(self: Box<Self>) -> BoxFuture<'static, ()>;
}

/// Starts `source` with history up to the day before `today` (this computer's date when the
/// calendar is not pinned) and registers its connections.
pub(super) async fn start(
    source: Option<&dyn DemoSource>,
    registry: &Registry,
    today: Option<NaiveDate>,
) -> Result<Box<dyn DemoServices>> {
    let source = source.ok_or_else(|| {
        Error::DemoUnavailable("this build of Occupancy Desk has no demo data".into())
    })?;
    let today = today.unwrap_or_else(|| chrono::Local::now().date_naive());
    let services = source.start(today).await.map_err(Error::DemoUnavailable)?;
    registry
        .set_demo_connections(services.connections())
        .await?;
    Ok(services)
}

/// Removes the demo connections and stops the services.
pub(super) async fn stop(registry: &Registry, services: Box<dyn DemoServices>) -> Result<()> {
    registry.set_demo_connections(Vec::new()).await?;
    services.stop().await;
    Ok(())
}
