"""The records online story clustering produces: assignments, merges (redirects) and story summaries.

A store persists :class:`Assignment` and :class:`StoryMerge` records; together they rebuild the story state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from naba.types import ArticleId, Story


@dataclass(frozen=True, slots=True)
class Assignment:
    """Article ``article`` joined (or started) ``story`` with this similarity; ``method`` says how."""

    article: ArticleId
    story: str
    similarity: float
    method: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class StoryMerge:
    """A redirect: story ``absorbed`` is now part of story ``into`` (from a repair pass at ``at``)."""

    absorbed: str
    into: str
    similarity: float
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class StorySummary:
    """What a reader page shows of a story (a :class:`~naba.types.Story` plus headline and outlets)."""

    story: Story
    headline: str
    outlets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoryMove:
    """Article ``article`` left story ``from_story`` for ``to_story`` (a repair pass split an incoherent story
    at ``at``); links to the article under its old story redirect to the new one."""

    article: ArticleId
    from_story: str
    to_story: str
    at: dt.datetime
