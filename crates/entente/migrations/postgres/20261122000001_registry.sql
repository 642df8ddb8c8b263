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
    id bigint generated always as identity primary key,
    nation text not null references nations (code),
    start_bound text not null,
    end_bound text,
    end_reason text,
    note text not null,
    source text not null
);

create table participations (
    id bigint generated always as identity primary key,
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

create table audit_events (
    id bigint generated always as identity primary key,
    at text not null,
    actor text not null,
    action text not null,
    detail text not null
);
