-- Local accounts. roles and gemeenten are comma-separated lists (one installation can
-- serve a region); password_hash is an argon2id PHC string, empty when the account
-- signs in another way (API tokens only, or single sign-on later).
CREATE TABLE users (
	id            TEXT    NOT NULL PRIMARY KEY,
	name          TEXT    NOT NULL UNIQUE,
	display_name  TEXT    NOT NULL DEFAULT '',
	organisation  TEXT    NOT NULL DEFAULT '',
	roles         TEXT    NOT NULL,
	gemeenten     TEXT    NOT NULL,
	password_hash TEXT    NOT NULL DEFAULT '',
	disabled      INTEGER NOT NULL DEFAULT 0,
	created_at    TEXT    NOT NULL,
	updated_at    TEXT    NOT NULL
);

-- API tokens: only a SHA-256 hash of the secret is stored; the secret is shown once.
CREATE TABLE api_tokens (
	id           TEXT    NOT NULL PRIMARY KEY,
	user_id      TEXT    NOT NULL REFERENCES users (id),
	name         TEXT    NOT NULL,
	token_hash   TEXT    NOT NULL UNIQUE,
	created_at   TEXT    NOT NULL,
	expires_at   TEXT,
	last_used_at TEXT,
	revoked      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
