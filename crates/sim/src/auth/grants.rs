//! Issued sessions and tokens, with lifetimes and use limits.
//!
//! Every credential the simulator hands out is remembered here; the API
//! endpoints accept only what is listed and not expired. Tokens that are JWTs
//! also carry `exp`, but the table is the authority (so `expire_all` works).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantKind {
    V2Session,
    V1Token,
    SpatiafiToken,
}

#[derive(Clone, Debug)]
struct Grant {
    kind: GrantKind,
    /// Counter key: client id, or a SpatiaFi user's email for user tokens.
    client: String,
    /// SpatiaFi: the user the token acts for.
    user_id: Option<String>,
    expires: Instant,
    uses: u32,
    max_uses: Option<u32>,
    force_expired: bool,
}

/// Who a valid credential belongs to.
#[derive(Clone, Debug)]
pub struct Holder {
    pub client: String,
    pub user_id: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    Unknown,
    Expired,
    UsedUp,
}

#[derive(Default)]
pub struct Grants {
    map: Mutex<HashMap<String, Grant>>,
}

impl Grants {
    pub fn insert(
        &self,
        token: &str,
        kind: GrantKind,
        client: &str,
        user_id: Option<String>,
        ttl: Duration,
        max_uses: Option<u32>,
    ) {
        let grant = Grant {
            kind,
            client: client.to_owned(),
            user_id,
            expires: Instant::now() + ttl,
            uses: 0,
            max_uses,
            force_expired: false,
        };
        if let Ok(mut m) = self.map.lock() {
            m.insert(token.to_owned(), grant);
        }
    }

    /// Checks a credential of `kind` and counts one use of it.
    pub fn use_grant(&self, token: &str, kind: GrantKind) -> Result<Holder, Rejection> {
        let mut m = self.map.lock().map_err(|_| Rejection::Unknown)?;
        let g = m
            .get_mut(token)
            .filter(|g| g.kind == kind)
            .ok_or(Rejection::Unknown)?;
        if g.force_expired || Instant::now() >= g.expires {
            return Err(Rejection::Expired);
        }
        if g.max_uses.is_some_and(|max| g.uses >= max) {
            return Err(Rejection::UsedUp);
        }
        g.uses += 1;
        Ok(Holder {
            client: g.client.clone(),
            user_id: g.user_id.clone(),
        })
    }

    /// Every credential issued so far is expired from now on.
    pub fn expire_all(&self) {
        if let Ok(mut m) = self.map.lock() {
            for g in m.values_mut() {
                g.force_expired = true;
            }
        }
    }
}
