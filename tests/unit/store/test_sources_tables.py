"""The fetch tables: followed sources keep their poll state; items map to the article they became."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from naba.store.sources import ITEM_FAILED, ITEM_STORED, PollRecord, SourceItem
from naba.store.sqlite import SQLiteStore
from naba.types import ArticleId, SourceSpec

T0 = dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.UTC)


def _store(tmp_path: Path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "naba.db")


def test_adding_a_source_twice_keeps_one_row_and_its_state(tmp_path: Path) -> None:
    store = _store(tmp_path)
    assert store.add_sources([SourceSpec("https://www.aljazeera.net/rss", title="الجزيرة نت")]) == (1, 0)
    source = store.list_sources()[0]
    store.record_poll(PollRecord(source.id, T0, True, T0 + dt.timedelta(minutes=10), 600.0, etag='"v1"'), [])
    assert store.add_sources([SourceSpec("https://www.aljazeera.net/rss", publisher="aljazeera.net")]) == (
        0,
        1,
    )
    again = store.list_sources()[0]
    assert again.etag == '"v1"' and again.title == "الجزيرة نت" and again.publisher == "aljazeera.net"


def test_failed_polls_count_up_and_a_good_poll_resets_them(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.add_sources([SourceSpec("https://sabq.org/rss")])
    sid = store.list_sources()[0].id
    for i in range(3):
        store.record_poll(
            PollRecord(
                sid, T0 + dt.timedelta(hours=i), False, T0, 600.0, status=503, error="http_status 503"
            ),
            [],
        )
    failing = store.get_source(sid)
    assert failing is not None and failing.failures == 3 and failing.last_error == "http_status 503"
    assert not failing.healthy and failing.last_ok is None
    store.record_poll(
        PollRecord(sid, T0 + dt.timedelta(hours=4), True, T0, 300.0, status=200, etag='"e"'), []
    )
    ok = store.get_source(sid)
    assert ok is not None and ok.failures == 0 and ok.last_error is None and ok.healthy and ok.etag == '"e"'
    assert ok.polls == 4


def test_a_failed_poll_keeps_the_validators_of_the_last_good_one(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.add_sources([SourceSpec("https://okaz.com.sa/rss")])
    sid = store.list_sources()[0].id
    store.record_poll(
        PollRecord(sid, T0, True, T0, 600.0, etag='"good"', last_modified="Sun, 29 Nov 2026"), []
    )
    store.record_poll(PollRecord(sid, T0, False, T0, 600.0, error="timeout"), [])
    row = store.get_source(sid)
    assert row is not None and row.etag == '"good"' and row.last_modified == "Sun, 29 Nov 2026"


def test_due_sources_are_the_enabled_overdue_ones_in_order(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.add_sources([SourceSpec(f"https://example{i}.com/feed") for i in range(3)])
    a, b, c = store.list_sources()
    store.record_poll(PollRecord(a.id, T0, True, T0 + dt.timedelta(hours=1), 3600.0), [])
    store.record_poll(PollRecord(b.id, T0, True, T0 - dt.timedelta(minutes=5), 600.0), [])
    store.set_source_enabled(c.id, False)
    assert [s.id for s in store.due_sources(T0, 10)] == [b.id]
    assert store.next_due() == T0 - dt.timedelta(minutes=5)


def test_items_remember_their_article_and_failures(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.add_sources([SourceSpec("https://www.alriyadh.com/rss")])
    sid = store.list_sources()[0].id
    items = [
        SourceItem(
            sid, "guid-1", "https://www.alriyadh.com/1069883", ArticleId("a1"), "h1", ITEM_STORED, None, 1
        ),
        SourceItem(sid, "guid-2", "https://www.alriyadh.com/1069884", None, "h2", ITEM_FAILED, "timeout", 1),
    ]
    store.record_poll(PollRecord(sid, T0, True, T0, 600.0, items_seen=2, articles_stored=1), items)
    known = store.source_items(sid, ["guid-1", "guid-2", "guid-3"])
    assert set(known) == {"guid-1", "guid-2"}
    assert known["guid-1"].article_id == "a1"
    by_link = store.source_item_by_link(sid, "https://www.alriyadh.com/1069883")
    assert by_link is not None and by_link.item_key == "guid-1"
    assert store.failed_item_counts() == {sid: 1}
    # A later success of the failed item keeps one row, now stored.
    retry = SourceItem(
        sid, "guid-2", "https://www.alriyadh.com/1069884", ArticleId("a2"), "h2", ITEM_STORED, None, 1
    )
    store.record_poll(PollRecord(sid, T0, True, T0, 600.0), [retry])
    assert store.failed_item_counts() == {}
    assert store.source_items(sid, ["guid-2"])["guid-2"].article_id == "a2"
