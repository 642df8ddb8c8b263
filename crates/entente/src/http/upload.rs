//! Reading a document upload from a multipart form, for the page and the API alike.

use axum::extract::Multipart;

use crate::service::documents::Upload;
use crate::service::{Reason, ServiceError};

/// A `Content-Disposition` value that downloads `filename` (RFC 6266): an ASCII fallback
/// in `filename` for old clients, and the exact name, UTF-8 and percent-encoded, in
/// `filename*`. Names with control characters were refused at upload; any left from
/// before are replaced here.
pub fn attachment(filename: &str) -> String {
    let fallback: String = filename
        .chars()
        .map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' && c != '%' || c == ' ' { c } else { '_' })
        .collect();
    let mut encoded = String::new();
    for byte in filename.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else if !byte.is_ascii_control() {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_download_name_is_sent_per_rfc_6266() {
        assert_eq!(
            super::attachment("Compte rendu été \"v2\".pdf"),
            "attachment; filename=\"Compte rendu _t_ _v2_.pdf\"; filename*=UTF-8''Compte%20rendu%20%C3%A9t%C3%A9%20%22v2%22.pdf"
        );
        assert!(!super::attachment("a\r\nSet-Cookie: x.pdf").contains('\n'));
    }
}
