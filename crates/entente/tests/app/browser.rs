//! A person in a real browser (headless Chromium over WebDriver): open the home page, set a
//! date, submit, and read the partners of that day.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use fantoccini::{ClientBuilder, Locator};

use crate::support::TestApp;

/// Chromedriver, killed when the test ends however it ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts chromedriver and returns once it says it is listening (it prints a line then).
async fn start_driver() -> (Driver, u16) {
    let port = free_port();
    let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let mut child = Command::new(&binary)
        .arg(format!("--port={port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("`{binary}` is needed for the browser test (Debian package chromium-driver): {e}"));
    let stdout = child.stdout.take().unwrap();
    let driver = Driver(child);
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    // Keep draining its output after the ready line, so it never writes to a closed pipe.
    std::thread::spawn(move || {
        use std::io::BufRead;
        let mut ready_tx = Some(ready_tx);
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("started successfully")
                && let Some(tx) = ready_tx.take()
            {
                let _ = tx.send(());
            }
        }
    });
    assert!(ready_rx.await.is_ok(), "chromedriver exited before it was ready on port {port}");
    (driver, port)
}

#[tokio::test]
async fn a_person_picks_a_date_and_reads_that_days_partners() {
    let app = TestApp::sqlite().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = entente::http::router(Arc::clone(&app.services));
    tokio::spawn(async move { axum::serve(listener, router).await });

    let (_driver, port) = start_driver().await;
    let mut capabilities = serde_json::Map::new();
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a headless Chromium session");

    let result = async {
        client.goto(&format!("http://{address}/")).await?;
        let form = client.form(Locator::Css("form.date")).await?;
        form.set_by_name("at", "2000-01-01").await?;
        client.find(Locator::Css("form.date button[type=submit]")).await?.click().await?;
        client.wait().for_url(&format!("http://{address}/?at=2000-01-01").parse()?).await?;
        let heading = client.find(Locator::Css("h1")).await?.text().await?;
        let pfp_2000 = client.find(Locator::Css("#framework-PFP")).await?.text().await?;

        let form = client.form(Locator::Css("form.date")).await?;
        form.set_by_name("at", "2009-01-01").await?;
        client.find(Locator::Css("form.date button[type=submit]")).await?.click().await?;
        let url = format!("http://{address}/?at=2009-01-01").parse()?;
        client.wait().for_url(&url).await?;
        let pfp_2009 = client.find(Locator::Css("#framework-PFP")).await?.text().await?;
        let members = client.find(Locator::Css("#member-count")).await?.text().await?;
        Ok::<_, Box<dyn std::error::Error>>((heading, pfp_2000, url, pfp_2009, members))
    }
    .await;
    client.close().await.unwrap();
    let (heading, pfp_2000, url, pfp_2009, members): (String, String, url::Url, String, String) = result.unwrap();

    assert_eq!(heading, "Partners on 1 Jan 2000");
    assert!(pfp_2000.contains("Austria") && !pfp_2000.contains("Malta"), "{pfp_2000}");
    assert!(url.as_str().ends_with("/?at=2009-01-01"), "{url}");
    assert!(pfp_2009.contains("Malta"), "Malta re-joined in 2008: {pfp_2009}");
    assert!(!pfp_2009.contains("Poland"), "Poland is a member by then");
    assert_eq!(members, "26");
}
