//! The OpenAPI document is generated from the route table, served, and snapshot-tested.

use crate::support::TestApp;

#[tokio::test]
async fn the_served_openapi_document_matches_the_snapshot() {
    let app = TestApp::sqlite().await;
    let served = app.get_json("/api/v1/openapi.json").await;
    let paths: Vec<&String> = served["paths"].as_object().unwrap().keys().collect();
    for path in [
        "/api/v1/nations",
        "/api/v1/nations/{code}",
        "/api/v1/nations/{code}/timeline",
        "/api/v1/frameworks",
        "/api/v1/frameworks/{code}/participants",
        "/api/v1/registry/status",
        "/api/v1/registry/changes",
    ] {
        assert!(paths.contains(&&path.to_owned()), "{path} is not documented: {paths:?}");
    }
    insta::assert_json_snapshot!("openapi", served);
}
