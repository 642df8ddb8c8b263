//! Run-time configuration: built-in defaults, then a TOML file, then environment variables,
//! then command-line flags, each overriding the one before. One typed `Config` is passed
//! in state (no globals); `entente config` prints the effective one with secrets redacted.
//!
//! | setting | TOML key | environment | flag |
//! | --- | --- | --- | --- |
//! | database | `database_url` | `ENTENTE_DATABASE_URL` | `--database` |
//! | listening address | `listen` | `ENTENTE_LISTEN` | `serve --listen` |
//! | Secure cookies | `secure_cookies` | `ENTENTE_SECURE_COOKIES` | `serve --secure-cookies` |
//! | largest upload | `max_upload_bytes` | `ENTENTE_MAX_UPLOAD_BYTES` | `serve --max-upload-bytes` |
//! | log format | `log.format` (`text`, `json`) | `ENTENTE_LOG_FORMAT` | `--log-format` |
//! | log filter | `log.filter` | `ENTENTE_LOG` | — |
//! | Argon2id cost | `password_hashing.memory_kib`, `.passes` | — | — |
//! | hashes at once | `password_hashing.max_concurrent` | — | — |
//! | nominees' personal data kept after an event | `personal_data_days` (default 90) | — | — |
//! | how far an offer may exceed a requirement's remaining need | `offer_margin_percent` (default 10) | — | — |
//! | audit checkpoint key | `audit_signing_key` (default `entente-audit.key`) | — | — |
//! | reverse proxies believed | `trusted_proxies` (addresses, CIDR blocks) | — | — |
//! | `/metrics` from elsewhere | `metrics.allow` (addresses, CIDR blocks), `metrics.token` | — | — |
//! | slow clients | `connections.header_read_timeout_secs`, `.max_connections`, `.shutdown_grace_secs` | — | — |
//!
//! The file is `--config FILE` (or `ENTENTE_CONFIG`), else `entente.toml` in the working
//! directory if there is one.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::http::server::ConnectionLimits;
use crate::service::passwords::Hashing;

/// The default database: an SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://entente.db";
/// The file read when no other is named, if it exists.
pub const DEFAULT_CONFIG_FILE: &str = "entente.toml";

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object a line, for log collectors.
    Json,
}

/// Logging settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// Line format.
    pub format: LogFormat,
    /// A `tracing` filter, such as `info` or `entente=debug,warn`.
    pub filter: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self { format: LogFormat::Text, filter: "info".into() }
    }
}

/// Who may read `/metrics` besides the loopback addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsAccess {
    /// Addresses and CIDR blocks (`10.0.0.0/8`, `2001:db8::/32`, `192.0.2.7`).
    pub allow: Vec<AddressBlock>,
    /// A bearer token a scraper may send from anywhere.
    pub token: Option<String>,
}

/// An address block, written `ADDRESS` or `ADDRESS/PREFIX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AddressBlock {
    address: std::net::IpAddr,
    prefix: u8,
}

impl TryFrom<String> for AddressBlock {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        let refused = || format!("`{text}` is not an address or a CIDR block (such as 10.0.0.0/8)");
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text.as_str(), None),
        };
        let address: std::net::IpAddr = address.trim().parse().map_err(|_| refused())?;
        let bits = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.trim().parse::<u8>().ok().filter(|p| *p <= bits).ok_or_else(refused)?,
            None => bits,
        };
        Ok(Self { address, prefix })
    }
}

impl From<AddressBlock> for String {
    fn from(block: AddressBlock) -> Self {
        format!("{}/{}", block.address, block.prefix)
    }
}

impl AddressBlock {
    /// Whether `ip` lies in the block.
    pub fn contains(&self, ip: std::net::IpAddr) -> bool {
        let bits = |ip: std::net::IpAddr| -> u128 {
            match ip {
                std::net::IpAddr::V4(v4) => u128::from(u32::from(v4)) << 96,
                std::net::IpAddr::V6(v6) => u128::from(v6),
            }
        };
        if self.address.is_ipv4() != ip.is_ipv4() {
            return false;
        }
        let mask = if self.prefix == 0 { 0 } else { u128::MAX << (128 - u32::from(self.prefix)) };
        bits(self.address) & mask == bits(ip) & mask
    }
}

/// Settings for one process.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite://FILE` or `postgres://...` (`?sslmode=require` for TLS); may hold a password.
    pub database_url: String,
    /// Where `entente serve` listens.
    pub listen: SocketAddr,
    /// Mark cookies `Secure` (serve behind HTTPS).
    pub secure_cookies: bool,
    /// The largest document upload accepted, in bytes.
    pub max_upload_bytes: usize,
    /// Logging.
    pub log: LogConfig,
    /// Argon2id's cost for new password hashes.
    pub password_hashing: Hashing,
    /// Time limits and the cap on open connections.
    pub connections: ConnectionLimits,
    /// Who may read `/metrics` besides the loopback addresses.
    pub metrics: MetricsAccess,
    /// Reverse proxies (addresses, CIDR blocks) whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<AddressBlock>,
    /// The Ed25519 key that signs audit checkpoints: a file outside the database, created
    /// by the first `entente audit checkpoint`, readable by its owner only.
    pub audit_signing_key: PathBuf,
    /// Days after an event's end that its nominees' names and contacts are kept; then the
    /// server purges them.
    pub personal_data_days: u32,
    /// How far an offer may exceed a force requirement's remaining need, in percent of the
    /// requirement.
    pub offer_margin_percent: u32,
}

/// An offer may exceed a requirement's remaining need by this share of it, by default.
pub const DEFAULT_OFFER_MARGIN_PERCENT: u32 = 10;

