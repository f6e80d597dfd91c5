-- The programme model (issue 6): the multi-year plan and its priorities, the yearly
-- programme with its objectives and actions, indicators and their measurements. Every
-- table starts its key with gemeente. Lists (themes, priority_ids, targets, partners,
-- categories) and the baseline are JSON text. Dates of decisions and action periods are
-- ISO dates (YYYY-MM-DD) as text. version rises with every update; the version an update
-- replaces is kept in programme_history with who changed it and when.
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
	created_at    TIMESTAMPTZ NOT NULL,
	updated_at    TIMESTAMPTZ NOT NULL,
	updated_by    TEXT    NOT NULL,
	PRIMARY KEY (gemeente, id)
);
CREATE UNIQUE INDEX plans_id ON plans (id);

CREATE TABLE priorities (
	gemeente   TEXT    NOT NULL,
	id         TEXT    NOT NULL,
	plan_id    TEXT    NOT NULL,
	rank       INTEGER NOT NULL,
	title      TEXT    NOT NULL,
	themes     TEXT    NOT NULL,
	summary    TEXT    NOT NULL DEFAULT '',
	version    INTEGER NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	updated_by TEXT    NOT NULL,
	PRIMARY KEY (gemeente, id),
	FOREIGN KEY (gemeente, plan_id) REFERENCES plans (gemeente, id)
);
CREATE UNIQUE INDEX priorities_id ON priorities (id);
CREATE INDEX priorities_plan ON priorities (gemeente, plan_id, rank);

CREATE TABLE programmes (
	gemeente      TEXT    NOT NULL,
	id            TEXT    NOT NULL,
	plan_id       TEXT    NOT NULL,
	year          INTEGER NOT NULL,
	adopted_at    TIMESTAMPTZ,
	decision_date TEXT,
	status        TEXT    NOT NULL,
	version       INTEGER NOT NULL,
	created_at    TIMESTAMPTZ NOT NULL,
	updated_at    TIMESTAMPTZ NOT NULL,
	updated_by    TEXT    NOT NULL,
	PRIMARY KEY (gemeente, id),
	UNIQUE (gemeente, plan_id, year),
	FOREIGN KEY (gemeente, plan_id) REFERENCES plans (gemeente, id)
);
CREATE UNIQUE INDEX programmes_id ON programmes (id);

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
	created_at   TIMESTAMPTZ NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL,
	updated_by   TEXT    NOT NULL,
	PRIMARY KEY (gemeente, id),
	UNIQUE (gemeente, programme_id, number),
	FOREIGN KEY (gemeente, programme_id) REFERENCES programmes (gemeente, id)
);
CREATE UNIQUE INDEX objectives_id ON objectives (id);

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
	created_at        TIMESTAMPTZ NOT NULL,
	updated_at        TIMESTAMPTZ NOT NULL,
	updated_by        TEXT    NOT NULL,
	PRIMARY KEY (gemeente, id),
	FOREIGN KEY (gemeente, objective_id) REFERENCES objectives (gemeente, id)
);
CREATE UNIQUE INDEX actions_id ON actions (id);
CREATE INDEX actions_objective ON actions (gemeente, objective_id);

-- An indicator is computed from registrations of categories (optionally in one area,
-- per 1,000 inhabitants) or entered by hand as measurements.
CREATE TABLE indicators (
	gemeente     TEXT    NOT NULL,
	id           TEXT    NOT NULL,
	code         TEXT    NOT NULL,
	name         TEXT    NOT NULL,
	definition   TEXT    NOT NULL DEFAULT '',
	unit         TEXT    NOT NULL,
	source       TEXT    NOT NULL,
	caveat       TEXT    NOT NULL DEFAULT '',
	computed     BOOLEAN NOT NULL,
	categories   TEXT    NOT NULL,
	area         TEXT    NOT NULL DEFAULT '',
	per_thousand BOOLEAN NOT NULL,
	version      INTEGER NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL,
	updated_by   TEXT    NOT NULL,
	PRIMARY KEY (gemeente, id),
	UNIQUE (gemeente, code)
);
CREATE UNIQUE INDEX indicators_id ON indicators (id);

CREATE TABLE measurements (
	gemeente     TEXT    NOT NULL,
	indicator_id TEXT    NOT NULL,
	area         TEXT    NOT NULL,
	period       INTEGER NOT NULL,
	value        DOUBLE PRECISION NOT NULL,
	status       TEXT    NOT NULL,
	version      INTEGER NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL,
	updated_by   TEXT    NOT NULL,
	PRIMARY KEY (gemeente, indicator_id, area, period),
	FOREIGN KEY (gemeente, indicator_id) REFERENCES indicators (gemeente, id)
);

-- Every version an update replaced: entity is plan, priority, programme, objective,
-- action, indicator or measurement (whose id is indicator_id/area/period); body is the
-- replaced version as JSON; changed_by is the user that replaced it, at changed_at.
CREATE TABLE programme_history (
	gemeente   TEXT    NOT NULL,
	entity     TEXT    NOT NULL,
	id         TEXT    NOT NULL,
	version    INTEGER NOT NULL,
	body       TEXT    NOT NULL,
	changed_at TIMESTAMPTZ NOT NULL,
	changed_by TEXT    NOT NULL,
	PRIMARY KEY (gemeente, entity, id, version)
);
CREATE INDEX programme_history_entity ON programme_history (entity, id, version);
