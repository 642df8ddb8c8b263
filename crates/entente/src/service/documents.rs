//! Documents: the first marked records. Uploads are checked (size, type, marking, owner,
//! links) and authorized before anything is stored; lists, counts, details and downloads
//! show only what `authorize()` releases to the caller, and answer "not found" otherwise.

use std::collections::BTreeSet;

use entente_core::{Action, Caller, Classification, Marking, NationCode, Registry, Resource, authorize};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::ServiceError;
use super::accounts::{Actor, decision_to_result};
use crate::store::Store;
use crate::store::audit::AuditRecord;
use crate::store::documents::{DocumentRow, NewDocument};

/// Uploads above this many bytes are refused unless configured otherwise.
pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

/// A document's description, as shown to someone allowed to see it.
#[derive(Debug, Clone)]
pub struct Document {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// File name.
    pub filename: String,
    /// MIME type.
    pub content_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// The marking.
    pub marking: Marking,
    /// The marking's text form, as stored.
    pub marking_text: String,
    /// The nation whose document it is.
    pub owner: Option<NationCode>,
    /// Linked nations and frameworks: (`nation` or `framework`, code).
    pub links: Vec<(String, String)>,
    /// SHA-256 of the content.
    pub sha256: String,
    /// When it was uploaded.
    pub uploaded_at: String,
}

/// What an upload brings.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    /// Title.
    pub title: String,
    /// The file's name.
    pub filename: String,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Marking text, such as `RESTRICTED REL TO GE`.
    pub marking: String,
    /// The nation whose document it is, if any.
    pub owner: Option<String>,
    /// Codes of linked nations.
    pub nations: Vec<String>,
    /// Codes of linked frameworks.
    pub frameworks: Vec<String>,
}

/// Document use cases.
#[derive(Debug)]
pub struct DocumentService {
    store: Store,
    max_upload_bytes: usize,
}

fn invalid(field: &str, reason: impl Into<String>) -> ServiceError {
    ServiceError::Invalid { field: field.to_owned(), reason: reason.into() }
}

