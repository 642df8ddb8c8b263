//! Documents: uploaded files with a marking stored as rows (classification, releasability
//! to all, to members, or to listed frameworks and nations), the nation they concern, and
//! links to nations and frameworks. The store filters and pages by the filter the service
//! gives it; the service decides what the filter is, and `authorize()` has the last word.

use std::collections::HashMap;

use super::{StoreError, Tx, with_tx};

/// A document's description, without its content.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
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
    /// Classification code.
    pub classification: String,
    /// `all`, `members`, `listed`, or `pending` (not yet read from `marking`).
    pub releasable_to: String,
    /// The marking's text form as written at upload (the rows are what counts).
    pub marking: String,
    /// The nation the document concerns, if any.
    pub owner_nation: Option<String>,
    /// Who made it: `staff`, `nation:CODE` or `organisation:CODE`.
    pub originator: String,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// The uploader's id.
    pub uploaded_by: i64,
    /// When.
    pub uploaded_at: String,
}

/// A stored document with its releasability and links.
#[derive(Debug, Clone)]
pub struct StoredDocument {
    /// The document's row.
    pub row: DocumentRow,
    /// Frameworks it is released to, by their current code.
    pub released_to_frameworks: Vec<String>,
    /// Nations it is released to.
    pub released_to_nations: Vec<String>,
    /// Links: (`nation` or `framework`, code).
    pub links: Vec<(String, String)>,
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
    /// `all`, `members` or `listed`.
    pub releasable_to: String,
    /// Framework identities it is released to.
    pub released_to_frameworks: Vec<i64>,
    /// Nations it is released to.
    pub released_to_nations: Vec<String>,
    /// Marking text, as written.
    pub marking: String,
    /// The nation it concerns.
    pub owner_nation: Option<String>,
    /// Who made it.
    pub originator: String,
    /// SHA-256 hex.
    pub sha256: String,
    /// The bytes.
    pub content: Vec<u8>,
    /// Uploader.
    pub uploaded_by: i64,
    /// Links: (`nation` or `framework`, code).
    pub links: Vec<(String, String)>,
}

/// Which documents to list: those at one of `classifications` that are either released
/// as one of `releasable_to`, or released by row to `nation` or one of `frameworks`.
#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    /// Classification codes.
    pub classifications: Vec<String>,
    /// `releasable_to` values that pass outright.
    pub releasable_to: Vec<String>,
    /// A nation that listed releasability may name.
    pub nation: Option<String>,
    /// Framework codes that listed releasability may name.
    pub frameworks: Vec<String>,
}

/// What a person narrows a list of documents to, on top of what they may read. Withdrawn
/// documents are never listed.
#[derive(Debug, Clone, Default)]
pub struct DocumentSearch {
    /// Text the folded title contains (already folded).
    pub title: Option<String>,
    /// One classification.
    pub classification: Option<String>,
    /// A nation the document concerns or is linked to.
    pub nation: Option<String>,
    /// A framework the document is linked to.
    pub framework: Option<String>,
}

/// How a list of documents is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentOrder {
    /// Newest first (by id).
    Newest,
    /// Oldest first.
    Oldest,
    /// By title, A to Z.
    Title,
    /// By title, Z to A.
    TitleDescending,
}

/// A file a document held before a replacement.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    /// Its version number (the current file is the document's `version`).
    pub version: i64,
    /// File name.
    pub filename: String,
    /// MIME type.
    pub content_type: String,
    /// Size.
    pub size_bytes: i64,
    /// SHA-256.
    pub sha256: String,
    /// Who uploaded it.
    pub uploaded_by: i64,
    /// When.
    pub uploaded_at: String,
}

/// A document's state besides its description: its version and withdrawal.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DocumentState {
    /// The current file's version number.
    pub version: i64,
    /// When it was withdrawn, if it was.
    pub withdrawn_at: Option<String>,
    /// Why.
    pub withdrawn_reason: String,
}

