//! The HTTP/1.1 server loop, hardened against slow and idle clients: a client must send a
//! whole request head within `header_read_timeout` (on a kept-alive connection the wait
//! for the next request is bounded by the same time), and at most `max_connections` are
//! open at once; beyond that a new connection is closed at once rather than left to queue,
//! so a crowd of idle sockets can neither exhaust the process's file descriptors nor stop
//! it accepting anyone once they time out.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_service::Service;

/// How long connections may take and how many may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConnectionLimits {
    /// Seconds a client has to send a request's head (and an idle kept-alive connection
    /// waits for the next request).
    pub header_read_timeout_secs: u64,
    /// Connections open at once.
    pub max_connections: usize,
    /// Seconds given to requests in progress when the server stops.
    pub shutdown_grace_secs: u64,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self { header_read_timeout_secs: 10, max_connections: 512, shutdown_grace_secs: 10 }
    }
}

/// Connection counts, for `/metrics`.
#[derive(Debug, Default)]
pub struct ConnectionStats {
    /// Connections open now.
    pub open: AtomicU64,
    /// Connections closed at once because `max_connections` were open.
    pub refused: AtomicU64,
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets the requests in
/// progress finish (for at most `shutdown_grace_secs`).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    stats: Arc<ConnectionStats>,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(limits.header_read_timeout_secs.max(1)))
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors, or a connection reset before it was accepted:
                    // nothing to answer; the loop goes on.
                    tracing::warn!(%error, "could not accept a connection");
                    // Out of descriptors: retrying at once would only spin.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            stats.refused.fetch_add(1, Ordering::Relaxed);
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let mut router = router.clone();
            async move { Ok::<_, Infallible>(router.call(request).await.unwrap_or_else(|never| match never {})) }
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        let stats = Arc::clone(&stats);
        stats.open.fetch_add(1, Ordering::Relaxed);
        tokio::spawn(async move {
            // A timed-out or reset connection is the client's business, not an error here.
            if let Err(error) = connection.await {
                tracing::debug!(%error, %peer, "connection ended");
            }
            stats.open.fetch_sub(1, Ordering::Relaxed);
            drop(slot);
        });
    }
    drop(listener);
    let grace = Duration::from_secs(limits.shutdown_grace_secs);
    if tokio::time::timeout(grace, graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still in progress after {} s were cut off", grace.as_secs());
    }
}
