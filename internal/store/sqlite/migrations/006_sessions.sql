-- Sessions of signed-in users. The cookie carries a random 32-byte token; only its
-- SHA-256 (hex) is stored, so a copy of the database signs nobody in. expires_at is the
-- absolute end; the idle timeout is checked against last_seen_at, which is refreshed at
-- most once a minute.
CREATE TABLE sessions (
	token_hash   TEXT    NOT NULL PRIMARY KEY,
	user_id      TEXT    NOT NULL REFERENCES users (id),
	created_at   TEXT    NOT NULL,
	last_seen_at TEXT    NOT NULL,
	expires_at   TEXT    NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed sign-ins, counted per user name and per client address (scope 'name' or
-- 'addr') within a window that starts at the first failure. subject is the SHA-256 (hex)
-- of the name or address: the table bounds what it keeps and holds no address in clear.
-- A key that reaches the limit is locked until locked_until, whatever password comes.
-- Shared by every server on the database; rows older than window and lockout are pruned.
CREATE TABLE login_failures (
	scope        TEXT    NOT NULL,
	subject      TEXT    NOT NULL,
	failures     INTEGER NOT NULL,
	window_start TEXT    NOT NULL,
	locked_until TEXT,
	PRIMARY KEY (scope, subject)
);
