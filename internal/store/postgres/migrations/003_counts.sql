-- Police open-data counts (CBS/politie tables 47018NED, 47022NED, 47024NED): the current
-- figure per cell. The rollups hold recount(registrations) + these counts, changed by the
-- difference in the same transaction. A count stays at the level it was published: a
-- gemeente figure has wijk = buurt = '', a wijk figure buurt = ''; the levels of one source
-- do not add up (a buurt total leaves out what has no buurt), so a reader takes one level.
-- Zero figures are stored too, so that a re-import can tell what it carried before.
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
	retrieved_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (gemeente, source, day, precision, wijk, buurt, category)
);

-- Earlier figures that a newer download replaced (new_n) or removed (new_n NULL), with
-- the batch that stored them and the batch that replaced them. A batch changes a cell once.
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
	retrieved_at      TIMESTAMPTZ NOT NULL,
	replaced_at       TIMESTAMPTZ NOT NULL,
	replaced_by_batch TEXT    NOT NULL,
	replaced_by       TEXT    NOT NULL,
	PRIMARY KEY (gemeente, source, day, precision, wijk, buurt, category, replaced_by_batch)
);
