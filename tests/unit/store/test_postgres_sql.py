"""The PostgreSQL backend's SQL, checked without a server: every SQLite migration has a PostgreSQL variant,
and the SQLite dialect of the table mixins translates as PostgreSQL needs it (a server runs them all in
tests/contract/test_store_conformance.py)."""

from __future__ import annotations

from naba.store.migrations import MIGRATIONS
from naba.store.postgres.db import translate
from naba.store.postgres.schema import PG_MIGRATIONS


def test_every_numbered_migration_has_a_postgres_variant() -> None:
    assert set(PG_MIGRATIONS) == set(MIGRATIONS)
    assert all(PG_MIGRATIONS[n].strip() for n in PG_MIGRATIONS)
    # Types follow PostgreSQL; columns named like types (article_keywords.text) stay names.
    assert "REAL" not in PG_MIGRATIONS[1].replace("DOUBLE PRECISION", "")
    assert "AUTOINCREMENT" not in "".join(PG_MIGRATIONS.values())
    assert 'text    TEXT COLLATE "C" NOT NULL' in PG_MIGRATIONS[3]


def test_insert_or_replace_becomes_an_upsert_on_the_primary_key() -> None:
    sql = translate(
        "INSERT OR REPLACE INTO thread_links (story, to_story, similarity) VALUES (?, ?, ?)",
        {"thread_links": ("story", "to_story")},
    )
    assert sql == (
        "INSERT INTO thread_links (story, to_story, similarity) VALUES (%s, %s, %s) "
        "ON CONFLICT (story, to_story) DO UPDATE SET similarity = EXCLUDED.similarity"
    )


def test_bare_columns_in_an_upsert_mean_the_existing_row() -> None:
    sql = translate(
        "INSERT INTO entity_names (name, canonical, mentions) VALUES (?, ?, ?) ON CONFLICT (name, canonical) "
        "DO UPDATE SET mentions = mentions + excluded.mentions",
        {},
    )
    assert sql.endswith("DO UPDATE SET mentions = entity_names.mentions + excluded.mentions")


def test_order_by_keeps_sqlite_null_order_and_percent_signs_are_literal() -> None:
    sql = translate(
        "SELECT a FROM t WHERE b LIKE '%x' GROUP BY a ORDER BY max(c) DESC, a LIMIT ?",
        {},
    )
    assert (
        sql
        == "SELECT a FROM t WHERE b LIKE '%%x' GROUP BY a ORDER BY max(c) DESC NULLS LAST, a NULLS FIRST LIMIT %s"
    )
