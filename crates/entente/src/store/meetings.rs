//! Meetings, their resolved participants, agenda and outcomes, action items and documents.

use super::{StoreError, Tx, with_tx};

/// A meeting as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredMeeting {
    /// Row id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Format's code.
    pub format: String,
    /// Level's code.
    pub level: String,
    /// Local start at the place.
    pub starts: String,
    /// Local end at the place.
    pub ends: String,
    /// IANA time zone of the place.
    pub time_zone: String,
    /// The day the rule is resolved on.
    pub resolved_on: String,
    /// Place.
    pub place: String,
    /// Chair.
    pub chair: String,
    /// Participant rule, if any.
    pub rule: String,
    /// Participants named one by one: codes separated by spaces.
    pub names: String,
    /// Participants in the source's words, when no rule captures them.
    pub participants_text: String,
    /// Marking.
    pub marking: String,
    /// From the reference dataset.
    pub historical: bool,
    /// The date as the source writes it.
    pub recorded_date: String,
    /// Note.
    pub note: String,
    /// Source.
    pub source: String,
}

/// An agenda item or an outcome.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredEntry {
    /// Row id.
    pub id: i64,
    /// `agenda` or `outcome`.
    pub section: String,
    /// Position in its section.
    pub position: i64,
    /// Text.
    pub text: String,
}

/// An action item.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredAction {
    /// Row id.
    pub id: i64,
    /// The meeting.
    pub meeting_id: i64,
    /// What is to be done.
    pub title: String,
    /// A participant's code or an account's email.
    pub owner: String,
    /// Due day.
    pub due: String,
    /// Status's code.
    pub status: String,
}

/// An overdue action item's columns with its meeting's title and marking.
type OverdueRow = (i64, i64, String, String, String, String, String, String);

const MEETING: &str = "select id, title, format, level, starts, ends, time_zone, resolved_on, place, chair, rule, \
     names, participants_text, marking, historical, recorded_date, note, source from meetings";

