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
    let mut operation_ids = std::collections::BTreeSet::new();
    for (path, item) in served["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap().to_owned();
            assert!(operation_ids.insert(id.clone()), "{id} is repeated");
            assert!(operation["security"].as_array().is_some_and(|s| !s.is_empty()), "{method} {path}: no security");
            for (status, response) in operation["responses"].as_object().unwrap() {
                assert!(response["description"].as_str().is_some_and(|d| !d.is_empty()), "{method} {path} {status}");
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(response["content"]["application/problem+json"].is_object(), "{method} {path} {status}");
                }
            }
        }
    }
    assert_eq!(served["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    spec_validator_accepts(&served);
    insta::assert_json_snapshot!("openapi", served);
}

/// `openapi-spec-validator` (from PyPI) on the document: required under CI (the test
/// script installs it).
fn spec_validator_accepts(document: &serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, serde_json::to_vec_pretty(document).unwrap()).unwrap();
    let output = match std::process::Command::new("openapi-spec-validator").arg(&file).output() {
        Ok(output) => output,
        Err(e) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("openapi-spec-validator is not installed ({e}); the document was not validated by it");
            return;
        }
        Err(e) => panic!("openapi-spec-validator is needed under CI=true (pip install openapi-spec-validator): {e}"),
    };
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success() && said.contains(": OK"), "openapi-spec-validator: {said}");
}
