//! Run-time configuration, passed in state (no globals).

use std::fmt;
use std::net::SocketAddr;

/// The default database: an SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://entente.db";

/// Settings for one process.
#[derive(Clone)]
pub struct Config {
    /// `sqlite://FILE` or `postgres://...`; may hold a password.
    pub database_url: String,
    /// Where `entente serve` listens.
    pub listen: SocketAddr,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact(&self.database_url))
            .field("listen", &self.listen)
            .finish()
    }
}

/// A database URL with any password replaced, fit for logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..scheme + 3], &credentials[..colon], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_never_reach_the_logs() {
        assert_eq!(super::redact("postgres://app:s3cret@db/entente"), "postgres://app:***@db/entente");
        assert_eq!(super::redact("sqlite://entente.db"), "sqlite://entente.db");
    }
}
