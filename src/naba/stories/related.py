"""Related articles ("read also"): the tiers and reasons of naba's one related algorithm.

Contract
--------
The list itself is built by :func:`naba.engine.views.stored_related` from the stored stories and threads
(what ``naba understand`` wrote), for the reader, the API, ``naba related`` and ``eval/related.py`` alike.
Order of tiers, each with a short reason:

1. other articles of the same story — independent write-ups (:data:`TIER_STORY`, "same story") before
   syndicated copies of the same text (:data:`TIER_COPY`, "same text, also published by …"), which a reader
   page folds into "also from";
2. articles of the other stories of its thread (:data:`TIER_THREAD`): :func:`development_reason`.

Time-aware by construction: a story and a thread are bounded in time, so two articles months apart that share
a phrase such as "إطلاق سراح" are in no common story or thread, and never related (the seed page's mistake).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

# Scores put tiers strictly in order whatever the closeness within a tier (closeness is in [0, 1)).
TIER_STORY: Final = 3.0
TIER_COPY: Final = 2.0
TIER_THREAD: Final = 1.0


def development_reason(mine: dt.datetime | None, theirs: dt.datetime | None) -> str:
    """The reason shown for a related article of the same thread: how many days before or after it came."""
    if mine is None or theirs is None:
        return "same matter"
    days = (mine - theirs).days if mine >= theirs else -((theirs - mine).days)
    if days > 0:
        return f"earlier development {days} day{'s' if days > 1 else ''} before"
    if days < 0:
        return f"later development {-days} day{'s' if days < -1 else ''} after"
    return "same matter, same day"
