//! Two reference pages: the API documentation, generated from the OpenAPI document (no
//! JavaScript, so it works within the CSP), and the design system with its examples.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::Value;

use super::{Chrome, PageResult, render};
use crate::http::AppState;
use crate::http::caller::CallerContext;

struct Parameter {
    name: String,
    place: String,
    required: bool,
    description: String,
}

struct Operation {
    id: String,
    method: String,
    path: String,
    summary: String,
    description: String,
    tag: String,
    parameters: Vec<Parameter>,
    body: String,
    responses: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "api_reference.html")]
struct ApiPage {
    chrome: Chrome,
    title: String,
    description: String,
    operations: Vec<Operation>,
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// The operations of an OpenAPI document, in its order of paths.
fn operations(doc: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    let Some(paths) = doc["paths"].as_object() else { return out };
    for (path, item) in paths {
        let Some(methods) = item.as_object() else { continue };
        for (method, op) in methods {
            if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            let parameters = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .map(|p| Parameter {
                            name: text(&p["name"]),
                            place: text(&p["in"]),
                            required: p["required"].as_bool().unwrap_or(false),
                            description: text(&p["description"]),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let body = op["requestBody"]["content"]
                .as_object()
                .map(|c| c.keys().cloned().collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            let responses = op["responses"]
                .as_object()
                .map(|rs| rs.iter().map(|(code, r)| (code.clone(), text(&r["description"]))).collect())
                .unwrap_or_default();
            let id = format!("{method}-{path}").replace(['/', '{', '}'], "-");
            out.push(Operation {
                id,
                method: method.to_uppercase(),
                path: format!("/api/v1{path}"),
                summary: text(&op["summary"]),
                description: text(&op["description"]),
                tag: op["tags"][0].as_str().unwrap_or_default().to_owned(),
                parameters,
                body,
                responses,
            });
        }
    }
    out
}

/// `GET /api`: the API's reference, for people.
pub async fn api(ctx: CallerContext, State(state): State<AppState>) -> PageResult {
    let doc = crate::http::openapi_json();
    let page = ApiPage {
        chrome: Chrome::new(&ctx, &state),
        title: text(&doc["info"]["title"]),
        description: text(&doc["info"]["description"]),
        operations: operations(&doc),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "design.html")]
struct DesignPage {
    chrome: Chrome,
}

/// `GET /design`: every component of the design system, shown and with its markup.
pub async fn design(ctx: CallerContext, State(state): State<AppState>) -> PageResult {
    Ok(render(StatusCode::OK, &DesignPage { chrome: Chrome::new(&ctx, &state) }))
}
