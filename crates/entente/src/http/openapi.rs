//! The OpenAPI document as served: generated from the route table, then completed with
//! what holds for every operation alike, so that no handler can forget it: a unique
//! operationId, a description on every response, problem documents (`application/problem+json`)
//! for every error, the bearer scheme (optional on reads, required on writes), the paging
//! parameters' bounds as the server enforces them, and the file and CSV downloads.

use serde_json::{Value, json};

/// The page number's ceiling (see [`super::api::params::MAX_PAGE`]).
const MAX_PAGE: usize = super::api::params::MAX_PAGE;

/// Operations any caller may call without a token; every other one needs one (or a session).
const ANONYMOUS_READS: [&str; 10] = [
    "/api/v1/documents",
    "/api/v1/documents/{id}",
    "/api/v1/documents/{id}/content",
    "/api/v1/nations",
    "/api/v1/nations/{code}",
    "/api/v1/nations/{code}/timeline",
    "/api/v1/frameworks",
    "/api/v1/frameworks/{code}/participants",
    "/api/v1/registry/status",
    "/api/v1/registry/changes",
];

/// Completes the generated document.
pub fn complete(mut doc: Value) -> Value {
    doc["components"]["securitySchemes"] = json!({
        "bearer": { "type": "http", "scheme": "bearer",
                    "description": "A personal API token (`ent_...`), made on the account page" }
    });
    doc["components"]["schemas"]["Problem"]["description"] = json!("An RFC 9457 problem document.");
    let Some(paths) = doc["paths"].as_object_mut() else { return doc };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for (method, operation) in item.iter_mut() {
            complete_operation(path, method, operation);
            // `get_mut`, not indexing: indexing a missing key would add it as null.
            if let Some(parameters) = operation.get_mut("parameters").and_then(Value::as_array_mut) {
                for parameter in parameters {
                    bound_parameter(path, parameter);
                }
            }
        }
    }
    doc
}

fn complete_operation(path: &str, method: &str, operation: &mut Value) {
    operation["operationId"] = json!(operation_id(method, path));
    let anonymous = method == "get" && ANONYMOUS_READS.contains(&path);
    operation["security"] = if anonymous { json!([{}, { "bearer": [] }]) } else { json!([{ "bearer": [] }]) };
    let responses = &mut operation["responses"];
    if let Some(map) = responses.as_object_mut() {
        for (status, response) in map.iter_mut() {
            if response.get("description").is_none_or(|d| d.as_str().is_some_and(str::is_empty)) {
                response["description"] = json!(describe(status));
            }
            if status.starts_with('4') || status.starts_with('5') {
                response["content"] = problem_content();
            }
        }
    }
    // Every operation may answer these, whatever its own outcomes.
    let common = [
        ("400", "A parameter or the request could not be read"),
        ("401", "The token is unknown, revoked or expired (see WWW-Authenticate)"),
        ("405", "The address does not answer that method"),
        ("413", "The request body is larger than allowed"),
        ("503", "The server is busy; see Retry-After"),
    ];
    for (status, description) in common {
        if responses.get(status).is_none() {
            responses[status] = json!({ "description": description, "content": problem_content() });
        }
    }
    if method == "get" && ANONYMOUS_READS.contains(&path) {
        responses["304"] =
            json!({ "description": "Not modified: the ETag sent in If-None-Match still names the answer" });
    }
    if path == "/api/v1/audit" {
        responses["200"]["content"]["text/csv"] =
            json!({ "schema": { "type": "string", "description": "With `format=csv`: every matching event" } });
    }
    if path == "/api/v1/documents/{id}/content" {
        responses["200"]["content"] = json!({ "*/*": { "schema": { "type": "string", "format": "binary" } } });
        responses["200"]["description"] = json!("The file, of its own type, with Content-Disposition (RFC 6266)");
    }
    if path == "/api/v1/documents" && method == "post" {
        operation["requestBody"]["content"]["multipart/form-data"]["schema"] = upload_schema();
        operation["requestBody"]["required"] = json!(true);
    }
}

