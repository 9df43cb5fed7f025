//! Reading a secret without it ever being an argument: a no-echo prompt at a terminal, or
//! standard input when piped.

use std::io::{IsTerminal, Read};

use secrecy::SecretString;

pub fn read_secret(prompt: &str) -> std::io::Result<SecretString> {
    let stdin = std::io::stdin();
    let text = if stdin.is_terminal() {
        rpassword::prompt_password(prompt)?
    } else {
        let mut text = String::new();
        stdin.lock().read_to_string(&mut text)?;
        // `echo secret |` adds a newline that is not part of the secret.
        text.trim_end_matches(['\r', '\n']).to_owned()
    };
    Ok(SecretString::from(text))
}
