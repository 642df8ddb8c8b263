-- Dialogue meetings (format, level, times at their place, participants by rule and by
-- name, agenda, outcomes, action items, documents) and operations (contributions, force
-- generation requirements, liaison postings).

create table operations (
    code text primary key,
    name text not null,
    kind text not null,
    region text not null default '',
    mandate text not null default '',
    -- Registry bounds: days or partial dates ('1999-03', 'by 2017-02-28'); end exclusive.
    starts text not null,
    ends text not null default '',
    phase text not null check (phase in ('consultation', 'planning', 'execution')),
    historical boolean not null default false,
    note text not null default '',
    source text not null default '',
    updated_at text not null
);

create table requirements (
    id integer primary key,
    operation text not null references operations (code),
    capability text not null,
    quantity bigint not null check (quantity > 0),
    starts text not null,
    ends text not null default ''
);
create index requirements_by_operation on requirements (operation, id);

create table contributions (
    id integer primary key,
    operation text not null references operations (code),
    nation text not null,
    kind text not null check (kind in ('troops', 'assets', 'funding', 'medical', 'liaison', 'other')),
    size bigint check (size is null or size > 0),
    starts text not null,
    ends text not null default '',
    -- No dates in the sources: dated with the operation's period.
    dates_assumed boolean not null default false,
    status text not null check (status in ('offered', 'accepted', 'deployed', 'withdrawn')),
    -- Once accepted (by the council for a non-member), even if later withdrawn.
    accepted boolean not null default false,
    council_decision_id bigint references council_decisions (id),
    requirement_id bigint references requirements (id),
    historical boolean not null default false,
    note text not null default '',
    source text not null default '',
    updated_at text not null
);
create index contributions_by_operation on contributions (operation, nation);
create index contributions_by_nation on contributions (nation);
create index contributions_by_requirement on contributions (requirement_id);

create table liaison_postings (
    id integer primary key,
    nation text not null,
    officer text not null,
    headquarters text not null,
    operation text references operations (code),
    starts text not null,
    ends text not null default '',
    updated_at text not null
);
create index postings_by_nation on liaison_postings (nation, starts);

create table meetings (
    id integer primary key,
    title text not null,
    format text not null check (format in ('bilateral', 'framework', 'flexible', 'council', 'consultation')),
    level text not null check (level in ('working', 'ambassadors', 'ministers', 'heads_of_state')),
    -- Local times at the place (YYYY-MM-DD or YYYY-MM-DDTHH:MM) in time_zone.
    starts text not null,
    ends text not null,
    time_zone text not null,
    -- The day the participant rule is resolved on (the first day, in UTC terms of the place).
    resolved_on text not null,
    place text not null default '',
    chair text not null default '',
    rule text not null default '',
    -- Participants listed by name: codes separated by spaces.
    names text not null default '',
    -- The participants as given in words, when neither a rule nor codes capture them.
    participants_text text not null default '',
    marking text not null,
    historical boolean not null default false,
    -- The date as the source writes it, for historical meetings ('2011-09').
    recorded_date text not null default '',
    note text not null default '',
    source text not null default '',
    updated_at text not null
);
create index meetings_by_start on meetings (resolved_on, id);

-- The resolved participant list, kept with the meeting so that "my meetings" and feeds are
-- one indexed query.
create table meeting_participants (
    meeting_id bigint not null references meetings (id),
    code text not null,
    kind text not null check (kind in ('nation', 'organisation')),
    primary key (meeting_id, kind, code)
);
create index participants_by_code on meeting_participants (kind, code, meeting_id);

-- Agenda items and outcomes, in order.
create table meeting_entries (
    id integer primary key,
    meeting_id bigint not null references meetings (id),
    section text not null check (section in ('agenda', 'outcome')),
    position bigint not null,
    text text not null
);
create index entries_by_meeting on meeting_entries (meeting_id, section, position);

create table action_items (
    id integer primary key,
    meeting_id bigint not null references meetings (id),
    title text not null,
    -- A participant's code or an account's email.
    owner text not null check (owner <> ''),
    due text not null,
    status text not null check (status in ('open', 'done', 'cancelled')),
    updated_at text not null
);
create index actions_by_meeting on action_items (meeting_id, id);
create index actions_by_owner on action_items (owner, due);

create table meeting_documents (
    meeting_id bigint not null references meetings (id),
    document_id bigint not null references documents (id),
    primary key (meeting_id, document_id)
);
