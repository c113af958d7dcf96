"""The one related algorithm (``views.stored_related``), on articles understood by ``naba understand``.

Lists come from the stored stories and threads, as the reader, the API, ``naba related`` and
``eval/related.py`` read them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from tests.unit.stories.related_articles import fillers, make, seed_articles

from naba.config import load_settings
from naba.engine.understand import understand
from naba.engine.views import stored_related
from naba.store.sqlite import SQLiteStore
from naba.types import AnalyzedArticle, ArticleId

DESAL = (
    "وقع وزير الطاقة اتفاقية لإنشاء محطة تحلية مياه البحر في ينبع بطاقة مليون متر مكعب يوميا "
    "تعمل بالطاقة الشمسية بتكلفة أربعة مليارات ريال."
)
DESAL_REWRITE = (
    "محطة ينبع الجديدة لتحلية مياه البحر ستنتج مليون متر مكعب يوميا بالطاقة الشمسية، بحسب الاتفاقية "
    "التي وقعها وزير الطاقة بأربعة مليارات ريال."
)


def understood(tmp_path: Path, analyzed: Sequence[AnalyzedArticle]) -> SQLiteStore:
    store = SQLiteStore(tmp_path / "naba.db")
    store.put_many([a.article for a in analyzed], "test")
    settings = load_settings({"db": str(tmp_path / "naba.db"), "ingest_workers": 1}, environ={})
    understand(store, settings, "ar-search-v1")
    return store


def test_same_story_first_then_copies_with_reasons(tmp_path: Path) -> None:
    store = understood(
        tmp_path,
        [
            *fillers(),
            make("a", "توقيع اتفاقية محطة تحلية في ينبع", DESAL, outlet="one"),
            make("b", "اتفاقية تحلية ينبع", DESAL, outlet="two", hours=1),
            make("c", "محطة ينبع لتحلية المياه", DESAL_REWRITE, outlet="three", hours=2),
        ],
    )
    related = stored_related(store, ArticleId("https://one.example/a"))
    assert [r.article.id for r in related][:2] == ["https://three.example/c", "https://two.example/b"]
    assert related[0].related.reason == "same story"
    assert related[1].related.reason == "same text, also published by two"


def test_seed_page_articles_are_not_related(tmp_path: Path) -> None:
    articles = seed_articles()
    assert len(articles) >= 2
    store = understood(tmp_path, articles)
    first, second = articles[0].article.id, articles[1].article.id
    assert second not in {r.article.id for r in stored_related(store, first)}
    assert first not in {r.article.id for r in stored_related(store, second)}


def test_reasons_follow_the_stored_stories_and_threads(tmp_path: Path) -> None:
    t0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    days = (0, 1, 20, 40, 41)
    store = understood(
        tmp_path,
        [
            make(
                str(i),
                "اتفاقية تحلية ينبع",
                DESAL if i % 2 else DESAL_REWRITE,
                outlet=f"o{i}",
                when=t0 + dt.timedelta(days=d),
            )
            for i, d in enumerate(days)
        ],
    )
    listed = 0
    for i in range(len(days)):
        me = store.understanding(ArticleId(f"https://o{i}.example/{i}"))
        assert me is not None
        threads = {s.id for s in store.thread_of(me.story)}
        for item in stored_related(store, me.article):
            listed += 1
            other = store.understanding(item.article.id)
            assert other is not None
            if item.related.reason == "same story" or item.related.reason.startswith("same text"):
                assert other.story == me.story
            else:  # a development of the same matter: another story of the article's thread
                assert other.story != me.story and other.story in threads
    assert listed  # the neighbouring days are related
