"""The one Article builder: identity, defaults, tuples."""

from __future__ import annotations

import datetime as dt

from naba.extract.article import build_article
from naba.identity import article_identity
from naba.types import Provenance

PROV = Provenance(source="test", fetched_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC), raw_sha256="")


def test_identity_follows_the_rule_lead_first() -> None:
    article = build_article(title="عنوان", lead="مقدمة", body_paragraphs=["نص"], provenance=PROV)
    assert article.id == article_identity(
        canonical_url=None, url=None, title="عنوان", first_paragraph="مقدمة"
    )
    with_url = build_article(title="t", url="https://a.example/x", provenance=PROV)
    assert with_url.id == article_identity(
        canonical_url=None, url="https://a.example/x", title="t", first_paragraph=""
    )


def test_a_stated_id_wins_and_fields_default_empty() -> None:
    article = build_article(article_id="given", title="t", authors=["a"], embedded_in="", provenance=PROV)
    assert article.id == "given"
    assert article.authors == ("a",)
    assert (article.tags, article.images, article.related_headlines, article.body_paragraphs) == (
        (),
        (),
        (),
        (),
    )
    assert (article.url, article.lead, article.embedded_in, article.evidence) == (None, None, None, {})
