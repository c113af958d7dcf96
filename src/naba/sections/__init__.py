"""naba.sections: a section and the countries of every article, learned from what an installation has.

* :mod:`naba.sections.weak` — weak labels from publishers' own signals (URL sections, wire desks, sports-only
  papers, columnists' bylines).
* :mod:`naba.sections.model` — the classifier trained on those weak labels (the installation's own model).
* :mod:`naba.sections.countries` — countries per article from places, demonyms and offices.

:func:`label_article` combines them for one article into an :class:`ArticleSection`; the engine
(``naba.engine.sections``) stores the results and trains the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from naba import knowledge
from naba.publishers import agency_in_text, publisher_by_name, publisher_for_saudinewsnet, publisher_for_url
from naba.sections.countries import countries_of
from naba.sections.model import SectionModel, section_terms
from naba.sections.weak import SECTION_KEYS, WeakLabel, weak_label
from naba.types import Article

SectionSource = Literal["publisher", "model", "none"]
# Publisher signals taken as the article's section as they are; the headline keywords (naba's own labeling
# function, signal "title") only teach the model, which decides those articles like any other.
TRUSTED_SIGNALS: Final = frozenset({"byline", "path", "url_word", "desk", "site"})
OTHER: Final = "other"


@dataclass(frozen=True, slots=True)
class ArticleSection:
    """The section and countries of one article, and where the section came from."""

    article: str
    section: str
    source: SectionSource
    confidence: float
    weak: WeakLabel | None
    countries: tuple[str, ...]


def home_countries(article: Article) -> tuple[str, ...]:
    """The outlet's home country, then the credited agency's (weak priors for :func:`countries_of`)."""
    out: list[str] = []
    key = article.publisher or ""
    outlet = (
        (publisher_for_url(article.url) if article.url else None)
        or publisher_for_saudinewsnet(key)
        or publisher_by_name(key)
    )
    if outlet is not None and outlet.country:
        out.append(outlet.country)
    credited = publisher_by_name(article.original_source) if article.original_source else None
    if credited is None and article.authors:
        credited = agency_in_text(article.authors[0])  # a dateline credit: «الرياض - واس»
    if credited is not None and credited.country and credited.country not in out:
        out.append(credited.country)
    return tuple(out)


def label_article(article: Article, model: SectionModel | None) -> ArticleSection:
    """The section of ``article`` (a trusted publisher label, else the model's, else ``other``) and its
    countries."""
    weak = weak_label(article)
    homes = home_countries(article)
    countries = countries_of(article, homes)
    if weak is not None and weak.signal in TRUSTED_SIGNALS:
        return ArticleSection(article.id, weak.section, "publisher", 1.0, weak, countries)
    if model is not None:
        section, p = model.predict(section_terms(article, model.analyzer))
        return ArticleSection(article.id, section, "model", p, weak, countries)
    if weak is not None:
        return ArticleSection(article.id, weak.section, "publisher", 1.0, weak, countries)
    return ArticleSection(article.id, OTHER, "none", 0.0, None, countries)


def section_names() -> dict[str, knowledge.SectionName]:
    """Every section key -> its display names, in tab order."""
    return {s.key: s for s in knowledge.sections()}


__all__ = [
    "OTHER",
    "SECTION_KEYS",
    "TRUSTED_SIGNALS",
    "ArticleSection",
    "SectionModel",
    "WeakLabel",
    "countries_of",
    "home_countries",
    "label_article",
    "section_names",
    "section_terms",
    "weak_label",
]