pub(super) const COLUMNS: &str = "d.id, d.title, d.filename, d.content_type, d.size_bytes, d.classification, d.releasable_to, \
                       d.marking, d.owner_nation, d.originator, d.sha256, d.uploaded_by, d.uploaded_at";

/// A new file for a document.
#[derive(Debug, Clone)]
pub struct NewFile {
    /// File name.
    pub filename: String,
    /// MIME type.
    pub content_type: String,
    /// SHA-256, hex.
    pub sha256: String,
    /// The bytes.
    pub content: Vec<u8>,
    /// Who uploads it.
    pub uploaded_by: i64,
}

/// Appends the `where` clause of `$filter` (and a keyset bound) to the query builder `$q`.
macro_rules! push_filter {
    ($q:expr, $filter:expr, $before:expr) => {{
        let filter: &DocumentFilter = $filter;
        $q.push(" where d.classification in (");
        let mut list = $q.separated(", ");
        for c in &filter.classifications {
            list.push_bind(c.clone());
        }
        list.push_unseparated(") and (d.releasable_to in (");
        let mut list = $q.separated(", ");
        for r in &filter.releasable_to {
            list.push_bind(r.clone());
        }
        list.push_unseparated(
            ") or exists (select 1 from document_releasability r left join framework_identities f \
                               on f.id = r.framework_id where r.document_id = d.id and (r.nation = ",
        );
        $q.push_bind(filter.nation.clone());
        $q.push(" or f.code in (");
        let mut list = $q.separated(", ");
        for f in &filter.frameworks {
            list.push_bind(f.clone());
        }
        list.push_unseparated(")))) ");
        if let Some(before) = $before {
            $q.push(" and d.id < ");
            $q.push_bind(before);
        }
    }};
}

