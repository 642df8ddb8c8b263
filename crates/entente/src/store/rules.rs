//! Eligibility policies and council decisions as stored.

use super::{StoreError, Tx, with_tx};

/// A policy as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct StoredPolicy {
    /// Code.
    pub code: String,
    /// `framework_participants`, `case_by_case`, `all_partners` or `suspensions`.
    pub rule: String,
    /// First day in force.
    pub from_day: String,
    /// Last day in force.
    pub to_day: Option<String>,
    /// English title.
    pub title_en: String,
    /// French title.
    pub title_fr: String,
    /// Public source.
    pub source: String,
}

/// A council decision as stored, with its nations.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredDecision {
    /// Its number.
    pub id: i64,
    /// The day it was taken.
    pub decided_on: String,
    /// `opens` or `suspends`.
    pub kind: String,
    /// `menu`, `area:CODE` or `activity:CODE`.
    pub scope: String,
    /// First day valid.
    pub from_day: String,
    /// Last day valid.
    pub to_day: Option<String>,
    /// Where it is recorded.
    pub reference: String,
    /// Who recorded it (none for the reference data).
    pub recorded_by: Option<i64>,
    /// When.
    pub recorded_at: String,
    /// Nations, `;`-separated, filled in after the query.
    #[sqlx(skip)]
    pub nations: Vec<String>,
}

impl Tx {
    /// Every policy, by start.
    pub async fn policies(&mut self) -> Result<Vec<StoredPolicy>, StoreError> {
        let sql =
            "select code, rule, from_day, to_day, title_en, title_fr, source from policies order by from_day, code";
        with_tx!(self, conn => Ok(sqlx::query_as(sql).fetch_all(conn).await?))
    }

    /// Stores a policy, or replaces the one with its code; returns whether it was new.
    pub async fn upsert_policy(&mut self, policy: &StoredPolicy) -> Result<bool, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => {
            let existed: i64 = sqlx::query_scalar("select count(*) from policies where code = $1")
                .bind(&policy.code).fetch_one(&mut *conn).await?;
            sqlx::query(
                "insert into policies (code, rule, from_day, to_day, title_en, title_fr, source, updated_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (code) do update set rule = excluded.rule, \
                 from_day = excluded.from_day, to_day = excluded.to_day, title_en = excluded.title_en, \
                 title_fr = excluded.title_fr, source = excluded.source, updated_at = excluded.updated_at")
                .bind(&policy.code).bind(&policy.rule).bind(&policy.from_day).bind(&policy.to_day)
                .bind(&policy.title_en).bind(&policy.title_fr).bind(&policy.source).bind(now)
                .execute(conn).await?;
            Ok(existed == 0)
        })
    }

    /// Every council decision with its nations (two queries), latest first.
    pub async fn decisions(&mut self) -> Result<Vec<StoredDecision>, StoreError> {
        let (mut rows, nations): (Vec<StoredDecision>, Vec<(i64, String)>) = with_tx!(self, conn => {
            let rows = sqlx::query_as(
                "select id, decided_on, kind, scope, from_day, to_day, reference, recorded_by, recorded_at \
                 from council_decisions order by decided_on desc, id desc")
                .fetch_all(&mut *conn).await?;
            let nations = sqlx::query_as("select decision_id, nation from council_decision_nations order by nation")
                .fetch_all(&mut *conn).await?;
            (rows, nations)
        });
        for row in &mut rows {
            row.nations = nations.iter().filter(|(id, _)| *id == row.id).map(|(_, n)| n.clone()).collect();
        }
        Ok(rows)
    }

    /// How many council decisions are stored.
    pub async fn decision_count(&mut self) -> Result<i64, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_scalar("select count(*) from council_decisions").fetch_one(conn).await?))
    }

    /// Stores a council decision and its nations; returns its number.
    pub async fn insert_decision(&mut self, decision: &StoredDecision) -> Result<i64, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => {
            let id: i64 = sqlx::query_scalar(
                "insert into council_decisions (decided_on, kind, scope, from_day, to_day, reference, recorded_by, \
                 recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8) returning id")
                .bind(&decision.decided_on).bind(&decision.kind).bind(&decision.scope).bind(&decision.from_day)
                .bind(&decision.to_day).bind(&decision.reference).bind(decision.recorded_by).bind(now)
                .fetch_one(&mut *conn).await?;
            for nation in &decision.nations {
                sqlx::query("insert into council_decision_nations (decision_id, nation) values ($1, $2)")
                    .bind(id).bind(nation).execute(&mut *conn).await?;
            }
            Ok(id)
        })
    }
}
