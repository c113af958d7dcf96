"""Article metadata from one parsed page, each value with the rule that found it (``evidence``).

Cascades (first rule that yields wins unless stated):

* **title**: the ``<h1>`` that equals a site-name-stripped og:title / JSON-LD headline / ``<title>``; else
  og:title, JSON-LD headline, ``<title>`` with " | site" / " - site" parts removed when they match og:site_name,
  the JSON-LD publisher or the domain; else the first ``<h1>``.
* **published**: structured (JSON-LD ``datePublished`` incl. ``@graph``; ``article:published_time`` and kin;
  ``<time datetime>`` outside comments) vs the visible dateline next to the headline (via ``parse_dateline``
  with ``fetched_at``). A structured date more than :data:`MAX_DATE_DISAGREEMENT` from the visible dateline is
  a CMS-migration value and loses; ``dateModified`` and "آخر تحديث" are never the publication date; a visible
  time without a zone takes the offset of the page's structured dates. Never a date after ``fetched_at``.
* **authors**: byline lines in the text / byline lines between the headline and the text (incl. a bare name) /
  author elements / JSON-LD Person / meta author, cleaned by ``bylines`` (persons only: no desk, account or the
  site's own name, whether from og:site_name, JSON-LD, the host or the ``<title>``).
* **original_source**: credit line ("المصدر:", "رابط الخبر بـ…", "نقلا عن …", "(واس)", "(الاقتصادية)"), agency in
  the byline, wire credit in the text, then an outlet named by the opening words ("نشر موقع …") (``bylines``).
* **tags**: the list after a "كلمات دلالية" / "الوسوم" / "كلمات البحث" label, else a tag-classed element's
  links, else ``rel=tag`` links, else "#…" links to the site's tag pages, else meta keywords / article:tag /
  JSON-LD keywords unless they are just the title's words.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import urlsplit

from naba.extract import bylines
from naba.extract.bylines import classify_line
from naba.extract.content import Block, Content, is_caption
from naba.extract.dates import ParsedDate, parse_dateline
from naba.text.normalize import fold_key
from naba.types import Image, PublishedTime

# A structured date and the visible dateline farther apart than this are two different dates; the visible
# one wins (migrated CMS dates). One day absorbs UTC-vs-local date shifts (elbaladtv-1: 24th UTC, 25th Cairo).
MAX_DATE_DISAGREEMENT: Final = dt.timedelta(days=1)
# How many blocks before the headline a dateline may sit (Saudi print CMSs put it above the h1); further up
# is the top bar with today's date.
DATELINE_BEFORE_TITLE: Final = 4
# How many blocks after the body a source line or tag list may sit.
AFTER_BODY_WINDOW: Final = 25
MAX_TAGS: Final = 40
# Heading texts kept for telling the headline part of <title> (subheadings first, then bold/<font> texts).
MAX_HEADINGS: Final = 100
ARTICLE_TYPES: Final = frozenset(
    {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle", "opinionnewsarticle",
     "backgroundnewsarticle", "liveblogposting", "webpage", "report", "scholarlyarticle"}
)  # fmt: skip
PUBLISHED_META: Final = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished", "pubdate",
    "publishdate", "publish-date", "publish_date", "date", "dc.date", "dc.date.issued", "dcterms.created",
    "sailthru.date", "parsely-pub-date", "article.published",
)  # fmt: skip
MODIFIED_META: Final = ("article:modified_time", "og:updated_time", "datemodified", "last-modified")
TAG_LABELS: Final = tuple(
    fold_key(x) for x in ("كلمات دلالية", "الكلمات الدلالية", "الوسوم", "وسوم", "كلمات البحث", "الكلمات المفتاحية",
                      "تاجز", "tags", "الكلمات")
)  # fmt: skip
_TITLE_SEPARATORS: Final = re.compile(r"\s+[|\-–—:•·»«]+\s+|\s*\|\s*|\s*::\s*")
_TAG_HINT: Final = re.compile(r"(?:^|[\s_-])(tags?|post-tags|tag-list|keywords|hashtags?)(?:$|[\s_-])")
_AUTHOR_HINT: Final = re.compile(r"author|byline|writer|writeby|kateb")
_NOT_ARTICLE: Final = re.compile(r"comment|related|sidebar|widget|footer|most|popular|ticker|breaking")


@dataclass(slots=True)
class Metadata:
    title: str = ""
    canonical_url: str | None = None
    publisher: str | None = None
    language: str | None = None
    published: PublishedTime | None = None
    updated: PublishedTime | None = None
    authors: tuple[str, ...] = ()
    original_source: str | None = None
    tags: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    evidence: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class HeadData:
    """What the ``<head>`` and JSON-LD say, read before the tree is cleaned."""

    meta: dict[str, str]
    jsonld: list[dict[str, Any]]
    title_tag: str
    h1s: list[str]
    canonical: str | None
    lang: str | None
    times: list[str]
    headings: list[str] = field(default_factory=list)


def read_head(root: Any) -> HeadData:
    """Meta tags (first value per lower-cased name/property/itemprop), JSON-LD objects, title, h1s, <time>s."""
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if key and value and key not in meta:
            meta[key] = value
    title_el = root.find(".//title")
    canonical = next(
        (el.get("href") for el in root.iter("link") if (el.get("rel") or "").lower() == "canonical"), None
    )
    html = root if root.tag == "html" else root.find(".//html")
    lang = html.get("lang") if html is not None else None
    times = [t.get("datetime", "") for t in root.iter("time") if t.get("datetime") and not _in_furniture(t)]
    return HeadData(
        meta=meta,
        jsonld=_jsonld_objects(root),
        title_tag=" ".join((title_el.text_content() if title_el is not None else "").split()),
        h1s=[t for h in root.iter("h1") if (t := " ".join(h.text_content().split()))],
        canonical=canonical.strip() if canonical else None,
        lang=lang,
        times=times,
        headings=_headings(root),
    )


def _headings(root: Any) -> list[str]:
    """Subheadings, and the own text of bold / <font> elements: table-layout pages show the headline as
    ``<font size=4><b>…</b></font>`` with no ``<h1>`` (used to tell the headline part of ``<title>``)."""
    found = [t for h in root.iter("h2", "h3") if 10 < len(t := " ".join(h.text_content().split())) < 300][:50]
    for el in root.iter("b", "strong", "font"):
        if 10 < len(t := " ".join((el.text or "").split())) < 300 and not len(el):
            found.append(t)
            if len(found) >= MAX_HEADINGS:
                break
    return found


def _in_furniture(el: Any) -> bool:
    for anc in el.iterancestors():
        attrs = f"{anc.get('class', '')} {anc.get('id', '')}".lower()
        if _NOT_ARTICLE.search(attrs) or anc.tag in ("aside", "footer", "nav"):
            return True
    return False


def _jsonld_objects(root: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                found.append(item)
                if "@graph" in item:
                    stack.append(item["@graph"])
    return found


def _types(obj: dict[str, Any]) -> set[str]:
    raw = obj.get("@type", [])
    return {str(t).lower() for t in (raw if isinstance(raw, list) else [raw])}


def article_objects(head: HeadData) -> list[dict[str, Any]]:
    """JSON-LD objects of article types, the more specific (NewsArticle) before WebPage."""
    objs = [o for o in head.jsonld if _types(o) & ARTICLE_TYPES]
    return sorted(objs, key=lambda o: "webpage" in _types(o))


def site_names(head: HeadData, url: str | None) -> frozenset[str]:
    names = {head.meta.get("og:site_name", ""), head.meta.get("application-name", "")}
    for obj in article_objects(head):
        pub = obj.get("publisher")
        if isinstance(pub, dict):
            names.add(str(pub.get("name", "")))
    host = urlsplit(url or head.canonical or head.meta.get("og:url", "")).hostname or ""
    if host:
        names.add(host.removeprefix("www."))
        names.add(host.removeprefix("www.").split(".")[0])
    return frozenset(fold_key(n) for n in names if n.strip())


def _strip_site(title: str, names: frozenset[str]) -> str:
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    while len(parts) > 1 and _is_site(parts[-1], names):
        parts.pop()
    while len(parts) > 1 and _is_site(parts[0], names):
        parts.pop(0)
    if len(parts) == len(_TITLE_SEPARATORS.split(title)):
        return title
    # Re-cut the original so separators inside the headline itself survive.
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if start >= 0 and end > start else title


def _is_site(part: str, names: frozenset[str]) -> bool:
    return bylines.matches_site(fold_key(part), names)


def find_title(head: HeadData, names: frozenset[str]) -> tuple[str, str]:
    """(title, evidence)."""
    headline = next((str(o["headline"]) for o in article_objects(head) if o.get("headline")), "")
    candidates = [
        ("og:title", head.meta.get("og:title", "")),
        ("jsonld:headline", headline),
        ("twitter:title", head.meta.get("twitter:title", "")),
        ("title", head.title_tag),
    ]
    stripped = [
        (rule, " ".join(_strip_site(" ".join(v.split()), names).split())) for rule, v in candidates if v
    ]
    h1_keys = {_loose(h) for h in head.h1s}
    for rule, value in stripped:
        if _loose(value) in h1_keys:
            return value, f"h1={rule}"
    headings = h1_keys | {_loose(h) for h in head.headings}
    for rule, value in candidates:
        for part in _TITLE_SEPARATORS.split(" ".join(value.split())):
            if _loose(part) in headings and (len(part) > 10 or _loose(part) in h1_keys):
                return part, f"{rule}-part=heading"
    for h1 in head.h1s:
        for rule, value in stripped:
            if value.startswith(h1) or (h1 in value and len(h1) > 0.6 * len(value)):
                return h1, f"h1~{rule}"
    for rule, value in stripped:
        original = next(v for r, v in candidates if r == rule)
        if value != " ".join(original.split()):
            return value, f"{rule}-minus-site-name"
    if stripped:
        return stripped[0][1], stripped[0][0]
    return (head.h1s[0], "h1") if head.h1s else ("", "none")


def _loose(text: str) -> str:
    """Text compared with punctuation and quotes ignored ("«x»" = "x" = '"x"')."""
    return " ".join(re.findall(r"\w+", text))


def parse_iso(value: str) -> dt.datetime | dt.date | None:
    """An ISO 8601 date or date-time (naive when the string has no offset)."""
    text = value.strip().replace(" ", "T", 1) if len(value.strip()) > 10 else value.strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


# --- dates -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DateCandidate:
    value: dt.datetime | dt.date
    evidence: str

    @property
    def day(self) -> dt.date:
        return self.value.date() if isinstance(self.value, dt.datetime) else self.value

    @property
    def aware(self) -> bool:
        return isinstance(self.value, dt.datetime) and self.value.tzinfo is not None


def _structured_dates(head: HeadData, keys: tuple[str, ...], ld_key: str) -> list[DateCandidate]:
    found: list[DateCandidate] = []
    for obj in article_objects(head):
        if isinstance(obj.get(ld_key), str) and (value := parse_iso(obj[ld_key])) is not None:
            found.append(DateCandidate(value, f"jsonld:{ld_key}"))
    for key in keys:
        if key in head.meta and (value := parse_iso(head.meta[key])) is not None:
            found.append(DateCandidate(value, f"meta:{key}"))
    return found


def _not_future(cands: list[DateCandidate], fetched_at: dt.datetime | None) -> list[DateCandidate]:
    if fetched_at is None:
        return cands
    ref = fetched_at if fetched_at.tzinfo else fetched_at.replace(tzinfo=dt.UTC)
    limit = (ref + dt.timedelta(hours=14)).date()
    return [
        c
        for c in cands
        if not (c.value > ref if isinstance(c.value, dt.datetime) and c.aware else c.day > limit)
    ]


def _visible_dateline(
    blocks: list[Block], anchor: int, content: Content, ref: dt.datetime | None
) -> ParsedDate | None:
    """The dateline by the headline: first after it (up to the body), then just above it, then in the body."""
    first_body = _first_body_index(blocks, content)
    after = [b for b in blocks if anchor <= b.index <= max(first_body, anchor + 6)]
    before = [b for b in blocks if anchor - DATELINE_BEFORE_TITLE <= b.index < anchor][::-1]
    inside = [text for kind, text in content.lines if kind == "dateline"]
    for text in [b.text for b in after + before] + inside:
        if len(text) > bylines.MAX_DATELINE_CHARS * 2:
            continue
        if bylines.is_update_label(text):
            # "آخر تحديث: … | نشر في: …" on one line: the publication date is the part after its label.
            text = bylines.after_publish_label(text) or ""
            if not text:
                continue
        parsed = parse_dateline(text, reference_time=ref)
        if parsed is not None and len(parsed.matched) >= bylines.MIN_DATE_SHARE * min(len(text), 60):
            return parsed
    return None


def _first_body_index(blocks: list[Block], content: Content) -> int:
    if content.paragraphs:
        first = content.paragraphs[0]
        for b in blocks:
            if b.text == first:
                return b.index
    return len(blocks)


def _site_offset(cands: list[DateCandidate]) -> dt.timedelta | None:
    for c in cands:
        if c.aware and isinstance(c.value, dt.datetime):
            return c.value.utcoffset()
    return None


def _as_published(value: dt.datetime | dt.date) -> PublishedTime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.date()
    return value


def choose_published(
    head: HeadData, blocks: list[Block], anchor: int, content: Content, fetched_at: dt.datetime | None
) -> tuple[PublishedTime | None, str, PublishedTime | None]:
    """(published, evidence, updated); see the module docstring."""
    structured = _not_future(_structured_dates(head, PUBLISHED_META, "datePublished"), fetched_at)
    structured += [DateCandidate(v, "time[datetime]") for t in head.times if (v := parse_iso(t)) is not None]
    structured = _not_future(structured, fetched_at)
    modified = _structured_dates(head, MODIFIED_META, "dateModified")
    updated = _as_published(modified[0].value) if modified else None
    visible = _visible_dateline(blocks, anchor, content, fetched_at)
    best = next((c for c in structured if c.aware), structured[0] if structured else None)
    if visible is not None:
        offset = visible.utc_offset if visible.utc_offset is not None else _site_offset(structured + modified)
        shown = visible.as_published(offset)
        if best is None or abs(best.day - visible.date) > MAX_DATE_DISAGREEMENT:
            return (
                shown,
                "dateline" if visible.utc_offset is not None or offset is None else "dateline+site-offset",
                updated,
            )
        if not best.aware and isinstance(shown, dt.datetime):
            return shown, "dateline", updated
    if best is not None:
        return _as_published(best.value), best.evidence, updated
    return None, "none", updated


# --- authors, source, tags ---------------------------------------------------------------------------------


def _author_elements(root: Any) -> list[str]:
    texts: list[str] = []
    taken: set[Any] = set()
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("meta", "link", "html", "body"):
            continue
        attrs = " ".join(str(el.get(k, "")) for k in ("class", "id", "itemprop", "rel")).lower()
        if not _AUTHOR_HINT.search(attrs) or "organization" in str(el.get("itemtype", "")).lower():
            continue
        if any(anc in taken for anc in el.iterancestors()) or "comment" in attrs or _in_furniture(el):
            continue
        text = " ".join(el.text_content().split())
        if 2 <= len(text) <= bylines.MAX_CREDIT_CHARS and not _only_section_links(el, text):
            taken.add(el)
            texts.append(text)
    return texts


_SECTION_HREF: Final = re.compile(
    r"/(?:category|categories|section|sections|tag|tags|topic|topics)(?:/|$)", re.I
)


def _only_section_links(el: Any, text: str) -> bool:
    """An "author" box whose whole text is a link to a section or tag listing names a category, not a person."""
    links = [
        a
        for a in el.iter("a")
        if _SECTION_HREF.search(a.get("href") or "") or "categ" in (a.get("class") or "")
    ]
    linked = " ".join(" ".join(a.text_content().split()) for a in links)
    return bool(links) and linked == text


def _jsonld_people(head: HeadData) -> list[str]:
    for obj in article_objects(head):
        raw = obj.get("author")
        items = raw if isinstance(raw, list) else [raw] if raw else []
        names = [
            str(a.get("name", "")) if isinstance(a, dict) else str(a)
            for a in items
            if not (isinstance(a, dict) and "organization" in str(a.get("@type", "")).lower())
        ]
        if names := [n for n in names if n.strip()]:
            return names
    return []


def header_bylines(blocks: list[Block], anchor: int, content: Content) -> list[str]:
    """Byline lines between the headline and the body, outside the text container (a table row, a ``<div>``
    under the ``<h1>``): prefixed bylines, "place - name" / "place - agency" lines and bare names."""
    first_body = _first_body_index(blocks, content)
    found = []
    for block in blocks:
        if not anchor < block.index < first_body or len(block.text) > bylines.MAX_DATELINE_CHARS:
            continue
        if (content.container is not None and content.container in block.path) or is_caption(block):
            continue
        for text in _meta_parts(block.text):
            if classify_line(text) == "byline" or bylines.is_place_byline(text) or bylines.is_bare_name(text):
                found.append(text)
    return found


_META_SEPARATORS: Final = re.compile(r"\s*[|•·]\s*")


def _meta_parts(text: str) -> list[str]:
    """The parts of one metadata row under a headline ("name | date", "بقلم X 11/08/2015 10:22"): split at its
    separators, each without the date it shows."""
    parts = []
    for part in _META_SEPARATORS.split(text):
        if any(ch.isdigit() for ch in part) and (parsed := parse_dateline(part)) is not None:
            part = part.replace(parsed.matched, " ")
        if part := " ".join(part.split()).strip(" -–—،,"):
            parts.append(part)
    return parts


def find_authors(
    root: Any, head: HeadData, content: Content, names: frozenset[str], header: list[str] | None = None
) -> tuple[list[str], str | None, str]:
    """(authors, agency credited in the byline, evidence)."""
    sources: list[tuple[str, list[str]]] = [
        ("line:byline", [t for k, t in content.lines if k == "byline"]),
        ("line:header", header or []),
        ("element:author", _author_elements(root)),
        ("jsonld:author", _jsonld_people(head)),
        (
            "meta:author",
            [v for k in ("author", "article:author") if (v := head.meta.get(k)) and "://" not in v],
        ),
    ]
    agency: str | None = None
    for evidence, texts in sources:
        people: list[str] = []
        for text in texts:
            found, credit = bylines.split_byline(text, names)
            agency = agency or credit
            people += [p for p in found if p not in people]
        if people:
            return people, agency, evidence
        if agency:
            return [], agency, evidence
    return [], None, "none"


def _article_window(blocks: list[Block], content: Content, anchor: int) -> list[Block]:
    last = max(
        (b.index for b in blocks if content.container is not None and content.container in b.path),
        default=anchor,
    )
    return [b for b in blocks if anchor <= b.index <= last + AFTER_BODY_WINDOW]


def find_source(window: list[Block], content: Content, byline_agency: str | None) -> tuple[str | None, str]:
    for kind, text in content.lines:
        if kind == "source" and (value := bylines.source_from_line(text)):
            return value, "line:المصدر"
    for block in window:
        if bylines.is_credit_line(block.text) == "source" and (value := bylines.source_from_line(block.text)):
            return value, "line:المصدر"
    if byline_agency:
        return byline_agency, "byline:agency"
    for kind, text in content.lines:
        if kind == "dateline" and (agency := bylines.agency_at_end(text)):
            return agency, "dateline:agency"
    for kind, text in content.lines:
        if kind == "agency":
            return bylines.credit_of_line(text) or text.strip(" ()-–—"), "line:agency"
    for block in window:
        if not block.strong and bylines.is_credit_line(block.text) == "agency":
            return block.text.strip(" ()-–—"), "line:agency"
    if content.paragraphs and (
        credit := bylines.source_in_text(content.paragraphs[0], content.paragraphs[-1])
    ):
        return credit
    # The opening words of the text: the standfirst, else the first paragraph (a byline line kept as text before
    # it means the report is not opened by the outlet's name).
    opening = content.lead or (content.paragraphs[0] if content.paragraphs else "")
    if outlet := bylines.outlet_in_lead(opening):
        return outlet, "text:lead-outlet"
    return None, "none"


def _clean_tags(raw: list[str]) -> tuple[str, ...]:
    tags = (" ".join(t.split()).lstrip("#").replace("_", " ").strip(" ،,") for t in raw)
    return tuple(dict.fromkeys(t for t in tags if t))[:MAX_TAGS]


def _links_after_label(block: Block) -> list[str]:
    el = block.owner
    for _ in range(3):
        links = [a for a in el.iter("a") if " ".join(a.text_content().split())]
        if links:
            return [a.text_content() for a in links]
        el = el.getparent()
        if el is None:
            break
    return []


def find_tags(
    root: Any, head: HeadData, window: list[Block], title: str, names: frozenset[str]
) -> tuple[tuple[str, ...], str]:
    for block in window:
        folded = fold_key(block.text).strip(" :")
        labelled = any(folded.startswith(label) for label in TAG_LABELS) and len(block.text) < 400
        if labelled and (tags := _clean_tags(_links_after_label(block))):
            return tags, "label:" + block.text.split(":")[0].strip()[:20]
    for el in root.iter():
        attrs = f"{el.get('class', '')} {el.get('id', '')}".lower() if isinstance(el.tag, str) else ""
        tagged = attrs.strip() and _TAG_HINT.search(attrs) and not _in_furniture(el)
        if tagged and (tags := _clean_tags([a.text_content() for a in el.iter("a")])):
            return tags, "element:tags"
    rel_tags = [
        a.text_content()
        for a in root.iter("a")
        if "tag" in (a.get("rel") or "").split() and not _in_furniture(a)
    ]
    if rel_tags:
        return _clean_tags(rel_tags), "rel=tag"
    hashtags = [
        text
        for a in root.iter("a")
        if (text := " ".join(a.text_content().split())).startswith("#")
        and _TAG_HREF.search(a.get("href") or "")
        and not _in_furniture(a)
    ]
    if hashtags:
        return _clean_tags(hashtags), "links:#tag"
    return _meta_tags(head, title, names)


# A hashtag link's target: the site's tag listing ("/tags/x", "/tag/x", "/hashtag/x").
_TAG_HREF: Final = re.compile(r"/(?:tags?|hashtags?)/", re.IGNORECASE)


def _meta_tags(head: HeadData, title: str, names: frozenset[str]) -> tuple[tuple[str, ...], str]:
    ld = next((o.get("keywords") for o in article_objects(head) if o.get("keywords")), None)
    for evidence, raw in (
        ("meta:news_keywords", head.meta.get("news_keywords")),
        ("meta:keywords", head.meta.get("keywords")),
        ("jsonld:keywords", ld),
    ):
        items = raw if isinstance(raw, list) else re.split("[,،]", raw) if isinstance(raw, str) else []
        tags = tuple(t for t in _clean_tags([str(t) for t in items]) if _loose(t) != _loose(title))
        title_words = set(fold_key(title).split())
        # A keyword list that names the site itself is the site's own list, repeated on every page.
        site_wide = any(_is_site(t, names) for t in tags)
        if tags and not site_wide and not all(fold_key(t) in title_words for t in tags):
            return tags, evidence
    return (), "none"


def find_images(root: Any, head: HeadData, content: Content) -> tuple[Image, ...]:
    images: list[Image] = []
    if og := head.meta.get("og:image"):
        images.append(Image(url=og))
    scope = (
        content.container.getparent()
        if content.container is not None and content.container.getparent() is not None
        else root
    )
    for fig in scope.iter("figure"):
        img = next(fig.iter("img", "amp-img"), None)
        cap = next(fig.iter("figcaption"), None)
        src = img.get("src") if img is not None else None
        if src and not src.startswith("data:"):
            caption = " ".join(cap.text_content().split()) if cap is not None else None
            images = [i for i in images if i.url != src] if caption else images
            if all(i.url != src for i in images):
                images.append(Image(url=src, caption=caption or None))
    return tuple(images)


# --- all together ------------------------------------------------------------------------------------------


def _anchor(blocks: list[Block], title: str, content: Content) -> int:
    key = " ".join(title.split())
    for block in blocks:
        if block.text == key:
            return block.index
    return _first_body_index(blocks, content)


def _title_tag_names(head: HeadData, title: str) -> frozenset[str]:
    """The parts of ``<title>`` that are not the headline ("headline - صحيفة الديار"): the site's name as the page
    prints it, which a byline of the site's own must not turn into an author."""
    if not title or title not in head.title_tag:
        return frozenset()
    rest = head.title_tag.replace(title, " | ")
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(rest)]
    return frozenset(fold_key(p) for p in parts if p and len(p.split()) <= bylines.MAX_BARE_NAME_WORDS)


