-- The SQLite schema after all migrations. Generated: go test ./internal/store/sqlite -run SchemaDump -update

CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;

CREATE TRIGGER import_batches_heartbeat AFTER UPDATE OF lines_done, rows_read ON import_batches
WHEN NEW.heartbeat_at IS OLD.heartbeat_at
BEGIN
	UPDATE import_batches SET
		heartbeat_at = strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z',
		status = CASE WHEN status = 'interrupted' THEN 'running' ELSE status END,
		finished_at = CASE WHEN status = 'interrupted' THEN NULL ELSE finished_at END,
		note = CASE WHEN status = 'interrupted' THEN '' ELSE note END
	WHERE id = NEW.id;
END;

CREATE TRIGGER issued_documents_no_delete BEFORE DELETE ON issued_documents BEGIN SELECT RAISE(ABORT, 'issued_documents is append-only'); END;

CREATE TRIGGER issued_documents_no_update BEFORE UPDATE ON issued_documents BEGIN SELECT RAISE(ABORT, 'issued_documents is append-only'); END;

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

CREATE TABLE actions (
	gemeente          TEXT    NOT NULL,
	id                TEXT    NOT NULL,
	objective_id      TEXT    NOT NULL,
	title             TEXT    NOT NULL,
	owner_team        TEXT    NOT NULL DEFAULT '',
	partners          TEXT    NOT NULL,
	period_from       TEXT,
	period_to         TEXT,
	status            TEXT    NOT NULL,
	rag               TEXT    NOT NULL DEFAULT '',
	progress_notes    TEXT    NOT NULL DEFAULT '',
	carried_over_from TEXT    NOT NULL DEFAULT '',
	version           INTEGER NOT NULL,
	created_at        TEXT    NOT NULL,
	updated_at        TEXT    NOT NULL,
	updated_by        TEXT    NOT NULL,
	PRIMARY KEY (gemeente, id),
	FOREIGN KEY (gemeente, objective_id) REFERENCES objectives (gemeente, id)
);

