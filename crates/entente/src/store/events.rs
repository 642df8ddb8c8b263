//! Events, and the users' calendar feeds and selections.

use super::{StoreError, Tx, with_tx};

/// An event as stored, with what its activity says of it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredEvent {
    /// Row id.
    pub id: i64,
    /// Code.
    pub code: String,
    /// The activity's row id.
    pub activity_id: i64,
    /// The activity's code.
    pub activity_code: String,
    /// The activity's year.
    pub activity_year: i64,
    /// The activity's English title.
    pub title_en: String,
    /// The activity's French title.
    pub title_fr: String,
    /// The activity's area.
    pub area: String,
    /// The activity's marking (the event's).
    pub marking: String,
    /// The activity's audience.
    pub open_to: String,
    /// Local start.
    pub starts: String,
    /// Local end.
    pub ends: String,
    /// IANA zone.
    pub time_zone: String,
    /// Place.
    pub place: String,
    /// Seats.
    pub capacity: i64,
    /// Per-nation quota.
    pub quota: Option<i64>,
    /// Registration deadline.
    pub deadline: String,
    /// Status.
    pub status: String,
    /// Seat mode.
    pub mode: String,
}

/// An event to store.
#[derive(Debug, Clone)]
pub struct EventRow {
    /// Code.
    pub code: String,
    /// The activity's row id.
    pub activity_id: i64,
    /// Local start.
    pub starts: String,
    /// Local end.
    pub ends: String,
    /// The start's day.
    pub start_day: String,
    /// The end's day.
    pub end_day: String,
    /// IANA zone.
    pub time_zone: String,
    /// Place.
    pub place: String,
    /// Seats.
    pub capacity: i64,
    /// Quota.
    pub quota: Option<i64>,
    /// Deadline.
    pub deadline: String,
    /// Status.
    pub status: String,
    /// Seat mode.
    pub mode: String,
}

/// Which events a list holds.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Of this activity.
    pub activity_id: Option<i64>,
    /// Of activities of this area.
    pub area: Option<String>,
    /// Starting on or after this day.
    pub from: Option<String>,
    /// Starting on or before this day.
    pub to: Option<String>,
    /// Chosen by this user.
    pub selected_by: Option<i64>,
    /// With one of these classifications.
    pub classifications: Vec<String>,
}

const SELECT: &str = "select e.id, e.code, e.activity_id, a.code as activity_code, a.year as activity_year, \
     a.title_en, a.title_fr, a.area, a.marking, a.open_to, e.starts, e.ends, e.time_zone, e.place, e.capacity, \
     e.quota, e.deadline, e.status, e.mode from events e join activities a on a.id = e.activity_id";