impl Tx {
    /// Stores a meeting; returns its id.
    pub async fn insert_meeting(&mut self, row: &StoredMeeting) -> Result<i64, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into meetings (title, format, level, starts, ends, time_zone, resolved_on, place, chair, rule, \
             names, participants_text, marking, historical, recorded_date, note, source, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) returning id")
            .bind(&row.title).bind(&row.format).bind(&row.level).bind(&row.starts).bind(&row.ends)
            .bind(&row.time_zone).bind(&row.resolved_on).bind(&row.place).bind(&row.chair).bind(&row.rule)
            .bind(&row.names).bind(&row.participants_text).bind(&row.marking).bind(row.historical)
            .bind(&row.recorded_date).bind(&row.note).bind(&row.source).bind(now)
            .fetch_one(conn).await?))
    }

    /// Replaces a meeting's fields (not its id, history or source).
    pub async fn update_meeting(&mut self, row: &StoredMeeting) -> Result<(), StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => {
            sqlx::query("update meetings set title = $1, format = $2, level = $3, starts = $4, ends = $5, \
                         time_zone = $6, resolved_on = $7, place = $8, chair = $9, rule = $10, names = $11, \
                         marking = $12, updated_at = $13 where id = $14")
                .bind(&row.title).bind(&row.format).bind(&row.level).bind(&row.starts).bind(&row.ends)
                .bind(&row.time_zone).bind(&row.resolved_on).bind(&row.place).bind(&row.chair).bind(&row.rule)
                .bind(&row.names).bind(&row.marking).bind(now).bind(row.id).execute(conn).await?;
            Ok(())
        })
    }

    /// One meeting, locked when `lock`.
    pub async fn meeting(&mut self, id: i64, lock: bool) -> Result<Option<StoredMeeting>, StoreError> {
        let sql = format!("{MEETING} where id = $1{}", if lock { self.for_update() } else { "" });
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?))
    }

    /// Up to `limit` meetings resolved on or after `from` (when given), newest first, after
    /// the cursor `(resolved_on, id)` of the last one read.
    pub async fn meetings_page(
        &mut self,
        from: Option<&str>,
        after: Option<(&str, i64)>,
        limit: i64,
    ) -> Result<Vec<StoredMeeting>, StoreError> {
        let (after_day, after_id) = after.map_or((None, None), |(d, i)| (Some(d), Some(i)));
        let sql = format!(
            "{MEETING} where ($1 is null or resolved_on >= $1) and ($2 is null or resolved_on < $2 or \
             (resolved_on = $2 and id < $3)) order by resolved_on desc, id desc limit $4"
        );
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(from).bind(after_day).bind(after_id).bind(limit)
            .fetch_all(conn).await?))
    }

    /// The meetings a nation or organisation takes part in, oldest first.
    pub async fn meetings_of_party(&mut self, kind: &str, code: &str) -> Result<Vec<StoredMeeting>, StoreError> {
        let sql = format!(
            "{MEETING} where id in (select meeting_id from meeting_participants where kind = $1 and code = $2) \
             order by resolved_on, id"
        );
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(kind).bind(code).fetch_all(conn).await?))
    }

    /// Every meeting, oldest first (for feeds, filtered by the caller).
    pub async fn all_meetings(&mut self) -> Result<Vec<StoredMeeting>, StoreError> {
        let sql = format!("{MEETING} order by resolved_on, id");
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).fetch_all(conn).await?))
    }

    /// The ids of the meetings a party takes part in.
    pub async fn meeting_ids_of_party(&mut self, kind: &str, code: &str) -> Result<Vec<i64>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "select meeting_id from meeting_participants where kind = $1 and code = $2")
            .bind(kind).bind(code).fetch_all(conn).await?))
    }

    /// Replaces a meeting's resolved participants: (kind, code) pairs.
    pub async fn set_participants(&mut self, meeting_id: i64, parties: &[(&str, String)]) -> Result<(), StoreError> {
        with_tx!(self, conn => {
            sqlx::query("delete from meeting_participants where meeting_id = $1").bind(meeting_id)
                .execute(&mut *conn).await?;
            for (kind, code) in parties {
                sqlx::query("insert into meeting_participants (meeting_id, code, kind) values ($1, $2, $3)")
                    .bind(meeting_id).bind(code).bind(*kind).execute(&mut *conn).await?;
            }
            Ok(())
        })
    }

    /// A meeting's resolved participants: (kind, code), by code.
    pub async fn participants(&mut self, meeting_id: i64) -> Result<Vec<(String, String)>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_as(
            "select kind, code from meeting_participants where meeting_id = $1 order by code, kind")
            .bind(meeting_id).fetch_all(conn).await?))
    }

    /// Adds an agenda item or an outcome at the end of its section; returns its id.
    pub async fn insert_entry(&mut self, meeting_id: i64, section: &str, text: &str) -> Result<i64, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into meeting_entries (meeting_id, section, position, text) values ($1, $2, \
             (select coalesce(max(position), 0) + 1 from meeting_entries where meeting_id = $1 and section = $2), $3) \
             returning id")
            .bind(meeting_id).bind(section).bind(text).fetch_one(conn).await?))
    }

    /// A meeting's agenda and outcomes, in order.
    pub async fn entries(&mut self, meeting_id: i64) -> Result<Vec<StoredEntry>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_as(
            "select id, section, position, text from meeting_entries where meeting_id = $1 order by section, position")
            .bind(meeting_id).fetch_all(conn).await?))
    }

    /// Adds an action item; returns its id.
    pub async fn insert_action(
        &mut self,
        meeting_id: i64,
        title: &str,
        owner: &str,
        due: &str,
    ) -> Result<i64, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into action_items (meeting_id, title, owner, due, status, updated_at) \
             values ($1, $2, $3, $4, 'open', $5) returning id")
            .bind(meeting_id).bind(title).bind(owner).bind(due).bind(now).fetch_one(conn).await?))
    }

    /// A meeting's action items, by due day.
    pub async fn actions(&mut self, meeting_id: i64) -> Result<Vec<StoredAction>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_as(
            "select id, meeting_id, title, owner, due, status from action_items where meeting_id = $1 order by due, id")
            .bind(meeting_id).fetch_all(conn).await?))
    }

    /// One action item, locked when `lock`.
    pub async fn action(&mut self, id: i64, lock: bool) -> Result<Option<StoredAction>, StoreError> {
        let sql = format!(
            "select id, meeting_id, title, owner, due, status from action_items where id = $1{}",
            if lock { self.for_update() } else { "" }
        );
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?))
    }

    /// The action items owned by any of `owners`, by due day.
    pub async fn actions_owned_by(&mut self, owners: &[String]) -> Result<Vec<StoredAction>, StoreError> {
        let mut out = Vec::new();
        for owner in owners {
            let rows: Vec<StoredAction> = with_tx!(self, conn => sqlx::query_as(
                "select id, meeting_id, title, owner, due, status from action_items where owner = $1")
                .bind(owner).fetch_all(conn).await)?;
            out.extend(rows);
        }
        out.sort_by(|a, b| (&a.due, a.id).cmp(&(&b.due, b.id)));
        Ok(out)
    }

    /// Open action items due before `day`, with their meeting's title and marking, by due day.
    pub async fn overdue_actions(&mut self, day: &str) -> Result<Vec<(StoredAction, String, String)>, StoreError> {
        let rows: Vec<OverdueRow> = with_tx!(self, conn =>
            sqlx::query_as(
                "select a.id, a.meeting_id, a.title, a.owner, a.due, a.status, m.title, m.marking \
                 from action_items a join meetings m on m.id = a.meeting_id \
                 where a.status = 'open' and a.due < $1 order by a.due, a.id")
                .bind(day).fetch_all(conn).await)?;
        Ok(rows
            .into_iter()
            .map(|(id, meeting_id, title, owner, due, status, meeting, marking)| {
                (StoredAction { id, meeting_id, title, owner, due, status }, meeting, marking)
            })
            .collect())
    }

    /// Sets an action item's status.
    pub async fn set_action_status(&mut self, id: i64, status: &str) -> Result<(), StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => {
            sqlx::query("update action_items set status = $1, updated_at = $2 where id = $3")
                .bind(status).bind(now).bind(id).execute(conn).await?;
            Ok(())
        })
    }

    /// Attaches a document to a meeting (once); false when it was attached already.
    pub async fn attach_document(&mut self, meeting_id: i64, document_id: i64) -> Result<bool, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query(
            "insert into meeting_documents (meeting_id, document_id) values ($1, $2) on conflict do nothing")
            .bind(meeting_id).bind(document_id).execute(conn).await?.rows_affected() == 1))
    }

    /// The ids of a meeting's documents.
    pub async fn meeting_document_ids(&mut self, meeting_id: i64) -> Result<Vec<i64>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "select document_id from meeting_documents where meeting_id = $1 order by document_id")
            .bind(meeting_id).fetch_all(conn).await?))
    }

    /// The meetings a document is attached to.
    pub async fn meetings_of_document(&mut self, document_id: i64) -> Result<Vec<i64>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "select meeting_id from meeting_documents where document_id = $1 order by meeting_id")
            .bind(document_id).fetch_all(conn).await?))
    }
}
