-- Registry changes proposed by staff or member delegates and applied only once an approver
-- approves them; documents edited, replaced (older files kept) and withdrawn.

create table registry_proposals (
    id integer primary key,
    -- 'begin' (a participation begins), 'end' (the one in force that day ends) or 'rename'.
    kind text not null check (kind in ('begin', 'end', 'rename')),
    nation text not null,
    framework text,
    -- The start or end as the registry writes it (a partial date, or 'by DATE').
    day text,
    name_en text,
    name_fr text,
    reason text not null,
    source text not null,
    status text not null default 'pending' check (status in ('pending', 'approved', 'returned')),
    proposed_by bigint not null references users (id),
    proposed_at text not null,
    decided_by bigint references users (id),
    decided_at text,
    comment text not null default ''
);
create index registry_proposals_by_status on registry_proposals (status, id);

alter table documents add column version bigint not null default 1;
alter table documents add column withdrawn_at text;
alter table documents add column withdrawn_by bigint references users (id);
alter table documents add column withdrawn_reason text not null default '';

-- The files a document held before each replacement.
create table document_versions (
    document_id bigint not null references documents (id) on delete cascade,
    version bigint not null,
    filename text not null,
    content_type text not null,
    size_bytes bigint not null,
    sha256 text not null,
    content blob not null,
    uploaded_by bigint not null references users (id),
    uploaded_at text not null,
    primary key (document_id, version)
);

-- A document's title folded (lower case, accents removed) by the application, for
-- searching; the application folds the titles of rows written before at its next start.
alter table documents add column title_folded text not null default '';
create index documents_by_title on documents (title_folded);
