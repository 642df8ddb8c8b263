//! Documents: the first marked records. Uploads are checked (size, type, marking, the
//! nation concerned, links) and authorized before anything is stored. Markings are stored
//! as rows (classification, releasability to frameworks by their lasting identity and to
//! nations), so lists are filtered and paged in SQL by what the caller's standing
//! releases, and `authorize()` still decides every row; anything else answers "not found".

use std::collections::BTreeSet;

use entente_core::{
    Action, Affiliation, Caller, Classification, Lifecycle, Marking, NationCode, Record, RecordKind, Registry,
    Releasability, Resource, authorize,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::accounts::Actor;
use super::integrity::{self, Subject};
use super::{Db, Reason, ServiceError};
use crate::store::LockKey;
use crate::store::audit::AuditRecord;
use crate::store::documents::{DocumentFilter, NewDocument, StoredDocument};
use crate::store::registry::FrameworkIdentity;

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
    /// The nation the document concerns.
    pub owner: Option<NationCode>,
    /// Who made it.
    pub originator: Affiliation,
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

/// A page of documents, newest first, and the cursor of the next page.
#[derive(Debug, Clone)]
pub struct DocumentPage {
    /// The documents.
    pub items: Vec<Document>,
    /// How many documents the caller may read in all.
    pub total: i64,
    /// Pass as `after` for the next page; `None` on the last page.
    pub next: Option<i64>,
}

/// Document use cases.
#[derive(Debug)]
pub struct DocumentService {
    pub(super) db: Db,
    max_upload_bytes: usize,
}

pub(super) fn invalid(field: &str, reason: Reason) -> ServiceError {
    ServiceError::Invalid { field: field.to_owned(), reason }
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
pub(super) fn content_type_of(filename: &str, bytes: &[u8]) -> Result<&'static str, ServiceError> {
    let extension = filename.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let (_, mime, magic) = ACCEPTED
        .iter()
        .find(|(e, _, _)| *e == extension)
        .ok_or_else(|| ServiceError::UnsupportedType(Reason::TypeNotAccepted(filename.to_owned())))?;
    if !bytes.starts_with(magic) {
        return Err(ServiceError::UnsupportedType(Reason::TypeMismatch(filename.to_owned())));
    }
    Ok(mime)
}

impl DocumentService {
    /// A service over `db` accepting uploads up to `max_upload_bytes`.
    pub fn new(db: Db, max_upload_bytes: usize) -> Self {
        Self { db, max_upload_bytes }
    }

    /// The upload limit, in bytes.
    pub fn max_upload_bytes(&self) -> usize {
        self.max_upload_bytes
    }

    /// Whether the caller could upload any document at all: staff, or a nation's officer
    /// or delegate for their own nation.
    pub fn may_upload(&self, caller: &Caller) -> bool {
        let subject = match caller {
            Caller::User(p) => match p.affiliation {
                Affiliation::Nation(n) => Some(n),
                _ => None,
            },
            Caller::Anonymous => None,
        };
        let public = Marking::public();
        authorize(caller, Action::Create, document_record(&public, &Affiliation::AllianceStaff, subject)).is_allowed()
    }

    /// Checks and stores an upload. Nothing is stored unless every check passes.
    /// Refuses, through `authorize()`, a caller who could file no document at all (not even
    /// an unclassified one of their own), before the upload is read: an anonymous upload
    /// costs the server nothing.
    pub fn check_uploader(&self, actor: &Actor) -> Result<(), ServiceError> {
        let originator = match &actor.caller {
            Caller::User(p) => p.affiliation.clone(),
            Caller::Anonymous => Affiliation::AllianceStaff,
        };
        let own_nation = match originator {
            Affiliation::Nation(nation) => Some(nation),
            _ => None,
        };
        let least = Marking::new(Classification::Unclassified, entente_core::Releasability::All)
            .map_err(|e| ServiceError::Corrupt(e.to_string()))?;
        actor.require(Action::Create, document_record(&least, &originator, own_nation))
    }

    pub async fn upload(&self, actor: &Actor, registry: &Registry, upload: Upload) -> Result<Document, ServiceError> {
        if upload.bytes.len() > self.max_upload_bytes {
            return Err(ServiceError::TooLarge(self.max_upload_bytes));
        }
        check_text("file", &upload.filename, MAX_FILENAME_CHARS)?;
        check_text("title", &upload.title, MAX_TITLE_CHARS)?;
        check_text("marking", &upload.marking, MAX_TITLE_CHARS)?;
        if let Some(owner) = &upload.owner {
            check_text("owner", owner, MAX_TITLE_CHARS)?;
        }
        let content_type = content_type_of(&upload.filename, &upload.bytes)?;
        let title = upload.title.trim();
        if title.is_empty() {
            return Err(invalid("title", Reason::Required));
        }
        let is_framework = |code: &str| is_framework_of(registry, code);
        let marking =
            Marking::parse(&upload.marking, is_framework).map_err(|e| invalid("marking", Reason::Marking(e)))?;
        let owner = match upload.owner.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
            None => None,
            Some(code) => Some(
                code.parse::<NationCode>()
                    .ok()
                    .filter(|c| registry.nation(*c).is_some())
                    .ok_or_else(|| invalid("owner", Reason::UnknownNation(code.to_string())))?,
            ),
        };
        let links = links_of(registry, &upload.nations, &upload.frameworks)?;
        let originator = match &actor.caller {
            Caller::User(p) => p.affiliation.clone(),
            Caller::Anonymous => Affiliation::AllianceStaff,
        };
        actor.require(Action::Create, document_record(&marking, &originator, owner))?;
        let sha256 = hex::encode(Sha256::digest(&upload.bytes));
        let marking_text = marking.to_text(is_framework);
        let mut tx = self.db.write().await?;
        let identities = tx.framework_identities().await?;
        let (releasable_to, released_to_frameworks, released_to_nations) = releasability_rows(&identities, &marking)?;
        let doc = NewDocument {
            title: title.to_owned(),
            filename: upload.filename.clone(),
            content_type: content_type.to_owned(),
            classification: marking.classification().as_str().to_owned(),
            releasable_to: releasable_to.to_owned(),
            released_to_frameworks,
            released_to_nations,
            marking: marking_text.clone(),
            owner_nation: owner.map(|o| o.to_string()),
            originator: originator_text(&originator),
            sha256: sha256.clone(),
            content: upload.bytes,
            uploaded_by: actor.user_id(),
            links: links.into_iter().collect(),
        };
        let id = tx.insert_document(&doc).await?;
        integrity::append(&mut tx, &AuditRecord {
            actor: actor.label.clone(),
            action: "document.create".into(),
            detail: json!({ "id": id, "after": { "title": doc.title, "filename": doc.filename, "marking": marking_text,
                                        "owner": doc.owner_nation, "size_bytes": doc.content.len(), "sha256": sha256 } }),
        }, &[Subject::Document(id)])
        .await?;
        let stored = tx.document(id).await?.ok_or(ServiceError::NotFound { kind: "document", code: id.to_string() })?;
        tx.commit().await?;
        visible(&actor.caller, registry, stored)
            .ok_or(ServiceError::NotFound { kind: "document", code: id.to_string() })
    }

    /// A page of the documents the caller may read, newest first, strictly older than
    /// document `after`. Filtering and paging happen in SQL; `authorize()` checks each row.
    pub async fn list(
        &self,
        caller: &Caller,
        registry: &Registry,
        query: &super::document_changes::DocumentQuery,
        after: Option<i64>,
        limit: i64,
    ) -> Result<DocumentPage, ServiceError> {
        let filter = filter_for(caller);
        let search = query.to_search()?;
        let mut tx = self.db.read().await?;
        let rows = tx.documents(&filter, &search, after, limit + 1).await?;
        let total = tx.count_documents(&filter, &search).await?;
        tx.commit().await?;
        let more = rows.len() as i64 > limit;
        let last_read = rows.iter().take(limit as usize).next_back().map(|row| row.row.id);
        let items: Vec<Document> =
            rows.into_iter().take(limit as usize).filter_map(|row| visible(caller, registry, row)).collect();
        // The cursor is the last row read, whether or not `authorize()` let it through, so
        // a hidden row can neither move the cursor back nor end the paging early.
        let next = if more { last_read } else { None };
        Ok(DocumentPage { items, total, next })
    }

    /// One document, if the caller may read it; otherwise not found.
    pub async fn get(&self, caller: &Caller, registry: &Registry, id: i64) -> Result<Document, ServiceError> {
        let not_found = || ServiceError::NotFound { kind: "document", code: id.to_string() };
        let stored = self.db.read().await?.document(id).await?.ok_or_else(not_found)?;
        visible(caller, registry, stored).ok_or_else(not_found)
    }

    /// A document and its content, if the caller may read it. Downloads of marked
    /// (non-public) documents are audited, in the unit that reads the content.
    pub async fn download(
        &self,
        actor: &Actor,
        registry: &Registry,
        id: i64,
        fetch: Fetch,
    ) -> Result<(Document, Vec<u8>), ServiceError> {
        let not_found = || ServiceError::NotFound { kind: "document", code: id.to_string() };
        // Only a real download of a marked document is audited, so only it opens a write.
        let mut tx = match fetch {
            Fetch::Download => self.db.write().await?,
            Fetch::HeadersOnly => self.db.read().await?,
        };
        let stored = tx.document(id).await?.ok_or_else(not_found)?;
        let document = visible(&actor.caller, registry, stored).ok_or_else(not_found)?;
        let content = tx.document_content(id).await?.ok_or_else(not_found)?;
        if fetch == Fetch::Download && document.marking.classification() != Classification::Public {
            tx.append_audit(&AuditRecord {
                actor: actor.label.clone(),
                action: "document.download".into(),
                detail: json!({ "id": id, "marking": document.marking_text }),
            })
            .await?;
        }
        tx.commit().await?;
        Ok((document, content))
    }

    /// Stores as rows the markings of documents written before markings were rows, reading
    /// their text against today's registry. Runs at start-up; a no-op once done.
    pub async fn store_pending_markings(&self, registry: &Registry) -> Result<usize, ServiceError> {
        let is_framework = |code: &str| is_framework_of(registry, code);
        let mut tx = self.db.write().await?;
        // Processes starting together take turns; the second finds nothing pending.
        tx.lock(LockKey::Registry).await?;
        let pending = tx.documents_pending_releasability().await?;
        let identities = tx.framework_identities().await?;
        for (id, text) in &pending {
            let marking = Marking::parse(text, is_framework)
                .map_err(|e| ServiceError::Corrupt(format!("document {id} has an unreadable marking: {e}")))?;
            let (releasable_to, frameworks, nations) = releasability_rows(&identities, &marking)?;
            tx.set_releasability(*id, releasable_to, &frameworks, &nations).await?;
        }
        if !pending.is_empty() {
            let subjects: Vec<Subject> = pending.iter().map(|(id, _)| Subject::Document(*id)).collect();
            integrity::append(
                &mut tx,
                &AuditRecord {
                    actor: "system:migration".into(),
                    action: "document.markings_stored".into(),
                    detail: json!({ "documents": pending.iter().map(|(id, _)| id).collect::<Vec<_>>() }),
                },
                &subjects,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(pending.len())
    }
}

/// What a request for a document's file asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fetch {
    /// The file itself: a download, audited when the document is marked.
    Download,
    /// Its headers only (`HEAD`): nothing is read by anyone, so nothing is audited.
    HeadersOnly,
}

/// The links asked for, each code checked against the registry (codes in any case).
pub(super) fn links_of(
    registry: &Registry,
    nations: &[String],
    frameworks: &[String],
) -> Result<BTreeSet<(String, String)>, ServiceError> {
    let mut links = BTreeSet::new();
    for code in nations.iter().map(|c| c.trim().to_ascii_uppercase()).filter(|c| !c.is_empty()) {
        code.parse::<NationCode>()
            .ok()
            .filter(|c| registry.nation(*c).is_some())
            .ok_or_else(|| invalid("nations", Reason::UnknownNation(code.clone())))?;
        links.insert(("nation".to_owned(), code));
    }
    for code in frameworks.iter().map(|c| c.trim().to_ascii_uppercase()).filter(|c| !c.is_empty()) {
        if !is_framework_of(registry, &code) {
            return Err(invalid("frameworks", Reason::UnknownFramework(code)));
        }
        links.insert(("framework".to_owned(), code));
    }
    Ok(links)
}

/// The longest file name kept, in characters.
pub const MAX_FILENAME_CHARS: usize = 255;
/// The longest title (and marking text), in characters.
pub const MAX_TITLE_CHARS: usize = 500;

/// Refuses text with a control character (a NUL byte, a line break), a bidirectional
/// override (which can make `evil\u{202e}fdp.exe` read as `evilexe.pdf`) or an invisible
/// character (a zero-width space makes two equal names differ), or longer than `max`.
pub(super) fn check_text(field: &str, text: &str, max: usize) -> Result<(), ServiceError> {
    check_chars(field, text, max, false)
}

/// [`check_text`] for long text, where line breaks and tabs belong.
pub(super) fn check_long_text(field: &str, text: &str, max: usize) -> Result<(), ServiceError> {
    check_chars(field, text, max, true)
}

fn check_chars(field: &str, text: &str, max: usize, lines: bool) -> Result<(), ServiceError> {
    let hidden = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}');
    let allowed = |c: char| lines && matches!(c, '\n' | '\r' | '\t');
    if text.chars().any(|c| (c.is_control() && !allowed(c)) || hidden(c)) {
        return Err(invalid(field, Reason::ControlCharacter));
    }
    if text.chars().count() > max {
        return Err(invalid(field, Reason::TooLong(max)));
    }
    Ok(())
}

