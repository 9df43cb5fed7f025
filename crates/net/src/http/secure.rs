//! No secret leaves this machine in clear text: `https://` unless the host is loopback.

use std::net::IpAddr;

use url::Url;

use crate::{Error, Result};

/// True for `https://` URLs and for `http://` URLs that stay on this machine.
pub fn is_secure(url: &Url) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => url.host_str().is_some_and(is_loopback_host),
        _ => false,
    }
}

/// True for `localhost` and loopback addresses (127.0.0.0/8, ::1).
fn is_loopback_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Refuses an insecure URL before anything is sent to it.
pub fn ensure_secure(url: &Url) -> Result<()> {
    if is_secure(url) {
        Ok(())
    } else {
        Err(Error::InsecureUrl { host: host_of(url) })
    }
}

/// The host (and port, when not the default) for messages; never the path or query, which may
/// carry user data.
pub fn host_of(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        (None, _) => "the service".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn https_or_loopback_only() {
        assert!(is_secure(&url("https://api.innerspace.io/v2/api")));
        assert!(is_secure(&url("http://127.0.0.1:8080/x")));
        assert!(is_secure(&url("http://localhost/x")));
        assert!(is_secure(&url("http://[::1]:9/")));
        assert!(!is_secure(&url("http://api.innerspace.io/")));
        assert!(!is_secure(&url("ftp://127.0.0.1/")));
        let err = ensure_secure(&url("http://example.com:8080/a?secret=1")).unwrap_err();
        assert_eq!(err.code(), "net.insecure_url");
        assert!(err.to_string().contains("example.com:8080"));
        assert!(!err.to_string().contains("secret"));
    }
}
