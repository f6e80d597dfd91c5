-- CBS areas (gemeente, wijk, buurt) keyed by code and vintage year; geometry is a
-- GeoJSON MultiPolygon in WGS84 with its bounding box beside it.
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
CREATE INDEX areas_gemeente_year ON areas (gemeente, year, level);
CREATE INDEX areas_year_level ON areas (year, level);

-- CBS key figures per area on 1 January of year.
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
