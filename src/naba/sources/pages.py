"""Single article pages: fetch one URL and extract its article (``naba fetch``, ``naba extract URL``, and
the items of summary-only feeds and sitemaps that ``naba watch`` follows)."""

from __future__ import annotations

import asyncio

from naba.errors import InputError
from naba.extract.generic import extract_html
from naba.sources.feeds import looks_like_feed
from naba.sources.http import FetchResult, HttpClient
from naba.types import Article

# Root elements of a sitemap (urlset) or sitemap index, looked for at the start of a response.
_SITEMAP_ROOTS = (b"<urlset", b"<sitemapindex")


def page_article(page: FetchResult, url: str) -> Article:
    """The article of a fetched page. A feed or a sitemap given as a page is refused with that reason
    rather than "extracted" into an article made of its item list."""
    head = page.content.lstrip()[:512]
    if looks_like_feed(page.content) or any(root in head for root in _SITEMAP_ROOTS):
        raise InputError(
            "this is a feed or a sitemap, not an article page: follow it with `naba sources add`",
            location=url,
        )
    where = page.final_url or url
    return extract_html(
        page.content, url=where, source=where, content_type=page.content_type, fetched_at=page.fetched_at
    )


async def fetch_article(client: HttpClient, url: str) -> Article:
    """Fetch ``url`` politely and extract its article (extraction runs off the event loop)."""
    page = await client.fetch(url)
    return await asyncio.to_thread(page_article, page, url)
