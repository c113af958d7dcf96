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
    # Understanding (naba.engine.understand): duplicate groups, per-article verdicts and story assignments, stories,
    # story redirects (merged id -> surviving id) and thread links. Ids are kept live: a merge rewrites the
    # rows of the absorbed story or group and leaves a redirect, so old ids keep resolving.
    2: """
    CREATE TABLE dup_groups (
        id       TEXT PRIMARY KEY,
        original TEXT NOT NULL,
        size     INTEGER NOT NULL
    );
    CREATE TABLE dup_members (
        article  TEXT PRIMARY KEY,
        group_id TEXT NOT NULL,
        outlet   TEXT,
        url      TEXT
    );
    CREATE INDEX dup_members_by_group ON dup_members(group_id);
    CREATE TABLE dup_redirects (
        absorbed TEXT PRIMARY KEY,
        into_id  TEXT NOT NULL
    );

    CREATE TABLE understanding (
        article          TEXT PRIMARY KEY,
        dup_group        TEXT NOT NULL,
        duplicate_of     TEXT,
        similarity       REAL NOT NULL,
        method           TEXT NOT NULL,
        story            TEXT NOT NULL,       -- live story id (rewritten on merges)
        assigned_story   TEXT NOT NULL,       -- the story the article was assigned to on arrival
        story_similarity REAL NOT NULL,
        story_method     TEXT NOT NULL,
        published_ts     REAL
    );
    CREATE INDEX understanding_by_story ON understanding(story, published_ts);
    CREATE INDEX understanding_by_group ON understanding(dup_group);

    CREATE TABLE stories (
        id          TEXT PRIMARY KEY,
        headline    TEXT NOT NULL,
        lead        TEXT NOT NULL,
        first_seen  REAL,
        last_seen   REAL,
        outlets     TEXT NOT NULL,            -- JSON list, most articles first
        n_outlets   INTEGER NOT NULL,
        top_terms   TEXT NOT NULL,            -- JSON list
        size        INTEGER NOT NULL
    );
    CREATE INDEX stories_by_last_seen ON stories(last_seen DESC);

    CREATE TABLE story_redirects (
        absorbed   TEXT PRIMARY KEY,
        into_id    TEXT NOT NULL,
        similarity REAL NOT NULL,
        at         TEXT NOT NULL
    );
    CREATE INDEX story_redirects_by_into ON story_redirects(into_id);

    CREATE TABLE thread_links (
        story      TEXT NOT NULL,
        to_story   TEXT NOT NULL,
        similarity REAL NOT NULL,
        PRIMARY KEY (story, to_story)
    );
    CREATE INDEX thread_links_by_to ON thread_links(to_story);
    """,
    # Entities and keywords (naba.engine.understand): per-article rows written with the article's understanding, the
    # surface forms seen per canonical name (for alias lookups and entity pages), and each story's top
    # entities and keywords kept with the story (JSON lists, recomputed from its articles when it is written).
    3: """
    CREATE TABLE article_entities (
        article      TEXT NOT NULL,
        canonical    TEXT NOT NULL,
        kind         TEXT NOT NULL,           -- PER, LOC or ORG (the article's majority for this entity)
        name         TEXT NOT NULL,           -- first surface form, proclitic removed
        first_offset INTEGER NOT NULL,        -- in title + newline + body
        count        INTEGER NOT NULL,
        published_ts REAL,
        PRIMARY KEY (article, canonical)
    );
    CREATE INDEX article_entities_by_canonical ON article_entities(canonical, published_ts);
    CREATE INDEX article_entities_by_published ON article_entities(published_ts);

    CREATE TABLE entity_names (
        name      TEXT NOT NULL,
        canonical TEXT NOT NULL,
        mentions  INTEGER NOT NULL,
        PRIMARY KEY (name, canonical)
    );
    CREATE INDEX entity_names_by_canonical ON entity_names(canonical);

    CREATE TABLE article_keywords (
        article TEXT NOT NULL,
        key     TEXT NOT NULL,                -- analyzer key (stems)
        text    TEXT NOT NULL,                -- display form
        score   REAL NOT NULL,
        count   INTEGER NOT NULL,
        PRIMARY KEY (article, key)
    );

    ALTER TABLE stories ADD COLUMN entities TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE stories ADD COLUMN keywords TEXT NOT NULL DEFAULT '[]'
    """,
    # Group merges rewrite redirects that point at the absorbed id (flattening): without this index every
    # merge scans the whole redirect table, which grows with the store (story_redirects has one since 2).
    4: """
    CREATE INDEX dup_redirects_by_into ON dup_redirects(into_id)
    """,
    # Fetching (naba.sources): followed sources with their poll state, and the items each has served (item key
    # = GUID or link) with the article they became, so a re-served or edited item never makes a second article.
    5: """
    CREATE TABLE sources (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        url             TEXT NOT NULL UNIQUE,
        kind            TEXT NOT NULL,             -- feed | sitemap
        title           TEXT,
        site_url        TEXT,
        publisher       TEXT,
        language        TEXT,
        country         TEXT,
        region          TEXT,
        verified        INTEGER NOT NULL DEFAULT 0,
        enabled         INTEGER NOT NULL DEFAULT 1,
        added_at        TEXT NOT NULL,
        etag            TEXT,
        last_modified   TEXT,
        last_poll       TEXT,
        last_ok         TEXT,
        next_poll_ts    REAL NOT NULL DEFAULT 0,  -- UTC seconds
        interval_s      REAL,
        failures        INTEGER NOT NULL DEFAULT 0,  -- consecutive failed polls
        last_status     INTEGER,
        last_error      TEXT,
        polls           INTEGER NOT NULL DEFAULT 0,
        items_seen      INTEGER NOT NULL DEFAULT 0,
        articles_stored INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX sources_by_next_poll ON sources(enabled, next_poll_ts);

    CREATE TABLE source_items (
        source_id  INTEGER NOT NULL,
        item_key   TEXT NOT NULL,
        link       TEXT,
        article_id TEXT,
        entry_hash TEXT NOT NULL,
        status     TEXT NOT NULL,                  -- stored | failed
        error      TEXT,
        attempts   INTEGER NOT NULL DEFAULT 1,
        first_seen TEXT NOT NULL,
        last_seen  TEXT NOT NULL,
        PRIMARY KEY (source_id, item_key)
    );
    CREATE INDEX source_items_by_link ON source_items(source_id, link)
    """,
    # A failure is recorded once per input and what went wrong: re-running a killed or repeated ingest
    # counts it again (``seen``, ``at`` = last time) instead of listing it twice.
    6: """
    DELETE FROM failures WHERE seq NOT IN (
        SELECT max(seq) FROM failures GROUP BY stage, location, error_type, message
    );
    ALTER TABLE failures ADD COLUMN seen INTEGER NOT NULL DEFAULT 1;
    CREATE UNIQUE INDEX failures_once ON failures(stage, location, error_type, message)
    """,
    # The API (naba.store.access): tokens (only the SHA-256 of their secret), saved searches, webhooks and the
    # delivery log (one row per idempotency key: an alert enqueued twice is one delivery).
    7: """
    CREATE TABLE api_tokens (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        name       TEXT,
        scope      TEXT NOT NULL,            -- read | write
        digest     TEXT NOT NULL,            -- sha256 hex of the token's secret part
        created_at TEXT NOT NULL,
        last_used  TEXT,
        revoked_at TEXT
    );
    CREATE TABLE saved_searches (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        name       TEXT NOT NULL,
        query      TEXT NOT NULL,
        sources    TEXT NOT NULL,            -- JSON list of publisher keys
        date_from  TEXT,
        date_to    TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE webhooks (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        url          TEXT NOT NULL,
        secret       TEXT NOT NULL,
        saved_search INTEGER,                -- alerts for new articles matching it, or
        min_outlets  INTEGER,                -- for stories reaching this many outlets
        enabled      INTEGER NOT NULL DEFAULT 1,
        watermark    INTEGER NOT NULL DEFAULT 0,  -- change_seq considered so far
        created_at   TEXT NOT NULL
    );
    CREATE TABLE webhook_deliveries (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        webhook         INTEGER NOT NULL,
        key             TEXT NOT NULL UNIQUE,  -- the idempotency key sent with it
        payload         TEXT NOT NULL,
        status          TEXT NOT NULL,         -- pending | delivered | failed
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_ts REAL NOT NULL,
        last_status     INTEGER,
        last_error      TEXT,
        created_at      TEXT NOT NULL,
        delivered_at    TEXT
    );
    CREATE INDEX deliveries_due ON webhook_deliveries(status, next_attempt_ts)
    """,
    # Articles a story repair split moved to another story (naba.stories.clustering): the story an old link
    # (story, article) pointed at and the story the article is in now, so such links redirect.
    8: """
    CREATE TABLE story_moves (
        article    TEXT NOT NULL,
        from_story TEXT NOT NULL,
        to_story   TEXT NOT NULL,
        at         TEXT NOT NULL,
        PRIMARY KEY (article, from_story)
    );
    CREATE INDEX story_moves_by_from ON story_moves(from_story)
    """,
    # The reader's latest list (``latest``: newest first, ties by change order, undated last) reads these
    # indexes in order instead of sorting the whole table (2.2 s at 31k articles without them).
    9: """
    CREATE INDEX articles_by_latest ON articles(published_ts DESC, change_seq DESC);
    CREATE INDEX articles_by_publisher_latest ON articles(publisher, published_ts DESC, change_seq DESC)
    """,
    # Sections and countries (naba.sections, naba.engine.sections): one row per article with its section, where
    # the section came from (publisher | model | none), the publisher's weak label, and its countries (ISO
    # 3166-1 alpha-2, main first; also one row per country for the filter); the installation's own trained
    # section model (an .npz, base64).
    10: """
    CREATE TABLE article_sections (
        article      TEXT PRIMARY KEY,
        section      TEXT NOT NULL,
        source       TEXT NOT NULL,
        confidence   REAL NOT NULL,
        weak         TEXT,
        weak_signal  TEXT,
        countries    TEXT NOT NULL,        -- codes, main first, space-separated
        published_ts REAL
    );
    CREATE INDEX article_sections_by_section ON article_sections(section, published_ts DESC);
    CREATE INDEX article_sections_by_weak ON article_sections(weak);
    CREATE TABLE article_countries (
        article      TEXT NOT NULL,
        country      TEXT NOT NULL,
        rank         INTEGER NOT NULL,     -- 0 for the main country
        published_ts REAL,
        PRIMARY KEY (article, country)
    );
    CREATE INDEX article_countries_by_country ON article_countries(country, published_ts DESC);
    CREATE TABLE section_models (
        name       TEXT PRIMARY KEY,
        trained_at TEXT NOT NULL,
        trained_on INTEGER NOT NULL,
        body       TEXT NOT NULL
    )
    """,
}
