//! What each subcommand does: one call on `occudesk_core::Desk` (the same one the app uses)
//! and the printing of its answer.

use occudesk_core::connections::ConnectionDraft;
use occudesk_core::{ConnectionRow, Desk, DeskConfig, Error, Result};
use secrecy::ExposeSecret;

use crate::args::{AddArgs, CacheCommand, Cli, Command, ConnectionCommand};
use crate::insights;
use crate::secret_input::read_secret;
use crate::table::print_table;

pub async fn run(cli: Cli) -> Result<()> {
    let desk = Desk::open(DeskConfig {
        data_dir: cli.data_dir,
        force_demo: cli.demo,
        use_cache: !cli.no_cache,
        ..DeskConfig::system()
    })
    .await?;
    // The app opens on read-only defaults to explain a damaged file; a script needs to stop.
    if let Some(e) = desk.startup_error() {
        return Err(e.clone());
    }
    match cli.command {
        Command::Connection(ConnectionCommand::List { json }) => list(&desk, json).await,
        Command::Connection(ConnectionCommand::Add(args)) => add(&desk, args).await,
        Command::Connection(ConnectionCommand::Remove { connection }) => {
            let c = desk.find_connection(&connection)?;
            desk.delete_connection(&c.id).await?;
            println!("Removed {} and its keyring entry.", c.name);
            Ok(())
        }
        Command::Buildings(args) => insights::buildings(&desk, args).await,
        Command::Insights(args) => insights::insights(&desk, args).await,
        Command::Cache(CacheCommand::Info { json }) => {
            let info = desk.cache_info().await?;
            if let Some(notice) = desk.info().await.cache_notice {
                eprintln!("note: {notice}");
            }
            if json {
                let text = serde_json::to_string_pretty(&info)
                    .map_err(|e| Error::invalid("output", e.to_string()))?;
                println!("{text}");
            } else {
                println!("Cache file:  {}", info.path);
                println!(
                    "Size:        {} (limit {} MB; least recently used days go first)",
                    human_bytes(info.bytes),
                    info.limit_mb
                );
                println!("Holds:       {} days of {} views", info.days, info.views);
                if !info.enabled {
                    println!("Not used by this command (--no-cache).");
                }
            }
            Ok(())
        }
        Command::Cache(CacheCommand::Clear) => {
            let info = desk.clear_cache().await?;
            println!(
                "Cleared the cache {} (now {}).",
                info.path,
                human_bytes(info.bytes)
            );
            Ok(())
        }
        Command::Connection(ConnectionCommand::Test { connection }) => {
            let c = desk.find_connection(&connection)?;
            let status = desk.test_connection(&c.id).await?;
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
async fn list(desk: &Desk, json: bool) -> Result<()> {
    let list = desk.connections().await;
    if json {
        let text = serde_json::to_string_pretty(&list.connections)
            .map_err(|e| Error::invalid("output", e.to_string()))?;
        println!("{text}");
    } else if list.connections.is_empty() {
        println!("No connections. Add one with: occudesk-cli connection add --help");
    } else {
        print_connections(&list.connections);
    }
    list.keyring_error.map_or(Ok(()), Err)
}

fn print_connections(rows: &[ConnectionRow]) {
    let rows = rows
        .iter()
        .map(|row| {
            let c = &row.view.connection;
            vec![
                c.name.clone(),
                c.kind.service().id().to_owned(),
                c.client_id.clone(),
                match row.view.has_secret {
                    Some(true) => "in keyring",
                    Some(false) => "none",
                    None => "unknown",
                }
                .to_owned(),
                c.id.clone(),
            ]
        })
        .collect();
    print_table(&["NAME", "KIND", "CLIENT ID", "SECRET", "ID"], rows);
}

async fn add(desk: &Desk, args: AddArgs) -> Result<()> {
    let draft = ConnectionDraft {
        id: None,
        name: args.name,
        kind: args.kind.id().to_owned(),
        base_url: args.base_url,
        client_id: args.client_id,
        audience: args.audience,
        group_id: args.group_id,
        auth_method: Some(args.auth_method),
    };
    // Check the input (the name being free included) before asking for a secret the user
    // would then have typed for nothing.
    if let Some(problem) = desk.check_connection(&draft).into_iter().next() {
        return Err(Error::invalid(problem.field, problem.message));
    }
    let secret = if args.no_secret {
        None
    } else {
        let what = if draft.validate()?.kind.is_personal() {
            "Password"
        } else {
            "Client secret"
        };
        let secret = read_secret(&format!("{what} for {}: ", draft.name))
            .map_err(|e| Error::invalid("secret", format!("Could not read the secret: {e}")))?;
        if secret.expose_secret().trim().is_empty() {
            return Err(Error::invalid(
                "secret",
                format!(
                    "No {} was given. Pipe it on standard input (printf '%s' \"$SECRET\" | occudesk-cli connection add …) or pass --no-secret to save the connection without one.",
                    what.to_lowercase()
                ),
            ));
        }
        Some(secret)
    };
    let view = desk.save_connection(&draft, secret).await?;
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

/// 1536 → "1.5 KB" (powers of 1024, as file managers on Linux show them).
fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}
