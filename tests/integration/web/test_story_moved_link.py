"""An old ``/story/<id>#<article>`` link whose article a repair split moved to another story lands on that story.

Real SaudiNewsNet articles of 2015-08-10: the King's congratulation cable to Ecuador's president and two cables to
Chad's president, glued into one story (as the month's cables were before issue 11), then split: the Chad
cables move to their own story (``story_moves``). The fragment of a link never reaches the server; the page's
script (``static/story.js``) sends it back as ``?article=``, which redirects through the store's ``moved_to``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from tests.conftest import CORPUS, need_shared

from naba.config import load_settings
from naba.engine.naba import Naba
from naba.store.base import ArticleUnderstanding, StoryMoveRow, UnderstandBatch
from naba.store.sqlite import published_timestamp
from naba.web.app import create_app
from naba.web.story_pages import story_href

DAY = "2015-08-10"
ECUADOR, CHAD_DEPUTY, CHAD_KING = 1300, 1651, 1652  # record numbers in the day's file
AT = dt.datetime(2015, 8, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Naba, list[str], str, str]]:
    folder = tmp_path_factory.mktemp("moved-link")
    with zipfile.ZipFile(need_shared(CORPUS / f"{DAY}.zip")) as archive:
        records = json.loads(archive.read(f"{DAY}.json"))
    chosen = [records[n] for n in (ECUADOR, CHAD_DEPUTY, CHAD_KING)]
    assert "الإكوادور" in chosen[0]["title"] and all("تشاد" in r["title"] for r in chosen[1:])
    corpus = folder / "cables.json"
    corpus.write_text(json.dumps(chosen, ensure_ascii=False), encoding="utf-8")
    settings = load_settings(
        {"db": str(folder / "naba.db"), "ingest_workers": 1},
        toml_path=Path("/nonexistent/naba.toml"),
        environ={},
    )
    with Naba.open(settings) as naba:
        assert naba.ingest([corpus]).stored == 3
        stored = [s.article for s in naba.store.latest(limit=10)]  # titles lose the wire's desk prefix
        chad = sorted((a for a in stored if "تشاد" in a.title), key=lambda a: a.title)
        articles = [a for a in stored if "الإكوادور" in a.title] + chad
        assert len(articles) == 3, [a.title for a in stored]
        ids = [a.id for a in articles]
        glued = "story:" + ids[0]
        rows = tuple(
            ArticleUnderstanding(
                article=a.id,
                dup_group=f"group:{a.id}",
                duplicate_of=None,
                similarity=0.0,
                method="new",
                story=glued,
                story_similarity=0.5,
                story_method="similar",
                published_ts=published_timestamp(a.published),
            )
            for a in articles
        )
        naba.store.put_understanding(UnderstandBatch(articles=rows))
        split = "story:" + ids[1]
        moves = tuple(StoryMoveRow(i, glued, split, AT) for i in ids[1:])
        naba.store.put_understanding(UnderstandBatch(story_moves=moves))
        yield naba, ids, glued, split


@pytest.fixture(scope="module")
def client(reader: tuple[Naba, list[str], str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(reader[0])) as opened:
        yield opened


def test_a_link_to_a_moved_article_redirects_to_its_new_story(
    client: TestClient, reader: tuple[Naba, list[str], str, str]
) -> None:
    _, ids, glued, chad = reader
    response = client.get(story_href(glued), params={"article": ids[2]}, follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == story_href(chad) + "#" + quote(ids[2], safe="")
    page = client.get(response.headers["location"].split("#")[0])
    assert page.status_code == 200
    assert "تشاد" in unescape(re.search(r"<h1[^>]*>(.*?)</h1>", page.text, re.S).group(1))  # type: ignore[union-attr]
    # The card of the moved article carries the fragment's id on its new page.
    assert f'id="{ids[2]}"' in unescape(page.text)


def test_an_article_still_in_the_story_or_never_moved_stays_on_the_page(
    client: TestClient, reader: tuple[Naba, list[str], str, str]
) -> None:
    _, ids, glued, _ = reader
    stays = client.get(story_href(glued), params={"article": ids[0]}, follow_redirects=False)
    assert stays.status_code == 200
    assert "الإكوادور" in unescape(stays.text)
    assert "/static/story.js" in stays.text  # the script that turns the fragment into ?article=
    unknown = client.get(
        story_href(glued), params={"article": "https://example.sa/لا-يوجد"}, follow_redirects=False
    )
    assert unknown.status_code == 200
    missing = client.get(story_href("story:لا-توجد"), params={"article": ids[2]}, follow_redirects=False)
    assert missing.status_code == 404
