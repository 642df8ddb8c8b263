//! The server loop against slow and idle clients: unfinished request heads time out, the
//! number of open connections is capped, and the server keeps answering everyone else.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use entente::http::server::{ConnectionLimits, ConnectionStats, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::TestApp;

/// Reads until the server closes the connection; what it sent.
async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the server did not close the connection in time");
    String::from_utf8_lossy(&answer).into_owned()
}

async fn get_healthz(address: std::net::SocketAddr) -> String {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
    read_to_close(&mut stream).await
}

#[tokio::test]
async fn slow_and_idle_clients_are_cut_off_and_capped() {
    let app = TestApp::sqlite().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let limits = ConnectionLimits { header_read_timeout_secs: 1, max_connections: 3, shutdown_grace_secs: 1 };
    let stats = Arc::new(ConnectionStats::default());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, app.router.clone(), limits, Arc::clone(&stats), async {
        let _ = stopped.await;
    }));

    // Three slow clients: one sends half a request head, one nothing, one a whole request
    // and then idles on the kept-alive connection.
    let mut half = TcpStream::connect(address).await.unwrap();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let mut silent = TcpStream::connect(address).await.unwrap();
    let mut idle = TcpStream::connect(address).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).await.unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");

    // The cap is reached: a fourth connection is closed at once, unanswered.
    let mut fourth = TcpStream::connect(address).await.unwrap();
    let _ = fourth.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await;
    assert_eq!(read_to_close(&mut fourth).await, "", "over the cap, closed unanswered");
    assert!(stats.refused.load(Ordering::Relaxed) >= 1);

    // Each slow client is cut off by the header timeout.
    let cut = read_to_close(&mut half).await;
    assert!(cut.is_empty() || cut.starts_with("HTTP/1.1 408"), "{cut}");
    assert_eq!(read_to_close(&mut silent).await, "");
    read_to_close(&mut idle).await;

    // And the server answers everyone else again.
    let answer = get_healthz(address).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), server).await.expect("the server stops").unwrap();
}