/// Appends the narrowing of a [`DocumentSearch`] to a query whose `where` is begun.
macro_rules! push_search {
    ($q:expr, $search:expr) => {{
        let search: &DocumentSearch = $search;
        $q.push(" and d.withdrawn_at is null");
        if let Some(title) = &search.title {
            $q.push(" and d.title_folded like ");
            $q.push_bind(format!("%{}%", title.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")));
            $q.push(" escape '\\'");
        }
        if let Some(classification) = &search.classification {
            $q.push(" and d.classification = ");
            $q.push_bind(classification.clone());
        }
        if let Some(nation) = &search.nation {
            $q.push(" and (d.owner_nation = ");
            $q.push_bind(nation.clone());
            $q.push(" or exists (select 1 from document_links l where l.document_id = d.id and l.kind = 'nation' and l.code = ");
            $q.push_bind(nation.clone());
            $q.push("))");
        }
        if let Some(framework) = &search.framework {
            $q.push(" and exists (select 1 from document_links l where l.document_id = d.id and l.kind = 'framework' and l.code = ");
            $q.push_bind(framework.clone());
            $q.push(")");
        }
    }};
}

impl DocumentFilter {
    /// Empty lists would be invalid SQL (`in ()`); a value no row has keeps them valid.
    fn padded(&self) -> DocumentFilter {
        let pad = |list: &Vec<String>| if list.is_empty() { vec![String::new()] } else { list.clone() };
        DocumentFilter {
            classifications: pad(&self.classifications),
            releasable_to: pad(&self.releasable_to),
            nation: self.nation.clone(),
            frameworks: pad(&self.frameworks),
        }
    }
}

impl Tx {
    /// Stores a document with its releasability and links; returns its id.
    pub async fn insert_document(&mut self, doc: &NewDocument) -> Result<i64, StoreError> {
        let now = self.now_text();
        let id = with_tx!(self, conn => {
            let id: i64 = sqlx::query_scalar(
                "insert into documents (title, filename, content_type, size_bytes, classification, releasable_to, marking, \
                 owner_nation, originator, sha256, content, uploaded_by, uploaded_at, title_folded) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning id",
            )
            .bind(&doc.title).bind(&doc.filename).bind(&doc.content_type).bind(doc.content.len() as i64)
            .bind(&doc.classification).bind(&doc.releasable_to).bind(&doc.marking).bind(&doc.owner_nation)
            .bind(&doc.originator).bind(&doc.sha256).bind(&doc.content).bind(doc.uploaded_by).bind(now)
            .bind(entente_core::text::fold(&doc.title))
            .fetch_one(&mut *conn)
            .await?;
            for (kind, code) in &doc.links {
                sqlx::query("insert into document_links (document_id, kind, code) values ($1, $2, $3) on conflict do nothing")
                    .bind(id).bind(kind).bind(code)
                    .execute(&mut *conn).await?;
            }
            Ok::<_, StoreError>(id)
        })?;
        self.insert_releasability(id, &doc.released_to_frameworks, &doc.released_to_nations).await?;
        Ok(id)
    }

    /// The rows naming the frameworks and nations a document is released to.
    async fn insert_releasability(
        &mut self,
        id: i64,
        frameworks: &[i64],
        nations: &[String],
    ) -> Result<(), StoreError> {
        with_tx!(self, conn => {
            for framework in frameworks {
                sqlx::query("insert into document_releasability (document_id, framework_id) values ($1, $2)")
                    .bind(id).bind(framework).execute(&mut *conn).await?;
            }
            for nation in nations {
                sqlx::query("insert into document_releasability (document_id, nation) values ($1, $2)")
                    .bind(id).bind(nation).execute(&mut *conn).await?;
            }
            Ok(())
        })
    }

    /// Replaces a document's releasability (for documents stored before markings were rows).
    pub async fn set_releasability(
        &mut self,
        id: i64,
        releasable_to: &str,
        frameworks: &[i64],
        nations: &[String],
    ) -> Result<(), StoreError> {
        with_tx!(self, conn => {
            sqlx::query("delete from document_releasability where document_id = $1").bind(id).execute(&mut *conn).await?;
            sqlx::query("update documents set releasable_to = $2 where id = $1")
                .bind(id).bind(releasable_to).execute(&mut *conn).await?;
            Ok::<_, StoreError>(())
        })?;
        self.insert_releasability(id, frameworks, nations).await
    }

    /// Documents whose releasability is not yet stored as rows: (id, marking text).
    pub async fn documents_pending_releasability(&mut self) -> Result<Vec<(i64, String)>, StoreError> {
        let sql = "select id, marking from documents where releasable_to = 'pending' order by id";
        Ok(with_tx!(self, conn => sqlx::query_as(sql).fetch_all(conn).await)?)
    }

    /// Up to `limit` documents matching `filter` and `search` (never a withdrawn one), newest first, strictly older than
    /// `before` (the keyset cursor), each with its releasability and links (three queries
    /// in all, whatever the page's size).
    pub async fn documents(
        &mut self,
        filter: &DocumentFilter,
        search: &DocumentSearch,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<StoredDocument>, StoreError> {
        let filter = filter.padded();
        let rows: Vec<DocumentRow> = with_tx!(self, conn => {
            let mut q = sqlx::QueryBuilder::new(format!("select {COLUMNS} from documents d"));
            push_filter!(q, &filter, before);
            push_search!(q, search);
            q.push(" order by d.id desc limit ");
            q.push_bind(limit);
            q.build_query_as().fetch_all(&mut *conn).await?
        });
        self.with_details(rows).await
    }

    /// A page of the documents matching `filter` (what the caller may read) and `search`
    /// (what they narrowed it to), in `order`, and how many match in all.
    pub async fn search_documents(
        &mut self,
        filter: &DocumentFilter,
        search: &DocumentSearch,
        order: DocumentOrder,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<StoredDocument>, i64), StoreError> {
        let filter = filter.padded();
        let order_by = match order {
            DocumentOrder::Newest => "d.id desc",
            DocumentOrder::Oldest => "d.id asc",
            DocumentOrder::Title => "d.title_folded asc, d.id asc",
            DocumentOrder::TitleDescending => "d.title_folded desc, d.id desc",
        };
        let (rows, total): (Vec<DocumentRow>, i64) = with_tx!(self, conn => {
            let mut q = sqlx::QueryBuilder::new(format!("select {COLUMNS} from documents d"));
            push_filter!(q, &filter, None::<i64>);
            push_search!(q, search);
            q.push(format!(" order by {order_by} limit "));
            q.push_bind(limit);
            q.push(" offset ");
            q.push_bind(offset);
            let rows = q.build_query_as().fetch_all(&mut *conn).await?;
            let mut q = sqlx::QueryBuilder::new("select count(*) from documents d");
            push_filter!(q, &filter, None::<i64>);
            push_search!(q, search);
            (rows, q.build_query_scalar().fetch_one(&mut *conn).await?)
        });
        Ok((self.with_details(rows).await?, total))
    }

    /// A document's version and withdrawal; with `for_update`, its row is locked until the
    /// unit ends (PostgreSQL; SQLite's writer holds the database already).
    pub async fn document_state(&mut self, id: i64, for_update: bool) -> Result<Option<DocumentState>, StoreError> {
        let lock = if for_update { self.for_update() } else { "" };
        let sql = format!("select version, withdrawn_at, withdrawn_reason from documents where id = $1{lock}");
        Ok(with_tx!(self, conn => sqlx::query_as(&sql).bind(id).fetch_optional(conn).await)?)
    }

    /// Documents whose title has not been folded yet (written before folding existed).
    pub async fn documents_unfolded(&mut self) -> Result<Vec<(i64, String)>, StoreError> {
        let sql = "select id, title from documents where title_folded = '' order by id";
        Ok(with_tx!(self, conn => sqlx::query_as(sql).fetch_all(conn).await)?)
    }

    /// Stores a document's folded title.
    pub async fn set_title_folded(&mut self, id: i64, folded: &str) -> Result<(), StoreError> {
        with_tx!(self, conn => {
            sqlx::query("update documents set title_folded = $1 where id = $2").bind(folded).bind(id).execute(conn).await?;
            Ok(())
        })
    }

    /// The files a document held before, newest first.
    pub async fn document_versions(&mut self, id: i64) -> Result<Vec<VersionRow>, StoreError> {
        let sql = "select version, filename, content_type, size_bytes, sha256, uploaded_by, uploaded_at \
                   from document_versions where document_id = $1 order by version desc";
        Ok(with_tx!(self, conn => sqlx::query_as(sql).bind(id).fetch_all(conn).await)?)
    }

    /// Changes a document's title and links.
    pub async fn update_document(
        &mut self,
        id: i64,
        title: &str,
        title_folded: &str,
        links: &[(String, String)],
    ) -> Result<(), StoreError> {
        with_tx!(self, conn => {
            sqlx::query("update documents set title = $1, title_folded = $2 where id = $3")
                .bind(title).bind(title_folded).bind(id).execute(&mut *conn).await?;
            sqlx::query("delete from document_links where document_id = $1").bind(id).execute(&mut *conn).await?;
            for (kind, code) in links {
                sqlx::query("insert into document_links (document_id, kind, code) values ($1, $2, $3) on conflict do nothing")
                    .bind(id).bind(kind).bind(code).execute(&mut *conn).await?;
            }
            Ok(())
        })
    }

    /// Keeps a document's current file as a version, and makes `file` current.
    pub async fn replace_document_file(&mut self, id: i64, file: &NewFile) -> Result<i64, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => {
            sqlx::query(
                "insert into document_versions (document_id, version, filename, content_type, size_bytes, sha256, \
                 content, uploaded_by, uploaded_at) select id, version, filename, content_type, size_bytes, sha256, \
                 content, uploaded_by, uploaded_at from documents where id = $1",
            )
            .bind(id).execute(&mut *conn).await?;
            let version: i64 = sqlx::query_scalar(
                "update documents set filename = $1, content_type = $2, size_bytes = $3, sha256 = $4, content = $5, \
                 uploaded_by = $6, uploaded_at = $7, version = version + 1 where id = $8 returning version",
            )
            .bind(&file.filename).bind(&file.content_type).bind(file.content.len() as i64).bind(&file.sha256)
            .bind(&file.content).bind(file.uploaded_by).bind(now).bind(id)
            .fetch_one(&mut *conn).await?;
            Ok(version)
        })
    }

    /// Withdraws a document: kept, and hidden from lists.
    pub async fn withdraw_document(&mut self, id: i64, by: i64, reason: &str) -> Result<(), StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => {
            sqlx::query("update documents set withdrawn_at = $1, withdrawn_by = $2, withdrawn_reason = $3 where id = $4 and withdrawn_at is null")
                .bind(now).bind(by).bind(reason).bind(id).execute(conn).await?;
            Ok(())
        })
    }

    /// How many documents match `filter`.
    pub async fn count_documents(
        &mut self,
        filter: &DocumentFilter,
        search: &DocumentSearch,
    ) -> Result<i64, StoreError> {
        let filter = filter.padded();
        Ok(with_tx!(self, conn => {
            let mut q = sqlx::QueryBuilder::new("select count(*) from documents d");
            push_filter!(q, &filter, None::<i64>);
            push_search!(q, search);
            q.build_query_scalar().fetch_one(&mut *conn).await?
        }))
    }

    /// One document's description, releasability and links.
    pub async fn document(&mut self, id: i64) -> Result<Option<StoredDocument>, StoreError> {
        let sql = format!("select {COLUMNS} from documents d where d.id = $1");
        let row: Option<DocumentRow> =
            with_tx!(self, conn => sqlx::query_as(&sql).bind(id).fetch_optional(conn).await)?;
        Ok(self.with_details(row.into_iter().collect()).await?.pop())
    }

    /// One document's content.
    pub async fn document_content(&mut self, id: i64) -> Result<Option<Vec<u8>>, StoreError> {
        let sql = "select content from documents where id = $1";
        Ok(with_tx!(self, conn => sqlx::query_scalar(sql).bind(id).fetch_optional(conn).await)?)
    }

    async fn with_details(&mut self, rows: Vec<DocumentRow>) -> Result<Vec<StoredDocument>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let (releasability, links): (Vec<ReleasabilityRow>, Vec<LinkRow>) = with_tx!(self, conn => {
            let mut q = sqlx::QueryBuilder::new(
                "select r.document_id, f.code, r.nation from document_releasability r \
                 left join framework_identities f on f.id = r.framework_id where r.document_id in (",
            );
            let mut list = q.separated(", ");
            for id in &ids {
                list.push_bind(*id);
            }
            list.push_unseparated(") order by f.code, r.nation");
            let releasability = q.build_query_as().fetch_all(&mut *conn).await?;
            let mut q = sqlx::QueryBuilder::new(
                "select document_id, kind, code from document_links where document_id in (",
            );
            let mut list = q.separated(", ");
            for id in &ids {
                list.push_bind(*id);
            }
            list.push_unseparated(") order by kind, code");
            (releasability, q.build_query_as().fetch_all(&mut *conn).await?)
        });
        let mut by_document: HashMap<i64, Details> = HashMap::new();
        for (id, framework, nation) in releasability {
            let entry = by_document.entry(id).or_default();
            entry.frameworks.extend(framework);
            entry.nations.extend(nation);
        }
        for (id, kind, code) in links {
            by_document.entry(id).or_default().links.push((kind, code));
        }
        Ok(rows
            .into_iter()
            .map(|row| {
                let details = by_document.remove(&row.id).unwrap_or_default();
                StoredDocument {
                    row,
                    released_to_frameworks: details.frameworks,
                    released_to_nations: details.nations,
                    links: details.links,
                }
            })
            .collect())
    }
}

/// (document, framework code, nation) of one releasability row.
type ReleasabilityRow = (i64, Option<String>, Option<String>);
/// (document, kind, code) of one link.
type LinkRow = (i64, String, String);

#[derive(Default)]
struct Details {
    frameworks: Vec<String>,
    nations: Vec<String>,
    links: Vec<(String, String)>,
}
