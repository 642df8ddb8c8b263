//! The menu's rows: areas, alliance bodies, activities by year, and the menu's full-text
//! search (SQLite FTS5, PostgreSQL `tsvector`; the one place the two differ).

use super::{StoreError, Tx, with_tx};

/// An area or an alliance body as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct StoredArea {
    /// Its code.
    pub code: String,
    /// English name.
    pub name_en: String,
    /// French name.
    pub name_fr: String,
    /// Where it comes from.
    pub source: String,
}

/// An activity as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredActivity {
    /// Its row id.
    pub id: i64,
    /// Its code.
    pub code: String,
    /// The menu's year.
    pub year: i64,
    /// English title.
    pub title_en: String,
    /// French title.
    pub title_fr: String,
    /// English description.
    pub description_en: String,
    /// French description.
    pub description_fr: String,
    /// Area code.
    pub area: String,
    /// Kind code.
    pub kind: String,
    /// Provider code (may be empty).
    pub provider: String,
    /// Languages, `;`-separated.
    pub languages: String,
    /// The marking's classification.
    pub classification: String,
    /// The marking as text.
    pub marking: String,
    /// `MEMBERS`, `PARTNERS` or framework codes separated by `;`.
    pub open_to: String,
    /// Default seats.
    pub default_seats: Option<i64>,
    /// Made by the demo generator.
    pub generated: bool,
}

/// An activity to store (the text form of a checked [`entente_core::menu::Activity`]).
#[derive(Debug, Clone)]
pub struct ActivityRow {
    /// Code.
    pub code: String,
    /// Year.
    pub year: i64,
    /// English title.
    pub title_en: String,
    /// French title.
    pub title_fr: String,
    /// English description.
    pub description_en: String,
    /// French description.
    pub description_fr: String,
    /// Area.
    pub area: String,
    /// Kind.
    pub kind: String,
    /// Provider.
    pub provider: String,
    /// Languages, `;`-separated.
    pub languages: String,
    /// Classification.
    pub classification: String,
    /// Marking text.
    pub marking: String,
    /// Audience text.
    pub open_to: String,
    /// Default seats.
    pub default_seats: Option<i64>,
    /// Folded titles and descriptions.
    pub search_text: String,
    /// Made by the demo generator.
    pub generated: bool,
}

/// What a menu search narrows to; `words` are folded alphanumeric words, all required.
#[derive(Debug, Clone, Default)]
pub struct MenuSearch {
    /// The year, if one.
    pub year: Option<i64>,
    /// Words to find (each as a prefix).
    pub words: Vec<String>,
    /// Area code.
    pub area: Option<String>,
    /// Kind code.
    pub kind: Option<String>,
    /// Provider code.
    pub provider: Option<String>,
    /// `YYYY-MM`: an event of the activity starts that month.
    pub month: Option<String>,
    /// A working language.
    pub language: Option<String>,
    /// The classifications the caller may read.
    pub classifications: Vec<String>,
}

/// What the hits of a search are grouped by: their marking only (all a caller's reading
/// depends on), or also their audience, area and, for the activities a council decision
/// names (`pinned`), their code (all a nation's eligibility depends on).
#[derive(Debug, Clone)]
pub enum GroupShape<'a> {
    /// By marking.
    Marking,
    /// By marking, audience, area and pinned code.
    Audience {
        /// Codes of the activities a decision names.
        pinned: &'a [String],
    },
}

/// A group of search hits alike in what `authorize()` and eligibility look at.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MenuGroup {
    /// Marking text.
    pub marking: String,
    /// Audience text (empty when grouped by marking only).
    pub open_to: String,
    /// Area (empty when grouped by marking only).
    pub area: String,
    /// The code, for an activity a decision names; empty otherwise.
    pub code: String,
    /// How many hits.
    pub hits: i64,
}

impl MenuGroup {
    /// The group's key, as the store compares it (see `push_group_key`).
    pub fn key(&self, shape: &GroupShape<'_>) -> String {
        match shape {
            GroupShape::Marking => self.marking.clone(),
            GroupShape::Audience { .. } => format!("{}|{}|{}|{}", self.marking, self.open_to, self.area, self.code),
        }
    }
}

/// The groups a page of hits keeps: those with these keys, or all but them.
#[derive(Debug, Clone)]
pub struct Keep<'a> {
    /// How the keys were made.
    pub shape: GroupShape<'a>,
    /// Group keys.
    pub keys: Vec<String>,
    /// Keep all groups but these.
    pub except: bool,
}

const COLUMNS: &str = "a.id, a.code, a.year, a.title_en, a.title_fr, a.description_en, a.description_fr, a.area, \
     a.kind, a.provider, a.languages, a.classification, a.marking, a.open_to, a.default_seats, a.generated";