/// Days nominees' personal data is kept after their event, by default.
pub const DEFAULT_PERSONAL_DATA_DAYS: u32 = 90;

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: DEFAULT_DATABASE_URL.into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            secure_cookies: false,
            max_upload_bytes: crate::service::documents::DEFAULT_MAX_UPLOAD_BYTES,
            log: LogConfig::default(),
            password_hashing: Hashing::default(),
            connections: ConnectionLimits::default(),
            audit_signing_key: PathBuf::from("entente-audit.key"),
            metrics: MetricsAccess::default(),
            trusted_proxies: Vec::new(),
            personal_data_days: DEFAULT_PERSONAL_DATA_DAYS,
            offer_margin_percent: DEFAULT_OFFER_MARGIN_PERCENT,
        }
    }
}

/// Values given on the command line or in the environment (clap reads both), which win
/// over the file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--database` / `ENTENTE_DATABASE_URL`.
    pub database_url: Option<String>,
    /// `--listen` / `ENTENTE_LISTEN`.
    pub listen: Option<SocketAddr>,
    /// `--secure-cookies` / `ENTENTE_SECURE_COOKIES`.
    pub secure_cookies: Option<bool>,
    /// `--max-upload-bytes` / `ENTENTE_MAX_UPLOAD_BYTES`.
    pub max_upload_bytes: Option<usize>,
    /// `--log-format` / `ENTENTE_LOG_FORMAT`.
    pub log_format: Option<LogFormat>,
    /// `ENTENTE_LOG`.
    pub log_filter: Option<String>,
}

/// Why the configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The named file could not be read.
    #[error("cannot read the configuration file {path}: {reason}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The file is not valid TOML for Entente (the message names the key and the line).
    #[error("the configuration file {path} is invalid: {reason}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where.
        reason: String,
    },
}

impl Config {
    /// The effective configuration: defaults, then `file` (or `entente.toml` here, if
    /// present), then `overrides`.
    pub fn load(file: Option<&Path>, overrides: Overrides) -> Result<Self, ConfigError> {
        let default_file = Path::new(DEFAULT_CONFIG_FILE);
        let file = file.or_else(|| default_file.is_file().then_some(default_file));
        let mut config = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| ConfigError::Unreadable { path: path.to_owned(), reason: e.to_string() })?;
                Self::from_toml(&text).map_err(|reason| ConfigError::Invalid { path: path.to_owned(), reason })?
            }
            None => Config::default(),
        };
        config.apply(overrides);
        Ok(config)
    }

    /// Reads a configuration from TOML text; the error names the key and the line.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string().trim().to_owned())
    }

    fn apply(&mut self, overrides: Overrides) {
        let Overrides { database_url, listen, secure_cookies, max_upload_bytes, log_format, log_filter } = overrides;
        if let Some(value) = database_url {
            self.database_url = value;
        }
        if let Some(value) = listen {
            self.listen = value;
        }
        if let Some(value) = secure_cookies {
            self.secure_cookies = value;
        }
        if let Some(value) = max_upload_bytes {
            self.max_upload_bytes = value;
        }
        if let Some(value) = log_format {
            self.log.format = value;
        }
        if let Some(value) = log_filter {
            self.log.filter = value;
        }
    }

    /// The configuration as TOML, with the database password replaced by `***`.
    pub fn to_redacted_toml(&self) -> String {
        let redacted = Config { database_url: redact(&self.database_url), ..self.clone() };
        toml::to_string(&redacted).unwrap_or_else(|e| format!("# cannot print the configuration: {e}\n"))
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact(&self.database_url))
            .field("listen", &self.listen)
            .field("secure_cookies", &self.secure_cookies)
            .field("max_upload_bytes", &self.max_upload_bytes)
            .field("log", &self.log)
            .field("password_hashing", &self.password_hashing)
            .field("connections", &self.connections)
            .field("audit_signing_key", &self.audit_signing_key)
            .field("personal_data_days", &self.personal_data_days)
            .field("offer_margin_percent", &self.offer_margin_percent)
            .field("metrics.allow", &self.metrics.allow)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("metrics.token", &self.metrics.token.as_ref().map(|_| "(redacted)"))
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
    use super::*;

    #[test]
    fn passwords_never_reach_the_logs() {
        assert_eq!(redact("postgres://app:s3cret@db/entente"), "postgres://app:***@db/entente");
        assert_eq!(redact("sqlite://entente.db"), "sqlite://entente.db");
        let config = Config { database_url: "postgres://app:s3cret@db/entente".into(), ..Config::default() };
        assert!(!config.to_redacted_toml().contains("s3cret"));
        assert!(!format!("{config:?}").contains("s3cret"));
    }

    #[test]
    fn the_file_sets_what_flags_and_environment_leave_unset() {
        let mut config =
            Config::from_toml("listen = \"0.0.0.0:9000\"\nsecure_cookies = true\n[log]\nformat = \"json\"\n").unwrap();
        config.apply(Overrides { listen: Some("127.0.0.1:7000".parse().unwrap()), ..Overrides::default() });
        assert_eq!(config.listen.to_string(), "127.0.0.1:7000", "the flag wins over the file");
        assert!(config.secure_cookies, "the file wins over the default");
        assert_eq!(config.log.format, LogFormat::Json);
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
    }

    #[test]
    fn a_bad_file_is_refused_naming_the_key_and_the_line() {
        let error = Config::from_toml("listen = \"here\"\n").unwrap_err();
        assert!(error.contains("listen") && error.contains("line 1"), "{error}");
        let error = Config::from_toml("\n\nlisten_on = \"127.0.0.1:1\"\n").unwrap_err();
        assert!(error.contains("listen_on") && error.contains("line 3"), "{error}");
    }
}
