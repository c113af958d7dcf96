"""The store contract (``naba.store.base``: ArticleLog, FailureLog, StateStore, UnderstandingWriter,
UnderstandingReader, SourceStore, SectionStore) that every backend must pass, checked with real Arabic articles.

Each test takes ``store_factory``: ``open_store(name)`` opens a handle on the database ``name`` of the test
(the same name twice gives two handles on one database, as two processes would have). A backend joins the
suite by adding a parameter to :func:`store_factory`: SQLite, and PostgreSQL on the session's throwaway server
(``tests/pg_server.py``; skipped with the reason printed when it cannot start, a failure under ``CI=true``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.conftest import CORPUS, need_shared
from tests.pg_server import PgServer
from tests.unit.store.test_sqlite import make_article

from naba.config import load_settings
from naba.engine.sections import update_sections
from naba.engine.understand import understand
from naba.sources.files import read_inputs
from naba.store.base import SectionRow, StateRow, Store, StoredModel
from naba.store.postgres import PostgresStore
from naba.store.sources import ITEM_FAILED, ITEM_STORED, PollRecord, SourceItem
from naba.store.sqlite import SQLiteStore
from naba.types import Article, ArticleId, SourceSpec, StageFailure, StoreOutcome

ANALYZER = "ar-search-v1"
REAL_ARTICLES = 80  # enough for several publishers, duplicate groups and stories in one day
PER_PUBLISHER = 20
T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)

OpenStore = Callable[[str], Store]


def _sqlite(tmp_path: Path) -> OpenStore:
    def open_store(name: str) -> Store:
        return SQLiteStore(tmp_path / f"{name}.db")

    return open_store


def _postgres(request: pytest.FixtureRequest) -> OpenStore:
    server: PgServer = request.getfixturevalue("pg_server")
    urls: dict[str, str] = {}

    def open_store(name: str) -> Store:
        if name not in urls:
            urls[name] = server.create_database()
        return PostgresStore(urls[name], migrate=True)

    return open_store


BACKENDS = ("postgres", "sqlite")


@pytest.fixture(params=BACKENDS)
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OpenStore]:
    opened: list[Store] = []
    make = _sqlite(tmp_path) if request.param == "sqlite" else _postgres(request)

    def open_store(name: str = "main") -> Store:
        store = make(name)
        opened.append(store)
        return store

    yield open_store
    for store in opened:
        store.close()


@pytest.fixture(scope="module")
def real() -> list[Article]:
    """The first articles of one SaudiNewsNet day, as ingest reads them."""
    day = need_shared(CORPUS / "2015-08-02.zip")
    per_publisher: dict[str | None, list[Article]] = {}
    for item in read_inputs([day], max_input_bytes=1 << 30):
        for article in item.articles:
            if (
                article.embedded_in is None
                and len(per_publisher.setdefault(article.publisher, [])) < PER_PUBLISHER
            ):
                per_publisher[article.publisher].append(article)
        if sum(map(len, per_publisher.values())) >= REAL_ARTICLES:
            break
    out = [a for articles in per_publisher.values() for a in articles][:REAL_ARTICLES]
    assert len({a.publisher for a in out}) > 1
    return out


def _copy(article: Article, n: int) -> Article:
    """The article under a new identity (a real text at a new URL)."""
    url = f"{article.url}#copy-{n}"
    return dataclasses.replace(article, id=ArticleId(url), url=url, canonical_url=None)


# -- ArticleLog --------------------------------------------------------------------------------------------
def test_same_content_is_unchanged_and_a_change_keeps_the_old_version(
    store_factory: OpenStore, real: list[Article]
) -> None:
    store = store_factory("main")
    first = real[0]
    assert store.put_many([first], ANALYZER) == [StoreOutcome.STORED]
    assert store.put_many([first], ANALYZER) == [StoreOutcome.UNCHANGED]
    stored = store.get(first.id)
    assert stored is not None and stored.article == first and stored.version == 1
    changed = dataclasses.replace(
        first, body_paragraphs=(*first.body_paragraphs, "وأضافت الوزارة أن العمل مستمر.")
    )
    assert store.put_many([changed], ANALYZER) == [StoreOutcome.UPDATED]
    now = store.get(first.id)
    assert now is not None and now.version == 2 and now.article == changed
    assert now.change_seq > stored.change_seq
    assert store.versions(first.id) == [first]
    assert store.count() == 1
    assert store.get(ArticleId("https://example.sa/none")) is None


def test_change_seq_is_strictly_increasing_in_commit_order(
    store_factory: OpenStore, real: list[Article]
) -> None:
    store = store_factory("main")
    assert store.max_change_seq() == 0
    store.put_many(real[:30], ANALYZER)
    store.put_many(real[30:], ANALYZER)
    edited = dataclasses.replace(real[3], title=real[3].title + " (محدث)")
    store.put_many([edited], ANALYZER)
    rows = list(store.iter_articles())
    seqs = [r.change_seq for r in rows]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs) == len(real)
    assert rows[-1].article.id == edited.id  # the last write has the highest number
    assert store.max_change_seq() == seqs[-1]


def test_two_handles_interleaving_writes_lose_nothing(store_factory: OpenStore, real: list[Article]) -> None:
    first, second = store_factory("shared"), store_factory("shared")
    for batch in range(4):
        first.put_many([_copy(a, batch) for a in real[:10]], ANALYZER)
        second.put_many([_copy(a, batch) for a in real[10:20]], ANALYZER)
    assert first.count() == second.count() == 80
    seqs = [r.change_seq for r in second.iter_articles()]
    assert seqs == sorted(seqs) and len(set(seqs)) == 80


def test_concurrent_writers_each_get_distinct_sequence_numbers(
    store_factory: OpenStore, real: list[Article]
) -> None:
    store_factory("shared")  # created (and migrated) before the writers start
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            handle = store_factory("shared")
            for batch in range(5):
                handle.put_many([_copy(a, worker * 100 + batch) for a in real[:8]], ANALYZER)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    reader = store_factory("shared")
    seqs = [r.change_seq for r in reader.iter_articles()]
    assert len(seqs) == len(set(seqs)) == reader.count() == 3 * 5 * 8
    assert seqs == sorted(seqs)


def test_iter_articles_since_a_watermark(store_factory: OpenStore, real: list[Article]) -> None:
    store = store_factory("main")
    store.put_many(real[:50], ANALYZER)
    watermark = store.max_change_seq()
    store.put_many(real[50:], ANALYZER)
    edited = dataclasses.replace(real[0], title=real[0].title + " (محدث)")
    store.put_many([edited], ANALYZER)
    after = list(store.iter_articles(since_seq=watermark))
    assert [r.article.id for r in after] == [a.id for a in real[50:]] + [edited.id]
    assert all(r.change_seq > watermark for r in after)
    assert store.changed_count(watermark) == len(after)
    assert list(store.iter_articles(since_seq=store.max_change_seq())) == []


def test_get_many_takes_more_than_a_thousand_ids(store_factory: OpenStore, real: list[Article]) -> None:
    store = store_factory("main")
    articles = [_copy(real[n % len(real)], n) for n in range(1_200)]
    store.put_many(articles, ANALYZER)
    missing = [ArticleId(f"https://example.sa/missing/{n}") for n in range(30)]
    found = store.get_many([a.id for a in articles] + missing)
    assert len(found) == 1_200 and set(found) == {a.id for a in articles}
    assert found[articles[1_100].id].article == articles[1_100]


def test_latest_is_newest_first_and_filters_by_publisher(
    store_factory: OpenStore, real: list[Article]
) -> None:
    store = store_factory("main")
    store.put_many(real, ANALYZER)
    latest = store.latest(limit=20)
    times = [s.article.published for s in latest]
    assert len(latest) == 20 and times == sorted(times, reverse=True)  # type: ignore[type-var]
    assert [s.article.id for s in store.latest(limit=5, offset=5)] == [s.article.id for s in latest[5:10]]
    by_publisher = {c.publisher: c.articles for c in store.sources()}
    publisher = max(by_publisher, key=lambda p: by_publisher[p])
    theirs = store.latest(limit=100, publisher=publisher)
    assert len(theirs) == by_publisher[publisher] == sum(a.publisher == publisher for a in real)
    assert {s.article.publisher for s in theirs} == {publisher}


def test_embedded_articles_belong_to_their_page(store_factory: OpenStore) -> None:
    store = store_factory("main")
    page = make_article(1)
    inside = make_article(2, embedded_in=page.id)
    store.put_many([page, inside], ANALYZER)
    assert store.embedded_articles(page.id) == [inside]
    assert store.embedded_articles(inside.id) == []


# -- FailureLog and StateStore ----------------------------------------------------------------------------
def test_a_failure_is_recorded_once_per_stage_location_type_and_message(store_factory: OpenStore) -> None:
    store = store_factory("main")
    failure = StageFailure("read", "2015-08-02.zip!a.json:3", "JSONDecodeError", "Expecting value", T0)
    other = dataclasses.replace(failure, location="2015-08-02.zip!a.json:9")
    store.record_failures([failure, other])
    store.record_failures([dataclasses.replace(failure, when=T0 + dt.timedelta(hours=1))])
    store.record_failures([dataclasses.replace(failure, message="تعذر قراءة الملف")])
    rows = store.failures()
    assert len(rows) == 3
    assert sorted((f.location, f.message) for f in rows) == [
        ("2015-08-02.zip!a.json:3", "Expecting value"),
        ("2015-08-02.zip!a.json:3", "تعذر قراءة الملف"),
        ("2015-08-02.zip!a.json:9", "Expecting value"),
    ]
    assert len(store.failures(limit=1)) == 1


def test_state_is_shared_by_every_handle(store_factory: OpenStore) -> None:
    first, second = store_factory("shared"), store_factory("shared")
    assert first.get_state("search_index_seq") is None
    first.set_state("search_index_seq", "12")
    first.set_state("search_index_seq", "40")
    second.set_state("understand_seq", "7")
    assert second.get_state("search_index_seq") == "40"
    assert first.get_state("understand_seq") == "7"


# -- UnderstandingWriter and UnderstandingReader ------------------------------------------------------------
def test_understanding_batches_round_trip(
    store_factory: OpenStore, real: list[Article], tmp_path: Path
) -> None:
    store = store_factory("main")
    store.put_many(real, ANALYZER)
    settings = load_settings({"db": str(tmp_path / "unused.db"), "ingest_workers": 1}, environ={})
    assert store.understood_count() == 0
    report = understand(store, settings, ANALYZER)  # the engine's own batches, written through the protocol
    assert report.new == len(real)
    assert store.understood_count() == store.count() == len(real)
    assert store.get_state("understand_seq") == str(store.max_change_seq())
    assert store.pending_understanding(0) == []

    stories = store.stories(limit=1_000)
    assert stories
    members: set[ArticleId] = set()
    for story in stories:
        assert store.story(story.id) == story
        articles = store.story_articles(story.id)
        assert len(articles) == story.size
        assert [a.published_ts for a in articles] == sorted(a.published_ts or 0.0 for a in articles)
        members.update(a.article for a in articles)
        thread = store.thread_of(story.id)
        assert not thread or story in thread  # empty when the story is in no thread
    assert members == {a.id for a in real}
    for article in real[:10]:
        understood = store.understanding(article.id)
        assert understood is not None and understood.article == article.id
        story = store.story_of(article.id)
        assert story is not None and article.id in {a.article for a in store.story_articles(story.id)}
    first_ts = min(u.published_ts for u in store.understood_since(0.0) if u.published_ts is not None)
    assert len(store.understood_since(first_ts)) == len(real)
    assert store.latest_understood_ts() is not None
    for article in real:
        copies = store.also_published_by(article.id)
        assert article.id not in {c.article for c in copies}
    top = store.top_entities(limit=5)
    assert top
    for count in top:
        info = store.entity(count.canonical)
        assert info is not None and info.kind == count.kind
        assert {a.article for a in store.entity_articles(count.canonical)} <= members
        assert store.entity_stories(count.canonical)
    mentioned = [a.id for a in real if store.article_entities(a.id)]
    assert mentioned and all(store.article_entities(i)[0].article == i for i in mentioned[:5])
    # The front page's reads: the span of publication times, a day's understood articles, names as written.
    span = store.published_span()
    assert span is not None and span[0] == first_ts
    start = dt.datetime.fromtimestamp(span[0], dt.UTC)
    everything = store.day_articles(start, dt.datetime.fromtimestamp(span[1] + 1, dt.UTC))
    assert {d.article for d in everything} == members
    assert [d.published_ts for d in everything] == sorted(d.published_ts for d in everything)
    assert all(d.story == store.understanding(d.article).story for d in everything[:20])  # type: ignore[union-attr]
    assert store.day_articles(start, start) == []
    shown = store.display_names([e.canonical for e in top])
    assert set(shown) == {e.canonical for e in top} and all(shown.values())
    assert store.top_entities(5, until=start) == []

    again = understand(store, settings, ANALYZER)  # nothing new: nothing written twice
    assert again.new == 0 and store.understood_count() == len(real)


# -- SourceStore ----------------------------------------------------------------------------------------------
def test_adding_a_source_twice_keeps_one_row(store_factory: OpenStore) -> None:
    store = store_factory("main")
    assert store.add_sources([SourceSpec("https://www.aljazeera.net/rss", title="الجزيرة نت")]) == (1, 0)
    source = store.list_sources()[0]
    store.record_poll(PollRecord(source.id, T0, True, T0 + dt.timedelta(minutes=10), 600.0, etag='"v1"'), [])
    assert store.add_sources([SourceSpec("https://www.aljazeera.net/rss", publisher="aljazeera.net")]) == (
        0,
        1,
    )
    rows = store.list_sources()
    assert len(rows) == 1
    again = rows[0]
    assert again.etag == '"v1"' and again.title == "الجزيرة نت" and again.publisher == "aljazeera.net"
    assert store.source_by_url("https://www.aljazeera.net/rss") == again == store.get_source(source.id)


def test_polls_and_items_are_recorded(store_factory: OpenStore) -> None:
    store = store_factory("main")
    store.add_sources([SourceSpec("https://www.alriyadh.com/rss"), SourceSpec("https://sabq.org/rss")])
    riyadh, sabq = (s.id for s in store.list_sources())
    items = [
        SourceItem(
            riyadh, "guid-1", "https://www.alriyadh.com/1069883", ArticleId("a1"), "h1", ITEM_STORED, None, 1
        ),
        SourceItem(
            riyadh, "guid-2", "https://www.alriyadh.com/1069884", None, "h2", ITEM_FAILED, "timeout", 1
        ),
    ]
    store.record_poll(PollRecord(riyadh, T0, True, T0 + dt.timedelta(hours=1), 600.0, items_seen=2), items)
    store.record_poll(PollRecord(sabq, T0, False, T0, 600.0, status=503, error="http_status 503"), [])
    polled = store.get_source(riyadh)
    assert polled is not None and polled.polls == 1 and polled.failures == 0
    failing = store.get_source(sabq)
    assert failing is not None and failing.failures == 1 and failing.last_error == "http_status 503"
    assert set(store.source_items(riyadh, ["guid-1", "guid-2", "guid-3"])) == {"guid-1", "guid-2"}
    by_link = store.source_item_by_link(riyadh, "https://www.alriyadh.com/1069883")
    assert by_link is not None and by_link.article_id == "a1"
    assert store.failed_item_counts() == {riyadh: 1}
    assert [i.item_key for i in store.failed_items(riyadh)] == ["guid-2"]
    assert [s.id for s in store.due_sources(T0 + dt.timedelta(minutes=1), 10)] == [sabq]
    assert store.next_due() == T0
    store.set_source_enabled(sabq, False)
    assert store.due_sources(T0 + dt.timedelta(days=1), 10)[0].id == riyadh
    assert [s.id for s in store.list_sources(enabled_only=True)] == [riyadh]
    assert store.remove_source(sabq) and not store.remove_source(sabq)
    assert [s.id for s in store.list_sources()] == [riyadh]


# -- SectionStore --------------------------------------------------------------------------------------------
def test_sections_rows_filters_and_model(store_factory: OpenStore, real: list[Article]) -> None:
    store = store_factory("main")
    store.put_many(real, ANALYZER)
    report = update_sections(store)
    assert report.labeled == len(real)
    assert store.get_state("sections_seq") == str(store.max_change_seq())
    rows = store.sections_of([a.id for a in real])
    assert set(rows) == {a.id for a in real}
    weak = store.weak_labels()
    assert weak and all(rows[a].weak == w for a, w in weak)
    assert sum(store.section_counts().values()) == len(real)
    # A row is replaced as a whole, countries included; the filters read the new one.
    first = real[0]
    store.put_sections(
        [SectionRow(first.id, "sports", "model", 0.75, None, None, ("EG", "SA"), 2e9)],
        (StateRow("sections_seq", "1"),),
    )
    assert store.sections_of([first.id])[first.id].countries == ("EG", "SA")
    assert store.section_articles(section="sports", country="EG", limit=5)[0] == first.id
    assert first.id not in store.section_articles(section="politics", limit=len(real))
    assert store.section_counts([first.id]) == {"sports": 1}
    assert store.model("sections") is None
    body = bytes(range(256)) * 3
    at = dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC)
    store.put_model(StoredModel("sections", body, 1234, at))
    again = store_factory("main").model("sections")
    assert again == StoredModel("sections", body, 1234, at)
