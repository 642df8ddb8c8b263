//! Programmes, their objectives, goals and supports, and yearly work plans.

use super::{StoreError, Tx, with_tx};

/// A programme version as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredProgramme {
    /// Row id.
    pub id: i64,
    /// Code, shared by its versions.
    pub code: String,
    /// Version, from 1.
    pub version: i64,
    /// The partner.
    pub nation: String,
    /// Kind's code.
    pub kind: String,
    /// Title.
    pub title: String,
    /// First day (or partial date).
    pub starts: String,
    /// Last day.
    pub ends: String,
    /// Status's code.
    pub status: String,
    /// Marking.
    pub marking: String,
    /// The version it amends.
    pub predecessor_id: Option<i64>,
    /// The council decision's reference, once recorded.
    pub council_decision: String,
    /// Who recorded the partner's acceptance, once recorded.
    pub partner_accepted_by: String,
    /// From the reference dataset.
    pub historical: bool,
    /// Note.
    pub note: String,
    /// Source.
    pub source: String,
}

/// A programme's fields to store.
#[derive(Debug, Clone)]
pub struct ProgrammeRow {
    /// Code.
    pub code: String,
    /// Version.
    pub version: i64,
    /// Nation.
    pub nation: String,
    /// Kind.
    pub kind: String,
    /// Title.
    pub title: String,
    /// First day.
    pub starts: String,
    /// Last day.
    pub ends: String,
    /// Status.
    pub status: String,
    /// Marking.
    pub marking: String,
    /// Predecessor.
    pub predecessor_id: Option<i64>,
    /// Historical.
    pub historical: bool,
    /// Note.
    pub note: String,
    /// Source.
    pub source: String,
}

/// One goal of a programme, with its objective, as a flat row.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TreeRow {
    /// The objective's id.
    pub objective_id: i64,
    /// The objective's position.
    pub objective_position: i64,
    /// The objective's title.
    pub objective_title: String,
    /// The goal's id, if the objective has goals.
    pub goal_id: Option<i64>,
    /// The goal's position.
    pub goal_position: Option<i64>,
    /// The goal's title.
    pub goal_title: Option<String>,
}

/// A work-plan item.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredItem {
    /// Row id.
    pub id: i64,
    /// Year.
    pub year: i64,
    /// The goal it serves.
    pub goal_id: i64,
    /// The goal's title.
    pub goal_title: String,
    /// The activity's or event's code.
    pub code: String,
    /// 1 (highest) to 3.
    pub priority: i64,
}

const SELECT: &str = "select id, code, version, nation, kind, title, starts, ends, status, marking, predecessor_id, \
     council_decision, partner_accepted_by, historical, note, source from programmes";

