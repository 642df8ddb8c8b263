-- Tailored programmes: versions with their lifecycle, objectives, goals, the activities and
-- events supporting each goal, and yearly work plans.

create table programmes (
    id integer primary key,
    code text not null,
    version bigint not null,
    nation text not null,
    kind text not null check (kind in ('ipp', 'ipap', 'ipcp', 'anp', 'itpp', 'annual_package', 'dcb_package')),
    title text not null,
    -- Days, or partial dates for historical programmes ('2014-09'); empty when unknown.
    starts text not null default '',
    ends text not null default '',
    status text not null check (status in ('draft', 'submitted', 'agreed', 'in_execution', 'closed')),
    marking text not null,
    predecessor_id bigint references programmes (id),
    council_decision text not null default '',
    partner_accepted_by text not null default '',
    -- Loaded from the reference dataset's programme documents.
    historical boolean not null default false,
    note text not null default '',
    source text not null default '',
    updated_at text not null,
    unique (code, version)
);
create index programmes_by_nation on programmes (nation, code);
create index programmes_by_status on programmes (status, code);

create table programme_objectives (
    id integer primary key,
    programme_id bigint not null references programmes (id),
    position bigint not null,
    title text not null
);
create index objectives_by_programme on programme_objectives (programme_id, position);

create table programme_goals (
    id integer primary key,
    objective_id bigint not null references programme_objectives (id),
    position bigint not null,
    title text not null
);
create index goals_by_objective on programme_goals (objective_id, position);

-- A menu activity's or an event's code supporting a goal.
create table goal_supports (
    goal_id bigint not null references programme_goals (id),
    code text not null,
    primary key (goal_id, code)
);

create table work_plan_items (
    id integer primary key,
    programme_id bigint not null references programmes (id),
    year bigint not null,
    goal_id bigint not null references programme_goals (id),
    code text not null,
    priority bigint not null check (priority between 1 and 3),
    added_at text not null,
    unique (programme_id, year, code)
);
