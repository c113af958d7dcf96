"""Weak section labels: what the publisher itself says about an article's section.

Contract
--------
* :func:`weak_label` reads only what an installation really has for an article: its URL (a section segment such
  as ``/Sports/`` or a site's own code such as al-jazirah's ``sp12.htm``), the wire
  desk moved out of a headline (``Article.section``: «اقتصادي /» → economy), a one-section outlet (a sports
  paper), and a columnist's byline (a bare personal name, :func:`naba.extract.bylines.is_bare_name`) for
  ``opinion``. The tables are ``naba/data/section-signals.tsv``; only the columnist rule is code.
* Order, first that applies wins: columnist byline → the site's own path codes → section words in the URL's
  path segments → the wire desk → a one-section site → a headline keyword
  (health, science and technology, which publishers' labels rarely cover). A signal that names no section
  (a desk of ``general``, a path without a section word) gives ``None``: most articles have no weak label.
* Pure and deterministic; the tables are read once.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final, Literal
from urllib.parse import unquote, urlsplit

from naba import knowledge
from naba.extract.bylines import is_bare_name
from naba.text.normalize import fold_key
from naba.types import Article

SignalName = Literal["byline", "path", "url_word", "desk", "site", "title"]
SECTION_KEYS: Final = tuple(s.key for s in knowledge.sections())
_PROCLITICS: Final = ("و", "ف", "ب", "ل")


@dataclass(frozen=True, slots=True)
class WeakLabel:
    """A section a publisher's own signal gives an article, and which signal gave it."""

    section: str
    signal: SignalName


@dataclass(frozen=True, slots=True)
class _Tables:
    words: dict[str, str]
    paths: dict[str, tuple[tuple[re.Pattern[str], str], ...]]
    sites: dict[str, str]
    desks: dict[str, str]
    titles: dict[tuple[str, ...], str]
    longest_title: int


def _word_key(text: str) -> str:
    """A section word as compared: folded, lower-cased, "-" and "_" as spaces, spaces collapsed."""
    return " ".join(fold_key(text.replace("-", " ").replace("_", " ")).lower().split())


@functools.cache
def _tables() -> _Tables:
    words: dict[str, str] = {}
    paths: dict[str, list[tuple[re.Pattern[str], str]]] = {}
    sites: dict[str, str] = {}
    desks: dict[str, str] = {}
    titles: dict[tuple[str, ...], str] = {}
    for s in knowledge.section_signals():
        if s.kind == "word":
            words[_word_key(s.match)] = s.section
        elif s.kind == "path":
            paths.setdefault(s.where, []).append((re.compile(s.match, re.I), s.section))
        elif s.kind == "site":
            sites[s.where] = s.section
        elif s.kind == "desk":
            desks[s.match] = s.section
        else:
            titles[tuple(fold_key(s.match).split())] = s.section
    return _Tables(
        words,
        {host: tuple(rules) for host, rules in paths.items()},
        sites,
        desks,
        titles,
        max((len(k) for k in titles), default=0),
    )


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _site_rule(rules: dict[str, str] | dict[str, tuple[tuple[re.Pattern[str], str], ...]], host: str) -> str:
    """The key of ``rules`` that ``host`` is or is a subdomain of, or ''."""
    for key in rules:
        if host == key or host.endswith("." + key):
            return key
    return ""


def _from_path(url: str, tables: _Tables) -> WeakLabel | None:
    parts = urlsplit(url)
    path = unquote(parts.path) + (f"?{unquote(parts.query)}" if parts.query else "")
    host = _host(url)
    key = _site_rule(tables.paths, host)
    for pattern, section in tables.paths.get(key, ()):
        if pattern.search(path):
            return WeakLabel(section, "path")
    # Section words are whole segments before the last one (the last is the article's own slug or file).
    segments = [s for s in unquote(parts.path).split("/") if s][:-1]
    for segment in segments:
        word = tables.words.get(_word_key(segment))
        if word is not None:
            return WeakLabel(word, "url_word")
    return None


def _from_title(title: str, tables: _Tables) -> str | None:
    tokens = fold_key(title).split()
    bare = [t[1:] if len(t) > 3 and t[0] in _PROCLITICS else t for t in tokens]
    for seq in (tokens, bare):
        for n in range(tables.longest_title, 0, -1):
            for i in range(len(seq) - n + 1):
                section = tables.titles.get(tuple(seq[i : i + n]))
                if section is not None:
                    return section
    return None


def is_columnist(article: Article) -> bool:
    """True when the article's byline is a bare personal name (a signed column), not a reporter's dateline."""
    return any(is_bare_name(author.strip()) for author in article.authors[:1])


def weak_label(article: Article) -> WeakLabel | None:
    """The section the publisher's own signals give ``article`` (see the module contract), or None."""
    tables = _tables()
    if is_columnist(article):
        return WeakLabel("opinion", "byline")
    url = article.url or article.canonical_url or ""
    if url:
        found = _from_path(url, tables)
        if found is not None:
            return found
    if article.section and article.section in tables.desks:
        return WeakLabel(tables.desks[article.section], "desk")
    site = _site_rule(tables.sites, _host(url)) if url else ""
    if site:
        return WeakLabel(tables.sites[site], "site")
    section = _from_title(article.title, tables)
    return WeakLabel(section, "title") if section is not None else None
