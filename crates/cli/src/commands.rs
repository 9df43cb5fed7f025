//! What each subcommand does, over `occudesk-core`'s registry (the same one the app uses).

use std::sync::Arc;

use occudesk_core::auth::{Sessions, SystemClock};
use occudesk_core::connections::{Connection, ConnectionDraft, SpatiafiAuthMethod};
use occudesk_core::health::test_connection;
use occudesk_core::http::{HttpClient, HttpConfig};
use occudesk_core::registry::{ConnectionView, Registry};
use occudesk_core::settings::{SettingsFile, SettingsStore};
use occudesk_core::vault::Vault;
use occudesk_core::{Error, Result, paths};

use crate::args::{AddArgs, AuthMethod, Cli, Command, ConnectionCommand, Kind};
use crate::secret_input::read_secret;

pub async fn run(cli: Cli) -> Result<()> {
    let data_dir = match cli.data_dir {
        Some(dir) => dir,
        None => paths::data_dir()?,
    };
    let settings = SettingsStore::open(Arc::new(SettingsFile::in_dir(&data_dir)))?;
    let registry = Registry::new(settings, Vault::keyring());
    match cli.command {
        Command::Connection(ConnectionCommand::List { json }) => list(&registry, json).await,
        Command::Connection(ConnectionCommand::Add(args)) => add(&registry, args).await,
        Command::Connection(ConnectionCommand::Remove { connection }) => {
            let c = find(&registry, &connection)?;
            registry.delete(&c.id).await?;
            println!("Removed {} and its keyring entry.", c.name);
            Ok(())
        }
        Command::Connection(ConnectionCommand::Test { connection }) => {
            let c = find(&registry, &connection)?;
            let sessions = Sessions::new(
                HttpClient::new(HttpConfig::default())?,
                Arc::new(SystemClock),
            );
            let status = test_connection(&registry, &sessions, &c.id).await?;
            let until = chrono::DateTime::from_timestamp(status.expires_at as i64, 0)
                .map(|t| {
                    t.with_timezone(&chrono::Local)
                        .format("%Y-%m-%d %H:%M %Z")
                        .to_string()
                })
                .unwrap_or_else(|| "unknown".into());
            println!(
                "OK: {} issued a token valid for {} min (until {until}).",
                c.name,
                status.remaining_secs.div_ceil(60)
            );
            Ok(())
        }
    }
}

/// Prints every connection; if the keyring could not be asked, the list is still printed
/// (secret "unknown") and the keyring error decides the exit code.
async fn list(registry: &Registry, json: bool) -> Result<()> {
    let (views, keyring_error) = registry.list_views().await;
    if json {
        let text = serde_json::to_string_pretty(&views)
            .map_err(|e| Error::invalid("output", e.to_string()))?;
        println!("{text}");
    } else if views.is_empty() {
        println!("No connections. Add one with: occudesk-cli connection add --help");
    } else {
        print!("{}", table(&views));
    }
    keyring_error.map_or(Ok(()), Err)
}

fn table(views: &[ConnectionView]) -> String {
    let rows: Vec<[String; 5]> = views
        .iter()
        .map(|v| {
            let c = &v.connection;
            [
                c.name.clone(),
                c.kind.label().to_owned(),
                c.client_id.clone(),
                match v.has_secret {
                    Some(true) => "in keyring",
                    Some(false) => "none",
                    None => "unknown",
                }
                .to_owned(),
                c.id.clone(),
            ]
        })
        .collect();
    let header = ["NAME", "KIND", "CLIENT ID", "SECRET", "ID"].map(str::to_owned);
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

async fn add(registry: &Registry, args: AddArgs) -> Result<()> {
    let auth_method = match args.auth_method {
        AuthMethod::ClientSecretJwt => SpatiafiAuthMethod::ClientSecretJwt,
        AuthMethod::ClientSecretBasic => SpatiafiAuthMethod::ClientSecretBasic,
        AuthMethod::ClientSecretPost => SpatiafiAuthMethod::ClientSecretPost,
        AuthMethod::Password => SpatiafiAuthMethod::Password,
        AuthMethod::Basic => SpatiafiAuthMethod::Basic,
    };
    let kind = match args.kind {
        Kind::InnerspaceV2 => "innerspace-v2",
        Kind::InnerspaceV1 => "innerspace-v1",
        Kind::Spatiafi => "spatiafi",
    };
    let draft = ConnectionDraft {
        id: None,
        name: args.name,
        kind: kind.to_owned(),
        base_url: args.base_url,
        client_id: args.client_id,
        audience: args.audience,
        group_id: args.group_id,
        auth_method: Some(auth_method),
    };
    // Check the input before asking for a secret the user would then have typed for nothing.
    draft.validate()?;
    let secret = if args.no_secret {
        None
    } else {
        let what = if matches!(args.kind, Kind::Spatiafi) && auth_method.is_personal() {
            "Password"
        } else {
            "Client secret"
        };
        let secret = read_secret(&format!("{what} for {}: ", draft.name))
            .map_err(|e| Error::invalid("secret", format!("Could not read the secret: {e}")))?;
        Some(secret)
    };
    let view = registry.save(&draft, secret).await?;
    let stored = if view.has_secret == Some(true) {
        "secret stored in the keyring"
    } else {
        "no secret stored"
    };
    println!(
        "Added {} ({stored}). Id: {}",
        view.connection.name, view.connection.id
    );
    Ok(())
}

/// A connection by id, or by exact name when that name is unique.
fn find(registry: &Registry, key: &str) -> Result<Connection> {
    let all = registry.list();
    if let Some(c) = all.iter().find(|c| c.id == key) {
        return Ok(c.clone());
    }
    let named: Vec<&Connection> = all.iter().filter(|c| c.name == key).collect();
    match named.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(Error::ConnectionNotFound(key.to_owned())),
        _ => Err(Error::invalid(
            "connection",
            format!("Several connections are named \"{key}\"; use the id (see `connection list`)."),
        )),
    }
}