impl Tx {
    /// Stores a new event; returns its id.
    pub async fn insert_event(&mut self, row: &EventRow) -> Result<i64, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into events (code, activity_id, starts, ends, start_day, end_day, time_zone, place, capacity, \
             quota, deadline, status, mode, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning id")
            .bind(&row.code).bind(row.activity_id).bind(&row.starts).bind(&row.ends).bind(&row.start_day)
            .bind(&row.end_day).bind(&row.time_zone).bind(&row.place).bind(row.capacity).bind(row.quota)
            .bind(&row.deadline).bind(&row.status).bind(&row.mode).bind(now)
            .fetch_one(conn).await?))
    }

    /// Replaces an event's fields (its code stays).
    pub async fn update_event(&mut self, id: i64, row: &EventRow) -> Result<(), StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => {
            sqlx::query(
                "update events set activity_id = $1, starts = $2, ends = $3, start_day = $4, end_day = $5, \
                 time_zone = $6, place = $7, capacity = $8, quota = $9, deadline = $10, status = $11, mode = $12, \
                 updated_at = $13 where id = $14")
                .bind(row.activity_id).bind(&row.starts).bind(&row.ends).bind(&row.start_day).bind(&row.end_day)
                .bind(&row.time_zone).bind(&row.place).bind(row.capacity).bind(row.quota).bind(&row.deadline)
                .bind(&row.status).bind(&row.mode).bind(now).bind(id)
                .execute(conn).await?;
            Ok(())
        })
    }

    /// One event, locked until the unit ends when `for_update`.
    pub async fn event(&mut self, code: &str, for_update: bool) -> Result<Option<StoredEvent>, StoreError> {
        let lock = if for_update && !self.for_update().is_empty() { " for update of e" } else { "" };
        let sql = format!("{SELECT} where e.code = $1{lock}");
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(code).fetch_optional(conn).await?))
    }

    /// The codes among `codes` that events already have.
    pub async fn existing_event_codes(&mut self, codes: &[String]) -> Result<Vec<String>, StoreError> {
        if codes.is_empty() {
            return Ok(Vec::new());
        }
        with_tx!(self, conn => {
            let mut q = sqlx::QueryBuilder::new("select code from events where code in (");
            let mut list = q.separated(", ");
            for code in codes {
                list.push_bind(code.clone());
            }
            list.push_unseparated(")");
            Ok(q.build_query_scalar().fetch_all(conn).await?)
        })
    }

    /// The events matching `filter`, by start, then code.
    pub async fn events(&mut self, filter: &EventFilter) -> Result<Vec<StoredEvent>, StoreError> {
        with_tx!(self, conn => {
            let mut q = sqlx::QueryBuilder::new(SELECT);
            if let Some(user) = filter.selected_by {
                q.push(" join calendar_selections s on s.event_id = e.id and s.user_id = ").push_bind(user);
            }
            q.push(" where a.classification in (");
            let mut list = q.separated(", ");
            for c in &filter.classifications {
                list.push_bind(c.clone());
            }
            list.push_unseparated(")");
            if let Some(id) = filter.activity_id {
                q.push(" and e.activity_id = ").push_bind(id);
            }
            if let Some(area) = &filter.area {
                q.push(" and a.area = ").push_bind(area.clone());
            }
            if let Some(from) = &filter.from {
                q.push(" and e.start_day >= ").push_bind(from.clone());
            }
            if let Some(to) = &filter.to {
                q.push(" and e.start_day <= ").push_bind(to.clone());
            }
            q.push(" order by e.start_day, e.code");
            Ok(q.build_query_as().fetch_all(conn).await?)
        })
    }

    /// The `at_deadline` events starting in `year` (not cancelled), by code.
    pub async fn at_deadline_events_of_year(&mut self, year: i64) -> Result<Vec<StoredEvent>, StoreError> {
        let (from, to) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
        let sql = format!(
            "{SELECT} where e.mode = 'at_deadline' and e.status <> 'cancelled' and e.start_day >= $1 \
             and e.start_day <= $2 order by e.code"
        );
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(from).bind(to).fetch_all(conn).await?))
    }

    /// The hash of a user's private feed token, if she made one.
    pub async fn calendar_feed_user(&mut self, token_hash: &str) -> Result<Option<i64>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_scalar("select user_id from calendar_feeds where token_hash = $1")
            .bind(token_hash).fetch_optional(conn).await?))
    }

    /// Whether the user has a private feed.
    pub async fn has_calendar_feed(&mut self, user_id: i64) -> Result<bool, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_scalar::<_, i64>("select count(*) from calendar_feeds where user_id = $1")
            .bind(user_id).fetch_one(conn).await? > 0))
    }

    /// Sets (or replaces) a user's private feed token.
    pub async fn set_calendar_feed(&mut self, user_id: i64, token_hash: &str) -> Result<(), StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => {
            sqlx::query(
                "insert into calendar_feeds (user_id, token_hash, created_at) values ($1, $2, $3) \
                 on conflict (user_id) do update set token_hash = excluded.token_hash, created_at = excluded.created_at")
                .bind(user_id).bind(token_hash).bind(now).execute(conn).await?;
            Ok(())
        })
    }

    /// Adds an event to, or takes it off, a user's selection.
    pub async fn select_event(&mut self, user_id: i64, event_id: i64, selected: bool) -> Result<(), StoreError> {
        let sql = if selected {
            "insert into calendar_selections (user_id, event_id) values ($1, $2) on conflict do nothing"
        } else {
            "delete from calendar_selections where user_id = $1 and event_id = $2"
        };
        with_tx!(self, conn => {
            sqlx::query(sql).bind(user_id).bind(event_id).execute(conn).await?;
            Ok(())
        })
    }

    /// Whether a user selected an event.
    pub async fn is_selected(&mut self, user_id: i64, event_id: i64) -> Result<bool, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_scalar::<_, i64>(
            "select count(*) from calendar_selections where user_id = $1 and event_id = $2")
            .bind(user_id).bind(event_id).fetch_one(conn).await? > 0))
    }
}
