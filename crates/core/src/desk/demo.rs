//! Demo data: the simulator of InnerSpace and SpatiaFi, started in-process on a loopback port,
//! and one connection per service whose secrets stay in memory (never in the user's keyring).

use chrono::NaiveDate;
use occudesk_sim::{SchemaProfile, Sim, SimConfig, demo};
use secrecy::SecretString;

use crate::connections::{Connection, ConnectionKind, SpatiafiAuthMethod};
use crate::registry::Registry;
use crate::{Error, Result};

/// `OCCUDESK_DEMO_SCHEMA=contract` serves demo data with exactly the columns
/// `shared/api.md` lists (no `ZONE.FLOOR_ID`, four metric columns), as a tenant that keeps
/// only the contract would: the tests run the app and the CLI against both.
pub const DEMO_SCHEMA_ENV: &str = "OCCUDESK_DEMO_SCHEMA";

fn demo_schema() -> SchemaProfile {
    match std::env::var(DEMO_SCHEMA_ENV).as_deref().map(str::trim) {
        Ok("contract") => SchemaProfile::Contract,
        Ok("" | "full") | Err(_) => SchemaProfile::Full,
        Ok(other) => {
            tracing::warn!("{DEMO_SCHEMA_ENV}={other:?} is not full or contract; using full");
            SchemaProfile::Full
        }
    }
}

/// Starts the simulator with history up to the day before `today` (this computer's date when
/// the calendar is not pinned) and registers the demo connections.
pub async fn start(registry: &Registry, today: Option<NaiveDate>) -> Result<Sim> {
    let config = SimConfig {
        today: today.unwrap_or_else(|| chrono::Local::now().date_naive()),
        schema: demo_schema(),
        ..SimConfig::default()
    };
    let sim = Sim::start(([127, 0, 0, 1], 0).into(), config)
        .await
        .map_err(|e| Error::DemoUnavailable(e.to_string()))?;
    registry.set_demo_connections(connections(&sim)).await?;
    Ok(sim)
}

/// Removes the demo connections and stops the simulator.
pub async fn stop(registry: &Registry, sim: Sim) -> Result<()> {
    registry.set_demo_connections(Vec::new()).await?;
    sim.shutdown().await;
    Ok(())
}

fn connections(sim: &Sim) -> Vec<(Connection, SecretString)> {
    let url = sim.url();
    let demo = |id: &str, name: &str, client_id: &str, kind: ConnectionKind, secret: &str| {
        let connection = Connection {
            id: id.to_owned(),
            name: name.to_owned(),
            base_url: url.clone(),
            client_id: client_id.to_owned(),
            kind,
            demo: true,
        };
        (connection, SecretString::from(secret.to_owned()))
    };
    vec![
        demo(
            "demo-innerspace-v2",
            "Demo InnerSpace (v2)",
            demo::V2_CLIENT_ID,
            ConnectionKind::InnerspaceV2 {
                audience: demo::V2_AUDIENCE.to_owned(),
                group_id: None,
            },
            demo::V2_CLIENT_SECRET,
        ),
        demo(
            "demo-innerspace-v1",
            "Demo InnerSpace (v1)",
            demo::V1_CLIENT_ID,
            ConnectionKind::InnerspaceV1 {
                group_id: Some(sim.v1_group_id()),
            },
            demo::V1_CLIENT_SECRET,
        ),
        demo(
            "demo-spatiafi",
            "Demo SpatiaFi",
            demo::SPATIAFI_CLIENT_ID,
            ConnectionKind::Spatiafi {
                auth_method: SpatiafiAuthMethod::ClientSecretJwt,
            },
            demo::SPATIAFI_CLIENT_SECRET,
        ),
    ]
}
