//! The one application builder: the CLI, the server and the tests all start Entente here,
//! from a [`Config`] and a clock.

use std::sync::Arc;

use axum::Router;
use tracing_subscriber::EnvFilter;

use crate::clock::{SharedClock, SystemClock};
use crate::config::{Config, LogFormat, redact};
use crate::http::Options;
use crate::service::{ServiceError, Services, Settings};
use crate::store::StoreError;

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database could not be opened.
    #[error("cannot open the database {url}: {source}")]
    Database {
        /// The database, password redacted.
        url: String,
        /// Why.
        source: StoreError,
    },
    /// Setting up the data failed.
    #[error(transparent)]
    Service(#[from] ServiceError),
}

/// A started application: its services, and how it was configured.
#[derive(Debug, Clone)]
pub struct Application {
    /// The use cases.
    pub services: Arc<Services>,
    /// The effective configuration.
    pub config: Arc<Config>,
}

/// Builds an [`Application`].
#[derive(Debug)]
pub struct Builder {
    config: Config,
    clock: SharedClock,
    reference_data: bool,
}

impl Builder {
    /// An application configured by `config`, on the system clock, loading the reference
    /// dataset into an empty database.
    pub fn new(config: Config) -> Self {
        Self { config, clock: Arc::new(SystemClock), reference_data: true }
    }

    /// Uses `clock` for every "now" and "today".
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = clock;
        self
    }

    /// Leaves an empty database empty (for `migrate` and `import`).
    pub fn without_reference_data(mut self) -> Self {
        self.reference_data = false;
        self
    }

    /// Opens (and migrates) the database, loads the reference dataset once, and builds the
    /// services.
    pub async fn build(self) -> Result<Application, StartError> {
        let url = &self.config.database_url;
        let store =
            crate::store::open(url).await.map_err(|source| StartError::Database { url: redact(url), source })?;
        let settings = Settings {
            max_upload_bytes: self.config.max_upload_bytes,
            passwords: crate::service::passwords::Passwords::new(self.config.password_hashing),
            offer_margin_percent: self.config.offer_margin_percent,
        };
        let services = Services::new(store, self.clock, settings);
        // Before anything records digests, so that a database older than digests gets its
        // baseline whole.
        services.audit.ensure_row_baseline().await?;
        if self.reference_data {
            services.registry.ensure_reference_dataset().await?;
            let registry = services.registry.snapshot().await?;
            services.council.ensure_reference(&registry).await?;
            services.documents.store_pending_markings(&registry).await?;
            services.documents.fold_pending_titles().await?;
        }
        Ok(Application { services, config: Arc::new(self.config) })
    }
}

impl Application {
    /// The router serving pages, API and operations, with the server's `options`.
    pub fn router(&self, options: Options) -> Router {
        crate::http::router_with(
            Arc::clone(&self.services),
            Options {
                secure_cookies: self.config.secure_cookies,
                // The configuration's, unless the caller chose its own.
                metrics: if options.metrics == crate::config::MetricsAccess::default() {
                    self.config.metrics.clone()
                } else {
                    options.metrics.clone()
                },
                trusted_proxies: if options.trusted_proxies.is_empty() {
                    self.config.trusted_proxies.clone()
                } else {
                    options.trusted_proxies.clone()
                },
                ..options
            },
        )
    }
}

/// Starts logging to standard error as configured; `ENTENTE_LOG` or `log.filter` selects.
/// Lines are buffered and written a few times a second (see `log_writer`), so a request
/// never waits for the terminal or the log collector (the access log writes one line per
/// request). Keep the returned guard until the process ends: dropping it writes out the
/// lines still buffered.
pub fn init_tracing(config: &Config) -> crate::log_writer::LogGuard {
    use std::io::IsTerminal;
    let filter = EnvFilter::try_new(&config.log.filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let colours = std::io::stderr().is_terminal();
    let (writer, guard) = crate::log_writer::to_stderr();
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer).with_ansi(colours);
    // A second initialisation (tests) keeps the first subscriber.
    let _ = match config.log.format {
        LogFormat::Text if !colours => builder.event_format(crate::log_line::PlainLine).try_init(),
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(true).try_init(),
    };
    guard
}
