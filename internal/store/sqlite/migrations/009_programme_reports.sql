-- The programme's documents (issue 6). A programme carries what its council letter says
-- beside the plan's priorities: the opening of the summary, the current themes (JSON:
-- [{title, text, indicator_ids}]) and what follows; an objective names the indicators
-- that measure it (JSON list of ids, the main one first).
ALTER TABLE programmes ADD COLUMN summary TEXT NOT NULL DEFAULT '';
ALTER TABLE programmes ADD COLUMN themes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE programmes ADD COLUMN follow_up TEXT NOT NULL DEFAULT '';
ALTER TABLE objectives ADD COLUMN indicator_ids TEXT NOT NULL DEFAULT '[]';

-- Every council letter and progress report that was issued, byte for byte, with the
-- reference date of its figures (as_of, YYYY-MM-DD), who issued it and when, and the
-- SHA-256 of the body (hex). Append-only: the triggers refuse changes and deletions,
-- so an issued document never changes; issuing again adds a new one.
CREATE TABLE issued_documents (
	gemeente     TEXT    NOT NULL,
	id           TEXT    NOT NULL,
	programme_id TEXT    NOT NULL,
	kind         TEXT    NOT NULL CHECK (kind IN ('council-letter', 'progress')),
	format       TEXT    NOT NULL,
	as_of        TEXT    NOT NULL,
	issued_at    TEXT    NOT NULL,
	issued_by    TEXT    NOT NULL,
	sha256       TEXT    NOT NULL,
	body         BLOB    NOT NULL,
	PRIMARY KEY (gemeente, id),
	FOREIGN KEY (gemeente, programme_id) REFERENCES programmes (gemeente, id)
);
CREATE UNIQUE INDEX issued_documents_id ON issued_documents (id);
CREATE INDEX issued_documents_programme ON issued_documents (gemeente, programme_id, issued_at);
CREATE TRIGGER issued_documents_no_update BEFORE UPDATE ON issued_documents BEGIN SELECT RAISE(ABORT, 'issued_documents is append-only'); END;
CREATE TRIGGER issued_documents_no_delete BEFORE DELETE ON issued_documents BEGIN SELECT RAISE(ABORT, 'issued_documents is append-only'); END;
