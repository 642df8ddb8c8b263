//! Registry tables: read them whole, or replace them whole, in the service's unit of work;
//! and the framework identities that markings refer to.

use entente_core::{
    Bound, EndReason, Framework, FrameworkKind, Interval, Membership, Nation, Organisation, Participation, Provenance,
    RegistryParts,
};

use super::{StoreError, Tx, with_tx};

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
    source: String,
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
const SELECT_FRAMEWORKS: &str =
    "select code, name_en, name_fr, kind, description, source from frameworks order by code";
const SELECT_MEMBERSHIPS: &str = "select nation, null as framework, start_bound, end_bound, end_reason, note, source \
     from memberships order by id";
const SELECT_PARTICIPATIONS: &str = "select nation, framework, start_bound, end_bound, end_reason, note, source \
     from participations order by id";

/// A framework's lasting identity: its id, current code and English name.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FrameworkIdentity {
    /// The id that markings refer to.
    pub id: i64,
    /// The code it has now.
    pub code: String,
    /// Its English name.
    pub name_en: String,
}

/// Inserts `rows` into `$table ($columns)` with one statement per backend, binding each
/// row's values with `$bind`.
macro_rules! insert_all {
    ($conn:expr, $table_and_columns:literal, $rows:expr, |$builder:ident, $row:ident| $bind:expr) => {
        if !$rows.is_empty() {
            let mut query = sqlx::QueryBuilder::new(concat!("insert into ", $table_and_columns, " "));
            query.push_values($rows, |mut $builder, $row| {
                $bind;
            });
            query.build().execute(&mut *$conn).await?;
        }
    };
}

impl Tx {
    /// The registry's revision: bumped by every change, so a cached copy can tell it is stale.
    pub async fn registry_revision(&mut self) -> Result<i64, StoreError> {
        let sql = "select revision from registry_revision where id = 1";
        Ok(with_tx!(self, conn => sqlx::query_scalar(sql).fetch_one(conn).await)?)
    }

    /// Reads the whole registry and its revision (consistent when the unit reads one snapshot).
    pub async fn load_registry(&mut self) -> Result<(i64, RegistryParts), StoreError> {
        with_tx!(self, conn => {
            let revision: i64 = sqlx::query_scalar("select revision from registry_revision where id = 1")
                .fetch_one(&mut *conn)
                .await?;
            let nations: Vec<NamedRow> = sqlx::query_as(SELECT_NATIONS).fetch_all(&mut *conn).await?;
            let organisations: Vec<NamedRow> = sqlx::query_as(SELECT_ORGANISATIONS).fetch_all(&mut *conn).await?;
            let frameworks: Vec<FrameworkRow> = sqlx::query_as(SELECT_FRAMEWORKS).fetch_all(&mut *conn).await?;
            let memberships: Vec<IntervalRow> = sqlx::query_as(SELECT_MEMBERSHIPS).fetch_all(&mut *conn).await?;
            let participations: Vec<IntervalRow> = sqlx::query_as(SELECT_PARTICIPATIONS).fetch_all(&mut *conn).await?;
            Ok((revision, to_parts(nations, organisations, frameworks, memberships, participations)?))
        })
    }

    /// Replaces the whole registry with `parts` (one statement per table); returns the new
    /// revision.
    pub async fn replace_registry(&mut self, parts: &RegistryParts) -> Result<i64, StoreError> {
        with_tx!(self, conn => {
            for table in ["participations", "memberships", "frameworks", "organisations", "nations"] {
                sqlx::query(&format!("delete from {table}")).execute(&mut *conn).await?;
            }
            insert_all!(conn, "nations (code, name_en, name_fr)", &parts.nations, |b, n| {
                b.push_bind(n.code.as_str()).push_bind(&n.name_en).push_bind(&n.name_fr)
            });
            insert_all!(conn, "organisations (code, name_en, name_fr)", &parts.organisations, |b, o| {
                b.push_bind(o.code.as_str()).push_bind(&o.name_en).push_bind(&o.name_fr)
            });
            insert_all!(conn, "frameworks (code, name_en, name_fr, kind, description, source)", &parts.frameworks, |b, f| {
                b.push_bind(f.code.as_str()).push_bind(&f.name_en).push_bind(&f.name_fr)
                    .push_bind(f.kind.as_str()).push_bind(&f.description).push_bind(&f.source)
            });
            insert_all!(conn, "memberships (nation, start_bound, end_bound, end_reason, note, source)", &parts.memberships, |b, m| {
                b.push_bind(m.nation.as_str()).push_bind(m.interval.start().to_string())
                    .push_bind(m.interval.end().map(|e| e.to_string())).push_bind(m.end_reason.map(|r| r.as_str()))
                    .push_bind(&m.provenance.note).push_bind(&m.provenance.source)
            });
            insert_all!(conn, "participations (nation, framework, start_bound, end_bound, end_reason, note, source)", &parts.participations, |b, p| {
                b.push_bind(p.nation.as_str()).push_bind(p.framework.as_str()).push_bind(p.interval.start().to_string())
                    .push_bind(p.interval.end().map(|e| e.to_string())).push_bind(p.end_reason.map(|r| r.as_str()))
                    .push_bind(&p.provenance.note).push_bind(&p.provenance.source)
            });
            let revision: i64 = sqlx::query_scalar(
                "update registry_revision set revision = revision + 1 where id = 1 returning revision",
            )
            .fetch_one(&mut *conn)
            .await?;
            Ok(revision)
        })
    }

    /// Every framework identity, by id.
    pub async fn framework_identities(&mut self) -> Result<Vec<FrameworkIdentity>, StoreError> {
        let sql = "select id, code, name_en from framework_identities order by id";
        Ok(with_tx!(self, conn => sqlx::query_as(sql).fetch_all(conn).await)?)
    }

    /// Gives identity `id` a new code and English name.
    pub async fn update_framework_identity(&mut self, id: i64, code: &str, name_en: &str) -> Result<(), StoreError> {
        let sql = "update framework_identities set code = $2, name_en = $3 where id = $1";
        with_tx!(self, conn => sqlx::query(sql).bind(id).bind(code).bind(name_en).execute(conn).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Creates a framework identity; returns its id.
    pub async fn insert_framework_identity(&mut self, code: &str, name_en: &str) -> Result<i64, StoreError> {
        let sql = "insert into framework_identities (code, name_en) values ($1, $2) returning id";
        Ok(with_tx!(self, conn => sqlx::query_scalar(sql).bind(code).bind(name_en).fetch_one(conn).await)?)
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
                source: r.source,
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
