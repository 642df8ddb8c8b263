-- Marks the database as Entente's, so that start-up can refuse any other database.
create table entente_meta (key text primary key, value text not null);
insert into entente_meta (key, value) values ('application', 'entente');

create table nations (
    code text primary key,
    name_en text not null,
    name_fr text not null
);

create table organisations (
    code text primary key,
    name_en text not null,
    name_fr text not null
);

create table frameworks (
    code text primary key,
    name_en text not null,
    name_fr text not null,
    kind text not null check (kind in ('partnership', 'dialogue')),
    description text not null
);

-- Bounds are kept in their text form (`1995-02`, `2004-12?`, `by 2024-07-03`) so that no
-- precision is lost; the core interprets them.
create table memberships (
    id integer primary key,
    nation text not null references nations (code),
    start_bound text not null,
    end_bound text,
    end_reason text,
    note text not null,
    source text not null
);

create table participations (
    id integer primary key,
    nation text not null references nations (code),
    framework text not null references frameworks (code),
    start_bound text not null,
    end_bound text,
    end_reason text,
    note text not null,
    source text not null
);
create index participations_by_framework on participations (framework);

-- Bumped by every change to the registry, so that every server process knows when its
-- in-memory copy is stale.
create table registry_revision (
    id integer primary key check (id = 1),
    revision bigint not null
);
insert into registry_revision (id, revision) values (1, 0);

-- The audit trail is hash-chained: each event's hash covers its sequence number, its
-- contents and the previous event's hash; the head records the last link, so that editing,
-- deleting or reordering events is detectable (`entente audit verify`).
create table audit_events (
    seq bigint primary key,
    at text not null,
    actor text not null,
    action text not null,
    detail text not null,
    prev_hash text not null,
    hash text not null
);

create table audit_head (
    id integer primary key check (id = 1),
    seq bigint not null,
    hash text not null
);
insert into audit_head (id, seq, hash) values (1, 0, 'genesis');