/// The accepted file types: by extension, with the bytes the content must start with.
const ACCEPTED: &[(&str, &str, &[u8])] = &[
    ("pdf", "application/pdf", b"%PDF-"),
    ("png", "image/png", b"\x89PNG\r\n\x1a\n"),
    ("jpg", "image/jpeg", b"\xff\xd8\xff"),
    ("jpeg", "image/jpeg", b"\xff\xd8\xff"),
    ("gif", "image/gif", b"GIF8"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", b"PK\x03\x04"),
    ("odt", "application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet", b"PK\x03\x04"),
    ("odp", "application/vnd.oasis.opendocument.presentation", b"PK\x03\x04"),
    ("doc", "application/msword", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ("xls", "application/vnd.ms-excel", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ("ppt", "application/vnd.ms-powerpoint", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
];

/// The MIME type of an accepted file, judged by its extension and confirmed by its bytes.
fn content_type_of(filename: &str, bytes: &[u8]) -> Result<&'static str, ServiceError> {
    let extension = filename.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let (_, mime, magic) = ACCEPTED.iter().find(|(e, _, _)| *e == extension).ok_or_else(|| {
        ServiceError::UnsupportedType(format!(
            "`{filename}` is not an accepted type: PDF, office documents (docx, xlsx, pptx, odt, ods, odp, doc, xls, ppt) and images (png, jpg, gif)"
        ))
    })?;
    if !bytes.starts_with(magic) {
        return Err(ServiceError::UnsupportedType(format!("`{filename}` does not contain what its extension says")));
    }
    Ok(mime)
}

impl DocumentService {
    /// A service over `store` accepting uploads up to `max_upload_bytes`.
    pub fn new(store: Store, max_upload_bytes: usize) -> Self {
        Self { store, max_upload_bytes }
    }

    /// The upload limit, in bytes.
    pub fn max_upload_bytes(&self) -> usize {
        self.max_upload_bytes
    }

    /// Checks and stores an upload. Nothing is stored unless every check passes.
    pub async fn upload(&self, actor: &Actor, registry: &Registry, upload: Upload) -> Result<Document, ServiceError> {
        if upload.bytes.len() > self.max_upload_bytes {
            return Err(ServiceError::TooLarge(self.max_upload_bytes));
        }
        let content_type = content_type_of(&upload.filename, &upload.bytes)?;
        let title = upload.title.trim();
        if title.is_empty() {
            return Err(invalid("title", "is required"));
        }
        let is_framework = |code: &str| code.parse().ok().is_some_and(|c| registry.framework(&c).is_some());
        let marking = Marking::parse(&upload.marking, is_framework).map_err(|e| invalid("marking", e.to_string()))?;
        let owner = match upload.owner.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
            None => None,
            Some(code) => Some(
                code.parse::<NationCode>()
                    .ok()
                    .filter(|c| registry.nation(*c).is_some())
                    .ok_or_else(|| invalid("owner", format!("unknown nation `{code}`")))?,
            ),
        };
        let mut links = BTreeSet::new();
        for code in upload.nations.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
            code.parse::<NationCode>()
                .ok()
                .filter(|c| registry.nation(*c).is_some())
                .ok_or_else(|| invalid("nations", format!("unknown nation `{code}`")))?;
            links.insert(("nation".to_owned(), code.to_owned()));
        }
        for code in upload.frameworks.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
            if !is_framework(code) {
                return Err(invalid("frameworks", format!("unknown framework `{code}`")));
            }
            links.insert(("framework".to_owned(), code.to_owned()));
        }
        // Creating a record one could not read is refused outright, not hidden.
        match authorize(&actor.caller, Action::Write, Resource::Record { marking: &marking, owner }) {
            entente_core::Decision::Hidden => {
                return Err(ServiceError::Forbidden(
                    "you may not create a record you would not be allowed to read".into(),
                ));
            }
            decision => decision_to_result(decision, Action::Write, "this nation's records")?,
        }
        let sha256 = hex::encode(Sha256::digest(&upload.bytes));
        let marking_text = marking.to_text(is_framework);
        let doc = NewDocument {
            title: title.to_owned(),
            filename: upload.filename.clone(),
            content_type: content_type.to_owned(),
            classification: marking.classification().as_str().to_owned(),
            marking: marking_text.clone(),
            owner_nation: owner.map(|o| o.to_string()),
            sha256: sha256.clone(),
            content: upload.bytes,
            uploaded_by: match &actor.caller {
                Caller::User(p) => p.user_id,
                Caller::Anonymous => 0,
            },
            links: links.into_iter().collect(),
        };
        let audit = AuditRecord {
            actor: actor.label.clone(),
            action: "document.create".into(),
            detail: json!({ "after": { "title": doc.title, "filename": doc.filename, "marking": marking_text,
                                        "owner": doc.owner_nation, "size_bytes": doc.content.len(), "sha256": sha256 } }),
        };
        let id = self.store.insert_document(&doc, &audit).await?;
        self.get(&actor.caller, registry, id).await
    }

    /// Every document the caller may read, newest first.
    pub async fn list(&self, caller: &Caller, registry: &Registry) -> Result<Vec<Document>, ServiceError> {
        // Only classifications the caller is cleared for are fetched; releasability is then
        // decided record by record.
        let clearance = match caller {
            Caller::Anonymous => Classification::Public,
            Caller::User(p) => p.clearance,
        };
        let levels: Vec<&str> = Classification::ALL.iter().filter(|c| **c <= clearance).map(|c| c.as_str()).collect();
        let rows = self.store.documents(&levels).await?;
        Ok(rows.into_iter().filter_map(|(row, links)| visible(caller, registry, row, links)).collect())
    }

    /// One document, if the caller may read it; otherwise not found.
    pub async fn get(&self, caller: &Caller, registry: &Registry, id: i64) -> Result<Document, ServiceError> {
        let not_found = || ServiceError::NotFound { kind: "document", code: id.to_string() };
        let (row, links) = self.store.document(id).await?.ok_or_else(not_found)?;
        visible(caller, registry, row, links).ok_or_else(not_found)
    }

    /// A document and its content, if the caller may read it. Downloads of marked
    /// (non-public) documents are audited.
    pub async fn download(
        &self,
        actor: &Actor,
        registry: &Registry,
        id: i64,
    ) -> Result<(Document, Vec<u8>), ServiceError> {
        let document = self.get(&actor.caller, registry, id).await?;
        let content = self
            .store
            .document_content(id)
            .await?
            .ok_or(ServiceError::NotFound { kind: "document", code: id.to_string() })?;
        if document.marking.classification() != Classification::Public {
            let audit = AuditRecord {
                actor: actor.label.clone(),
                action: "document.download".into(),
                detail: json!({ "id": id, "marking": document.marking_text }),
            };
            self.store.record_audit(&audit).await?;
        }
        Ok((document, content))
    }
}

/// The document as the caller may see it, or nothing if it is not released to them.
fn visible(caller: &Caller, registry: &Registry, row: DocumentRow, links: Vec<(String, String)>) -> Option<Document> {
    let is_framework = |code: &str| code.parse().ok().is_some_and(|c| registry.framework(&c).is_some());
    let marking = Marking::parse(&row.marking, is_framework).ok()?;
    let owner = row.owner_nation.as_deref().and_then(|o| o.parse().ok());
    if !authorize(caller, Action::Read, Resource::Record { marking: &marking, owner }).is_allowed() {
        return None;
    }
    Some(Document {
        id: row.id,
        title: row.title,
        filename: row.filename,
        content_type: row.content_type,
        size_bytes: row.size_bytes,
        marking,
        marking_text: row.marking,
        owner,
        links,
        sha256: row.sha256,
        uploaded_at: row.uploaded_at,
    })
}
