"""Combined articles on real SaudiNewsNet texts (2015-08-10): a short agency item printed inside a longer
combined article groups with its own copies, and the combined article joins the group of its lead item only.

The articles are read from the corpus day and fed in crawl order, as ``eval/dedupe.py`` does."""

from __future__ import annotations

import json
import zipfile

import pytest
from tests.analyzed_articles import make
from tests.conftest import CORPUS, need_shared

from naba.dedupe import Deduper
from naba.types import AnalyzedArticle

# Istanbul, 10 August 2015: two SPA items (the US consulate shot at; seven hurt at a police station), each
# copied by alweeam, and alyaum's AFP write-up (a group claims the consulate attack) that prints both SPA
# items further down its text.
CONSULATE = (
    "http://www.alweeam.com.sa/351772/القنصلية-الأمريكية-في-اسطنبول-تتعرض-ل/",
    "http://www.spa.gov.sa/details.php?id=1386677",
)
POLICE = (
    "http://www.alweeam.com.sa/351767/إصابة-سبعة-أشخاص-في-هجوم-على-مركز-للأمن/",
    "http://www.spa.gov.sa/details.php?id=1386666",
)
CLAIM = "http://www.alyaum.com/article/4082827"
# alwatan printed two SPA items as one article: the Emirati martyrs directive (its lead) and the sixth relief
# plane to Aden further down.
MARTYRS = ("http://www.al-jazirah.com/2015/20150810/ln54.htm", "http://www.alriyadh.com/1071802")
RELIEF = ("http://www.al-jazirah.com/2015/20150810/ln55.htm", "http://www.alriyadh.com/1071863")
COMBINED = "http://www.alwatan.com.sa/Politics/News_Detail.aspx?ArticleID=231631&CategoryID=1"
URLS = {*CONSULATE, *POLICE, CLAIM, *MARTYRS, *RELIEF, COMBINED}


@pytest.fixture(scope="module")
def groups() -> dict[str, str]:
    with zipfile.ZipFile(need_shared(CORPUS / "2015-08-10.zip")) as zf:
        records = [r for name in zf.namelist() for r in json.loads(zf.read(name)) if r["url"] in URLS]
    records.sort(key=lambda r: (r["date_extracted"], r["url"]))
    assert {r["url"] for r in records} == URLS
    stream: list[AnalyzedArticle] = [
        make(str(i), r["title"], r["content"], outlet=r["source"], hours=i / 60)
        for i, r in enumerate(records)
    ]
    deduper = Deduper()
    for analyzed in stream:
        deduper.add(analyzed)
    by_url = {r["url"]: a.article.id for r, a in zip(records, stream, strict=True)}
    return {url: deduper.group_id(by_url[url]) or "" for url in URLS}


def test_each_agency_item_groups_with_its_copy(groups: dict[str, str]) -> None:
    for a, b in (CONSULATE, POLICE, MARTYRS, RELIEF):
        assert groups[a] == groups[b]


def test_items_printed_inside_a_combined_article_are_not_glued_together(groups: dict[str, str]) -> None:
    assert groups[CONSULATE[0]] != groups[POLICE[0]]
    assert groups[MARTYRS[0]] != groups[RELIEF[0]]


def test_a_combined_article_is_no_bridge(groups: dict[str, str]) -> None:
    # alwatan's two-item article joins one item's group at most (with the constants fitted on dev it joins
    # the relief item's, the longer one, though its lead is the martyrs item: a known miss, see the README).
    assert groups[COMBINED] in (groups[MARTYRS[0]], groups[RELIEF[0]])
    # The AFP write-up leads with the claim, a text of its own: the SPA items further down do not make it a copy.
    assert groups[CLAIM] not in (groups[CONSULATE[0]], groups[POLICE[0]])
