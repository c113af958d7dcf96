"""Single article pages by URL: fetched politely, extracted, and (``naba fetch``) stored and indexed.

Every fetch goes through the one HTTP client (:class:`naba.sources.http.HttpClient`: robots.txt, per-host
delay, retries, SSRF guard), configured from the settings by :func:`http_client`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from naba.engine.naba import Naba
from naba.errors import NabaError
from naba.sources.http import FetchPolicy, HttpClient, fetch_once
from naba.sources.pages import fetch_article, page_article
from naba.types import Article, InputItem


def http_client(settings: Any) -> HttpClient:
    """The HTTP client of ``settings`` (an async context manager)."""
    return HttpClient(FetchPolicy.from_settings(settings))


async def fetch_articles(settings: Any, naba: Naba, urls: Sequence[str]) -> dict[str, Any]:
    """Fetch, extract and store single article pages; returns the ingest summary and per-URL errors."""
    items: list[InputItem] = []
    errors: dict[str, str] = {}
    async with http_client(settings) as client:
        for url in urls:
            try:
                items.append(InputItem(url, (await fetch_article(client, url),)))
            except NabaError as exc:
                errors[url] = exc.message
    report = naba.ingest_items(items)
    return {**report.as_dict(), "errors": errors}


def fetch_urls(settings: Any, urls: Sequence[str]) -> dict[str, Any]:
    """:func:`fetch_articles` into the database of ``settings`` (``naba fetch``)."""
    with Naba.open(settings) as naba:
        return asyncio.run(fetch_articles(settings, naba, urls))


def extract_url(settings: Any, url: str) -> Article:
    """The article of the page at ``url``, fetched politely; nothing is stored (``naba extract URL``)."""
    return page_article(fetch_once(url, settings), url)