macro_rules! push_menu_filters {
    ($q:expr, $search:expr) => {{
        let search: &MenuSearch = $search;
        $q.push(" and a.classification in (");
        let mut list = $q.separated(", ");
        for c in &search.classifications {
            list.push_bind(c.clone());
        }
        list.push_unseparated(")");
        if let Some(year) = search.year {
            $q.push(" and a.year = ").push_bind(year);
        }
        for (column, value) in [("a.area", &search.area), ("a.kind", &search.kind), ("a.provider", &search.provider)] {
            if let Some(value) = value {
                $q.push(format!(" and {column} = ")).push_bind(value.clone());
            }
        }
        if let Some(language) = &search.language {
            $q.push(" and (';' || a.languages || ';') like ").push_bind(format!("%;{language};%"));
        }
        if let Some(month) = &search.month {
            $q.push(" and exists (select 1 from events e where e.activity_id = a.id and substr(e.start_day, 1, 7) = ")
                .push_bind(month.clone())
                .push(")");
        }
    }};
}

fn push_pinned_code<'q, DB: sqlx::Database>(q: &mut sqlx::QueryBuilder<'q, DB>, pinned: &'q [String])
where
    String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    if pinned.is_empty() {
        q.push("''");
        return;
    }
    q.push("case when a.code in (");
    let mut list = q.separated(", ");
    for code in pinned {
        list.push_bind(code.clone());
    }
    q.push(") then a.code else '' end");
}

fn push_group_columns<'q, DB: sqlx::Database>(q: &mut sqlx::QueryBuilder<'q, DB>, shape: &GroupShape<'q>)
where
    String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    match shape {
        GroupShape::Marking => {
            q.push("a.marking, '' as open_to, '' as area, '' as code");
        }
        GroupShape::Audience { pinned } => {
            q.push("a.marking, a.open_to, a.area, ");
            push_pinned_code(q, pinned);
            q.push(" as code");
        }
    }
}

/// The key `MenuGroup::key` makes, in SQL.
fn push_group_key<'q, DB: sqlx::Database>(q: &mut sqlx::QueryBuilder<'q, DB>, shape: &GroupShape<'q>)
where
    String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    match shape {
        GroupShape::Marking => {
            q.push("a.marking");
        }
        GroupShape::Audience { pinned } => {
            q.push("(a.marking || '|' || a.open_to || '|' || a.area || '|' || ");
            push_pinned_code(q, pinned);
            q.push(")");
        }
    }
}

/// `from ... where ...`: the activities matching the words and filters.
fn push_menu_match<'q, DB: sqlx::Database>(q: &mut sqlx::QueryBuilder<'q, DB>, search: &MenuSearch, postgres: bool)
where
    String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    if search.words.is_empty() {
        q.push(" from activities a where 1 = 1");
    } else if postgres {
        q.push(" from activities a where a.search_vector @@ to_tsquery('simple', ")
            .push_bind(postgres_terms(&search.words))
            .push(")");
    } else {
        // Words are alphanumeric, so quoting them is all FTS5 needs.
        let terms: Vec<String> = search.words.iter().map(|w| format!("\"{w}\"*")).collect();
        q.push(" from activities a join activities_fts f on f.rowid = a.id where activities_fts match ")
            .push_bind(terms.join(" "));
    }
    push_menu_filters!(q, search);
}

fn postgres_terms(words: &[String]) -> String {
    words.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" & ")
}

/// Best first: by rank when words were given, then the latest menu, then by code.
fn push_menu_order<'q, DB: sqlx::Database>(q: &mut sqlx::QueryBuilder<'q, DB>, search: &MenuSearch, postgres: bool)
where
    String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    if search.words.is_empty() {
        q.push(" order by a.year desc, a.code");
    } else if postgres {
        q.push(" order by ts_rank(a.search_vector, to_tsquery('simple', ")
            .push_bind(postgres_terms(&search.words))
            .push(")) desc, a.year desc, a.code");
    } else {
        q.push(" order by f.rank, a.year desc, a.code");
    }
}

impl Tx {
    /// Stores areas not yet known (by code); returns how many were new.
    pub async fn insert_areas(&mut self, table: AreaTable, areas: &[StoredArea]) -> Result<u64, StoreError> {
        let sql = format!(
            "insert into {} (code, name_en, name_fr, source) values ($1, $2, $3, $4) on conflict (code) do nothing",
            table.name()
        );
        let mut added = 0;
        for area in areas {
            added += with_tx!(self, conn => sqlx::query(&sql)
                .bind(&area.code).bind(&area.name_en).bind(&area.name_fr).bind(&area.source)
                .execute(conn).await?.rows_affected());
        }
        Ok(added)
    }

