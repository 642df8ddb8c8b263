-- Each audited change records the digests of the rows it wrote (a JSON object, '' for none),
-- so that rows changed outside Entente are found by `entente audit verify`.
alter table audit_events add column digests text not null default '';
