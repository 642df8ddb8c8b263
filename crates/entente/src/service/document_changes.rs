//! Documents managed after their upload: searched and sorted, edited (title and links),
//! replaced (the older file kept as a version) and withdrawn (kept for the audit trail,
//! hidden from lists). Every change is authorized as an update of the document, and
//! audited with the document's digest in the same unit of work.

use entente_core::text::fold;
use entente_core::{Action, Caller, Registry};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::accounts::Actor;
use super::documents::{
    Document, DocumentService, MAX_FILENAME_CHARS, MAX_TITLE_CHARS, check_text, content_type_of, document_record,
    filter_for, invalid, links_of, visible,
};
use super::integrity::{self, Subject};
use super::{Reason, ServiceError};
use crate::store::Tx;
use crate::store::audit::AuditRecord;
use crate::store::documents::{DocumentOrder, DocumentSearch, DocumentState, NewFile, VersionRow};

/// What a person asks of the list of documents.
#[derive(Debug, Clone, Default)]
pub struct DocumentQuery {
    /// Text the title contains (case and accents ignored).
    pub title: Option<String>,
    /// A classification: `PUBLIC`, `UNCLASSIFIED` or `RESTRICTED`.
    pub classification: Option<String>,
    /// A nation's code.
    pub nation: Option<String>,
    /// A framework's code.
    pub framework: Option<String>,
}

impl DocumentQuery {
    /// The store's search: the title folded, codes in upper case, the classification checked.
    pub fn to_search(&self) -> Result<DocumentSearch, ServiceError> {
        let classification = match self.classification.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => None,
            Some(text) => Some(
                entente_core::Classification::parse(&text.to_ascii_uppercase())
                    .ok_or_else(|| ServiceError::BadQuery {
                        parameter: "classification".into(),
                        reason: Reason::NotOneOf(text.to_owned(), "PUBLIC, UNCLASSIFIED, RESTRICTED"),
                    })?
                    .as_str()
                    .to_owned(),
            ),
        };
        let code =
            |text: &Option<String>| text.as_deref().map(|t| t.trim().to_ascii_uppercase()).filter(|t| !t.is_empty());
        Ok(DocumentSearch {
            title: self.title.as_deref().map(|t| fold(t.trim())).filter(|t| !t.is_empty()),
            classification,
            nation: code(&self.nation),
            framework: code(&self.framework),
        })
    }
}

/// A change to a document's title and links; `None` keeps what it is.
#[derive(Debug, Clone, Default)]
pub struct DocumentChange {
    /// The new title.
    pub title: Option<String>,
    /// Linked nations' codes, replacing the current ones.
    pub nations: Option<Vec<String>>,
    /// Linked frameworks' codes, replacing the current ones.
    pub frameworks: Option<Vec<String>>,
}

/// A document's history: its state and the files it held before.
#[derive(Debug, Clone)]
pub struct History {
    /// Version and withdrawal.
    pub state: DocumentState,
    /// Older files, newest first.
    pub versions: Vec<VersionRow>,
}

fn not_found(id: i64) -> ServiceError {
    ServiceError::NotFound { kind: "document", code: id.to_string() }
}

impl DocumentService {
    /// A page of the documents the caller may read, narrowed by `query`, in `order`, with
    /// how many match in all. Withdrawn documents are not listed.
    pub async fn search(
        &self,
        caller: &Caller,
        registry: &Registry,
        query: &DocumentQuery,
        order: DocumentOrder,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Document>, i64), ServiceError> {
        let search = query.to_search()?;
        let mut tx = self.db.read().await?;
        let (rows, total) = tx.search_documents(&filter_for(caller), &search, order, limit, offset).await?;
        tx.commit().await?;
        Ok((rows.into_iter().filter_map(|row| visible(caller, registry, row)).collect(), total))
    }

    /// A document the actor may update, read in `tx`; not found when they may not read it,
    /// refused when they may read it but not change it, or when it is withdrawn.
    async fn editable(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        registry: &Registry,
        id: i64,
        action: Action,
    ) -> Result<Document, ServiceError> {
        // The row is locked first: a concurrent change or withdrawal waits for this unit,
        // then finds what it did.
        let state = tx.document_state(id, true).await?.ok_or_else(|| not_found(id))?;
        let stored = tx.document(id).await?.ok_or_else(|| not_found(id))?;
        let document = visible(&actor.caller, registry, stored).ok_or_else(|| not_found(id))?;
        actor.require(action, document_record(&document.marking, &document.originator, document.owner))?;
        if state.withdrawn_at.is_some() {
            return Err(ServiceError::Conflict(Reason::Withdrawn));
        }
        Ok(document)
    }