    /// Every area (or body), by code.
    pub async fn areas(&mut self, table: AreaTable) -> Result<Vec<StoredArea>, StoreError> {
        let sql = format!("select code, name_en, name_fr, source from {} order by code", table.name());
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).fetch_all(conn).await?))
    }

    /// Stores a new activity; returns its id.
    pub async fn insert_activity(&mut self, row: &ActivityRow) -> Result<i64, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into activities (code, year, title_en, title_fr, description_en, description_fr, area, kind, \
             provider, languages, classification, marking, open_to, default_seats, search_text, generated, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) returning id")
            .bind(&row.code).bind(row.year).bind(&row.title_en).bind(&row.title_fr).bind(&row.description_en)
            .bind(&row.description_fr).bind(&row.area).bind(&row.kind).bind(&row.provider).bind(&row.languages)
            .bind(&row.classification).bind(&row.marking).bind(&row.open_to).bind(row.default_seats)
            .bind(&row.search_text).bind(row.generated).bind(now)
            .fetch_one(conn).await?))
    }

    /// Replaces an activity's fields (its code and year stay).
    pub async fn update_activity(&mut self, id: i64, row: &ActivityRow) -> Result<(), StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => {
            sqlx::query(
                "update activities set title_en = $1, title_fr = $2, description_en = $3, description_fr = $4, \
                 area = $5, kind = $6, provider = $7, languages = $8, classification = $9, marking = $10, \
                 open_to = $11, default_seats = $12, search_text = $13, updated_at = $14 where id = $15")
                .bind(&row.title_en).bind(&row.title_fr).bind(&row.description_en).bind(&row.description_fr)
                .bind(&row.area).bind(&row.kind).bind(&row.provider).bind(&row.languages)
                .bind(&row.classification).bind(&row.marking).bind(&row.open_to).bind(row.default_seats)
                .bind(&row.search_text).bind(now).bind(id)
                .execute(conn).await?;
            Ok(())
        })
    }

    /// The activity `code` of `year`'s menu, or of the latest menu holding it.
    pub async fn activity(&mut self, code: &str, year: Option<i64>) -> Result<Option<StoredActivity>, StoreError> {
        let sql = format!(
            "select {COLUMNS} from activities a where a.code = $1 and ($2 is null or a.year = $2) \
             order by a.year desc limit 1"
        );
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(code).bind(year).fetch_optional(conn).await?))
    }

    /// Every activity of `year`'s menu, by code.
    pub async fn menu(&mut self, year: i64) -> Result<Vec<StoredActivity>, StoreError> {
        let sql = format!("select {COLUMNS} from activities a where a.year = $1 order by a.code");
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(year).fetch_all(conn).await?))
    }

    /// The years with a menu, and how many activities each holds, latest first.
    pub async fn menu_years(&mut self) -> Result<Vec<(i64, i64)>, StoreError> {
        let sql = "select year, count(*) from activities group by year order by year desc";
        with_tx!(self, conn => Ok(sqlx::query_as(sql).fetch_all(conn).await?))
    }

    /// Removes the demo generator's activities of `year` (and their events).
    pub async fn delete_generated(&mut self, year: i64) -> Result<u64, StoreError> {
        with_tx!(self, conn => {
            sqlx::query("delete from events where activity_id in (select id from activities where year = $1 and generated)")
                .bind(year).execute(&mut *conn).await?;
            Ok(sqlx::query("delete from activities where year = $1 and generated").bind(year).execute(conn).await?.rows_affected())
        })
    }

    /// The hits of a search, grouped by what decides whether a caller may see them and
    /// a nation take part in them (`shape`), with each group's size.
    pub async fn menu_groups(
        &mut self,
        search: &MenuSearch,
        shape: &GroupShape<'_>,
    ) -> Result<Vec<MenuGroup>, StoreError> {
        let postgres = self.is_postgres();
        with_tx!(self, conn => {
            let mut q = sqlx::QueryBuilder::new("select ");
            push_group_columns(&mut q, shape);
            q.push(", count(*) as hits");
            push_menu_match(&mut q, search, postgres);
            q.push(" group by 1, 2, 3, 4");
            Ok(q.build_query_as().fetch_all(conn).await?)
        })
    }

    /// One page of a search's hits, best first, keeping only the groups `keep` names.
    pub async fn menu_page(
        &mut self,
        search: &MenuSearch,
        keep: &Keep<'_>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<StoredActivity>, StoreError> {
        let postgres = self.is_postgres();
        with_tx!(self, conn => {
            let mut q = sqlx::QueryBuilder::new(format!("select {COLUMNS}"));
            push_menu_match(&mut q, search, postgres);
            if !(keep.except && keep.keys.is_empty()) {
                q.push(" and ");
                push_group_key(&mut q, &keep.shape);
                q.push(if keep.except { " not in (" } else { " in (" });
                if keep.keys.is_empty() {
                    // `in ()` is no SQL: nothing is kept.
                    q.push("null");
                } else {
                    let mut list = q.separated(", ");
                    for key in &keep.keys {
                        list.push_bind(key.clone());
                    }
                }
                q.push(")");
            }
            push_menu_order(&mut q, search, postgres);
            q.push(" limit ").push_bind(limit).push(" offset ").push_bind(offset);
            Ok(q.build_query_as().fetch_all(conn).await?)
        })
    }
}

/// The two tables of coded names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaTable {
    /// Areas of cooperation.
    Areas,
    /// Alliance bodies that provide activities.
    Bodies,
}

impl AreaTable {
    fn name(self) -> &'static str {
        match self {
            AreaTable::Areas => "areas",
            AreaTable::Bodies => "bodies",
        }
    }
}