/// `get_nations_code_timeline` for `GET /api/v1/nations/{code}/timeline`: unique by
/// construction, since each path answers each method once.
fn operation_id(method: &str, path: &str) -> String {
    let words: Vec<String> = path
        .trim_start_matches("/api/v1/")
        .split('/')
        .map(|part| part.trim_matches(|c| c == '{' || c == '}').replace('-', "_"))
        .collect();
    format!("{method}_{}", words.join("_"))
}

fn describe(status: &str) -> &'static str {
    match status {
        "200" => "The answer",
        "201" => "Created",
        "304" => "Not modified",
        "400" => "A parameter is malformed; the problem names it",
        "401" => "Authentication required, or the token is unknown, revoked or expired",
        "403" => "Refused by authorize(); the problem names the rule",
        "404" => "Not found, or not released to the caller",
        "413" => "The file is larger than allowed",
        "415" => "The file's type is not accepted",
        "422" => "A field was refused; the problem names it",
        _ => "An error, as a problem document",
    }
}

fn problem_content() -> Value {
    json!({ "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } })
}

/// The characters no text field accepts: control characters and bidirectional overrides.
const TEXT_EXCLUDED: &str = "\\u0000-\\u001f\\u007f-\\u009f\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069";
/// One character a text field accepts, as a regular expression.
const TEXT_CHAR: &str = "[^\\u0000-\\u001f\\u007f-\\u009f\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]";

/// A day as the registry reads one: `YYYY-MM-DD`, years 1000 to 9999.
fn day_schema() -> Value {
    json!({ "type": "string", "format": "date", "pattern": "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$" })
}

/// Each parameter's schema as the server reads it: days, paging bounds, and text free of
/// NUL bytes (which the server refuses).
fn bound_parameter(path: &str, parameter: &mut Value) {
    let name = parameter["name"].as_str().unwrap_or_default().to_owned();
    let located_in_query = parameter["in"] == "query";
    if located_in_query && (name == "at" || (path == "/api/v1/registry/changes" && (name == "from" || name == "to"))) {
        parameter["schema"] = day_schema();
        return;
    }
    if path == "/api/v1/audit" && (name == "from" || name == "to") {
        parameter["schema"] = json!({ "anyOf": [
            day_schema(),
            { "type": "string", "format": "date-time" },
            { "type": "string", "maxLength": 0, "description": "empty: no bound" }
        ]});
        return;
    }
    let schema = &mut parameter["schema"];
    if schema["type"] == "string" && schema.get("format").is_none() && schema.get("pattern").is_none() {
        // The address may hold anything but a NUL byte, which is refused everywhere.
        schema["pattern"] = json!("^[^\\u0000]*$");
    }
    match name.as_str() {
        "page" => {
            schema["minimum"] = json!(1);
            schema["maximum"] = json!(MAX_PAGE);
        }
        "per_page" => {
            schema["minimum"] = json!(1);
            schema["maximum"] = json!(500);
        }
        "after" | "id" => {
            schema["minimum"] = json!(1);
        }
        _ => {}
    }
}

fn upload_schema() -> Value {
    json!({
        "type": "object",
        "required": ["file", "title", "marking"],
        "properties": {
            "file": { "type": "string", "format": "binary",
                      "description": "PDF, office document (docx, xlsx, pptx, odt, ods, odp, doc, xls, ppt) or image (png, jpg, gif)" },
            "title": { "type": "string", "minLength": 1, "maxLength": 500,
                       "pattern": format!("^{TEXT_CHAR}*[^\\s{TEXT_EXCLUDED}]{TEXT_CHAR}*$") },
            "marking": { "type": "string", "description": "Such as `RESTRICTED REL TO GE`, `UNCLASSIFIED`, `PUBLIC`" },
            "owner": { "type": "string", "description": "The nation the document concerns (ISO 3166-1 alpha-2)" },
            "nations": { "type": "string", "description": "Nations it is about, comma-separated" },
            "frameworks": { "type": "string", "description": "Frameworks it is about, comma-separated" },
            "csrf": { "type": "string", "description": "With a session instead of a token: its CSRF token" }
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn operation_ids_name_the_method_and_path() {
        assert_eq!(super::operation_id("get", "/api/v1/nations/{code}/timeline"), "get_nations_code_timeline");
        assert_eq!(super::operation_id("post", "/api/v1/documents"), "post_documents");
    }
}
