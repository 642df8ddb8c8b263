//! The audit trail: appended in the same transaction as each change, read for reports and
//! for verifying the hash chain.

use std::collections::BTreeMap;

use entente_core::audit::AuditEvent;

use super::{StoreError, Tx, with_tx};

/// An audit event to be written with a change, in the same transaction.
#[derive(Debug, Clone)]
pub struct AuditRecord {
    /// Who made the change: `user:ID <email>`, `cli:NAME`, `system:...`.
    pub actor: String,
    /// What kind of change, such as `registry.import`.
    pub action: String,
    /// What changed, before and after, as JSON.
    pub detail: serde_json::Value,
}

/// Which events to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only events whose actor contains this text.
    pub actor: Option<String>,
    /// Only events whose action starts with this text.
    pub action: Option<String>,
    /// Only events at or after this instant (RFC 3339 or a day).
    pub from: Option<String>,
    /// Only events before this instant (RFC 3339 or a day).
    pub to: Option<String>,
    /// Only events about one record: their action starts with this kind (`document.`)...
    pub record_kind: Option<String>,
    /// ...and their detail contains this text (`"id":12`, compact JSON), or, without a
    /// kind, the detail contains it wherever it stands.
    pub record_text: Option<String>,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    detail: String,
    digests: String,
    prev_hash: String,
    hash: String,
}

impl From<EventRow> for AuditEvent {
    fn from(r: EventRow) -> Self {
        AuditEvent {
            seq: r.seq,
            at: r.at,
            actor: r.actor,
            action: r.action,
            detail: r.detail,
            digests: r.digests,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

const FILTER: &str = "where ($1 is null or actor like '%' || $1 || '%') and ($2 is null or action like $2 || '%') \
                      and ($3 is null or at >= $3) and ($4 is null or at < $4) \
                      and ($5 is null or action like $5 || '%') \
                      and ($6 is null or ($5 is null and detail like '%' || $6 || '%') \
                           or ($5 is not null and (detail like '%' || $6 || ',%' or detail like '%' || $6 || '}%')))";

impl Tx {
    /// Appends `record` to the chain, in this unit of work. Updating the head first takes
    /// its row lock, so concurrent writers queue and the chain stays linear.
    pub async fn append_audit(&mut self, record: &AuditRecord) -> Result<(), StoreError> {
        self.append_audit_with_digests(record, &BTreeMap::new()).await
    }

    /// Appends `record` with the digests of the rows its change wrote (subject to digest).
    pub async fn append_audit_with_digests(
        &mut self,
        record: &AuditRecord,
        digests: &BTreeMap<String, String>,
    ) -> Result<(), StoreError> {
        let at = self.now_text();
        let detail = record.detail.to_string();
        let digests = entente_core::checkpoint::encode_digests(digests);
        with_tx!(self, conn => {
            let (seq, prev): (i64, String) =
                sqlx::query_as("update audit_head set seq = seq + 1 where id = 1 returning seq, hash")
                    .fetch_one(&mut *conn)
                    .await?;
            let hash =
                entente_core::audit::link_hash(seq, &at, &record.actor, &record.action, &detail, &digests, &prev);
            sqlx::query(
                "insert into audit_events (seq, at, actor, action, detail, digests, prev_hash, hash) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(seq).bind(&at).bind(&record.actor).bind(&record.action).bind(&detail).bind(&digests).bind(&prev).bind(&hash)
            .execute(&mut *conn)
            .await?;
            sqlx::query("update audit_head set hash = $1 where id = 1").bind(&hash).execute(&mut *conn).await?;
        });
        Ok(())
    }

    /// Takes the trail head's row lock (PostgreSQL; SQLite's write lock already serialises
    /// writers), held until the unit ends.
    pub async fn lock_audit_head(&mut self) -> Result<(), StoreError> {
        let sql = format!("select seq from audit_head where id = 1{}", self.for_update());
        let _: i64 = with_tx!(self, conn => sqlx::query_scalar(&sql).fetch_one(conn).await)?;
        Ok(())
    }

    /// Whether any event records row digests.
    pub async fn audit_has_digests(&mut self) -> Result<bool, StoreError> {
        let sql = "select count(*) from audit_events where digests <> ''";
        let n: i64 = with_tx!(self, conn => sqlx::query_scalar(sql).fetch_one(conn).await)?;
        Ok(n > 0)
    }

    /// Every audit event's actor and action, oldest first (for tests and reports).
    pub async fn audit_actions(&mut self) -> Result<Vec<(String, String)>, StoreError> {
        let sql = "select actor, action from audit_events order by seq";
        Ok(with_tx!(self, conn => sqlx::query_as(sql).fetch_all(conn).await)?)
    }

    /// The whole trail in sequence order, with the head (last sequence number and hash).
    pub async fn audit_chain(&mut self) -> Result<(Vec<AuditEvent>, i64, String), StoreError> {
        with_tx!(self, conn => {
            let rows: Vec<EventRow> = sqlx::query_as(
                "select seq, at, actor, action, detail, digests, prev_hash, hash from audit_events order by seq",
            )
            .fetch_all(&mut *conn)
            .await?;
            let (seq, hash): (i64, String) =
                sqlx::query_as("select seq, hash from audit_head where id = 1").fetch_one(&mut *conn).await?;
            Ok((rows.into_iter().map(AuditEvent::from).collect(), seq, hash))
        })
    }

    /// One page of events matching `filter`, newest first, and how many match in all.
    pub async fn list_audit(
        &mut self,
        filter: &AuditFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AuditEvent>, i64), StoreError> {
        let list = format!(
            "select seq, at, actor, action, detail, digests, prev_hash, hash from audit_events {FILTER} order by seq desc limit $7 offset $8"
        );
        let count = format!("select count(*) from audit_events {FILTER}");
        with_tx!(self, conn => {
            let rows: Vec<EventRow> = sqlx::query_as(&list)
                .bind(&filter.actor).bind(&filter.action).bind(&filter.from).bind(&filter.to)
                .bind(&filter.record_kind).bind(&filter.record_text).bind(limit).bind(offset)
                .fetch_all(&mut *conn)
                .await?;
            let total: i64 = sqlx::query_scalar(&count)
                .bind(&filter.actor).bind(&filter.action).bind(&filter.from).bind(&filter.to)
                .bind(&filter.record_kind).bind(&filter.record_text)
                .fetch_one(&mut *conn)
                .await?;
            Ok((rows.into_iter().map(AuditEvent::from).collect(), total))
        })
    }
}
