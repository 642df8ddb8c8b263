-- Seat requests, nominations, feedback and yearly budgets of sponsored seats.

-- Seats given on the event, kept by every change in the same transaction: the check is
-- the database's own guarantee that an event is never overbooked, whatever the code does.
alter table events add column seats_taken bigint not null default 0 check (seats_taken >= 0 and seats_taken <= capacity);
alter table events add column allocated_at text;

create table seat_requests (
    id integer primary key,
    event_id bigint not null references events (id),
    nation text not null,
    seats bigint not null check (seats > 0),
    priority bigint not null check (priority between 1 and 3),
    seats_allocated bigint not null default 0 check (seats_allocated >= 0 and seats_allocated <= seats),
    status text not null check (status in ('requested', 'allocated', 'waitlisted', 'cancelled')),
    -- Why not more, as the core says it (JSON); empty until answered.
    reason text not null default '',
    requested_by bigint references users (id),
    requested_at text not null,
    answered_at text
);
create index seat_requests_by_event on seat_requests (event_id, id);
create index seat_requests_by_nation on seat_requests (nation, id);

-- Personal data (name, rank, position, email) is minimal and purged a while after the
-- event; person_key (the email folded) keeps one person from being nominated twice.
create table nominations (
    id integer primary key,
    request_id bigint not null references seat_requests (id),
    event_id bigint not null references events (id),
    person_key text,
    name text,
    rank text,
    position text,
    email text,
    status text not null check (status in ('nominated', 'confirmed', 'attended', 'no_show', 'cancelled')),
    created_at text not null,
    purged_at text,
    unique (event_id, person_key)
);
create index nominations_by_request on nominations (request_id);

create table feedback (
    id integer primary key,
    event_id bigint not null references events (id),
    author_id bigint references users (id),
    author_role text not null check (author_role in ('participant', 'organiser')),
    marking text not null,
    body text not null,
    created_at text not null
);
create index feedback_by_event on feedback (event_id, id);

-- A nation's yearly budget of sponsored seats: for one area, or for all ('').
create table seat_budgets (
    nation text not null,
    year bigint not null,
    area text not null default '',
    seats bigint not null check (seats >= 0),
    primary key (nation, year, area)
);