def _language(head: HeadData) -> str | None:
    lang = (head.lang or head.meta.get("og:locale") or head.meta.get("inlanguage") or "").strip().lower()
    return re.split("[-_]", lang)[0] or None if lang else None


def extract_metadata(
    root: Any, head: HeadData, content: Content, *, title: str, title_rule: str, url: str | None,
    fetched_at: dt.datetime | None,
) -> Metadata:  # fmt: skip
    """Every metadata field of the page; ``root`` is the cleaned tree ``content`` was read from."""
    names = site_names(head, url)
    blocks = list(content.blocks)
    anchor = _anchor(blocks, title, content)
    meta = Metadata(title=title, evidence={"title": title_rule})
    meta.canonical_url = head.canonical or head.meta.get("og:url")
    meta.publisher = head.meta.get("og:site_name") or (urlsplit(url).hostname if url else None)
    meta.language = _language(head)
    meta.published, meta.evidence["published"], meta.updated = choose_published(
        head, blocks, anchor, content, fetched_at
    )
    header = header_bylines(blocks, anchor, content)
    authors, agency, meta.evidence["authors"] = find_authors(
        root, head, content, names | _title_tag_names(head, title), header
    )
    meta.authors = tuple(authors)
    window = _article_window(blocks, content, anchor)
    meta.original_source, meta.evidence["original_source"] = find_source(window, content, agency)
    meta.tags, meta.evidence["tags"] = find_tags(root, head, window, title, names)
    meta.images = find_images(root, head, content)
    return meta
