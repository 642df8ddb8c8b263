-- (SQLite only: on PostgreSQL the planner then prefers it to the full-text index.)
-- The menu's search groups its hits by what authorize() and eligibility look at, and
-- filters by area, kind, provider, year and language: this index holds every column
-- those steps read, so a filtered search reads the index, not the activities' long texts.
create index activities_facets on activities (classification, area, kind, provider, year, languages, marking, open_to, code);
