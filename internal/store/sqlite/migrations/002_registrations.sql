-- Versioned reference data (the category tree that ships, a municipality's extension).
CREATE TABLE reference_data (
	name      TEXT NOT NULL,
	version   TEXT NOT NULL,
	body      TEXT NOT NULL,
	loaded_at TEXT NOT NULL,
	PRIMARY KEY (name, version)
);

-- One row per incident or report. source_key is unique within the source: the source's
-- own id, or a content hash with the occurrence number of identical rows.
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
CREATE UNIQUE INDEX registrations_source_key ON registrations (source, source_key);
CREATE INDEX registrations_gemeente_day ON registrations (gemeente, local_day);

-- Earlier versions of registrations that a later import or edit changed.
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

-- Counts per local day x category x area x source, kept in step with registrations in
-- the same transaction (clustered on its key: one B-tree); police open-data counts are written here directly at month or
-- year precision. Trend and area figures read only this table.
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

-- The same counts per month (YYYY-MM), kept in the same transactions, so that trends by
-- month or year and totals over whole months read few rows at any size.
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

-- One row per import run, with its progress, so that a rerun can say where it resumed.
CREATE TABLE import_batches (
	id          TEXT    NOT NULL PRIMARY KEY,
	kind        TEXT    NOT NULL,
	source      TEXT    NOT NULL,
	file_name   TEXT    NOT NULL,
	file_hash   TEXT    NOT NULL,
	status      TEXT    NOT NULL CHECK (status IN ('running', 'done', 'failed')),
	lines_done  INTEGER NOT NULL DEFAULT 0,
	rows_read   INTEGER NOT NULL DEFAULT 0,
	stored      INTEGER NOT NULL DEFAULT 0,
	updated     INTEGER NOT NULL DEFAULT 0,
	unchanged   INTEGER NOT NULL DEFAULT 0,
	outside     INTEGER NOT NULL DEFAULT 0,
	rejected    INTEGER NOT NULL DEFAULT 0,
	started_by  TEXT    NOT NULL,
	started_at  TEXT    NOT NULL,
	finished_at TEXT
);
CREATE INDEX import_batches_file ON import_batches (file_hash, source);
