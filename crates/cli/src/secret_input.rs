//! Reading a secret without it ever being an argument: a no-echo prompt at a terminal, or
//! standard input when piped.

use std::io::{BufRead, IsTerminal, Read, Write};

use occudesk_core::{Error, Result};
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

/// Asks a yes/no question on standard error and reads the answer from standard input. No
/// answer (a script with nothing on standard input) is "no": a restore is never done unasked.
pub fn confirm(question: &str) -> Result<bool> {
    let asked = || -> std::io::Result<String> {
        let mut stderr = std::io::stderr();
        stderr.write_all(question.as_bytes())?;
        stderr.flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        Ok(answer)
    };
    let answer = asked().map_err(|e| {
        Error::invalid(
            "confirmation",
            format!("Could not read the answer ({e}); pass --yes to restore without asking."),
        )
    })?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}
