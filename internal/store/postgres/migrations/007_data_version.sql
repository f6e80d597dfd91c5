-- The data version of a gemeente: a counter raised in the same transaction as every
-- change to its rollups (imports, updates, deletes, police count revisions), so that a
-- server can cache what it computed from the rollups under (gemeente, version) and know
-- with one indexed read whether that is still current. A gemeente without a row has
-- version 0.
CREATE TABLE data_version (
	gemeente TEXT    NOT NULL PRIMARY KEY,
	version  INTEGER NOT NULL
);
