-- A framework keeps the source of its description, like every other row of the registry.
alter table frameworks add column source text not null default '';
