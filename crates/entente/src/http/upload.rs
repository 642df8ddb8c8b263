//! Reading a document upload from a multipart form, for the page and the API alike.

use axum::extract::Multipart;

use crate::service::documents::Upload;
use crate::service::{Reason, ServiceError};

/// A `Content-Disposition` value that downloads `filename`, with characters that could
/// break out of the quoted name replaced.
pub fn attachment(filename: &str) -> String {
    format!("attachment; filename=\"{}\"", filename.replace(['"', '\\', '\r', '\n'], "_"))
}

/// The upload's fields (the CSRF token, if any, was checked by the caller layer).
pub async fn read_upload(mut multipart: Multipart, max_bytes: usize) -> Result<Upload, ServiceError> {
    let too_large = || ServiceError::TooLarge(max_bytes);
    let mut upload = Upload::default();
    let mut has_file = false;
    let malformed = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            tracing::info!(error = %e.body_text(), "an upload form could not be read");
            ServiceError::Invalid { field: "form".into(), reason: Reason::Unreadable }
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            upload.filename = field.file_name().unwrap_or("upload").to_owned();
            upload.bytes = field.bytes().await.map_err(malformed)?.to_vec();
            has_file = true;
            continue;
        }
        let text = field.text().await.map_err(malformed)?;
        let codes = |t: &str| t.split(',').map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect::<Vec<_>>();
        match name.as_str() {
            "title" => upload.title = text,
            "marking" => upload.marking = text,
            "owner" => upload.owner = Some(text),
            "nations" => upload.nations = codes(&text),
            "frameworks" => upload.frameworks = codes(&text),
            _ => {}
        }
    }
    if !has_file {
        return Err(ServiceError::Invalid { field: "file".into(), reason: Reason::Required });
    }
    Ok(upload)
}
