"""Source lists as OPML 2.0: read the ones feed readers export, write naba's own, and the shipped default list.

Contract
--------
* :func:`read_opml` returns one :class:`SourceSpec` per ``<outline>`` with an ``xmlUrl``, in document order,
  at any depth (outlines without one are categories). ``type="sitemap"`` makes a sitemap source; ``rss``,
  ``atom``, none or anything else a feed. The first outline of a URL wins; later repeats are dropped.
* naba's own attributes live in the :data:`NABA_NAMESPACE` namespace: ``naba:publisher`` (a key of the
  publishers registry), ``naba:country`` (ISO 3166-1 alpha-2), ``naba:verified`` and, on category outlines,
  ``naba:region``. They are read under any namespace URI, and as plain ``naba:``-prefixed names when a
  hand-edited file forgot to declare the prefix. A feed's region is its own ``naba:region``, else its
  nearest category's ``naba:region``, else that category's text.
* :func:`write_opml` groups sources by region (regions in first-seen order, sources in input order within
  each); ``read_opml(write_opml(specs))`` gives the specs back in that grouped order.
* Safety: a document declaring entities is refused before parsing (libxml2 expands internal entities in
  attribute values regardless of ``resolve_entities``), and lxml parses with entity resolution, DTD loading
  and network access off: no XXE, no entity expansion. Anything that is not OPML raises :class:`OpmlError`.
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Sequence
from typing import Any, Final

from lxml import etree

from naba.errors import OpmlError, TooLargeError
from naba.sources.xmlsafe import safe_parser
from naba.types import SourceSpec

NABA_NAMESPACE: Final = "https://github.com/naba-news/naba/opml"
DEFAULT_SOURCES_FILE: Final = "sources.opml"
# Subscription lists are kilobytes; a few thousand sources are well under 2 MB.
MAX_OPML_BYTES: Final = 10 * 1024 * 1024
_NABA_FIELDS: Final = frozenset({"publisher", "country", "verified", "region"})
_TRUE: Final = frozenset({"true", "1", "yes"})
# libxml2 expands internal entities inside attribute values whatever resolve_entities says, and OPML keeps
# everything in attributes; OPML never needs a DTD, so a document declaring entities is refused outright.
_ENTITY_DECLARATION: Final = re.compile(rb"<!ENTITY", re.I)
# Category titles naba writes, Arabic first; the region key itself rides in naba:region.
REGION_TITLES: Final = {
    "gulf": "الخليج العربي — Gulf",
    "levant": "بلاد الشام — Levant",
    "iraq": "العراق — Iraq",
    "egypt": "مصر — Egypt",
    "sudan": "السودان — Sudan",
    "maghreb": "المغرب العربي — Maghreb",
    "pan-arab": "قنوات ومواقع عربية — Pan-Arab",
    "international": "وكالات دولية — International",
}


_parser = safe_parser


def _attributes(element: Any) -> tuple[dict[str, str], dict[str, str]]:
    """(plain attributes by lower-cased name, naba attributes by field name)."""
    plain: dict[str, str] = {}
    naba: dict[str, str] = {}
    for key, value in element.attrib.items():
        if key.startswith("{"):
            local = key.rpartition("}")[2]
            if local in _NABA_FIELDS:
                naba.setdefault(local, value.strip())
        elif key.lower().startswith("naba:"):
            naba.setdefault(key[5:].lower(), value.strip())
        else:
            plain[key.lower()] = value.strip()
    return plain, naba


def _region(outline: Any, own: dict[str, str]) -> str | None:
    if own.get("region"):
        return own["region"]
    for ancestor in outline.iterancestors("outline"):
        plain, naba = _attributes(ancestor)
        if region := naba.get("region") or plain.get("text") or plain.get("title"):
            return region
    return None


def _spec(outline: Any) -> SourceSpec | None:
    plain, naba = _attributes(outline)
    url = plain.get("xmlurl")
    if not url:
        return None
    return SourceSpec(
        url=url,
        kind="sitemap" if plain.get("type", "").lower() == "sitemap" else "feed",
        title=plain.get("title") or plain.get("text") or url,
        site_url=plain.get("htmlurl") or None,
        publisher=naba.get("publisher") or None,
        language=plain.get("language") or None,
        country=naba.get("country") or None,
        region=_region(outline, naba),
        verified=naba.get("verified", "").lower() in _TRUE,
    )


def _parse(content: bytes) -> Any:
    """The document element, parsed strictly; only an undeclared prefix (``naba:`` in a hand-edited file) is
    forgiven, by reparsing with libxml2's recovery, which keeps such attributes under their prefixed name."""
    if _ENTITY_DECLARATION.search(content.replace(b"\x00", b"")):  # NULs: UTF-16 text scanned as bytes
        raise OpmlError("not OPML: entity declarations are refused (entity expansion)", stage="opml")
    parser = _parser()
    try:
        return etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        errors = list(parser.error_log)  # the exception's own log can hold errors of earlier parses
        if not errors or any(e.domain != etree.ErrorDomains.NAMESPACE for e in errors):
            raise OpmlError(f"not OPML: {exc}", stage="opml") from exc
    root = etree.fromstring(content, _parser(recover=True))
    if root is None:
        raise OpmlError("not OPML: no document element", stage="opml")
    return root