impl Tx {
    /// Stores a programme version; returns its id.
    pub async fn insert_programme(&mut self, row: &ProgrammeRow) -> Result<i64, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into programmes (code, version, nation, kind, title, starts, ends, status, marking, predecessor_id, \
             historical, note, source, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
             returning id")
            .bind(&row.code).bind(row.version).bind(&row.nation).bind(&row.kind).bind(&row.title).bind(&row.starts)
            .bind(&row.ends).bind(&row.status).bind(&row.marking).bind(row.predecessor_id).bind(row.historical)
            .bind(&row.note).bind(&row.source).bind(now)
            .fetch_one(conn).await?))
    }

    /// Replaces a draft's fields.
    pub async fn update_programme(
        &mut self,
        id: i64,
        title: &str,
        starts: &str,
        ends: &str,
        marking: &str,
    ) -> Result<(), StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => {
            sqlx::query("update programmes set title = $1, starts = $2, ends = $3, marking = $4, updated_at = $5 where id = $6")
                .bind(title).bind(starts).bind(ends).bind(marking).bind(now).bind(id).execute(conn).await?;
            Ok(())
        })
    }

    /// Records a step: the new status and what is recorded of the agreement.
    pub async fn set_programme_status(
        &mut self,
        id: i64,
        status: &str,
        council_decision: &str,
        partner_accepted_by: &str,
    ) -> Result<(), StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => {
            sqlx::query("update programmes set status = $1, council_decision = $2, partner_accepted_by = $3, \
                         updated_at = $4 where id = $5")
                .bind(status).bind(council_decision).bind(partner_accepted_by).bind(now).bind(id)
                .execute(conn).await?;
            Ok(())
        })
    }

    /// A programme's latest version (or `version`), locked until the unit ends when `lock`.
    pub async fn programme(
        &mut self,
        code: &str,
        version: Option<i64>,
        lock: bool,
    ) -> Result<Option<StoredProgramme>, StoreError> {
        let lock = if lock { self.for_update() } else { "" };
        let sql =
            format!("{SELECT} where code = $1 and ($2 is null or version = $2) order by version desc limit 1{lock}");
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(code).bind(version).fetch_optional(conn).await?))
    }

    /// Every version of a programme, oldest first.
    pub async fn programme_versions(&mut self, code: &str) -> Result<Vec<StoredProgramme>, StoreError> {
        let sql = format!("{SELECT} where code = $1 order by version");
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(code).fetch_all(conn).await?))
    }

    /// The latest version of every programme, of `nation` if given, by nation then code.
    pub async fn programmes(&mut self, nation: Option<&str>) -> Result<Vec<StoredProgramme>, StoreError> {
        let sql = format!(
            "{SELECT} p where version = (select max(version) from programmes q where q.code = p.code) \
             and ($1 is null or nation = $1) order by nation, code"
        );
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(nation).fetch_all(conn).await?))
    }

    /// The codes of the programmes whose latest version has work-plan items for `year`.
    pub async fn programmes_with_work_plan(&mut self, year: i64) -> Result<Vec<String>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "select distinct p.code from programmes p join work_plan_items w on w.programme_id = p.id \
             where w.year = $1 and p.version = (select max(version) from programmes q where q.code = p.code) \
             order by p.code")
            .bind(year).fetch_all(conn).await?))
    }

    /// Whether any historical programme is stored.
    pub async fn has_historical_programmes(&mut self) -> Result<bool, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_scalar::<_, i64>("select count(*) from programmes where historical")
            .fetch_one(conn).await? > 0))
    }

    /// Adds an objective at the end; returns its id.
    pub async fn insert_objective(&mut self, programme_id: i64, title: &str) -> Result<i64, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into programme_objectives (programme_id, position, title) values ($1, \
             (select coalesce(max(position), 0) + 1 from programme_objectives where programme_id = $1), $2) returning id")
            .bind(programme_id).bind(title).fetch_one(conn).await?))
    }

    /// Adds a goal at the end of an objective; returns its id.
    pub async fn insert_goal(&mut self, objective_id: i64, title: &str) -> Result<i64, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into programme_goals (objective_id, position, title) values ($1, \
             (select coalesce(max(position), 0) + 1 from programme_goals where objective_id = $1), $2) returning id")
            .bind(objective_id).bind(title).fetch_one(conn).await?))
    }

    /// Adds a supporting activity or event to a goal (once).
    pub async fn insert_support(&mut self, goal_id: i64, code: &str) -> Result<(), StoreError> {
        with_tx!(self, conn => {
            sqlx::query("insert into goal_supports (goal_id, code) values ($1, $2) on conflict do nothing")
                .bind(goal_id).bind(code).execute(conn).await?;
            Ok(())
        })
    }

    /// A programme version's objectives and goals, in order.
    pub async fn programme_tree(&mut self, programme_id: i64) -> Result<Vec<TreeRow>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_as(
            "select o.id as objective_id, o.position as objective_position, o.title as objective_title, \
             g.id as goal_id, g.position as goal_position, g.title as goal_title \
             from programme_objectives o left join programme_goals g on g.objective_id = o.id \
             where o.programme_id = $1 order by o.position, g.position")
            .bind(programme_id).fetch_all(conn).await?))
    }

    /// The supports of a programme version's goals: (goal id, code).
    pub async fn programme_supports(&mut self, programme_id: i64) -> Result<Vec<(i64, String)>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_as(
            "select s.goal_id, s.code from goal_supports s join programme_goals g on g.id = s.goal_id \
             join programme_objectives o on o.id = g.objective_id where o.programme_id = $1 order by s.goal_id, s.code")
            .bind(programme_id).fetch_all(conn).await?))
    }

    /// Adds a work-plan item; false when the year's plan already holds the code.
    pub async fn insert_work_plan_item(
        &mut self,
        programme_id: i64,
        year: i64,
        goal_id: i64,
        code: &str,
        priority: i64,
    ) -> Result<bool, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => Ok(sqlx::query(
            "insert into work_plan_items (programme_id, year, goal_id, code, priority, added_at) \
             values ($1, $2, $3, $4, $5, $6) on conflict (programme_id, year, code) do nothing")
            .bind(programme_id).bind(year).bind(goal_id).bind(code).bind(priority).bind(now)
            .execute(conn).await?.rows_affected() == 1))
    }

    /// A programme version's work-plan items, by year, priority and code.
    pub async fn work_plan(&mut self, programme_id: i64) -> Result<Vec<StoredItem>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_as(
            "select w.id, w.year, w.goal_id, g.title as goal_title, w.code, w.priority from work_plan_items w \
             join programme_goals g on g.id = w.goal_id where w.programme_id = $1 order by w.year, w.priority, w.code")
            .bind(programme_id).fetch_all(conn).await?))
    }
}
