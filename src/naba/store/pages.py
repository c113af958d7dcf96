"""Keyset pagination of the newest articles (``ArticleLog.latest_page``), in the SQL both backends take."""

from __future__ import annotations

import datetime as dt
from typing import Any

from naba.store.base import PageKey


def latest_page_where(
    after: PageKey | None, publisher: str | None, since: dt.datetime | None, until: dt.datetime | None
) -> tuple[str, list[Any]]:
    """The WHERE clause (possibly empty) and parameters of ``latest_page``: keyset pagination over
    ``ORDER BY published_ts IS NULL, published_ts DESC, change_seq DESC`` (undated articles last)."""
    where: list[str] = []
    params: list[Any] = []
    if publisher:
        where.append("publisher = ?")
        params.append(publisher)
    if since is not None or until is not None:
        where.append("published_ts BETWEEN ? AND ?")
        params += [since.timestamp() if since else -1e18, until.timestamp() if until else 1e18]
    if after is not None and after.published_ts is not None:
        where.append("(published_ts < ? OR (published_ts = ? AND change_seq < ?) OR published_ts IS NULL)")
        params += [after.published_ts, after.published_ts, after.change_seq]
    elif after is not None:
        where.append("published_ts IS NULL AND change_seq < ?")
        params.append(after.change_seq)
    return (f"WHERE {' AND '.join(where)}" if where else ""), params
