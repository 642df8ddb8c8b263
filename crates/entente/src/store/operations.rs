//! Operations, contributions to them, force-generation requirements and liaison postings.

use super::{StoreError, Tx, with_tx};

/// An operation as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredOperation {
    /// Code, such as `KFOR`.
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind, in words (peace support operation, maritime, ...).
    pub kind: String,
    /// Region.
    pub region: String,
    /// Mandate.
    pub mandate: String,
    /// First day (registry bound).
    pub starts: String,
    /// End (registry bound, exclusive), empty while under way.
    pub ends: String,
    /// Phase's code.
    pub phase: String,
    /// From the reference dataset.
    pub historical: bool,
    /// Note.
    pub note: String,
    /// Source.
    pub source: String,
}

/// A contribution as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredContribution {
    /// Row id.
    pub id: i64,
    /// The operation's code.
    pub operation: String,
    /// The nation.
    pub nation: String,
    /// Kind's code.
    pub kind: String,
    /// Size (people, assets, or money), when known.
    pub size: Option<i64>,
    /// First day (registry bound).
    pub starts: String,
    /// End (registry bound, exclusive), empty when open.
    pub ends: String,
    /// Dated with the operation's period for want of sources.
    pub dates_assumed: bool,
    /// Status's code.
    pub status: String,
    /// Accepted at some point.
    pub accepted: bool,
    /// The council decision accepting it.
    pub council_decision_id: Option<i64>,
    /// The requirement it is offered against.
    pub requirement_id: Option<i64>,
    /// From the reference dataset.
    pub historical: bool,
    /// Note.
    pub note: String,
    /// Source.
    pub source: String,
}

/// A force-generation requirement.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredRequirement {
    /// Row id.
    pub id: i64,
    /// The operation's code.
    pub operation: String,
    /// The capability required.
    pub capability: String,
    /// How many.
    pub quantity: i64,
    /// First day.
    pub starts: String,
    /// End (exclusive), empty when open.
    pub ends: String,
}

/// A liaison officer's posting.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredPosting {
    /// Row id.
    pub id: i64,
    /// The officer's nation.
    pub nation: String,
    /// The officer's name.
    pub officer: String,
    /// The headquarters.
    pub headquarters: String,
    /// The operation served, if any.
    pub operation: Option<String>,
    /// First day.
    pub starts: String,
    /// End (exclusive), empty when open.
    pub ends: String,
}

const OPERATION: &str =
    "select code, name, kind, region, mandate, starts, ends, phase, historical, note, source from operations";
const CONTRIBUTION: &str = "select id, operation, nation, kind, size, starts, ends, dates_assumed, status, accepted, \
     council_decision_id, requirement_id, historical, note, source from contributions";
const POSTING: &str = "select id, nation, officer, headquarters, operation, starts, ends from liaison_postings";

