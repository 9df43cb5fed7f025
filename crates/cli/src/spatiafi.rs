//! `occudesk-cli spatiafi clients …`: App Credentials over the same `Desk` calls as the app.

use std::io::{IsTerminal, Write};

use occudesk_core::connections::SpatiafiAuthMethod;
use occudesk_core::{
    CredentialList, Desk, Error, NewCredential, Result, SignInRequest, UseAsConnection,
    UsedAsConnection,
};
use secrecy::ExposeSecret;

use crate::args::{ClientsCommand, SignInOptions};
use crate::secret_input::read_secret;

pub async fn run(desk: &Desk, command: ClientsCommand) -> Result<()> {
    match command {
        ClientsCommand::List(sign_in) => {
            let json = sign_in.json;
            signin(desk, sign_in).await?;
            let list = desk.spatiafi_credentials().await?;
            if json {
                print_json(&list)?;
            } else {
                print!("{}", table(&list));
            }
            list.keyring_error.map_or(Ok(()), Err)
        }
        ClientsCommand::Create {
            sign_in,
            as_connection,
            auth_method,
            allow_many,
        } => {
            let json = sign_in.json;
            signin(desk, sign_in).await?;
            let created = desk.spatiafi_create(allow_many).await?;
            if json {
                return create_json(desk, created, as_connection, auth_method).await;
            }
            // Printed whatever happens next: the service will not show this secret again.
            print_created(&created);
            if let Some(e) = created.save_error {
                return Err(e);
            }
            if let Some(name) = as_connection {
                let used = desk
                    .spatiafi_use_as_connection(UseAsConnection {
                        client_id: created.client_id.clone(),
                        name: Some(name),
                        auth_method: Some(auth_method),
                    })
                    .await?;
                println!(
                    "Saved connection {} ({}).",
                    used.connection.connection.name,
                    auth_method.id()
                );
                if let Some(e) = used.test_error {
                    return Err(e);
                }
                if let Some(token) = used.token {
                    println!(
                        "Tested: a token valid for {} min.",
                        token.remaining_secs.div_ceil(60)
                    );
                }
            }
            Ok(())
        }
        ClientsCommand::Delete {
            client_id,
            sign_in,
            yes,
        } => {
            let json = sign_in.json;
            let piped_password = sign_in.who.email.is_some();
            signin(desk, sign_in).await?;
            if !yes {
                confirm_delete(desk, &client_id, piped_password).await?;
            }
            let outcome = desk.spatiafi_delete(&client_id).await?;
            if json {
                print_json(&outcome)?;
            } else {
                if outcome.already_gone {
                    println!(
                        "{client_id} was already deleted on SpatiaFi (elsewhere); removed it from this computer."
                    );
                } else {
                    println!("Deleted {client_id} on SpatiaFi.");
                }
                for c in &outcome.secrets_removed_from {
                    println!(
                        "Removed the secret of connection {} (it can no longer sign in; edit or remove it).",
                        c.name
                    );
                }
            }
            match outcome.local_error {
                Some(e) => {
                    eprintln!(
                        "Deleted on SpatiaFi, but a copy of its secret could not be removed from this computer's keyring."
                    );
                    Err(e)
                }
                None => Ok(()),
            }
        }
    }
}

async fn signin(desk: &Desk, options: SignInOptions) -> Result<()> {
    let request = match (options.who.connection, options.who.email) {
        (Some(connection), _) => SignInRequest {
            connection: Some(connection),
            ..Default::default()
        },
        (None, email) => {
            let email = email.unwrap_or_default();
            let password =
                read_secret(&format!("SpatiaFi password for {email}: ")).map_err(|e| {
                    Error::invalid("password", format!("Could not read the password: {e}"))
                })?;
            if password.expose_secret().is_empty() {
                return Err(Error::invalid(
                    "password",
                    "No password was given. Pipe it on standard input (printf '%s' \"$PASSWORD\" | occudesk-cli spatiafi clients …) or type it at the prompt.",
                ));
            }
            SignInRequest {
                email: Some(email),
                password: Some(password),
                base_url: options.base_url,
                ..Default::default()
            }
        }
    };
    desk.spatiafi_sign_in(request).await.map(|_| ())
}

