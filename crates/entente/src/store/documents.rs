//! Documents: uploaded files with a marking, an owner nation and links to nations and
//! frameworks. The store lists candidates; who may see which is decided by the service.

use std::collections::HashMap;

use super::audit::{AuditRecord, append_audit};
use super::{Store, StoreError, with_pool};

/// A document's description, without its content.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DocumentRow {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// The uploaded file's name.
    pub filename: String,
    /// MIME type.
    pub content_type: String,
    /// Size of the content.
    pub size_bytes: i64,
    /// Classification code (also inside `marking`; kept apart for filtering).
    pub classification: String,
    /// The marking's text form.
    pub marking: String,
    /// The nation whose document it is, if any.
    pub owner_nation: Option<String>,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// The uploader's id.
    pub uploaded_by: i64,
    /// When.
    pub uploaded_at: String,
}

/// A new document.
#[derive(Debug, Clone)]
pub struct NewDocument {
    /// Title.
    pub title: String,
    /// File name.
    pub filename: String,
    /// MIME type.
    pub content_type: String,
    /// Classification code.
    pub classification: String,
    /// Marking text.
    pub marking: String,
    /// Owner nation code.
    pub owner_nation: Option<String>,
    /// SHA-256 hex.
    pub sha256: String,
    /// The bytes.
    pub content: Vec<u8>,
    /// Uploader.
    pub uploaded_by: i64,
    /// Links: (`nation` or `framework`, code).
    pub links: Vec<(String, String)>,
}

const COLUMNS: &str = "id, title, filename, content_type, size_bytes, classification, marking, owner_nation, sha256, \
                       uploaded_by, uploaded_at";

impl Store {
    /// Stores a document with its links and audit event; returns its id.
    pub async fn insert_document(&self, doc: &NewDocument, audit: &AuditRecord) -> Result<i64, StoreError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "insert into documents (title, filename, content_type, size_bytes, classification, marking, owner_nation, \
                 sha256, content, uploaded_by, uploaded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id",
            )
            .bind(&doc.title).bind(&doc.filename).bind(&doc.content_type).bind(doc.content.len() as i64)
            .bind(&doc.classification).bind(&doc.marking).bind(&doc.owner_nation).bind(&doc.sha256)
            .bind(&doc.content).bind(doc.uploaded_by).bind(super::now())
            .fetch_one(&mut *tx)
            .await?;
            for (kind, code) in &doc.links {
                sqlx::query("insert into document_links (document_id, kind, code) values ($1, $2, $3) on conflict do nothing")
                    .bind(id).bind(kind).bind(code)
                    .execute(&mut *tx).await?;
            }
            let mut audit = audit.clone();
            audit.detail["id"] = id.into();
            append_audit!(tx, &audit);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Every document at one of `classifications`, newest first, with its links (two
    /// queries in all, whatever the number of documents).
    pub async fn documents(
        &self,
        classifications: &[&str],
    ) -> Result<Vec<(DocumentRow, Vec<(String, String)>)>, StoreError> {
        let wanted: Vec<String> = classifications.iter().map(|c| (*c).to_owned()).collect();
        let placeholders = (1..=wanted.len().max(1)).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        let sql = format!("select {COLUMNS} from documents where classification in ({placeholders}) order by id desc");
        let links_sql = format!(
            "select l.document_id, l.kind, l.code from document_links l join documents d on d.id = l.document_id \
             where d.classification in ({placeholders}) order by l.kind, l.code"
        );
        let wanted = if wanted.is_empty() { vec![String::new()] } else { wanted };
        with_pool!(self, pool => {
            let mut query = sqlx::query_as::<_, DocumentRow>(&sql);
            let mut links_query = sqlx::query_as::<_, (i64, String, String)>(&links_sql);
            for c in &wanted {
                query = query.bind(c);
                links_query = links_query.bind(c);
            }
            let rows = query.fetch_all(pool).await?;
            let links = links_query.fetch_all(pool).await?;
            Ok(attach_links(rows, links))
        })
    }

    /// One document's description and links.
    pub async fn document(&self, id: i64) -> Result<Option<(DocumentRow, Vec<(String, String)>)>, StoreError> {
        let sql = format!("select {COLUMNS} from documents where id = $1");
        let links_sql = "select document_id, kind, code from document_links where document_id = $1 order by kind, code";
        with_pool!(self, pool => {
            let row: Option<DocumentRow> = sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?;
            let links: Vec<(i64, String, String)> = sqlx::query_as(links_sql).bind(id).fetch_all(pool).await?;
            Ok(attach_links(row.into_iter().collect(), links).pop())
        })
    }

    /// One document's content.
    pub async fn document_content(&self, id: i64) -> Result<Option<Vec<u8>>, StoreError> {
        let sql = "select content from documents where id = $1";
        Ok(with_pool!(self, pool => sqlx::query_scalar(sql).bind(id).fetch_optional(pool).await)?)
    }
}

fn attach_links(
    rows: Vec<DocumentRow>,
    links: Vec<(i64, String, String)>,
) -> Vec<(DocumentRow, Vec<(String, String)>)> {
    let mut by_document: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for (id, kind, code) in links {
        by_document.entry(id).or_default().push((kind, code));
    }
    rows.into_iter()
        .map(|row| {
            let links = by_document.remove(&row.id).unwrap_or_default();
            (row, links)
        })
        .collect()
}