/// The marking's releasability as stored: its kind, framework identities and nations.
fn releasability_rows(
    identities: &[FrameworkIdentity],
    marking: &Marking,
) -> Result<(&'static str, Vec<i64>, Vec<String>), ServiceError> {
    Ok(match marking.releasability() {
        Releasability::All => ("all", Vec::new(), Vec::new()),
        Releasability::MembersOnly => ("members", Vec::new(), Vec::new()),
        Releasability::To { frameworks, nations } => {
            let mut ids = Vec::new();
            for code in frameworks {
                let identity = identities.iter().find(|i| i.code == code.as_str()).ok_or_else(|| {
                    ServiceError::Corrupt(format!("framework `{code}` has no identity: restart to repair"))
                })?;
                ids.push(identity.id);
            }
            ("listed", ids, nations.iter().map(ToString::to_string).collect())
        }
    })
}

/// What the caller's clearance and standing release, as a filter the store applies in SQL.
pub(super) fn filter_for(caller: &Caller) -> DocumentFilter {
    let (clearance, inside, nation, frameworks) = match caller {
        Caller::Anonymous => (Classification::Public, false, None, Vec::new()),
        Caller::User(p) => {
            let (inside, nation) = match &p.affiliation {
                Affiliation::AllianceStaff => (true, None),
                Affiliation::Nation(n) => (p.nation_is_member, Some(n.to_string())),
                Affiliation::Organisation(_) => (false, None),
            };
            (p.clearance, inside, nation, p.nation_frameworks.iter().map(ToString::to_string).collect())
        }
    };
    let releasable_to = if inside { vec!["all", "members", "listed"] } else { vec!["all"] };
    DocumentFilter {
        classifications: Classification::ALL
            .iter()
            .filter(|c| **c <= clearance)
            .map(|c| c.as_str().to_owned())
            .collect(),
        releasable_to: releasable_to.into_iter().map(str::to_owned).collect(),
        nation,
        frameworks,
    }
}

