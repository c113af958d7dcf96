"""Articles a repair split moves to another story: rows follow, stories are recounted, old links redirect."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from test_sqlite import make_article

from naba.store.base import ArticleUnderstanding, StoryMergeRow, StoryMoveRow, UnderstandBatch
from naba.store.sqlite import SQLiteStore, published_timestamp
from naba.types import Article

AT = dt.datetime(2015, 8, 3, 12, 0, tzinfo=dt.UTC)


def _row(article: Article, story: str) -> ArticleUnderstanding:
    return ArticleUnderstanding(
        article=article.id,
        dup_group=f"group:{article.id}",
        duplicate_of=None,
        similarity=0.0,
        method="new",
        story=story,
        story_similarity=0.5,
        story_method="similar",
        published_ts=published_timestamp(article.published),
    )


def test_moved_articles_follow_their_new_story_and_old_links_redirect(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    articles = [make_article(n, body=f"نص الخبر رقم {n} عن حدث في الرياض.") for n in range(5)]
    store.put_many(articles, "ar-search-v1")
    cables = "story:" + articles[0].id
    store.put_understanding(UnderstandBatch(articles=tuple(_row(a, cables) for a in articles)))
    assert store.story(cables) is not None and store.story(cables).size == 5  # type: ignore[union-attr]

    split = "story:" + articles[3].id
    moves = tuple(StoryMoveRow(a.id, cables, split, AT) for a in articles[3:])
    store.put_understanding(UnderstandBatch(story_moves=moves))
    kept, new = store.story(cables), store.story(split)
    assert kept is not None and new is not None
    assert (kept.size, new.size) == (3, 2)  # the majority keeps the id
    assert [u.article for u in store.story_articles(split)] == [a.id for a in articles[3:]]
    assert store.moved_to(articles[3].id, cables) == split
    assert store.moved_to(articles[0].id, cables) is None

    # A later merge of the new story: the old link follows it to the survivor.
    other = "story:" + articles[1].id + "-other"
    store.put_understanding(UnderstandBatch(story_merges=(StoryMergeRow(split, other, 0.5, AT),)))
    assert store.moved_to(articles[3].id, cables) == other
    store.close()
