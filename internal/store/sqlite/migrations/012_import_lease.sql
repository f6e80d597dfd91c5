-- Import runs get a lease (issue: an import interrupted by a restart showed "running"
-- forever). heartbeat_at is the last sign of life of the process running the import: set
-- when the run starts and renewed in the transaction of every committed chunk. A running
-- run whose heartbeat is older than the lease (store.ImportLease) belongs to a process
-- that stopped; `baken serve` marks it 'interrupted', with the time in finished_at and
-- what to do in note. Importing the same file again resumes it.
--
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt.
ALTER TABLE import_batches RENAME TO import_batches_old;
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
INSERT INTO import_batches (id, kind, source, file_name, file_hash, status, lines_done, rows_read, stored, updated,
	unchanged, outside, rejected, started_by, started_at, finished_at, heartbeat_at)
SELECT id, kind, source, file_name, file_hash, status, lines_done, rows_read, stored, updated,
	unchanged, outside, rejected, started_by, started_at, finished_at, COALESCE(finished_at, started_at)
FROM import_batches_old;
DROP TABLE import_batches_old;
CREATE INDEX import_batches_file ON import_batches (file_hash, source);
CREATE INDEX import_batches_running ON import_batches (status) WHERE status = 'running';

-- A chunk's progress renews the lease in the chunk's own transaction, whichever code
-- writes the progress; a statement that sets heartbeat_at itself (with the store's clock)
-- wins. Progress on a run marked interrupted means its process was alive after all (a
-- pause longer than the lease): the run is running again.
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
