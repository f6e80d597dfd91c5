-- The PostgreSQL migration of this name makes the key columns of registrations and both
-- rollups compare by bytes (collation "C"). SQLite compares all text by bytes already
-- (BINARY), so there is nothing to change here.
SELECT 1;
