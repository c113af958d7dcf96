"""The store contract (``naba.store.base``: ArticleLog, FailureLog, StateStore, UnderstandingWriter,
UnderstandingReader, SourceStore, SectionStore; and ``naba.store.access.AccessStore``, the API's tables)
that every backend must pass, checked with real Arabic articles.

Each test takes ``store_factory``: ``open_store(name)`` opens a handle on the database ``name`` of the test
(the same name twice gives two handles on one database, as two processes would have). A backend joins the
suite by adding a parameter to :func:`store_factory`: SQLite, and PostgreSQL on the session's throwaway server
(``tests/pg_server.py``; skipped with the reason printed when it cannot start, a failure under ``CI=true``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import pytest
from tests.conftest import CORPUS, need_shared
from tests.pg_server import PgServer
from tests.unit.store.test_sqlite import make_article

from naba.config import load_settings
from naba.engine.sections import update_sections
from naba.engine.understand import understand
from naba.sources.files import read_inputs
from naba.store.access import AccessStore
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
    # Keyword weights in one read equal each article's own keywords; an unknown id has none.
    ids = [a.id for a in real]
    weights = store.keyword_weights([*ids, ArticleId("no-such-article")])
    assert weights[ArticleId("no-such-article")] == {}
    assert all(weights[i] == {k.key: k.score for k in store.article_keywords(i)} for i in ids)
    assert sum(1 for i in ids if weights[i]) > len(ids) // 2
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
    assert store.section_total(section="sports", country="EG") == 1
    assert store.section_total() == len(real)
    assert store.model("sections") is None
    body = bytes(range(256)) * 3
    at = dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC)
    store.put_model(StoredModel("sections", body, 1234, at))
    again = store_factory("main").model("sections")
    assert again == StoredModel("sections", body, 1234, at)


# -- AccessStore (the API's tables) ---------------------------------------------------------------------------
def _access(store: Store) -> AccessStore:
    return cast(AccessStore, store)


def test_tokens_are_kept_by_digest_listed_and_revoked(store_factory: OpenStore) -> None:
    first, second = _access(store_factory("main")), _access(store_factory("main"))
    digest = hashlib.sha256(b"secret part").hexdigest()
    made = first.add_token("محرر الأخبار", "write", digest)
    other = first.add_token(None, "read", hashlib.sha256(b"other").hexdigest())
    assert made.scope == "write" and made.name == "محرر الأخبار" and made.revoked_at is None
    assert other.id > made.id and other.name is None
    assert second.token_digest(made.id) == digest  # another handle (another process) sees it at once
    assert second.token(made.id) == made and [t.id for t in second.tokens()] == [made.id, other.id]
    assert second.revoke_token(made.id) and not first.revoke_token(made.id)  # only a live token is revoked
    assert first.token_digest(made.id) is None and first.token_digest(other.id) is not None
    revoked = first.token(made.id)
    assert revoked is not None and revoked.revoked_at is not None
    assert first.token(10_000) is None and first.token_digest(10_000) is None


def test_saved_searches_round_trip_and_take_their_webhooks_along(store_factory: OpenStore) -> None:
    access = _access(store_factory("main"))
    saved = access.add_saved_search(
        "ميزانية الدولة", "الميزانية العامة", ["aleqtisadiya", "alriyadh"], dt.date(2015, 8, 1), None
    )
    plain = access.add_saved_search("الأمطار", '"أمطار غزيرة"', [], None, dt.date(2015, 8, 11))
    assert saved.sources == ("aleqtisadiya", "alriyadh") and saved.date_from == dt.date(2015, 8, 1)
    assert saved.date_to is None and plain.query == '"أمطار غزيرة"' and plain.date_to == dt.date(2015, 8, 11)
    assert access.saved_search(saved.id) == saved and access.saved_searches() == [saved, plain]
    hook = access.add_webhook("https://hooks.example/a", "s" * 64, saved_search=saved.id, min_outlets=None,
                              watermark=7)  # fmt: skip
    big = access.add_webhook(
        "https://hooks.example/b", "t" * 64, saved_search=None, min_outlets=3, watermark=0
    )
    assert hook.enabled is True and hook.watermark == 7 and hook.saved_search == saved.id
    assert access.webhook(hook.id) == hook and access.webhooks() == [hook, big]
    assert access.delete_saved_search(saved.id) and not access.delete_saved_search(saved.id)
    assert access.saved_search(saved.id) is None and access.webhooks() == [big]
    assert access.delete_webhook(big.id) and not access.delete_webhook(big.id) and access.webhooks() == []


def test_deliveries_are_enqueued_once_per_key_and_their_attempts_logged(store_factory: OpenStore) -> None:
    access = _access(store_factory("main"))
    hook = access.add_webhook(
        "https://hooks.example/a", "s" * 64, saved_search=None, min_outlets=2, watermark=0
    )
    payload = '{"event":"story.outlets","story":{"headline":"أمطار غزيرة على الرياض"}}'
    at = T0.timestamp()
    assert access.enqueue_deliveries(hook.id, 10, [("k1", payload), ("k2", payload)], at, since=0) == 2
    assert access.webhook(hook.id).watermark == 10  # type: ignore[union-attr]
    # The same key again (a rerun after a crash) is ignored; the watermark moves with what is new.
    assert access.enqueue_deliveries(hook.id, 12, [("k2", payload), ("k3", payload)], at + 5, since=10) == 1
    # Computed from a watermark another process has moved since: nothing is enqueued, nothing moves.
    assert access.enqueue_deliveries(hook.id, 11, [("k4", payload)], at, since=0) == 0
    assert access.webhook(hook.id).watermark == 12  # type: ignore[union-attr]
    assert access.enqueue_deliveries(hook.id, None, [("k5", payload)], at + 1) == 1  # stories: no watermark
    due = access.due_deliveries(at + 1)
    assert [d.key for d in due] == ["k1", "k2", "k5"] and due[0].payload == payload
    assert due[0].status == "pending" and due[0].attempts == 0 and due[0].delivered_at is None
    assert access.next_delivery_ts() == at and [d.key for d in access.due_deliveries(at + 10, limit=2)] == [
        "k1",
        "k2",
    ]
    access.record_attempt(due[0].id, "delivered", 200, None, at + 2)
    access.record_attempt(due[1].id, "pending", 503, "HTTP 503", at + 60)
    access.record_attempt(due[1].id, "failed", 410, "HTTP 410", at + 61)
    log = {d.key: d for d in access.deliveries(hook.id)}
    assert log["k1"].status == "delivered" and log["k1"].delivered_at and log["k1"].last_status == 200
    assert log["k2"].status == "failed" and log["k2"].attempts == 2 and log["k2"].last_error == "HTTP 410"
    assert log["k2"].delivered_at is None
    assert [d.key for d in access.deliveries(hook.id, limit=2)] == ["k5", "k3"]  # newest first
    assert [d.key for d in access.due_deliveries(at + 100)] == ["k5", "k3"]  # by when they are due
    other = access.add_webhook(
        "https://hooks.example/b", "t" * 64, saved_search=None, min_outlets=5, watermark=0
    )
    assert access.deliveries(other.id) == [] and len(access.deliveries()) == 4
    access.record_attempt(log["k3"].id, "delivered", 204, None, at)
    access.record_attempt(log["k5"].id, "delivered", 204, None, at)
    assert access.next_delivery_ts() is None and access.due_deliveries(at + 10_000) == []


def test_two_collectors_from_one_watermark_enqueue_once(store_factory: OpenStore) -> None:
    """Several processes collecting alerts at once (watch workers): one moves the watermark, the others
    find it moved and enqueue nothing, so no article is announced twice under different keys."""
    access = _access(store_factory("shared"))
    hook = access.add_webhook(
        "https://hooks.example/a", "s" * 64, saved_search=None, min_outlets=2, watermark=5
    )
    start = threading.Barrier(4)
    added: dict[int, int] = {}
    errors: list[BaseException] = []

    def collect(worker: int) -> None:
        try:
            handle = _access(store_factory("shared"))
            start.wait()
            key = f"webhook-{hook.id}:articles:5-{20 + worker}:0"
            added[worker] = handle.enqueue_deliveries(
                hook.id, 20 + worker, [(key, "{}")], T0.timestamp(), since=5
            )
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=collect, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and sorted(added.values()) == [0, 0, 0, 1]
    winner = next(w for w, n in added.items() if n == 1)
    assert [d.key for d in access.deliveries(hook.id)] == [f"webhook-{hook.id}:articles:5-{20 + winner}:0"]
    assert access.webhook(hook.id).watermark == 20 + winner  # type: ignore[union-attr]


def test_a_writable_database_takes_writes(store_factory: OpenStore) -> None:
    assert store_factory("main").write_refusal() is None
