-- The cooperation menu: areas, alliance bodies that provide activities, activities by year
-- with full-text search, events, eligibility policies, council decisions and calendars.

create table areas (
    code text primary key,
    name_en text not null,
    name_fr text not null,
    source text not null default ''
);

create table bodies (
    code text primary key,
    name_en text not null,
    name_fr text not null,
    source text not null default ''
);

create table activities (
    id bigint generated always as identity primary key,
    code text not null,
    year bigint not null,
    title_en text not null,
    title_fr text not null default '',
    description_en text not null default '',
    description_fr text not null default '',
    area text not null references areas (code),
    kind text not null check (kind in ('course', 'exercise', 'workshop', 'conference', 'seminar', 'training', 'expert_team', 'visit')),
    provider text not null default '',
    languages text not null default '',
    classification text not null check (classification in ('PUBLIC', 'UNCLASSIFIED', 'RESTRICTED')),
    marking text not null,
    open_to text not null,
    default_seats bigint,
    -- Titles and descriptions in both languages, accents and case folded: what search matches.
    search_text text not null,
    generated boolean not null default false,
    updated_at text not null,
    unique (year, code)
);
create index activities_by_code on activities (code, year);
create index activities_by_area on activities (year, area);

alter table activities add column search_vector tsvector
    generated always as (to_tsvector('simple', search_text)) stored;
create index activities_search on activities using gin (search_vector);

create table events (
    id bigint generated always as identity primary key,
    code text not null unique,
    activity_id bigint not null references activities (id),
    -- Local to the place: 'YYYY-MM-DD' for whole days, 'YYYY-MM-DDTHH:MM' otherwise.
    starts text not null,
    ends text not null,
    start_day text not null,
    end_day text not null,
    time_zone text not null,
    place text not null,
    capacity bigint not null check (capacity >= 0),
    quota bigint check (quota >= 0),
    deadline text not null,
    status text not null check (status in ('planned', 'open', 'closed', 'held', 'cancelled')),
    mode text not null check (mode in ('first_come', 'at_deadline')),
    updated_at text not null
);
create index events_by_activity on events (activity_id, start_day);
create index events_by_start on events (start_day);

create table policies (
    code text primary key,
    rule text not null check (rule in ('framework_participants', 'case_by_case', 'all_partners', 'suspensions')),
    from_day text not null,
    to_day text,
    title_en text not null,
    title_fr text not null,
    source text not null default '',
    updated_at text not null
);

create table council_decisions (
    id bigint generated always as identity primary key,
    decided_on text not null,
    kind text not null check (kind in ('opens', 'suspends')),
    scope text not null,
    from_day text not null,
    to_day text,
    reference text not null,
    recorded_by bigint references users (id),
    recorded_at text not null
);

create table council_decision_nations (
    decision_id bigint not null references council_decisions (id) on delete cascade,
    nation text not null,
    primary key (decision_id, nation)
);

-- A private calendar feed's secret: only its hash is kept.
create table calendar_feeds (
    user_id bigint primary key references users (id),
    token_hash text not null unique,
    created_at text not null
);

create table calendar_selections (
    user_id bigint not null references users (id),
    event_id bigint not null references events (id) on delete cascade,
    primary key (user_id, event_id)
);
