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
	disabled      BOOLEAN NOT NULL DEFAULT FALSE,
	created_at    TIMESTAMPTZ    NOT NULL,
	updated_at    TIMESTAMPTZ    NOT NULL
);

-- API tokens: only a SHA-256 hash of the secret is stored; the secret is shown once.
CREATE TABLE api_tokens (
	id           TEXT    NOT NULL PRIMARY KEY,
	user_id      TEXT    NOT NULL REFERENCES users (id),
	name         TEXT    NOT NULL,
	token_hash   TEXT    NOT NULL UNIQUE,
	created_at   TIMESTAMPTZ    NOT NULL,
	expires_at   TIMESTAMPTZ,
	last_used_at TIMESTAMPTZ,
	revoked      BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
