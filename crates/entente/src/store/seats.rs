//! Seat requests, nominations, feedback and yearly budgets of sponsored seats.

use super::{StoreError, Tx, with_tx};

/// A seat request as stored, with its event's code.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredRequest {
    /// Row id.
    pub id: i64,
    /// The event's row id.
    pub event_id: i64,
    /// The event's code.
    pub event_code: String,
    /// The nation asking.
    pub nation: String,
    /// Seats asked for.
    pub seats: i64,
    /// 1 (highest) to 3.
    pub priority: i64,
    /// Seats given.
    pub seats_allocated: i64,
    /// `requested`, `allocated`, `waitlisted` or `cancelled`.
    pub status: String,
    /// Why not more (the core's reason, as JSON); empty until answered.
    pub reason: String,
    /// When it was asked.
    pub requested_at: String,
    /// Participants named on it (not cancelled).
    pub nominated: i64,
    /// The event's registration deadline.
    pub deadline: String,
    /// The event's marking (its activity's).
    pub marking: String,
}

/// A request to store.
#[derive(Debug, Clone)]
pub struct RequestRow {
    /// The event's row id.
    pub event_id: i64,
    /// The nation.
    pub nation: String,
    /// Seats asked for.
    pub seats: i64,
    /// Priority.
    pub priority: i64,
    /// Seats given.
    pub seats_allocated: i64,
    /// Status.
    pub status: String,
    /// Reason (JSON).
    pub reason: String,
    /// Who asked (none from the command line).
    pub requested_by: Option<i64>,
}

/// A request's answer.
#[derive(Debug, Clone)]
pub struct RequestAnswer {
    /// Row id.
    pub id: i64,
    /// Seats given.
    pub seats_allocated: i64,
    /// Status.
    pub status: String,
    /// Reason (JSON).
    pub reason: String,
}

/// A nomination as stored. Personal fields are empty once purged.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredNomination {
    /// Row id.
    pub id: i64,
    /// The request's row id.
    pub request_id: i64,
    /// Name.
    pub name: Option<String>,
    /// Rank.
    pub rank: Option<String>,
    /// Position.
    pub position: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Status.
    pub status: String,
    /// When the personal data was purged.
    pub purged_at: Option<String>,
}

/// A nomination to store.
#[derive(Debug, Clone)]
pub struct NominationRow {
    /// The request's row id.
    pub request_id: i64,
    /// The event's row id.
    pub event_id: i64,
    /// The email folded, to find the same person twice.
    pub person_key: String,
    /// Name.
    pub name: String,
    /// Rank.
    pub rank: String,
    /// Position.
    pub position: String,
    /// Email.
    pub email: String,
}

/// A feedback report as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredFeedback {
    /// Row id.
    pub id: i64,
    /// `participant` or `organiser`.
    pub author_role: String,
    /// Its marking.
    pub marking: String,
    /// The report.
    pub body: String,
    /// When it was filed.
    pub created_at: String,
}

/// A yearly budget of sponsored seats.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct StoredBudget {
    /// The nation.
    pub nation: String,
    /// The year.
    pub year: i64,
    /// The area, or empty for every area.
    pub area: String,
    /// Seats.
    pub seats: i64,
}

const SELECT_REQUEST: &str = "select r.id, r.event_id, e.code as event_code, r.nation, r.seats, r.priority, \
     r.seats_allocated, r.status, r.reason, r.requested_at, \
     (select count(*) from nominations n where n.request_id = r.id and n.status <> 'cancelled') as nominated, \
     e.deadline, a.marking from seat_requests r join events e on e.id = r.event_id \
     join activities a on a.id = e.activity_id";