fn originator_text(affiliation: &Affiliation) -> String {
    match affiliation {
        Affiliation::AllianceStaff => "staff".into(),
        Affiliation::Nation(code) => format!("nation:{code}"),
        Affiliation::Organisation(code) => format!("organisation:{code}"),
    }
}

fn originator_of(text: &str) -> Option<Affiliation> {
    match text.split_once(':') {
        None if text == "staff" => Some(Affiliation::AllianceStaff),
        Some(("nation", code)) => code.parse().ok().map(Affiliation::Nation),
        Some(("organisation", code)) => code.parse().ok().map(Affiliation::Organisation),
        _ => None,
    }
}

/// The marking stored as rows, read back with today's codes.
fn marking_of(stored: &StoredDocument) -> Option<Marking> {
    let classification = Classification::parse(&stored.row.classification)?;
    let releasability = match stored.row.releasable_to.as_str() {
        "all" => Releasability::All,
        "members" => Releasability::MembersOnly,
        "listed" => Releasability::To {
            frameworks: stored.released_to_frameworks.iter().filter_map(|c| c.parse().ok()).collect(),
            nations: stored.released_to_nations.iter().filter_map(|c| c.parse().ok()).collect(),
        },
        _ => return None,
    };
    Marking::new(classification, releasability).ok()
}

