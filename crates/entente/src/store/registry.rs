//! Registry tables: read them whole, or replace them whole in one transaction.

use entente_core::{
    Bound, EndReason, Framework, FrameworkKind, Interval, Membership, Nation, Organisation, Participation, Provenance,
    RegistryParts,
};

use super::audit::{AuditRecord, append_audit};
use super::{Store, StoreError, with_pool};

#[derive(sqlx::FromRow)]
struct NamedRow {
    code: String,
    name_en: String,
    name_fr: String,
}

#[derive(sqlx::FromRow)]
struct FrameworkRow {
    code: String,
    name_en: String,
    name_fr: String,
    kind: String,
    description: String,
}

#[derive(sqlx::FromRow)]
struct IntervalRow {
    nation: String,
    framework: Option<String>,
    start_bound: String,
    end_bound: Option<String>,
    end_reason: Option<String>,
    note: String,
    source: String,
}

const SELECT_NATIONS: &str = "select code, name_en, name_fr from nations order by code";
const SELECT_ORGANISATIONS: &str = "select code, name_en, name_fr from organisations order by code";
const SELECT_FRAMEWORKS: &str = "select code, name_en, name_fr, kind, description from frameworks order by code";
const SELECT_MEMBERSHIPS: &str = "select nation, null as framework, start_bound, end_bound, end_reason, note, source \
     from memberships order by id";
const SELECT_PARTICIPATIONS: &str = "select nation, framework, start_bound, end_bound, end_reason, note, source \
     from participations order by id";

impl Store {
    /// The registry's revision: bumped by every change, so a cached copy can tell it is stale.
    pub async fn registry_revision(&self) -> Result<i64, StoreError> {
        let sql = "select revision from registry_revision where id = 1";
        Ok(with_pool!(self, pool => sqlx::query_scalar(sql).fetch_one(pool).await)?)
    }

    /// Reads the whole registry and its revision, consistently.
    pub async fn load_registry(&self) -> Result<(i64, RegistryParts), StoreError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let revision: i64 = sqlx::query_scalar("select revision from registry_revision where id = 1")
                .fetch_one(&mut *tx)
                .await?;
            let nations: Vec<NamedRow> = sqlx::query_as(SELECT_NATIONS).fetch_all(&mut *tx).await?;
            let organisations: Vec<NamedRow> = sqlx::query_as(SELECT_ORGANISATIONS).fetch_all(&mut *tx).await?;
            let frameworks: Vec<FrameworkRow> = sqlx::query_as(SELECT_FRAMEWORKS).fetch_all(&mut *tx).await?;
            let memberships: Vec<IntervalRow> = sqlx::query_as(SELECT_MEMBERSHIPS).fetch_all(&mut *tx).await?;
            let participations: Vec<IntervalRow> = sqlx::query_as(SELECT_PARTICIPATIONS).fetch_all(&mut *tx).await?;
            tx.commit().await?;
            Ok((revision, to_parts(nations, organisations, frameworks, memberships, participations)?))
        })
    }

    /// Replaces the whole registry with `parts` and records `audit`, all or nothing.
    /// Returns the new revision.
    pub async fn replace_registry(&self, parts: &RegistryParts, audit: &AuditRecord) -> Result<i64, StoreError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for table in ["participations", "memberships", "frameworks", "organisations", "nations"] {
                sqlx::query(&format!("delete from {table}")).execute(&mut *tx).await?;
            }
            for n in &parts.nations {
                sqlx::query("insert into nations (code, name_en, name_fr) values ($1, $2, $3)")
                    .bind(n.code.as_str()).bind(&n.name_en).bind(&n.name_fr)
                    .execute(&mut *tx).await?;
            }
            for o in &parts.organisations {
                sqlx::query("insert into organisations (code, name_en, name_fr) values ($1, $2, $3)")
                    .bind(o.code.as_str()).bind(&o.name_en).bind(&o.name_fr)
                    .execute(&mut *tx).await?;
            }
            for f in &parts.frameworks {
                sqlx::query("insert into frameworks (code, name_en, name_fr, kind, description) values ($1, $2, $3, $4, $5)")
                    .bind(f.code.as_str()).bind(&f.name_en).bind(&f.name_fr).bind(f.kind.as_str()).bind(&f.description)
                    .execute(&mut *tx).await?;
            }
            for m in &parts.memberships {
                sqlx::query("insert into memberships (nation, start_bound, end_bound, end_reason, note, source) \
                             values ($1, $2, $3, $4, $5, $6)")
                    .bind(m.nation.as_str()).bind(m.interval.start().to_string())
                    .bind(m.interval.end().map(|e| e.to_string())).bind(m.end_reason.map(|r| r.as_str()))
                    .bind(&m.provenance.note).bind(&m.provenance.source)
                    .execute(&mut *tx).await?;
            }
            for p in &parts.participations {
                sqlx::query("insert into participations (nation, framework, start_bound, end_bound, end_reason, note, source) \
                             values ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(p.nation.as_str()).bind(p.framework.as_str()).bind(p.interval.start().to_string())
                    .bind(p.interval.end().map(|e| e.to_string())).bind(p.end_reason.map(|r| r.as_str()))
                    .bind(&p.provenance.note).bind(&p.provenance.source)
                    .execute(&mut *tx).await?;
            }
            let revision: i64 = sqlx::query_scalar(
                "update registry_revision set revision = revision + 1 where id = 1 returning revision",
            )
            .fetch_one(&mut *tx)
            .await?;
            append_audit!(tx, audit);
            tx.commit().await?;
            Ok(revision)
        })
    }
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(format!("registry table holds an invalid value: {what}").into()))
}

