//! Proposed registry changes: stored as proposed, then marked approved or returned.

use super::{StoreError, Tx, with_tx};

/// A proposal as stored, with the names of who proposed and who decided.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct StoredProposal {
    /// Its id.
    pub id: i64,
    /// `begin`, `end` or `rename`.
    pub kind: String,
    /// The nation's code.
    pub nation: String,
    /// The framework's code (`begin`, `end`).
    pub framework: Option<String>,
    /// The start (`begin`) or end (`end`), as the registry writes it.
    pub day: Option<String>,
    /// The new English name (`rename`).
    pub name_en: Option<String>,
    /// The new French name (`rename`).
    pub name_fr: Option<String>,
    /// Why.
    pub reason: String,
    /// The public source.
    pub source: String,
    /// `pending`, `approved` or `returned`.
    pub status: String,
    /// Who proposed it.
    pub proposed_by: i64,
    /// Their display name.
    pub proposed_by_name: String,
    /// When (RFC 3339).
    pub proposed_at: String,
    /// Who decided.
    pub decided_by: Option<i64>,
    /// Their display name.
    pub decided_by_name: Option<String>,
    /// When.
    pub decided_at: Option<String>,
    /// The approver's comment (why it was returned).
    pub comment: String,
}

/// A proposal to store.
#[derive(Debug, Clone)]
pub struct NewProposal {
    /// `begin`, `end` or `rename`.
    pub kind: &'static str,
    /// The nation's code.
    pub nation: String,
    /// The framework's code.
    pub framework: Option<String>,
    /// The start or end.
    pub day: Option<String>,
    /// The new English name.
    pub name_en: Option<String>,
    /// The new French name.
    pub name_fr: Option<String>,
    /// Why.
    pub reason: String,
    /// The public source.
    pub source: String,
    /// Who proposes it.
    pub proposed_by: i64,
}

const SELECT: &str = "select p.id, p.kind, p.nation, p.framework, p.day, p.name_en, p.name_fr, p.reason, p.source, \
     p.status, p.proposed_by, u.display_name as proposed_by_name, p.proposed_at, p.decided_by, \
     d.display_name as decided_by_name, p.decided_at, p.comment \
     from registry_proposals p join users u on u.id = p.proposed_by left join users d on d.id = p.decided_by";

impl Tx {
    /// Stores a new pending proposal; returns its id.
    pub async fn insert_proposal(&mut self, new: &NewProposal) -> Result<i64, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => {
            let id: i64 = sqlx::query_scalar(
                "insert into registry_proposals (kind, nation, framework, day, name_en, name_fr, reason, source, \
                 proposed_by, proposed_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
            )
            .bind(new.kind).bind(&new.nation).bind(&new.framework).bind(&new.day).bind(&new.name_en)
            .bind(&new.name_fr).bind(&new.reason).bind(&new.source).bind(new.proposed_by).bind(now)
            .fetch_one(&mut *conn)
            .await?;
            Ok(id)
        })
    }

    /// One proposal; locked until the unit ends when `for_update` (PostgreSQL; SQLite's
    /// writer already holds the database).
    pub async fn proposal(&mut self, id: i64, for_update: bool) -> Result<Option<StoredProposal>, StoreError> {
        // Only the proposal's own row is locked: a join's nullable side cannot be.
        let lock = if for_update { self.for_update() } else { "" };
        let sql =
            format!("{SELECT} where p.id = $1{}", if lock.is_empty() { String::new() } else { format!("{lock} of p") });
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?))
    }

    /// A page of proposals, newest first, with `status` (any when `None`), and how many in all.
    pub async fn proposals(
        &mut self,
        status: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<StoredProposal>, i64), StoreError> {
        let list = format!("{SELECT} where ($1 is null or p.status = $1) order by p.id desc limit $2 offset $3");
        let count = "select count(*) from registry_proposals p where ($1 is null or p.status = $1)";
        with_tx!(self, conn => {
            let rows = sqlx::query_as(&list).bind(status).bind(limit).bind(offset).fetch_all(&mut *conn).await?;
            let total: i64 = sqlx::query_scalar(count).bind(status).fetch_one(&mut *conn).await?;
            Ok((rows, total))
        })
    }

    /// How many proposals there are in each status.
    pub async fn proposal_counts(&mut self) -> Result<Vec<(String, i64)>, StoreError> {
        let sql = "select status, count(*) from registry_proposals group by status";
        with_tx!(self, conn => Ok(sqlx::query_as(sql).fetch_all(conn).await?))
    }

    /// Records the decision on a pending proposal.
    pub async fn decide_proposal(&mut self, id: i64, status: &str, by: i64, comment: &str) -> Result<(), StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => {
            sqlx::query(
                "update registry_proposals set status = $1, decided_by = $2, decided_at = $3, comment = $4 \
                 where id = $5 and status = 'pending'",
            )
            .bind(status).bind(by).bind(now).bind(comment).bind(id)
            .execute(conn)
            .await?;
            Ok(())
        })
    }
}
