"""Which copy of a duplicate group is the original, and who else published it.

The original is, in order of preference: a copy published by a wire agency itself (SaudiNewsNet's ``was``
is the Saudi Press Agency), then a copy whose stated original source or dateline credit names an agency
(all copies of an SPA text carry "واس", so this only separates the wire copy from a rewrite that dropped the
credit), then the earliest publication time, then the earliest arrival.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from naba.knowledge import Agency
from naba.publishers.registry import agency_in_text, publisher_by_name, publisher_for_saudinewsnet
from naba.types import Article, ArticleId

_FAR_FUTURE = dt.datetime.max.replace(tzinfo=dt.UTC)
# Credits sit in the dateline (first paragraph) or the last line; reading more only costs time.
_CREDIT_PARAGRAPHS = 2


@dataclass(frozen=True, slots=True)
class CopyInfo:
    """What the original choice needs to know about one copy; a store persists it with the membership."""

    article: ArticleId
    outlet: str | None
    url: str | None
    published: dt.datetime | None
    arrival: int
    agency_rank: int  # 0: published by an agency; 1: credits an agency; 2: neither

    def sort_key(self) -> tuple[int, dt.datetime, int]:
        return self.agency_rank, self.published or _FAR_FUTURE, self.arrival


def _is_agency_outlet(outlet: str | None) -> bool:
    if not outlet:
        return False
    publisher = publisher_for_saudinewsnet(outlet) or publisher_by_name(outlet)
    return isinstance(publisher, Agency)


def _credits_agency(article: Article) -> bool:
    if article.original_source:
        return True
    paragraphs = article.paragraphs
    texts = paragraphs[:1] + paragraphs[-1:] if len(paragraphs) > 1 else paragraphs
    return any(agency_in_text(t) is not None for t in texts[:_CREDIT_PARAGRAPHS])


def copy_info(article: Article, arrival: int) -> CopyInfo:
    """The copy facts of ``article``; ``arrival`` is its position in the stream (ties after time)."""
    published = article.published if isinstance(article.published, dt.datetime) else None
    if _is_agency_outlet(article.publisher):
        rank = 0
    elif _credits_agency(article):
        rank = 1
    else:
        rank = 2
    return CopyInfo(article.id, article.publisher, article.url, published, arrival, rank)


def choose_original(copies: list[CopyInfo]) -> CopyInfo:
    """The original of a group (see the module docstring); ``copies`` must not be empty."""
    return min(copies, key=CopyInfo.sort_key)
