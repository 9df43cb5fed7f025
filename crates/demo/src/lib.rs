//! Demo data for the doors (the app and the CLI): the simulator of InnerSpace and SpatiaFi,
//! started in-process on a loopback port, and one connection per service whose secrets stay in
//! memory (never in the user's keyring). Core knows only the connections; this crate is the
//! one place the product starts the simulator.

use std::sync::Arc;

use chrono::NaiveDate;
use futures_util::future::{BoxFuture, FutureExt};
use occudesk_core::connections::{Connection, ConnectionKind, SpatiafiAuthMethod};
use occudesk_core::{DemoServices, DemoSource};
use occudesk_sim::{SchemaProfile, Sim, SimConfig, demo};
use secrecy::SecretString;

/// `OCCUDESK_DEMO_SCHEMA=contract` serves demo data with exactly the columns
/// `shared/api.md` lists (no `ZONE.FLOOR_ID`, four metric columns), as a tenant that keeps
/// only the contract would: the tests run the app and the CLI against both.
pub const DEMO_SCHEMA_ENV: &str = "OCCUDESK_DEMO_SCHEMA";

/// The simulator as the Desk's source of demo data.
pub fn simulated() -> Arc<dyn DemoSource> {
    Arc::new(Simulated)
}

struct Simulated;

impl DemoSource for Simulated {
    fn start(&self, today: NaiveDate) -> BoxFuture<'static, Result<Box<dyn DemoServices>, String>> {
        async move {
            let config = SimConfig {
                today,
                schema: demo_schema(),
                ..SimConfig::default()
            };
            let sim = Sim::start(([127, 0, 0, 1], 0).into(), config)
                .await
                .map_err(|e| e.to_string())?;
            Ok(Box::new(Running(sim)) as Box<dyn DemoServices>)
        }
        .boxed()
    }
}

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

/// A running simulator.
struct Running(Sim);

impl DemoServices for Running {
    fn connections(&self) -> Vec<(Connection, SecretString)> {
        let url = self.0.url();
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
                    group_id: Some(self.0.v1_group_id()),
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

    fn stop(self: Box<Self>) -> BoxFuture<'static, ()> {
        async move { self.0.shutdown().await }.boxed()
    }
}