    /// Changes a document's title and links; what `change` leaves out is kept, as read
    /// in the same unit of work (two edits of different fields at once lose neither).
    pub async fn edit(
        &self,
        actor: &Actor,
        registry: &Registry,
        id: i64,
        change: &DocumentChange,
    ) -> Result<Document, ServiceError> {
        // Who may change it is decided first: a refusal says nothing of the values.
        let mut tx = self.db.write().await?;
        let before = self.editable(&mut tx, actor, registry, id, Action::Update).await?;
        let linked = |kind: &str| -> Vec<String> {
            before.links.iter().filter(|(k, _)| k == kind).map(|(_, code)| code.clone()).collect()
        };
        let title = change.title.as_deref().unwrap_or(&before.title);
        check_text("title", title, MAX_TITLE_CHARS)?;
        let title = title.trim();
        if title.is_empty() {
            return Err(invalid("title", Reason::Required));
        }
        let nations = change.nations.clone().unwrap_or_else(|| linked("nation"));
        let frameworks = change.frameworks.clone().unwrap_or_else(|| linked("framework"));
        let links: Vec<(String, String)> = links_of(registry, &nations, &frameworks)?.into_iter().collect();
        tx.update_document(id, title, &fold(title), &links).await?;
        let record = AuditRecord {
            actor: actor.label.clone(),
            action: "document.update".into(),
            detail: json!({ "id": id, "before": { "title": before.title, "links": before.links },
                            "after": { "title": title, "links": links } }),
        };
        integrity::append(&mut tx, &record, &[Subject::Document(id)]).await?;
        let stored = tx.document(id).await?.ok_or_else(|| not_found(id))?;
        tx.commit().await?;
        visible(&actor.caller, registry, stored).ok_or_else(|| not_found(id))
    }

    /// Replaces a document's file; the older file is kept as a version.
    pub async fn replace(
        &self,
        actor: &Actor,
        registry: &Registry,
        id: i64,
        filename: &str,
        bytes: Vec<u8>,
    ) -> Result<Document, ServiceError> {
        if bytes.len() > self.max_upload_bytes() {
            return Err(ServiceError::TooLarge(self.max_upload_bytes()));
        }
        check_text("file", filename, MAX_FILENAME_CHARS)?;
        let content_type = content_type_of(filename, &bytes)?;
        let sha256 = hex::encode(Sha256::digest(&bytes));
        let mut tx = self.db.write().await?;
        let before = self.editable(&mut tx, actor, registry, id, Action::Update).await?;
        let file = NewFile {
            filename: filename.to_owned(),
            content_type: content_type.to_owned(),
            sha256: sha256.clone(),
            content: bytes,
            uploaded_by: actor.user_id(),
        };
        let version = tx.replace_document_file(id, &file).await?;
        let record = AuditRecord {
            actor: actor.label.clone(),
            action: "document.replace".into(),
            detail: json!({ "id": id, "version": version,
                            "before": { "filename": before.filename, "sha256": before.sha256 },
                            "after": { "filename": filename, "sha256": sha256, "size_bytes": file.content.len() } }),
        };
        integrity::append(&mut tx, &record, &[Subject::Document(id)]).await?;
        let stored = tx.document(id).await?.ok_or_else(|| not_found(id))?;
        tx.commit().await?;
        visible(&actor.caller, registry, stored).ok_or_else(|| not_found(id))
    }

    /// Withdraws a document: it stays, for the audit trail, and leaves every list.
    pub async fn withdraw(
        &self,
        actor: &Actor,
        registry: &Registry,
        id: i64,
        reason: &str,
    ) -> Result<(), ServiceError> {
        let mut tx = self.db.write().await?;
        let document = self.editable(&mut tx, actor, registry, id, Action::Delete).await?;
        check_text("reason", reason, MAX_TITLE_CHARS)?;
        if reason.trim().is_empty() {
            return Err(invalid("reason", Reason::Required));
        }
        tx.withdraw_document(id, actor.user_id(), reason.trim()).await?;
        let record = AuditRecord {
            actor: actor.label.clone(),
            action: "document.withdraw".into(),
            detail: json!({ "id": id, "title": document.title, "marking": document.marking_text, "reason": reason.trim() }),
        };
        integrity::append(&mut tx, &record, &[Subject::Document(id)]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A document's version, withdrawal and older files, if the caller may read it.
    pub async fn history(&self, caller: &Caller, registry: &Registry, id: i64) -> Result<History, ServiceError> {
        let mut tx = self.db.read().await?;
        let stored = tx.document(id).await?.ok_or_else(|| not_found(id))?;
        visible(caller, registry, stored).ok_or_else(|| not_found(id))?;
        let state = tx.document_state(id, false).await?.ok_or_else(|| not_found(id))?;
        let versions = tx.document_versions(id).await?;
        tx.commit().await?;
        Ok(History { state, versions })
    }

    /// Refuses, before a new file is read, an actor who may not change the document (not
    /// found when they may not read it; sign in first when anonymous).
    pub async fn check_editor(&self, actor: &Actor, registry: &Registry, id: i64) -> Result<(), ServiceError> {
        // A first look, without a lock (a read-only unit cannot take one): `replace`
        // decides again, under the lock, once the file is read.
        let mut tx = self.db.read().await?;
        let stored = tx.document(id).await?.ok_or_else(|| not_found(id))?;
        let document = visible(&actor.caller, registry, stored).ok_or_else(|| not_found(id))?;
        actor.require(Action::Update, document_record(&document.marking, &document.originator, document.owner))
    }

    /// Folds the titles of documents written before titles were folded, so that searching
    /// finds them too. Runs at start-up; a no-op once done. The folded title is a search
    /// key, not a record: no audit event.
    pub async fn fold_pending_titles(&self) -> Result<usize, ServiceError> {
        let mut tx = self.db.write().await?;
        let pending = tx.documents_unfolded().await?;
        for (id, title) in &pending {
            tx.set_title_folded(*id, &fold(title)).await?;
        }
        tx.commit().await?;
        Ok(pending.len())
    }

    /// Whether `caller` may change the document (for showing the forms).
    pub fn may_edit(&self, caller: &Caller, document: &Document) -> bool {
        entente_core::authorize(
            caller,
            Action::Update,
            document_record(&document.marking, &document.originator, document.owner),
        )
        .is_allowed()
    }
}
