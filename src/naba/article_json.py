"""The one article JSON shape (CLI output, naba's JSONL, the API), to and from :class:`Article`.

Field names match the extraction gold files (the gold's ``site`` is ``publisher`` here). Times are ISO 8601
with their offset, or a bare date when the source gives only a day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from naba.errors import InputError
from naba.extract.article import build_article
from naba.types import Article, Image, Provenance, PublishedTime

ARTICLE_FIELDS = (
    "id",
    "url",
    "canonical_url",
    "publisher",
    "original_source",
    "language",
    "title",
    "lead",
    "body_paragraphs",
    "authors",
    "published",
    "updated",
    "tags",
    "images",
    "related_headlines",
    "embedded_in",
    "provenance",
    "evidence",
    "section",
)


def time_to_json(value: PublishedTime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat()


def time_from_json(value: str | None) -> PublishedTime | None:
    """Parse an ISO date or date-time; a date-time without an offset is rejected (naba never guesses zones)."""
    if not value:
        return None
    if len(value) == 10:
        return dt.date.fromisoformat(value)
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise InputError(f"date-time without a UTC offset: {value!r}")
    return parsed


def article_to_json(article: Article) -> dict[str, Any]:
    prov = article.provenance
    return {
        "id": article.id,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "publisher": article.publisher,
        "original_source": article.original_source,
        "language": article.language,
        "title": article.title,
        "lead": article.lead,
        "body_paragraphs": list(article.body_paragraphs),
        "authors": list(article.authors),
        "published": time_to_json(article.published),
        "updated": time_to_json(article.updated),
        "tags": list(article.tags),
        "images": [{"url": i.url, "caption": i.caption} for i in article.images],
        "related_headlines": list(article.related_headlines),
        "embedded_in": article.embedded_in,
        "provenance": {
            "source": prov.source,
            "fetched_at": prov.fetched_at.isoformat() if prov.fetched_at else None,
            "raw_sha256": prov.raw_sha256,
        },
        "evidence": dict(article.evidence),
        "section": article.section,
    }


def _str_list(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"field {key!r} must be a list of strings")
    return tuple(value)


def _opt_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError(f"field {key!r} must be a string")
    return value


def _opt_map(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, Mapping):
        raise InputError(f"field {key!r} must be an object")
    return value


def _map_list(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise InputError(f"field {key!r} must be a list of objects")
    return value


def _image(data: Mapping[str, Any]) -> Image:
    caption = data.get("caption")
    if caption is not None and not isinstance(caption, str):
        raise InputError("field 'caption' of an image must be a string")
    return Image(url=data["url"], caption=caption)


def article_from_json(data: Mapping[str, Any], *, default_provenance: Provenance) -> Article:
    """Build an article from naba's JSON; a missing id is derived by the identity rule.

    A field of the wrong type (a number for a title, a list for the provenance) raises :class:`InputError`
    naming it.
    """
    title = _opt_str(data, "title") or ""
    body = _str_list(data, "body_paragraphs")
    lead = _opt_str(data, "lead")
    prov_data = _opt_map(data, "provenance")
    fetched_at = _opt_str(prov_data, "fetched_at")
    provenance = Provenance(
        source=_opt_str(prov_data, "source") or default_provenance.source,
        fetched_at=dt.datetime.fromisoformat(fetched_at) if fetched_at else default_provenance.fetched_at,
        raw_sha256=_opt_str(prov_data, "raw_sha256") or default_provenance.raw_sha256,
    )
    return build_article(
        article_id=_opt_str(data, "id") or None,
        url=_opt_str(data, "url"),
        canonical_url=_opt_str(data, "canonical_url"),
        publisher=_opt_str(data, "publisher"),
        original_source=_opt_str(data, "original_source"),
        language=_opt_str(data, "language"),
        title=title,
        lead=lead,
        body_paragraphs=body,
        authors=_str_list(data, "authors"),
        published=time_from_json(_opt_str(data, "published")),
        updated=time_from_json(_opt_str(data, "updated")),
        tags=_str_list(data, "tags"),
        images=(_image(i) for i in _map_list(data, "images") if _opt_str(i, "url")),
        related_headlines=_str_list(data, "related_headlines"),
        embedded_in=_opt_str(data, "embedded_in"),
        provenance=provenance,
        evidence={str(k): str(v) for k, v in _opt_map(data, "evidence").items()},
        section=_opt_str(data, "section"),
    )
