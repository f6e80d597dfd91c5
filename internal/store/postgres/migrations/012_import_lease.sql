-- Import runs get a lease (issue: an import interrupted by a restart showed "running"
-- forever). heartbeat_at is the last sign of life of the process running the import: set
-- when the run starts and renewed in the transaction of every committed chunk. A running
-- run whose heartbeat is older than the lease (store.ImportLease) belongs to a process
-- that stopped; `baken serve` marks it 'interrupted', with the time in finished_at and
-- what to do in note. Importing the same file again resumes it.
ALTER TABLE import_batches DROP CONSTRAINT import_batches_status_check;
ALTER TABLE import_batches ADD CONSTRAINT import_batches_status_check
	CHECK (status IN ('running', 'done', 'failed', 'interrupted'));
ALTER TABLE import_batches ADD COLUMN heartbeat_at TIMESTAMPTZ;
ALTER TABLE import_batches ADD COLUMN note TEXT NOT NULL DEFAULT '';
UPDATE import_batches SET heartbeat_at = COALESCE(finished_at, started_at);
CREATE INDEX import_batches_running ON import_batches (status) WHERE status = 'running';

-- A chunk's progress renews the lease in the chunk's own transaction, whichever code
-- writes the progress; a statement that sets heartbeat_at itself (with the store's clock)
-- wins. Progress on a run marked interrupted means its process was alive after all (a
-- pause longer than the lease): the run is running again.
CREATE FUNCTION import_batches_heartbeat() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.heartbeat_at IS NOT DISTINCT FROM OLD.heartbeat_at THEN
		NEW.heartbeat_at := clock_timestamp();
		IF OLD.status = 'interrupted' AND NEW.status = 'interrupted' THEN
			NEW.status := 'running';
			NEW.finished_at := NULL;
			NEW.note := '';
		END IF;
	END IF;
	RETURN NEW;
END;
$$;
CREATE TRIGGER import_batches_heartbeat BEFORE UPDATE OF lines_done, rows_read ON import_batches
	FOR EACH ROW EXECUTE FUNCTION import_batches_heartbeat();
