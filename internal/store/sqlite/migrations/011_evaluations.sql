-- Stored evaluations of analyses (issue 7): how well forecasts (or hotspot maps) did on a
-- municipality's own data, kept so that every map can show its latest evaluation beside
-- it. selection_key is the canonical text of the selection the evaluation ran on (area,
-- categories, sources, cell size, horizon); result is the outcome as JSON; events is how
-- many events it used. Rows are never changed: a new run adds a row, and the latest
-- counts.
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
CREATE INDEX evaluations_latest ON evaluations (gemeente, kind, selection_key, run_at);