impl Tx {
    /// Stores a request; returns its id.
    pub async fn insert_seat_request(&mut self, row: &RequestRow) -> Result<i64, StoreError> {
        let now = self.now_text();
        let answered = (row.status != "requested").then(|| now.clone());
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into seat_requests (event_id, nation, seats, priority, seats_allocated, status, reason, \
             requested_by, requested_at, answered_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id")
            .bind(row.event_id).bind(&row.nation).bind(row.seats).bind(row.priority).bind(row.seats_allocated)
            .bind(&row.status).bind(&row.reason).bind(row.requested_by).bind(&now).bind(answered)
            .fetch_one(conn).await?))
    }

    /// Records a request's answer.
    pub async fn answer_seat_request(&mut self, answer: &RequestAnswer) -> Result<(), StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => {
            sqlx::query("update seat_requests set seats_allocated = $1, status = $2, reason = $3, answered_at = $4 \
                         where id = $5")
                .bind(answer.seats_allocated).bind(&answer.status).bind(&answer.reason).bind(now).bind(answer.id)
                .execute(conn).await?;
            Ok(())
        })
    }

    /// One request.
    pub async fn seat_request(&mut self, id: i64) -> Result<Option<StoredRequest>, StoreError> {
        let sql = format!("{SELECT_REQUEST} where r.id = $1");
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?))
    }

    /// An event's requests, earliest first.
    pub async fn seat_requests(&mut self, event_id: i64) -> Result<Vec<StoredRequest>, StoreError> {
        let sql = format!("{SELECT_REQUEST} where r.event_id = $1 order by r.id");
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(event_id).fetch_all(conn).await?))
    }

    /// The requests of the events `event_ids`, earliest first.
    pub async fn seat_requests_of_events(&mut self, event_ids: &[i64]) -> Result<Vec<StoredRequest>, StoreError> {
        if event_ids.is_empty() {
            return Ok(Vec::new());
        }
        with_tx!(self, conn => {
            let mut q = sqlx::QueryBuilder::new(SELECT_REQUEST);
            q.push(" where r.event_id in (");
            let mut list = q.separated(", ");
            for id in event_ids {
                list.push_bind(*id);
            }
            list.push_unseparated(") order by r.id");
            Ok(q.build_query_as().fetch_all(conn).await?)
        })
    }

    /// A nation's requests, latest first: one page, and how many there are.
    pub async fn seat_requests_of_nation(
        &mut self,
        nation: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<StoredRequest>, i64), StoreError> {
        let sql = format!("{SELECT_REQUEST} where r.nation = $1 order by r.id desc limit $2 offset $3");
        with_tx!(self, conn => {
            let rows = sqlx::query_as(&sql).bind(nation).bind(limit).bind(offset).fetch_all(&mut *conn).await?;
            let total = sqlx::query_scalar("select count(*) from seat_requests where nation = $1")
                .bind(nation).fetch_one(conn).await?;
            Ok((rows, total))
        })
    }

    /// Sets the seats given on an event. The database refuses more than its capacity.
    pub async fn set_seats_taken(&mut self, event_id: i64, taken: i64) -> Result<(), StoreError> {
        with_tx!(self, conn => {
            sqlx::query("update events set seats_taken = $1 where id = $2").bind(taken).bind(event_id)
                .execute(conn).await?;
            Ok(())
        })
    }

    /// Marks an event's seats as allocated all at once.
    pub async fn mark_allocated(&mut self, event_id: i64) -> Result<(), StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => {
            sqlx::query("update events set allocated_at = $1 where id = $2").bind(now).bind(event_id)
                .execute(conn).await?;
            Ok(())
        })
    }

    /// Whether an event's seats have been allocated all at once.
    pub async fn event_allocated(&mut self, event_id: i64) -> Result<bool, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_scalar::<_, Option<String>>(
            "select allocated_at from events where id = $1")
            .bind(event_id).fetch_one(conn).await?.is_some()))
    }

    /// Of the events `ids`, those whose seats have been allocated all at once.
    pub async fn allocated_among(&mut self, ids: &[i64]) -> Result<Vec<i64>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        with_tx!(self, conn => {
            let mut q = sqlx::QueryBuilder::new("select id from events where allocated_at is not null and id in (");
            let mut list = q.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            list.push_unseparated(")");
            Ok(q.build_query_scalar().fetch_all(conn).await?)
        })
    }

    /// The codes of the `at_deadline` events whose deadline is before `today` and whose
    /// seats have not been allocated.
    pub async fn events_due_for_allocation(&mut self, today: &str) -> Result<Vec<String>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "select code from events where mode = 'at_deadline' and allocated_at is null and deadline < $1 \
             and status <> 'cancelled' order by deadline, code")
            .bind(today).fetch_all(conn).await?))
    }

    /// Stores a nomination; returns its id, or none when the person is already nominated
    /// to the event.
    pub async fn insert_nomination(&mut self, row: &NominationRow) -> Result<Option<i64>, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into nominations (request_id, event_id, person_key, name, rank, position, email, status, \
             created_at) values ($1, $2, $3, $4, $5, $6, $7, 'nominated', $8) \
             on conflict (event_id, person_key) do nothing returning id")
            .bind(row.request_id).bind(row.event_id).bind(&row.person_key).bind(&row.name).bind(&row.rank)
            .bind(&row.position).bind(&row.email).bind(now)
            .fetch_optional(conn).await?))
    }

    /// The nominations on the requests `request_ids`, in the order made.
    pub async fn nominations(&mut self, request_ids: &[i64]) -> Result<Vec<StoredNomination>, StoreError> {
        if request_ids.is_empty() {
            return Ok(Vec::new());
        }
        with_tx!(self, conn => {
            let mut q = sqlx::QueryBuilder::new(
                "select id, request_id, name, rank, position, email, status, purged_at from nominations \
                 where request_id in (");
            let mut list = q.separated(", ");
            for id in request_ids {
                list.push_bind(*id);
            }
            list.push_unseparated(") order by id");
            Ok(q.build_query_as().fetch_all(conn).await?)
        })
    }

    /// A nomination's request and status.
    pub async fn nomination(&mut self, id: i64) -> Result<Option<(i64, String)>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_as("select request_id, status from nominations where id = $1")
            .bind(id).fetch_optional(conn).await?))
    }

    /// Sets a nomination's status.
    pub async fn set_nomination_status(&mut self, id: i64, status: &str) -> Result<(), StoreError> {
        with_tx!(self, conn => {
            sqlx::query("update nominations set status = $1 where id = $2").bind(status).bind(id).execute(conn).await?;
            Ok(())
        })
    }

    /// Cancels the nominations on a request.
    pub async fn cancel_nominations(&mut self, request_id: i64) -> Result<(), StoreError> {
        with_tx!(self, conn => {
            sqlx::query("update nominations set status = 'cancelled' where request_id = $1 and status <> 'cancelled'")
                .bind(request_id).execute(conn).await?;
            Ok(())
        })
    }

    /// Erases the personal data of the nominations to events that ended before `day`;
    /// returns how many.
    pub async fn purge_nominations(&mut self, day: &str) -> Result<u64, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => Ok(sqlx::query(
            "update nominations set name = null, rank = null, position = null, email = null, person_key = null, \
             purged_at = $1 where purged_at is null and event_id in (select id from events where end_day < $2)")
            .bind(now).bind(day).execute(conn).await?.rows_affected()))
    }

    /// Stores a feedback report; returns its id.
    pub async fn insert_feedback(
        &mut self,
        event_id: i64,
        author_id: Option<i64>,
        role: &str,
        marking: &str,
        body: &str,
    ) -> Result<i64, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into feedback (event_id, author_id, author_role, marking, body, created_at) \
             values ($1, $2, $3, $4, $5, $6) returning id")
            .bind(event_id).bind(author_id).bind(role).bind(marking).bind(body).bind(now)
            .fetch_one(conn).await?))
    }

    /// An event's feedback, in the order filed.
    pub async fn feedback(&mut self, event_id: i64) -> Result<Vec<StoredFeedback>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_as(
            "select id, author_role, marking, body, created_at from feedback where event_id = $1 order by id")
            .bind(event_id).fetch_all(conn).await?))
    }

    /// Sets a budget (replacing the one for the same nation, year and area).
    pub async fn set_budget(&mut self, budget: &StoredBudget) -> Result<(), StoreError> {
        with_tx!(self, conn => {
            sqlx::query("insert into seat_budgets (nation, year, area, seats) values ($1, $2, $3, $4) \
                         on conflict (nation, year, area) do update set seats = excluded.seats")
                .bind(&budget.nation).bind(budget.year).bind(&budget.area).bind(budget.seats)
                .execute(conn).await?;
            Ok(())
        })
    }

    /// The budgets of a year.
    pub async fn budgets(&mut self, year: i64) -> Result<Vec<StoredBudget>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_as(
            "select nation, year, area, seats from seat_budgets where year = $1 order by nation, area")
            .bind(year).fetch_all(conn).await?))
    }
}
