-- The key columns of the tables an import writes (registrations and both rollups) compare
-- by bytes (collation "C"), as every text in SQLite does. They hold codes, dates, ids and
-- source names, whose byte order is the order people expect, and their B-trees compare
-- them with memcmp instead of the database locale's strcoll: a COPY into registrations
-- costs the server about 10% less CPU (measured under C.UTF-8; docs/BENCHMARKS.md,
-- "Import"). A comparison with a column or value in the default collation takes "C".
-- Only the indexes are rebuilt; the rows are not rewritten.
ALTER TABLE registrations
	ALTER COLUMN gemeente TYPE TEXT COLLATE "C",
	ALTER COLUMN id TYPE TEXT COLLATE "C",
	ALTER COLUMN source TYPE TEXT COLLATE "C",
	ALTER COLUMN source_key TYPE TEXT COLLATE "C",
	ALTER COLUMN local_day TYPE TEXT COLLATE "C";

ALTER TABLE rollups
	ALTER COLUMN gemeente TYPE TEXT COLLATE "C",
	ALTER COLUMN category TYPE TEXT COLLATE "C",
	ALTER COLUMN day TYPE TEXT COLLATE "C",
	ALTER COLUMN precision TYPE TEXT COLLATE "C",
	ALTER COLUMN wijk TYPE TEXT COLLATE "C",
	ALTER COLUMN buurt TYPE TEXT COLLATE "C",
	ALTER COLUMN source TYPE TEXT COLLATE "C";

ALTER TABLE rollups_monthly
	ALTER COLUMN gemeente TYPE TEXT COLLATE "C",
	ALTER COLUMN category TYPE TEXT COLLATE "C",
	ALTER COLUMN month TYPE TEXT COLLATE "C",
	ALTER COLUMN precision TYPE TEXT COLLATE "C",
	ALTER COLUMN wijk TYPE TEXT COLLATE "C",
	ALTER COLUMN buurt TYPE TEXT COLLATE "C",
	ALTER COLUMN source TYPE TEXT COLLATE "C";
