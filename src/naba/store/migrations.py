"""Numbered, forward-only schema migrations for the SQLite store.

A migration is never edited once released: a change of schema is a new number. ``schema_migrations`` records
which ran; each runs in its own transaction together with its bookkeeping row.
"""

from __future__ import annotations

MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE articles (
        id              TEXT PRIMARY KEY,
        url             TEXT,
        canonical_url   TEXT,
        publisher       TEXT,
        original_source TEXT,
        language        TEXT,
        title           TEXT NOT NULL,
        published       TEXT,              -- ISO 8601 as stated (date or date-time with offset)
        published_ts    REAL,              -- UTC seconds, for ordering and date filters
        embedded_in     TEXT,
        content_sha256  TEXT NOT NULL,     -- hash of the article JSON without provenance: change detection
        raw_sha256      TEXT,
        source          TEXT NOT NULL,     -- file path (and member) or URL it was read from
        fetched_at      TEXT,
        ingested_at     TEXT NOT NULL,
        analyzer        TEXT NOT NULL,
        version         INTEGER NOT NULL,
        change_seq      INTEGER NOT NULL,
        doc             TEXT NOT NULL      -- the article JSON
    );
    CREATE INDEX articles_by_published ON articles(published_ts DESC);
    CREATE INDEX articles_by_publisher ON articles(publisher, published_ts DESC);
    CREATE UNIQUE INDEX articles_by_change ON articles(change_seq);
    CREATE INDEX articles_by_embedded_in ON articles(embedded_in);

    CREATE TABLE article_versions (
        id          TEXT NOT NULL,
        version     INTEGER NOT NULL,
        doc         TEXT NOT NULL,
        replaced_at TEXT NOT NULL,
        PRIMARY KEY (id, version)
    );

    CREATE TABLE failures (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        stage      TEXT NOT NULL,
        location   TEXT NOT NULL,
        error_type TEXT NOT NULL,
        message    TEXT NOT NULL,
        at         TEXT NOT NULL
    );

    CREATE TABLE state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
}
