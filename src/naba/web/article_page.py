"""The reader's article page: one article with what the understanding knows of it (its story, the outlets
that published the same text, related articles with reasons, entities).

Same rules as :mod:`naba.web.pages`: the handler builds a small view model of plain strings, the template
escapes. Article URLs are ``/article/{id}`` with the whole id percent-encoded as one segment
(:func:`naba.web.pages.article_href`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from naba.types import Article, ArticleId
from naba.web.backend import ReaderBackend
from naba.web.format import iso_datetime
from naba.web.pages import (
    LATEST_PATH,
    Display,
    Renderer,
    card_for,
    display_for,
    href,
    publisher_label,
    safe_external_url,
)
from naba.web.story_pages import article_understanding


def build_article_router(backend: ReaderBackend, render: Renderer) -> APIRouter:
    router = APIRouter()

    @router.get("/article/{article_id:naba_id}", response_class=HTMLResponse)
    def article(request: Request, article_id: str) -> HTMLResponse:
        stored = backend.store.get(ArticleId(article_id))
        if stored is None:
            raise HTTPException(status_code=404)
        return render(
            request, "article.html", _article_context(backend, stored.article, display_for(request))
        )

    return router


def _article_context(backend: ReaderBackend, article: Article, display: Display) -> dict[str, Any]:
    published, updated = article.published, article.updated
    parent = backend.store.get(article.embedded_in) if article.embedded_in else None
    return {
        **article_understanding(backend, article.id, display),
        "article": article,
        "paragraphs": [p for p in article.paragraphs if p.strip()],
        "lead": article.lead,
        "published": display.when(published) if published else None,
        "published_iso": iso_datetime(published) if published else None,
        "updated": display.when(updated) if updated and updated != published else None,
        "updated_iso": iso_datetime(updated) if updated else None,
        "original_url": safe_external_url(article.canonical_url) or safe_external_url(article.url),
        "embedded": [card_for(a, display) for a in backend.store.embedded_articles(article.id)],
        "parent": card_for(parent.article, display) if parent else None,
        "tag_links": [(tag, href("/search", {"q": _phrase(tag)})) for tag in article.tags if tag.strip()],
        "publisher_href": href(LATEST_PATH, {"source": article.publisher}) if article.publisher else None,
        "publisher_label": publisher_label(article.publisher) if article.publisher else None,
    }


def _phrase(tag: str) -> str:
    """A tag as a search query: multi-word tags are quoted so they match as a phrase."""
    tag = tag.strip().replace('"', " ")
    return f'"{tag}"' if " " in tag else tag
