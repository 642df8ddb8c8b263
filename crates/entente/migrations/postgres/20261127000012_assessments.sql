-- Regular assessments: partnership goals of the Planning and Review Process, indicators
-- (of a programme's goal or of a PARP goal) with baseline and target, review periods with
-- their workflow and versions, the measurements recorded in them, and units declared to
-- the pool of forces with their evaluation steps.

create table parp_goals (
    id bigint generated always as identity primary key,
    nation text not null,
    -- The even year the goal was agreed in.
    round_year bigint not null check (round_year % 2 = 0),
    code text not null,
    title text not null,
    marking text not null,
    unique (nation, code)
);

create table indicators (
    id bigint generated always as identity primary key,
    nation text not null,
    programme_goal_id bigint references programme_goals (id),
    parp_goal_id bigint references parp_goals (id),
    title text not null,
    unit text not null default '',
    direction text not null check (direction in ('higher', 'lower', 'milestone')),
    baseline double precision not null,
    baseline_date text not null,
    target double precision not null,
    target_date text not null check (target_date > baseline_date),
    marking text not null,
    created_at text not null,
    -- An indicator belongs to exactly one goal: a programme's or the PARP's.
    check ((programme_goal_id is null) <> (parp_goal_id is null))
);
create index indicators_by_nation on indicators (nation, id);
create index indicators_by_programme_goal on indicators (programme_goal_id);
create index indicators_by_parp_goal on indicators (parp_goal_id);

create table reviews (
    id bigint generated always as identity primary key,
    nation text not null,
    cycle text not null check (cycle in ('programme', 'parp')),
    -- The programme reviewed (its code); empty for the PARP.
    programme_code text not null default '',
    year bigint not null,
    stage text not null check (stage in ('annual', 'survey', 'goals', 'assessment')),
    version bigint not null default 1,
    -- The approved version this one corrects.
    predecessor_id bigint references reviews (id),
    status text not null check (status in ('draft', 'submitted', 'returned', 'approved')),
    deadline text not null,
    self_assessment text not null default '',
    staff_assessment text not null default '',
    -- The approver's comments when returning it.
    comments text not null default '',
    marking text not null,
    approved_by text not null default '',
    updated_at text not null,
    -- Set on an approved version once a correction of it exists.
    superseded boolean not null default false,
    unique (nation, cycle, programme_code, year, stage, version)
);
create index reviews_by_year on reviews (year, nation);
create index reviews_by_deadline on reviews (status, deadline);

create table measurements (
    id bigint generated always as identity primary key,
    review_id bigint not null references reviews (id),
    indicator_id bigint not null references indicators (id),
    measured_on text not null,
    value double precision not null,
    judgement text not null default '' check (judgement in ('', 'on_track', 'at_risk', 'off_track', 'achieved')),
    note text not null default '',
    evidence_document_id bigint references documents (id),
    recorded_at text not null,
    unique (review_id, indicator_id)
);
create index measurements_by_indicator on measurements (indicator_id, measured_on);

create table force_units (
    id bigint generated always as identity primary key,
    nation text not null,
    name text not null,
    unit_type text not null,
    size bigint not null check (size > 0),
    declared_on text not null,
    marking text not null,
    created_at text not null
);
create index force_units_by_nation on force_units (nation, id);

create table evaluation_steps (
    id bigint generated always as identity primary key,
    unit_id bigint not null references force_units (id),
    step text not null check (step in ('SEL1', 'NEL1', 'SEL2', 'NEL2', 'REVAL')),
    taken_on text not null,
    passed boolean not null,
    evaluator text not null,
    -- Results by area: "area: result" lines.
    areas text not null default '',
    tasks_passed bigint not null default 0 check (tasks_passed >= 0),
    tasks_total bigint not null default 0 check (tasks_total >= tasks_passed),
    recorded_at text not null
);
create index evaluation_steps_by_unit on evaluation_steps (unit_id, id);
