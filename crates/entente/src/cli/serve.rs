//! `entente serve`.

use std::sync::Arc;

use super::Failure;
use super::outln;
use crate::app::Application;
use crate::http::Options;
use crate::service::secrets::random_secret;

/// How the server is started.
#[derive(Debug, Clone, Copy)]
pub(super) struct ServeOptions {
    pub demo: bool,
}

/// Why the server cannot listen, and what to do about it.
fn cannot_listen(address: std::net::SocketAddr, error: &std::io::Error) -> anyhow::Error {
    let another = address.port().checked_add(1).unwrap_or(8081);
    match error.kind() {
        std::io::ErrorKind::AddrInUse => anyhow::anyhow!(
            "cannot listen on {address}: another program is already listening there. \
             Stop it, or choose another port: `entente serve --listen {another}` \
             (or ENTENTE_LISTEN, or `listen` in entente.toml)"
        ),
        std::io::ErrorKind::PermissionDenied => anyhow::anyhow!(
            "cannot listen on {address}: permission denied (ports below 1024 need privileges). \
             Choose another port: `entente serve --listen {another}`"
        ),
        _ => {
            anyhow::anyhow!("cannot listen on {address}: {error}. Choose another with `entente serve --listen ADDRESS`")
        }
    }
}

/// What the server does as time passes: at start, then every few minutes, it allocates the
/// `at_deadline` events whose registration has closed, and purges the personal data of
/// nominees to events that ended `personal_data_days` ago.
async fn scheduled(services: Arc<crate::service::Services>, personal_data_days: u32) {
    let mut ticks = tokio::time::interval(std::time::Duration::from_secs(300));
    loop {
        ticks.tick().await;
        let registry = match services.registry.snapshot().await {
            Ok(registry) => registry,
            Err(error) => {
                tracing::warn!(%error, "scheduled work skipped: the registry could not be read");
                continue;
            }
        };
        match services.seats.allocate_due(&registry).await {
            Ok(done) if !done.is_empty() => {
                // The count and the first code: a first start on an old menu may close hundreds.
                tracing::info!(count = done.len(), first = %done[0], "allocated events whose registration closed")
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "allocating events whose registration closed failed"),
        }
        let system = crate::service::accounts::Actor::operator_named("scheduler");
        match services.nominations.purge(&system, personal_data_days).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "purged nominees' personal data"),
            Err(error) => tracing::warn!(%error, "purging nominees' personal data failed"),
        }
    }
}

pub(super) async fn run(application: Application, serve: ServeOptions) -> Result<(), Failure> {
    let config = Arc::clone(&application.config);
    let listener = tokio::net::TcpListener::bind(config.listen).await.map_err(|e| cannot_listen(config.listen, &e))?;
    let address = listener.local_addr()?;
    tracing::info!(?config, "starting");
    let services = Arc::clone(&application.services);
    let mut options = Options { demo: serve.demo, ..Options::default() };
    if serve.demo {
        let accounts = super::demo::seed(&services).await?;
        outln!("Demo accounts (passwords are new at every start):");
        for (email, role, password) in accounts {
            outln!("  {role:<16} {email:<28} {password}");
        }
    } else if services.accounts.is_empty().await? {
        let token = random_secret().map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        outln!("No account exists yet. Create the first administrator at http://{address}/setup/{token}");
        outln!("(or with `entente user add --role admin ...`). The link works once.");
        options.setup_token = Some(token);
    }
    outln!("Entente is serving http://{address}/ (database: {})", services.db.backend());
    let scheduler = tokio::spawn(scheduled(Arc::clone(&services), config.personal_data_days));
    let connections = Arc::clone(&options.connections);
    let app = application.router(options);
    crate::http::server::serve(listener, app, config.connections, connections, shutdown_signal()).await;
    scheduler.abort();
    services.db.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        () = terminate => {},
    }
}