def read_opml(content: bytes) -> list[SourceSpec]:
    """The sources of an OPML document (see the module docstring); raises :class:`OpmlError` for anything
    that is not OPML and :class:`TooLargeError` over :data:`MAX_OPML_BYTES`."""
    if len(content) > MAX_OPML_BYTES:
        raise TooLargeError(f"OPML of {len(content)} bytes is over the {MAX_OPML_BYTES}-byte limit")
    root = _parse(content)
    name = etree.QName(root.tag).localname if isinstance(root.tag, str) else ""
    if name.lower() != "opml":
        raise OpmlError(f"not OPML: the root element is <{name}>", stage="opml")
    body = root.find("body")
    if body is None:
        raise OpmlError("not OPML: no <body>", stage="opml")
    specs: dict[str, SourceSpec] = {}
    for outline in body.iter("outline"):
        spec = _spec(outline)
        if spec is not None:
            specs.setdefault(spec.url, spec)
    return list(specs.values())


def _naba(name: str) -> str:
    return f"{{{NABA_NAMESPACE}}}{name}"


def _write_outline(parent: Any, spec: SourceSpec) -> None:
    outline = etree.SubElement(parent, "outline")
    outline.set("text", spec.title or spec.url)
    outline.set("title", spec.title or spec.url)
    outline.set("type", "sitemap" if spec.kind == "sitemap" else "rss")
    outline.set("xmlUrl", spec.url)
    for attribute, value in (("htmlUrl", spec.site_url), ("language", spec.language)):
        if value:
            outline.set(attribute, value)
    for field, value in (("publisher", spec.publisher), ("country", spec.country)):
        if value:
            outline.set(_naba(field), value)
    outline.set(_naba("verified"), "true" if spec.verified else "false")


def write_opml(specs: Sequence[SourceSpec], *, title: str = "naba sources") -> bytes:
    """An OPML 2.0 document (UTF-8) of ``specs``, grouped in one category outline per region."""
    root = etree.Element("opml", nsmap={"naba": NABA_NAMESPACE})
    root.set("version", "2.0")
    etree.SubElement(etree.SubElement(root, "head"), "title").text = title
    body = etree.SubElement(root, "body")
    groups: dict[str | None, list[SourceSpec]] = {}
    for spec in specs:
        groups.setdefault(spec.region, []).append(spec)
    for region, members in groups.items():
        parent = body
        if region is not None:
            parent = etree.SubElement(body, "outline")
            parent.set("text", REGION_TITLES.get(region, region))
            parent.set(_naba("region"), region)
        for spec in members:
            _write_outline(parent, spec)
    etree.indent(root, space="  ")
    document: bytes = etree.tostring(root, xml_declaration=False, encoding="UTF-8", pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + document


def default_sources() -> list[SourceSpec]:
    """The shipped list of Arabic news feeds (``naba/data/sources.opml``). Its URLs come from general
    knowledge and are unverified (``verified=False``) until checked against the live sites."""
    data = importlib.resources.files("naba").joinpath("data").joinpath(DEFAULT_SOURCES_FILE).read_bytes()
    return read_opml(data)