CREATE TABLE api_tokens (
	id           TEXT    NOT NULL PRIMARY KEY,
	user_id      TEXT    NOT NULL REFERENCES users (id),
	name         TEXT    NOT NULL,
	token_hash   TEXT    NOT NULL UNIQUE,
	created_at   TEXT    NOT NULL,
	expires_at   TEXT,
	last_used_at TEXT,
	revoked      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE areas (
	code        TEXT    NOT NULL,
	year        INTEGER NOT NULL,
	level       TEXT    NOT NULL CHECK (level IN ('gemeente', 'wijk', 'buurt')),
	name        TEXT    NOT NULL,
	parent      TEXT    NOT NULL DEFAULT '',
	gemeente    TEXT    NOT NULL,
	geometry    TEXT    NOT NULL,
	min_lon     REAL    NOT NULL,
	min_lat     REAL    NOT NULL,
	max_lon     REAL    NOT NULL,
	max_lat     REAL    NOT NULL,
	source      TEXT    NOT NULL DEFAULT '',
	imported_at TEXT    NOT NULL,
	PRIMARY KEY (code, year)
);

CREATE TABLE count_history (
	gemeente          TEXT    NOT NULL,
	source            TEXT    NOT NULL,
	day               TEXT    NOT NULL,
	precision         TEXT    NOT NULL,
	wijk              TEXT    NOT NULL,
	buurt             TEXT    NOT NULL,
	category          TEXT    NOT NULL,
	kind              TEXT    NOT NULL,
	table_ref         TEXT    NOT NULL,
	n                 INTEGER NOT NULL,
	new_n             INTEGER,
	batch_id          TEXT    NOT NULL,
	retrieved_at      TEXT    NOT NULL,
	replaced_at       TEXT    NOT NULL,
	replaced_by_batch TEXT    NOT NULL,
	replaced_by       TEXT    NOT NULL,
	PRIMARY KEY (gemeente, source, day, precision, wijk, buurt, category, replaced_by_batch)
);

CREATE TABLE counts (
	gemeente     TEXT    NOT NULL,
	source       TEXT    NOT NULL,
	day          TEXT    NOT NULL,
	precision    TEXT    NOT NULL CHECK (precision IN ('month', 'year')),
	wijk         TEXT    NOT NULL DEFAULT '',
	buurt        TEXT    NOT NULL DEFAULT '',
	category     TEXT    NOT NULL,
	kind         TEXT    NOT NULL CHECK (kind IN ('misdrijven', 'overlast')),
	table_ref    TEXT    NOT NULL,
	n            INTEGER NOT NULL CHECK (n >= 0),
	batch_id     TEXT    NOT NULL,
	retrieved_at TEXT    NOT NULL,
	PRIMARY KEY (gemeente, source, day, precision, wijk, buurt, category)
);

CREATE TABLE data_version (
	gemeente TEXT    NOT NULL PRIMARY KEY,
	version  INTEGER NOT NULL
);

CREATE TABLE evaluations (
	gemeente      TEXT    NOT NULL,
	id            TEXT    NOT NULL,
	kind          TEXT    NOT NULL CHECK (kind IN ('forecast', 'hotspots')),
	selection_key TEXT    NOT NULL,
	run_at        TEXT    NOT NULL,
	run_by        TEXT    NOT NULL,
	events        INTEGER NOT NULL,
	result        TEXT    NOT NULL,
	PRIMARY KEY (gemeente, id)
);

CREATE TABLE import_batches (
	id           TEXT    NOT NULL PRIMARY KEY,
	kind         TEXT    NOT NULL,
	source       TEXT    NOT NULL,
	file_name    TEXT    NOT NULL,
	file_hash    TEXT    NOT NULL,
	status       TEXT    NOT NULL CHECK (status IN ('running', 'done', 'failed', 'interrupted')),
	lines_done   INTEGER NOT NULL DEFAULT 0,
	rows_read    INTEGER NOT NULL DEFAULT 0,
	stored       INTEGER NOT NULL DEFAULT 0,
	updated      INTEGER NOT NULL DEFAULT 0,
	unchanged    INTEGER NOT NULL DEFAULT 0,
	outside      INTEGER NOT NULL DEFAULT 0,
	rejected     INTEGER NOT NULL DEFAULT 0,
	started_by   TEXT    NOT NULL,
	started_at   TEXT    NOT NULL,
	finished_at  TEXT,
	heartbeat_at TEXT,
	note         TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE indicators (
	gemeente     TEXT    NOT NULL,
	id           TEXT    NOT NULL,
	code         TEXT    NOT NULL,
	name         TEXT    NOT NULL,
	definition   TEXT    NOT NULL DEFAULT '',
	unit         TEXT    NOT NULL,
	source       TEXT    NOT NULL,
	caveat       TEXT    NOT NULL DEFAULT '',
	computed     INTEGER NOT NULL,
	categories   TEXT    NOT NULL,
	area         TEXT    NOT NULL DEFAULT '',
	per_thousand INTEGER NOT NULL,
	version      INTEGER NOT NULL,
	created_at   TEXT    NOT NULL,
	updated_at   TEXT    NOT NULL,
	updated_by   TEXT    NOT NULL,
	PRIMARY KEY (gemeente, id),
	UNIQUE (gemeente, code)
);

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

CREATE TABLE login_failures (
	scope        TEXT    NOT NULL,
	subject      TEXT    NOT NULL,
	failures     INTEGER NOT NULL,
	window_start TEXT    NOT NULL,
	locked_until TEXT,
	PRIMARY KEY (scope, subject)
);

CREATE TABLE measurements (
	gemeente     TEXT    NOT NULL,
	indicator_id TEXT    NOT NULL,
	area         TEXT    NOT NULL,
	period       INTEGER NOT NULL,
	value        REAL    NOT NULL,
	status       TEXT    NOT NULL,
	version      INTEGER NOT NULL,
	created_at   TEXT    NOT NULL,
	updated_at   TEXT    NOT NULL,
	updated_by   TEXT    NOT NULL,
	PRIMARY KEY (gemeente, indicator_id, area, period),
	FOREIGN KEY (gemeente, indicator_id) REFERENCES indicators (gemeente, id)
);

CREATE TABLE objectives (
	gemeente     TEXT    NOT NULL,
	id           TEXT    NOT NULL,
	programme_id TEXT    NOT NULL,
	number       INTEGER NOT NULL,
	title        TEXT    NOT NULL,
	kind         TEXT    NOT NULL,
	priority_ids TEXT    NOT NULL,
	baseline     TEXT,
	targets      TEXT    NOT NULL,
	direction    TEXT    NOT NULL DEFAULT '',
	version      INTEGER NOT NULL,
	created_at   TEXT    NOT NULL,
	updated_at   TEXT    NOT NULL,
	updated_by   TEXT    NOT NULL, indicator_ids TEXT NOT NULL DEFAULT '[]',
	PRIMARY KEY (gemeente, id),
	UNIQUE (gemeente, programme_id, number),
	FOREIGN KEY (gemeente, programme_id) REFERENCES programmes (gemeente, id)
);

CREATE TABLE plans (
	gemeente      TEXT    NOT NULL,
	id            TEXT    NOT NULL,
	title         TEXT    NOT NULL,
	period_from   INTEGER NOT NULL,
	period_to     INTEGER NOT NULL,
	vision        TEXT    NOT NULL DEFAULT '',
	adopted_by    TEXT    NOT NULL DEFAULT '',
	decision_date TEXT,
	status        TEXT    NOT NULL,
	version       INTEGER NOT NULL,
	created_at    TEXT    NOT NULL,
	updated_at    TEXT    NOT NULL,
	updated_by    TEXT    NOT NULL,
	PRIMARY KEY (gemeente, id)
);

CREATE TABLE population (
	code         TEXT    NOT NULL,
	year         INTEGER NOT NULL,
	level        TEXT    NOT NULL CHECK (level IN ('gemeente', 'wijk', 'buurt')),
	inhabitants  INTEGER NOT NULL CHECK (inhabitants >= 0),
	dwellings    INTEGER,
	area_land_ha INTEGER,
	source       TEXT    NOT NULL DEFAULT '',
	imported_at  TEXT    NOT NULL,
	PRIMARY KEY (code, year)
);

CREATE TABLE priorities (
	gemeente   TEXT    NOT NULL,
	id         TEXT    NOT NULL,
	plan_id    TEXT    NOT NULL,
	rank       INTEGER NOT NULL,
	title      TEXT    NOT NULL,
	themes     TEXT    NOT NULL,
	summary    TEXT    NOT NULL DEFAULT '',
	version    INTEGER NOT NULL,
	created_at TEXT    NOT NULL,
	updated_at TEXT    NOT NULL,
	updated_by TEXT    NOT NULL,
	PRIMARY KEY (gemeente, id),
	FOREIGN KEY (gemeente, plan_id) REFERENCES plans (gemeente, id)
);

CREATE TABLE programme_history (
	gemeente   TEXT    NOT NULL,
	entity     TEXT    NOT NULL,
	id         TEXT    NOT NULL,
	version    INTEGER NOT NULL,
	body       TEXT    NOT NULL,
	changed_at TEXT    NOT NULL,
	changed_by TEXT    NOT NULL,
	PRIMARY KEY (gemeente, entity, id, version)
);

CREATE TABLE programmes (
	gemeente      TEXT    NOT NULL,
	id            TEXT    NOT NULL,
	plan_id       TEXT    NOT NULL,
	year          INTEGER NOT NULL,
	adopted_at    TEXT   ,
	decision_date TEXT,
	status        TEXT    NOT NULL,
	version       INTEGER NOT NULL,
	created_at    TEXT    NOT NULL,
	updated_at    TEXT    NOT NULL,
	updated_by    TEXT    NOT NULL, summary TEXT NOT NULL DEFAULT '', themes TEXT NOT NULL DEFAULT '[]', follow_up TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (gemeente, id),
	UNIQUE (gemeente, plan_id, year),
	FOREIGN KEY (gemeente, plan_id) REFERENCES plans (gemeente, id)
);

CREATE TABLE reference_data (
	name      TEXT NOT NULL,
	version   TEXT NOT NULL,
	body      TEXT NOT NULL,
	loaded_at TEXT NOT NULL,
	PRIMARY KEY (name, version)
);

CREATE TABLE registration_history (
	gemeente   TEXT    NOT NULL,
	id         TEXT    NOT NULL,
	version    INTEGER NOT NULL,
	body       TEXT    NOT NULL,
	batch_id   TEXT    NOT NULL,
	changed_at TEXT    NOT NULL,
	changed_by TEXT    NOT NULL,
	PRIMARY KEY (gemeente, id, version)
);

CREATE TABLE registrations (
	gemeente     TEXT    NOT NULL,
	id           TEXT    NOT NULL,
	source       TEXT    NOT NULL,
	source_key   TEXT    NOT NULL,
	source_id    TEXT    NOT NULL DEFAULT '',
	occurred_at  TEXT    NOT NULL,
	precision    TEXT    NOT NULL CHECK (precision IN ('minute', 'day', 'month')),
	local_day    TEXT    NOT NULL,
	reported_at  TEXT,
	category     TEXT    NOT NULL,
	lon          REAL,
	lat          REAL,
	x            REAL,
	y            REAL,
	wijk         TEXT    NOT NULL DEFAULT '',
	buurt        TEXT    NOT NULL DEFAULT '',
	area_year    INTEGER NOT NULL DEFAULT 0,
	outside      INTEGER NOT NULL DEFAULT 0,
	address      TEXT    NOT NULL DEFAULT '',
	bag_id       TEXT    NOT NULL DEFAULT '',
	description  TEXT    NOT NULL DEFAULT '',
	generated    INTEGER NOT NULL DEFAULT 0,
	content_hash TEXT    NOT NULL,
	batch_id     TEXT    NOT NULL,
	version      INTEGER NOT NULL DEFAULT 1,
	created_at   TEXT    NOT NULL,
	updated_at   TEXT    NOT NULL,
	PRIMARY KEY (gemeente, id)
) WITHOUT ROWID;

CREATE TABLE rollups (
	gemeente  TEXT    NOT NULL,
	category  TEXT    NOT NULL,
	day       TEXT    NOT NULL,
	precision TEXT    NOT NULL CHECK (precision IN ('day', 'month', 'year')),
	wijk      TEXT    NOT NULL,
	buurt     TEXT    NOT NULL,
	source    TEXT    NOT NULL,
	n         INTEGER NOT NULL,
	PRIMARY KEY (gemeente, category, day, precision, wijk, buurt, source)
) WITHOUT ROWID;

CREATE TABLE rollups_monthly (
	gemeente  TEXT    NOT NULL,
	category  TEXT    NOT NULL,
	month     TEXT    NOT NULL,
	precision TEXT    NOT NULL CHECK (precision IN ('day', 'month', 'year')),
	wijk      TEXT    NOT NULL,
	buurt     TEXT    NOT NULL,
	source    TEXT    NOT NULL,
	n         INTEGER NOT NULL,
	PRIMARY KEY (gemeente, category, month, precision, wijk, buurt, source)
) WITHOUT ROWID;

CREATE TABLE schema_migrations (
		name TEXT PRIMARY KEY,
		applied_at TEXT NOT NULL
	);

CREATE TABLE sessions (
	token_hash   TEXT    NOT NULL PRIMARY KEY,
	user_id      TEXT    NOT NULL REFERENCES users (id),
	created_at   TEXT    NOT NULL,
	last_seen_at TEXT    NOT NULL,
	expires_at   TEXT    NOT NULL
);

CREATE TABLE users (
	id            TEXT    NOT NULL PRIMARY KEY,
	name          TEXT    NOT NULL UNIQUE,
	display_name  TEXT    NOT NULL DEFAULT '',
	organisation  TEXT    NOT NULL DEFAULT '',
	roles         TEXT    NOT NULL,
	gemeenten     TEXT    NOT NULL,
	password_hash TEXT    NOT NULL DEFAULT '',
	disabled      INTEGER NOT NULL DEFAULT 0,
	created_at    TEXT    NOT NULL,
	updated_at    TEXT    NOT NULL
);

CREATE INDEX access_log_at ON access_log (at);

CREATE UNIQUE INDEX actions_id ON actions (id);

CREATE INDEX actions_objective ON actions (gemeente, objective_id);

CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE INDEX areas_gemeente_year ON areas (gemeente, year, level);

CREATE INDEX areas_year_level ON areas (year, level);

CREATE INDEX counts_source ON counts (source);

CREATE INDEX evaluations_latest ON evaluations (gemeente, kind, selection_key, run_at);

CREATE INDEX import_batches_file ON import_batches (file_hash, source);

CREATE INDEX import_batches_running ON import_batches (status) WHERE status = 'running';

CREATE UNIQUE INDEX indicators_id ON indicators (id);

CREATE UNIQUE INDEX issued_documents_id ON issued_documents (id);

CREATE INDEX issued_documents_programme ON issued_documents (gemeente, programme_id, issued_at);

CREATE UNIQUE INDEX objectives_id ON objectives (id);

CREATE UNIQUE INDEX plans_id ON plans (id);

CREATE UNIQUE INDEX priorities_id ON priorities (id);

CREATE INDEX priorities_plan ON priorities (gemeente, plan_id, rank);

CREATE INDEX programme_history_entity ON programme_history (entity, id, version);

CREATE UNIQUE INDEX programmes_id ON programmes (id);

CREATE INDEX registration_history_id ON registration_history (id, version);

CREATE INDEX registrations_gemeente_day ON registrations (gemeente, local_day);

CREATE UNIQUE INDEX registrations_source_key ON registrations (source, source_key);

CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE INDEX sessions_user ON sessions (user_id);