fn to_parts(
    nations: Vec<NamedRow>,
    organisations: Vec<NamedRow>,
    frameworks: Vec<FrameworkRow>,
    memberships: Vec<IntervalRow>,
    participations: Vec<IntervalRow>,
) -> Result<RegistryParts, StoreError> {
    let nations = nations
        .into_iter()
        .map(|r| Ok(Nation { code: r.code.parse().map_err(corrupt)?, name_en: r.name_en, name_fr: r.name_fr }))
        .collect::<Result<_, StoreError>>()?;
    let organisations = organisations
        .into_iter()
        .map(|r| Ok(Organisation { code: r.code.parse().map_err(corrupt)?, name_en: r.name_en, name_fr: r.name_fr }))
        .collect::<Result<_, StoreError>>()?;
    let frameworks = frameworks
        .into_iter()
        .map(|r| {
            Ok(Framework {
                code: r.code.parse().map_err(corrupt)?,
                name_en: r.name_en,
                name_fr: r.name_fr,
                kind: FrameworkKind::parse(&r.kind).ok_or_else(|| corrupt(&r.kind))?,
                description: r.description,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    let memberships = memberships
        .into_iter()
        .map(|r| {
            let (interval, end_reason, provenance) = interval_of(&r)?;
            Ok(Membership { nation: r.nation.parse().map_err(corrupt)?, interval, end_reason, provenance })
        })
        .collect::<Result<_, StoreError>>()?;
    let participations = participations
        .into_iter()
        .map(|r| {
            let (interval, end_reason, provenance) = interval_of(&r)?;
            let framework = r.framework.as_deref().unwrap_or_default().parse().map_err(corrupt)?;
            Ok(Participation {
                nation: r.nation.parse().map_err(corrupt)?,
                framework,
                interval,
                end_reason,
                provenance,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(RegistryParts { nations, organisations, frameworks, memberships, participations })
}

fn interval_of(row: &IntervalRow) -> Result<(Interval, Option<EndReason>, Provenance), StoreError> {
    let start: Bound = row.start_bound.parse().map_err(corrupt)?;
    let end: Option<Bound> = row.end_bound.as_deref().map(str::parse).transpose().map_err(corrupt)?;
    let interval = Interval::new(start, end).map_err(corrupt)?;
    let end_reason = row.end_reason.as_deref().map(|r| EndReason::parse(r).ok_or_else(|| corrupt(r))).transpose()?;
    Ok((interval, end_reason, Provenance { note: row.note.clone(), source: row.source.clone() }))
}
