//! What each subcommand does: one call on `occudesk_core::Desk` (the same one the app uses)
//! and the printing of its answer.

use occudesk_core::connections::{ConnectionDraft, ConnectionKind, ServiceKind};
use occudesk_core::{ConnectionRow, Desk, DeskConfig, Error, Result};
use secrecy::{ExposeSecret, SecretString};

use crate::args::{
    AddArgs, CacheCommand, Cli, Command, ConnectionCommand, SettingsCommand, SpatiafiCommand,
};
use crate::insights;
use crate::secret_input::{confirm, read_secret};
use crate::table::print_table;

/// An error, and what to do about it when that depends on more than the error itself.
pub struct Failure {
    pub error: Error,
    pub hint: Option<String>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure { error, hint: None }
    }
}

pub async fn run(cli: Cli) -> std::result::Result<(), Failure> {
    let desk = Desk::open(DeskConfig {
        data_dir: cli.data_dir,
        force_demo: cli.demo,
        use_cache: !cli.no_cache,
        today: DeskConfig::today_from_env()?,
        demo: Some(occudesk_demo::simulated()),
        ..DeskConfig::system()
    })
    .await?;
    if let Command::Settings(SettingsCommand::Restore { yes }) = cli.command {
        return Ok(restore(&desk, yes).await?);
    }
    // The app opens on read-only defaults to explain a damaged file; a script needs to stop.
    if let Some(error) = desk.startup_error() {
        let hint = desk.settings_restore_offer().ok().flatten().map(|offer| {
            format!(
                "{}\nTo restore it, run: occudesk-cli settings restore",
                offer.summary
            )
        });
        return Err(Failure { error, hint });
    }
    let done = match cli.command {
        Command::Settings(SettingsCommand::Restore { yes }) => restore(&desk, yes).await,
        Command::Connection(ConnectionCommand::Doctor { fix }) => doctor(&desk, fix).await,
        Command::Spatiafi(SpatiafiCommand::Clients(command)) => {
            crate::spatiafi::run(&desk, command).await
        }
        Command::Buildings(args) => insights::buildings(&desk, args).await,
        Command::Insights(args) => insights::insights(&desk, args).await,
        Command::Summary(args) => insights::summary(&desk, args).await,
        Command::Chart(args) => insights::chart(&desk, args).await,
        Command::Report(args) => insights::report(&desk, args).await,
        Command::Plan(args) => insights::plan(&desk, args).await,
        Command::Anomalies(args) => insights::anomalies(&desk, args).await,
        Command::Forecast(args) => crate::plan_ahead::forecast(&desk, args).await,
        Command::Whatif(args) => crate::plan_ahead::what_if(&desk, args).await,
        Command::Portfolio(args) => crate::portfolio::portfolio(&desk, args).await,
        Command::Export(args) => crate::portfolio::export(&desk, args).await,
        Command::Live(args) => crate::live::live(&desk, args).await,
        Command::Connection(ConnectionCommand::Renew { connection }) => {
            renew(&desk, &connection).await
        }
        Command::Connection(ConnectionCommand::List { json }) => list(&desk, json).await,
        Command::Connection(ConnectionCommand::Add(args)) => add(&desk, args).await,
        Command::Connection(ConnectionCommand::Remove { connection }) => {
            let c = desk.find_connection(&connection)?;
            desk.delete_connection(&c.id).await?;
            println!("Removed {} and its keyring entry.", c.name);
            Ok(())
        }
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
            let minutes = status.remaining_secs.div_ceil(60);
            if c.kind.service() == ServiceKind::InnerspaceToken {
                println!(
                    "OK: the pasted token of {} is accepted for {minutes} more min (until {until}); then paste a new one (occudesk-cli connection renew).",
                    c.name
                );
            } else {
                println!(
                    "OK: {} issued a token valid for {minutes} min (until {until}).",
                    c.name
                );
            }
            Ok(())
        }
    };
    Ok(done?)
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
        let what = secret_name(&draft.validate()?.kind);
        Some(required_secret(
            &format!("{what} for {}: ", draft.name),
            &format!(
                "No {} was given. Pipe it on standard input (printf '%s' \"$SECRET\" | occudesk-cli connection add …) or pass --no-secret to save the connection without one.",
                what.to_lowercase()
            ),
        )?)
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

/// A secret from standard input or a prompt; blank is refused with `if_blank`.
fn required_secret(prompt: &str, if_blank: &str) -> Result<SecretString> {
    let secret = read_secret(prompt)
        .map_err(|e| Error::invalid("secret", format!("Could not read the secret: {e}")))?;
    if secret.expose_secret().trim().is_empty() {
        return Err(Error::invalid("secret", if_blank));
    }
    Ok(secret)
}

/// What the secret of a connection of `kind` is called when asked for.
fn secret_name(kind: &ConnectionKind) -> &'static str {
    if kind.service() == ServiceKind::InnerspaceToken {
        "Bearer token"
    } else if kind.is_personal() {
        "Password"
    } else {
        "Client secret"
    }
}

/// Replaces a connection's secret with one read from standard input; nothing else changes.
async fn renew(desk: &Desk, connection: &str) -> Result<()> {
    let c = desk.find_connection(connection)?;
    let what = secret_name(&c.kind).to_lowercase();
    let secret = required_secret(
        &format!("New {what} for {}: ", c.name),
        &format!("No {what} was given on standard input; nothing was changed."),
    )?;
    desk.save_connection(&c.draft(), Some(secret)).await?;
    println!("Replaced the {what} of {} in the keyring.", c.name);
    Ok(())
}

/// Shows what the last good copy holds and what would be lost, asks (unless `--yes`), restores.
async fn restore(desk: &Desk, yes: bool) -> Result<()> {
    let Some(offer) = desk.settings_restore_offer()? else {
        let reason = match desk.startup_error() {
            None => "the settings file is not damaged".to_owned(),
            Some(_) => "no readable last good copy of the settings was kept".to_owned(),
        };
        return Err(Error::NothingToRestore(reason));
    };
    println!("{}", offer.summary);
    println!("Damaged file:   {}", offer.damaged_file);
    println!("Last good copy: {}", offer.last_good_file);
    if !yes && !confirm("Restore the last good copy? [y/N] ")? {
        println!("Nothing was changed.");
        return Ok(());
    }
    let report = desk.restore_settings().await?;
    let kept = report
        .damaged_kept_as
        .map(|path| format!(" The damaged file was kept as {path}."))
        .unwrap_or_default();
    println!(
        "Restored the last good copy ({} connection{}).{kept}",
        report.connections,
        if report.connections == 1 { "" } else { "s" }
    );
    Ok(())
}

/// Lists (and with `--fix` removes) keyring entries of this app that no connection uses.
async fn doctor(desk: &Desk, fix: bool) -> Result<()> {
    let found = if fix {
        desk.remove_orphaned_secrets().await?
    } else {
        desk.orphaned_secrets().await?
    };
    if found.keys.is_empty() {
        println!("Every keyring entry of Occupancy Desk belongs to a connection.");
        return Ok(());
    }
    let verb = if fix { "Removed" } else { "Found" };
    println!(
        "{verb} {} keyring entr{} (service \"occudesk\") that no connection uses:",
        found.count,
        if found.count == 1 { "y" } else { "ies" }
    );
    for key in &found.keys {
        println!("  {key}");
    }
    if !fix {
        println!("Remove them with: occudesk-cli connection doctor --fix");
    }
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