impl Tx {
    /// Stores an operation.
    pub async fn insert_operation(&mut self, row: &StoredOperation) -> Result<(), StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => {
            sqlx::query("insert into operations (code, name, kind, region, mandate, starts, ends, phase, historical, \
                         note, source, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
                .bind(&row.code).bind(&row.name).bind(&row.kind).bind(&row.region).bind(&row.mandate)
                .bind(&row.starts).bind(&row.ends).bind(&row.phase).bind(row.historical).bind(&row.note)
                .bind(&row.source).bind(now).execute(conn).await?;
            Ok(())
        })
    }

    /// Every operation, oldest first.
    pub async fn operations(&mut self) -> Result<Vec<StoredOperation>, StoreError> {
        let sql = format!("{OPERATION} order by starts, code");
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).fetch_all(conn).await?))
    }

    /// One operation, locked until the unit ends when `lock`.
    pub async fn operation(&mut self, code: &str, lock: bool) -> Result<Option<StoredOperation>, StoreError> {
        let sql = format!("{OPERATION} where code = $1{}", if lock { self.for_update() } else { "" });
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(code).fetch_optional(conn).await?))
    }

    /// How many operations are stored.
    pub async fn operation_count(&mut self) -> Result<i64, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_scalar("select count(*) from operations").fetch_one(conn).await?))
    }

    /// Stores a contribution; returns its id.
    pub async fn insert_contribution(&mut self, row: &StoredContribution) -> Result<i64, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into contributions (operation, nation, kind, size, starts, ends, dates_assumed, status, accepted, \
             council_decision_id, requirement_id, historical, note, source, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) returning id")
            .bind(&row.operation).bind(&row.nation).bind(&row.kind).bind(row.size).bind(&row.starts)
            .bind(&row.ends).bind(row.dates_assumed).bind(&row.status).bind(row.accepted)
            .bind(row.council_decision_id).bind(row.requirement_id).bind(row.historical).bind(&row.note)
            .bind(&row.source).bind(now).fetch_one(conn).await?))
    }

    /// Contributions, of one operation and one nation when given, by operation, nation and id.
    pub async fn contributions(
        &mut self,
        operation: Option<&str>,
        nation: Option<&str>,
    ) -> Result<Vec<StoredContribution>, StoreError> {
        let sql = format!(
            "{CONTRIBUTION} where ($1 is null or operation = $1) and ($2 is null or nation = $2) \
             order by operation, nation, id"
        );
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(operation).bind(nation).fetch_all(conn).await?))
    }

    /// One contribution, locked when `lock`.
    pub async fn contribution(&mut self, id: i64, lock: bool) -> Result<Option<StoredContribution>, StoreError> {
        let sql = format!("{CONTRIBUTION} where id = $1{}", if lock { self.for_update() } else { "" });
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?))
    }

    /// Records a contribution's new status.
    pub async fn set_contribution_status(
        &mut self,
        id: i64,
        status: &str,
        accepted: bool,
        council_decision_id: Option<i64>,
        ends: &str,
    ) -> Result<(), StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => {
            sqlx::query("update contributions set status = $1, accepted = $2, council_decision_id = $3, ends = $4, \
                         updated_at = $5 where id = $6")
                .bind(status).bind(accepted).bind(council_decision_id).bind(ends).bind(now).bind(id)
                .execute(conn).await?;
            Ok(())
        })
    }

    /// Stores a requirement; returns its id.
    pub async fn insert_requirement(&mut self, row: &StoredRequirement) -> Result<i64, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into requirements (operation, capability, quantity, starts, ends) values ($1, $2, $3, $4, $5) \
             returning id")
            .bind(&row.operation).bind(&row.capability).bind(row.quantity).bind(&row.starts).bind(&row.ends)
            .fetch_one(conn).await?))
    }

    /// An operation's requirements, in the order made.
    pub async fn requirements(&mut self, operation: &str) -> Result<Vec<StoredRequirement>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_as(
            "select id, operation, capability, quantity, starts, ends from requirements where operation = $1 order by id")
            .bind(operation).fetch_all(conn).await?))
    }

    /// One requirement, locked when `lock` (offers against it queue behind each other).
    pub async fn requirement(&mut self, id: i64, lock: bool) -> Result<Option<StoredRequirement>, StoreError> {
        let sql = format!(
            "select id, operation, capability, quantity, starts, ends from requirements where id = $1{}",
            if lock { self.for_update() } else { "" }
        );
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?))
    }

    /// Stores a posting; returns its id.
    pub async fn insert_posting(&mut self, row: &StoredPosting) -> Result<i64, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into liaison_postings (nation, officer, headquarters, operation, starts, ends, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7) returning id")
            .bind(&row.nation).bind(&row.officer).bind(&row.headquarters).bind(&row.operation).bind(&row.starts)
            .bind(&row.ends).bind(now).fetch_one(conn).await?))
    }

    /// Postings, of one nation and one operation when given, by start.
    pub async fn postings(
        &mut self,
        nation: Option<&str>,
        operation: Option<&str>,
    ) -> Result<Vec<StoredPosting>, StoreError> {
        let sql = format!(
            "{POSTING} where ($1 is null or nation = $1) and ($2 is null or operation = $2) order by starts, id"
        );
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(nation).bind(operation).fetch_all(conn).await?))
    }
}
