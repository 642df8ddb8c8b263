//! `entente serve`.

use std::sync::Arc;

use super::Failure;
use crate::config::Config;
use crate::service::Services;

pub(super) async fn run(services: Arc<Services>, config: Config) -> Result<(), Failure> {
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let address = listener.local_addr()?;
    tracing::info!(?config, "starting");
    println!("Entente is serving http://{address}/ (database: {})", services.store.backend());
    let store = services.store.clone();
    axum::serve(listener, crate::http::router(services)).with_graceful_shutdown(shutdown_signal()).await?;
    store.close().await;
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
