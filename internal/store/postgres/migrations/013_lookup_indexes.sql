-- Two lookups that scanned their table:
-- - every chunk of a registrations import checks that its source holds no police
--   open-data counts (the counts' key starts with the gemeente, not the source);
-- - a registration's history is read by id alone, so that it follows a registration
--   that an import moved to another municipality (the key starts with the gemeente).
CREATE INDEX counts_source ON counts (source);
CREATE INDEX registration_history_id ON registration_history (id, version);