async fn confirm_delete(desk: &Desk, client_id: &str, stdin_used: bool) -> Result<()> {
    if stdin_used || !std::io::stdin().is_terminal() {
        return Err(Error::invalid(
            "yes",
            "Deleting an App Credential cannot be undone. Pass --yes to delete without a prompt (standard input is not a terminal to ask at).",
        ));
    }
    let list = desk.spatiafi_credentials().await?;
    let users: Vec<String> = list
        .credentials
        .iter()
        .find(|c| c.client_id.eq_ignore_ascii_case(client_id))
        .map(|c| c.used_by.iter().map(|u| u.name.clone()).collect())
        .unwrap_or_default();
    let used = if users.is_empty() {
        "No connection on this computer uses it.".to_owned()
    } else {
        format!(
            "Used by: {}. They will stop working and their stored secret is removed.",
            users.join(", ")
        )
    };
    eprint!("Delete App Credential {client_id}? {used} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| Error::invalid("yes", format!("Could not read the answer: {e}")))?;
    if matches!(answer.trim(), "y" | "Y" | "yes" | "YES") {
        Ok(())
    } else {
        Err(Error::invalid("yes", "Not deleted."))
    }
}

/// `create --json`: exactly one JSON document. Without `--as-connection` it is the new
/// credential; with it, `{"credential": …, "connection": …}`, where `connection` is `null`
/// when none was saved (the credential's secret could not be stored, or saving the connection
/// failed: the error follows on standard error). The secret is in the document whatever
/// happens: the service will not show it again. It is printed only after the connection is
/// saved, which is safe: the connection is attempted only once the secret is in the keyring.
async fn create_json(
    desk: &Desk,
    created: NewCredential,
    as_connection: Option<String>,
    auth_method: SpatiafiAuthMethod,
) -> Result<()> {
    let Some(name) = as_connection else {
        print_json(&created)?;
        return created.save_error.map_or(Ok(()), Err);
    };
    let used = match &created.save_error {
        Some(_) => None,
        None => Some(
            desk.spatiafi_use_as_connection(UseAsConnection {
                client_id: created.client_id.clone(),
                name: Some(name),
                auth_method: Some(auth_method),
            })
            .await,
        ),
    };
    let (connection, used_error) = match used {
        Some(Ok(used)) => (Some(used), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    print_json(&CreatedAsConnection {
        credential: &created,
        connection: connection.as_ref(),
    })?;
    // The connection is saved even when its test failed; the exit code still says so.
    let error = created
        .save_error
        .or(used_error)
        .or_else(|| connection.and_then(|used| used.test_error));
    error.map_or(Ok(()), Err)
}

/// What `create --as-connection --json` prints: one object holding both.
#[derive(serde::Serialize)]
struct CreatedAsConnection<'a> {
    credential: &'a NewCredential,
    connection: Option<&'a UsedAsConnection>,
}

fn print_json(value: &impl serde::Serialize) -> Result<()> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| Error::invalid("output", e.to_string()))?;
    println!("{text}");
    Ok(())
}

fn print_created(created: &NewCredential) {
    println!("Created App Credential {}.", created.client_id);
    if created.saved {
        println!(
            "Its secret is stored in the keyring (service \"occudesk\", user \"{}\").",
            created.keyring_key
        );
    } else {
        println!(
            "Its secret was NOT saved in the keyring. Copy it now and keep it safe; SpatiaFi will not show it again."
        );
    }
    println!(
        "Client secret (shown only this once): {}",
        created.client_secret.expose()
    );
}

fn table(list: &CredentialList) -> String {
    if list.credentials.is_empty() {
        return "No App Credentials. Create one with: occudesk-cli spatiafi clients create --help\n"
            .to_owned();
    }
    let mut out = String::from("CLIENT ID                             SECRET HERE  USED BY\n");
    for c in &list.credentials {
        let here = match (c.secret_here, c.unsaved) {
            (_, true) => "unsaved",
            (Some(true), _) => "yes",
            (Some(false), _) => "no",
            (None, _) => "unknown",
        };
        let used: Vec<&str> = c.used_by.iter().map(|u| u.name.as_str()).collect();
        let used = if used.is_empty() {
            "-".to_owned()
        } else {
            used.join(", ")
        };
        out.push_str(&format!("{:<36}  {here:<11}  {used}\n", c.client_id));
    }
    out
}
