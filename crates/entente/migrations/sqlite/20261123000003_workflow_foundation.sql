-- The workflow foundation: sign-in attempts counted before the password is checked,
-- framework identities that outlive a change of code, and markings stored as rows.

-- Every sign-in attempt is recorded before its password is checked (and forgotten again
-- when it succeeds), so that concurrent attempts cannot all slip past the throttle.
drop table sign_in_failures;
create table sign_in_attempts (
    id integer primary key,
    throttle_key text not null,
    at text not null
);
create index sign_in_attempts_by_key on sign_in_attempts (throttle_key, at);

-- A framework keeps its identity when an import changes its code (or its English name),
-- so that what was released to it stays released to it.
create table framework_identities (
    id integer primary key,
    code text not null unique,
    name_en text not null
);
insert into framework_identities (code, name_en) select code, name_en from frameworks order by code;

-- A document's releasability as data: to all, to members only, or to the listed
-- frameworks and nations. `pending` marks documents written before this migration; the
-- application reads their marking text once at start-up and fills the rows in.
alter table documents add column releasable_to text not null default 'pending'
    check (releasable_to in ('pending', 'all', 'members', 'listed'));
-- Who made the record (their affiliation), as distinct from the nation it concerns.
alter table documents add column originator text not null default 'staff';
create index documents_by_classification on documents (classification, id);

create table document_releasability (
    document_id bigint not null references documents (id) on delete cascade,
    framework_id bigint references framework_identities (id),
    nation text,
    check ((framework_id is null) <> (nation is null))
);
create index document_releasability_by_document on document_releasability (document_id);
create index document_releasability_by_framework on document_releasability (framework_id);
create index document_releasability_by_nation on document_releasability (nation);