/// A document as `authorize()` sees it.
pub(super) fn document_record<'a>(
    marking: &'a Marking,
    originator: &'a Affiliation,
    subject: Option<NationCode>,
) -> Resource<'a> {
    Resource::Record(Record {
        kind: RecordKind::Document,
        marking,
        originator,
        subject,
        lifecycle: Lifecycle::Unmanaged,
    })
}

/// Whether `code` is a framework of `registry` (a marking's `REL TO` names frameworks and
/// nations, and a code can be both).
pub fn is_framework_of(registry: &Registry, code: &str) -> bool {
    code.parse().ok().is_some_and(|c| registry.framework(&c).is_some())
}

/// The document as the caller may see it, or nothing if it is not released to them.
pub(super) fn visible(caller: &Caller, registry: &Registry, stored: StoredDocument) -> Option<Document> {
    let marking = marking_of(&stored)?;
    let owner = stored.row.owner_nation.as_deref().and_then(|o| o.parse().ok());
    let originator = originator_of(&stored.row.originator)?;
    if !authorize(caller, Action::Read, document_record(&marking, &originator, owner)).is_allowed() {
        return None;
    }
    let is_framework = |code: &str| is_framework_of(registry, code);
    let row = stored.row;
    Some(Document {
        id: row.id,
        title: row.title,
        filename: row.filename,
        content_type: row.content_type,
        size_bytes: row.size_bytes,
        marking_text: marking.to_text(is_framework),
        marking,
        owner,
        originator,
        links: stored.links,
        sha256: row.sha256,
        uploaded_at: row.uploaded_at,
    })
}
