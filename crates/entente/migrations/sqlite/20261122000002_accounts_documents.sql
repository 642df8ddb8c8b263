-- Accounts, sessions, personal API tokens, sign-in throttling and the first marked records.

create table users (
    id integer primary key,
    email text not null unique,
    display_name text not null,
    role text not null check (role in ('admin', 'staff', 'approver', 'member_delegate', 'partner_officer', 'analyst')),
    affiliation_kind text not null check (affiliation_kind in ('staff', 'nation', 'organisation')),
    affiliation_code text,
    clearance text not null check (clearance in ('PUBLIC', 'UNCLASSIFIED', 'RESTRICTED')),
    password_hash text not null,
    active boolean not null,
    created_at text not null
);

-- Only a hash of the session id is stored, so a copy of the table cannot sign anybody in.
create table sessions (
    id_hash text primary key,
    user_id bigint not null references users (id),
    csrf_token text not null,
    created_at text not null,
    last_seen_at text not null
);
create index sessions_by_user on sessions (user_id);

create table api_tokens (
    id integer primary key,
    user_id bigint not null references users (id),
    name text not null,
    token_hash text not null unique,
    can_write boolean not null,
    created_at text not null,
    expires_at text not null,
    revoked_at text
);
create index api_tokens_by_user on api_tokens (user_id);

-- One row per failed sign-in, keyed by account and by client address, for throttling.
create table sign_in_failures (
    throttle_key text not null,
    at text not null
);
create index sign_in_failures_by_key on sign_in_failures (throttle_key, at);

create table documents (
    id integer primary key,
    title text not null,
    filename text not null,
    content_type text not null,
    size_bytes bigint not null,
    classification text not null check (classification in ('PUBLIC', 'UNCLASSIFIED', 'RESTRICTED')),
    marking text not null,
    owner_nation text,
    sha256 text not null,
    content blob not null,
    uploaded_by bigint not null references users (id),
    uploaded_at text not null
);

create table document_links (
    document_id bigint not null references documents (id) on delete cascade,
    kind text not null check (kind in ('nation', 'framework')),
    code text not null,
    primary key (document_id, kind, code)
);
create index document_links_by_code on document_links (kind, code);
