-- Every view of personal data (a registration's free text or address) and every export
-- is logged: who, in which role and organisation, when, what, why, and the result.
-- Append-only: the triggers refuse changes and deletions.
CREATE TABLE access_log (
	gemeente     TEXT    NOT NULL,
	id           TEXT    NOT NULL,
	at           TEXT    NOT NULL,
	user_id      TEXT    NOT NULL,
	user_name    TEXT    NOT NULL,
	roles        TEXT    NOT NULL,
	organisation TEXT    NOT NULL,
	action       TEXT    NOT NULL,
	object_type  TEXT    NOT NULL,
	object_id    TEXT    NOT NULL,
	purpose      TEXT    NOT NULL,
	detail       TEXT    NOT NULL DEFAULT '',
	result       TEXT    NOT NULL,
	PRIMARY KEY (gemeente, id)
);
CREATE INDEX access_log_at ON access_log (at);
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
