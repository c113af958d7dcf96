"""Every page of the reader, crawled in headless Chromium over a database of XSS payloads: none executes.

The payloads (``xss_payloads.txt`` plus families generated below) reach the database the way naba fills it:
one article per payload goes through ``ingest`` (JSONL) and ``understand``, carrying it in its id, title,
lead, body, authors, tags, publisher, original source, related headlines and URLs (``javascript:``, ``data:``
and ``vbscript:`` variants, or an http(s) URL that embeds it); entities and keywords named by the payloads are
written through ``put_understanding`` (an entity per ten payloads, which its page lists as its names); one
followed source per payload carries it in its title, URLs, publisher, country, poll error and failed items.

The crawl visits the pages that exist (each page of the home and of a search, a search for each payload, every
article, story and entity page, the sources, and a tenth of the pages that differ only in which stored rows
they list: outlet homes and source pages) and every GET route read from the app itself, so a new route is
crawled without editing this file: each of its path segments and query parameters (plus ``digits`` and an
unknown one, which pages carry along in their links) receives every payload, packed into a few requests.
Those mostly answer the Arabic 404.

Chromium runs with CSP bypassed, so escaping is tested on its own and the policy is the second wall (its
headers are asserted on every response). A page fails when a payload runs (``alert``/``confirm``/``prompt``/
``print`` and a ``window.__xss`` setter are hooked in every frame, dialogs and console are listened to) or
when its DOM holds markup the templates cannot produce (an element or attribute no template has, an event
handler, a non-http(s) URL, an off-site link not marked ``noopener``). The second check needs no waiting: an
injected handler is found whether or not its event has fired, so the test assumes nothing about timing.
A self-test shows that the detector catches each payload printed raw where it is live.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote, unquote, urlencode

import fastapi
import pytest
from browser_support import serve_app
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient
from starlette.routing import Mount
from test_reader import make_article

from naba.article_json import article_to_json
from naba.config import Settings, load_settings
from naba.engine.naba import Naba
from naba.sections import SECTION_KEYS
from naba.store.base import EntityKindName, EntityMention, KeywordRow, UnderstandBatch
from naba.store.sources import ITEM_FAILED, PollRecord, SourceItem
from naba.types import Article, ArticleId, SourceSpec
from naba.web.app import create_app
from naba.web.feeds import clean
from naba.web.format import strip_bidi_controls
from naba.web.pages import TEMPLATES_DIR, article_href
from naba.web.story_pages import entity_href, story_href

UTC = dt.UTC
HERE = Path(__file__).parent
MIN_PAYLOADS: Final = 100
# What a URL carries of a payload, in characters: the keys the database files a payload under (article id,
# entity name, publisher) and what the route crawl puts in a path segment or query value. Up to 9 bytes a
# character once percent-encoded, a URL stays well under h11's 16 KiB request head; the whole payload still
# reaches the pages through the stored text fields.
URL_CHARS: Final = 250
# Arabic text shared by the articles, so the search for it pages through all of them.
TERM: Final = "القاهرة"
BASES: Final = (
    ("وفد حماس يصل إلى القاهرة لبحث التهدئة", "وصل وفد من حركة حماس إلى القاهرة لبحث التهدئة في قطاع غزة."),
    ("مفاوضات سد النهضة تستأنف في القاهرة", "استأنفت مصر والسودان وإثيوبيا في القاهرة مفاوضات سد النهضة."),
    ("القاهرة تستضيف مؤتمرا للمياه", "تستضيف القاهرة مؤتمرا دوليا عن شح المياه في المنطقة العربية."),
)
# Every payload reaches every kind of page; pages that differ only in which stored rows they list are visited
# for one payload in SAMPLED: the copies of articles, the homes of outlets, the pages of sources (each of those
# lists the failed items of SAMPLED payloads), and the entities (each has SAMPLED payloads among its names).
SAMPLED: Final = 10
REFERRER_POLICIES: Final = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


# --- payloads ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Payload:
    n: int  # its number: what its alert(N) or window.__xss=N reports
    context: str  # where it is live when printed raw (see xss_payloads.txt); "probe" when nowhere
    text: str

    @property
    def key(self) -> str:
        """The payload as a key named in URLs (article id, entity, publisher): cut to URL_CHARS."""
        return self.text[:URL_CHARS]


def _entities(text: str, form: str) -> str:
    return "".join(form.format(ord(c)) for c in text)


def _srcdoc_nest(inner: str, depth: int) -> str:
    for _ in range(depth):
        inner = f'<iframe srcdoc="{html.escape(inner)}"></iframe>'
    return inner


SCHEME: Final = "javascript:"
# The javascript: scheme as browsers still read it once the attribute and the URL are parsed.
SCHEME_VARIANTS: Final = (
    SCHEME,
    SCHEME.upper(),
    "JaVaScRiPt:",
    " " + SCHEME,
    "\t" + SCHEME,
    "\n" + SCHEME,
    "\x01" + SCHEME,
    "java\tscript:",
    "java\nscript:",
    "java\rscript:",
    "javascript\t:",
    "&#x6A;avascript:",
    _entities(SCHEME, "&#{};"),
    _entities(SCHEME[:-1], "&#x{:x}") + ":",
    _entities(SCHEME, "&#{:07d}"),
    "jav&#x09;ascript:",
    "jav&#x0A;ascript:",
    "javascript&colon;",
    "&#x20;javascript:",
)
OTHER_URLS: Final = (
    "javascript:window.__xss={n}",
    "javascript:%61lert({n})",
    "javascript://%0a{js}",
    "vbscript:msgbox({n})",
    "VbScRiPt:MsgBox({n})",
    "data:text/html,<script>{js}</script>",
    "DaTa:text/html,<svg onload={js}>",
    " data:text/html,<script>{js}</script>",
    "data:text/html;base64,{b64}",
    'data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="{js}"/>',
    "blob:https://example.org/00000000-0000-4000-8000-{n:012}",
)
# (start tag without its ">", event): the element runs the handler itself, or on a hover or click.
HANDLER_TAGS: Final = (
    ("img src=x", "onerror"),
    ("svg", "onload"),
    ("body", "onload"),
    ("body", "onpageshow"),
    ("details open", "ontoggle"),
    ("video src=x", "onerror"),
    ("audio src=x", "onerror"),
    ("video><source src=x", "onerror"),
    ("iframe", "onload"),
    ("marquee", "onstart"),
    ("input autofocus", "onfocus"),
    ("select autofocus", "onfocus"),
    ("textarea autofocus", "onfocus"),
    ("button autofocus", "onfocus"),
    ("div tabindex=0 autofocus", "onfocus"),
    ("input type=image src=x", "onerror"),
    ("object data=x", "onerror"),
    ("style", "onload"),
    ("link rel=stylesheet href=/static/reader.css", "onload"),
    ("img srcset=x", "onerror"),
    ("svg><animate attributeName=x dur=1s", "onbegin"),
    ("svg><set attributeName=x to=1 dur=1s", "onbegin"),
    ("svg><image href=x", "onerror"),
    ("a href=#", "onmouseover"),
    ("p", "onclick"),
    ("math", "onpointerenter"),
)
# The same img onerror, spelled every way the tokenizer accepts.
IMG_SPELLINGS: Final = (
    '<img src=x onerror="{js}">',
    "<img src=x onerror='{js}'>",
    "<img/src=x/onerror={js}>",
    "<IMG SRC=x ONERROR={js}>",
    "<img\tsrc=x\tonerror={js}>",
    "<img\nsrc=x\nonerror={js}>",
    "<img src=x onerror\n={js}>",
    "<img src=x onerror = {js} >",
)
GENERATED: Final[tuple[tuple[str, str], ...]] = (
    *(("url", f"{scheme}{{js}}") for scheme in SCHEME_VARIANTS),
    *(("url", url) for url in OTHER_URLS),
    *(("html", f"<{tag} {event}={{js}}>") for tag, event in HANDLER_TAGS),
    *(("html", spelling) for spelling in IMG_SPELLINGS),
    # null bytes
    ("html", "\x00<script>{js}</script>"),
    ("html", "<img src=x\x00 onerror={js}>"),
    ("html", "<scr\x00ipt>{js}</scr\x00ipt>"),
    ("html", "<img src=x on\x00error={js}>"),
    ("attr-dq", '\x00"><svg onload={js}>'),
    ("probe", "java\x00script:{js}"),
    # bidi controls and marks: display spoofing, and tokens split by a control the reader strips
    ("html", "\u202e<img src=x onerror={js}>\u202c"),
    ("html", "<scr\u202eipt>{js}</scr\u202eipt>"),
    ("html", "<img src=x on\u2066error={js}>"),
    ("attr-dq", '\u2067" onmouseover={js} x="\u2069'),
    ("html", '<a href="javascript:{js}">\u202egpj.exe\u202c</a>'),
    ("html", "\u2066<svg onload={js}>\u2069"),
    ("html", "\u200f<script>{js}</script>\u061c"),
    ("html", "\u202b<img src=x onerror=\u202d{js}\u202c>"),
    ("probe", "java\u202escript:{js}"),
    ("probe", "\u202ejavascript:{js}"),
    # JSON in a script
    ("script", '{"a":"</script><script>{js}</script>"}'),
    ("probe", "<!--<script>"),
    # long and deeply nested
    ("html", "<div>" * 600 + "<img src=x onerror={js}>" + "</div>" * 600),
    ("html", "<svg>" * 200 + "<svg onload={js}>" + "</svg>" * 200),
    ("html", "<b><i><u>" * 300 + "<script>{js}</script>"),
    ("html", "خبر عاجل " * 2500 + "<script>{js}</script>"),
    ("attr-dq", "\"'" * 2000 + '"><svg onload={js}>'),
    ("html", _srcdoc_nest("<script>{js}</script>", 3)),
)


def _expand(template: str, n: int) -> str:
    b64 = base64.b64encode(f"<script>alert({n})</script>".encode()).decode()
    text = template.replace("{js}", f"alert({n})").replace("{b64}", b64)
    return text.replace("{n:012}", f"{n:012}").replace("{n}", str(n))


@cache
def payloads() -> tuple[Payload, ...]:
    lines = (HERE / "xss_payloads.txt").read_text(encoding="utf-8").splitlines()
    listed = [tuple(line.split(" ", 1)) for line in lines if line.strip() and not line.startswith("#")]
    chosen = [*listed, *GENERATED]
    return tuple(Payload(n, context, _expand(text, n)) for n, (context, text) in enumerate(chosen, start=1))


# --- the database --------------------------------------------------------------------------------------


def _url_of(p: Payload) -> str:
    """What a URL field holds: the payload itself when it is a URL, else an https URL that embeds it."""
    return p.text if p.context == "url" else f"https://news.example/{p.n}/{p.text}"


def _articles(p: Payload) -> list[Article]:
    """The payload's article; every SAMPLED-th payload's also has a verbatim copy from a second outlet, for the
    "also published by" lists and the stories' copies."""
    title, body = BASES[p.n % len(BASES)]
    article = make_article(
        p.key,
        f"{title} {p.text}",
        publisher=p.key,
        published=dt.datetime(2015, 8, 2, 8, tzinfo=UTC) + dt.timedelta(minutes=p.n),
        lead=f"{body} {p.text}",
        paragraphs=(f"{body} {p.text}", f"وقال متحدث: {p.text} انتهى."),
        url=_url_of(p),
        canonical_url=p.text if p.context == "url" else None,
        original_source=f"وكالة {p.text}",
        authors=(p.text, f"محمد {p.text}"),
        tags=(p.text, f"{TERM} {p.text}"),
        related=(f"{title} {p.text}",),
    )
    if p.n % SAMPLED:
        return [article]
    copy = replace(
        article,
        id=ArticleId(f"{p.key} (نسخة)"),
        publisher=f"{p.key} (نسخة)",
        published=dt.datetime(2015, 8, 2, 20, tzinfo=UTC) + dt.timedelta(minutes=p.n),
        url=_url_of(p) + "#copy",
        canonical_url=None,
    )
    return [article, copy]


def _hostile_understanding(naba: Naba, chosen: tuple[Payload, ...]) -> UnderstandBatch:
    """Entities and keywords named by the payloads, for each payload's own article (the extractor finds names
    in Arabic text, not in markup, so these are written as the understand stage writes its own). Payload N is
    a surface form of the entity of its tenth, named after the tenth's first payload: each entity page lists
    its payloads as the names the entity also goes by."""
    store = naba.store
    kinds: tuple[EntityKindName, ...] = ("PER", "LOC", "ORG")
    rows, entities, keywords = [], [], []
    for p in chosen:
        article = ArticleId(p.key)
        group = (p.n - 1) // SAMPLED
        canonical = f"حزب {chosen[group * SAMPLED].key}"
        rows.append(store.understanding(article))
        entities.append(EntityMention(article, canonical, kinds[group % 3], p.key, (p.key, canonical), 0, 2))
        keywords.append(KeywordRow(article, f"k{p.n}", p.key, 1.0, 1))
    return UnderstandBatch(
        articles=tuple(r for r in rows if r), entities=tuple(entities), keywords=tuple(keywords)
    )


def _add_sources(naba: Naba, chosen: tuple[Payload, ...]) -> None:
    """One failing source per payload; the failed items of each payload (a link, and a key without one) are
    listed by the source of the first payload of its tenth."""
    store = naba.store
    feeds = [f"https://feeds.example/{p.n}/{p.key}" for p in chosen]
    store.add_sources(
        SourceSpec(feed, title=p.text, site_url=_url_of(p), publisher=p.key, country=p.key, region=p.key)
        for feed, p in zip(feeds, chosen, strict=True)
    )
    by_url = {row.url: row.id for row in store.list_sources()}
    items: dict[int, list[SourceItem]] = {}
    for p in chosen:
        source = by_url[feeds[(p.n - 1) // SAMPLED * SAMPLED]]
        items.setdefault(source, []).extend(
            [
                SourceItem(source, f"{p.n}-link", _url_of(p), None, f"h{p.n}", ITEM_FAILED, p.text, 2),
                SourceItem(source, f"{p.n}: {p.text}", None, None, f"k{p.n}", ITEM_FAILED, p.text, 3),
            ]
        )
    now = dt.datetime(2015, 8, 3, tzinfo=UTC)
    for feed, p in zip(feeds, chosen, strict=True):
        source = by_url[feed]
        store.record_poll(PollRecord(source, now, False, now, 3600.0, error=p.text), items.get(source, []))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    chosen = payloads()
    folder = tmp_path_factory.mktemp("xss")
    source = folder / "articles.jsonl"
    articles = [a for p in chosen for a in _articles(p)]
    assert len({a.id for a in articles}) == len(articles), "two articles share an id"
    lines = [json.dumps(article_to_json(a), ensure_ascii=False) for a in articles]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = load_settings(
        {"db": str(folder / "naba.db"), "ingest_workers": 1, "page_size": 25, "api_rate_limit": 0.0},
        toml_path=Path("/nonexistent/naba.toml"),
        environ={},
    )
    with Naba.open(settings) as naba:
        report = naba.ingest([source])
        assert report.stored == len(articles), report
        naba.understand()
        naba.store.put_understanding(_hostile_understanding(naba, chosen))
        _add_sources(naba, chosen)
    return settings


@pytest.fixture(scope="module")
def naba(built: Settings) -> Iterator[Naba]:
    with Naba.open(built) as opened:
        yield opened


# --- the detector --------------------------------------------------------------------------------------

# Runs in every frame before the page's own scripts: whatever a payload calls or sets is reported to the top
# window (a frame of another origin, which cannot reach it, logs to the console instead).
HOOKS: Final = """
(() => {
  const report = (how, value) => {
    const hit = how + ':' + String(value);
    try { (window.top.__xssHits = window.top.__xssHits || []).push(hit); } catch (e) {}
    console.log('__XSS__ ' + hit);
  };
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = function (value) { report(name, value); };
  }
  Object.defineProperty(window, '__xss', {
    configurable: false, get() { return undefined; }, set(value) { report('__xss', value); },
  });
})();
"""

# One look at a loaded page: what ran, and what its DOM holds that no template writes (an element or attribute
# none has, an event handler, a URL that is not http(s), an off-site link not marked external with noopener);
# and an article page's headline and paragraphs as text.
INSPECT: Final = """
([tags, attributes]) => {
  const known = new Set(tags), allowed = new Set(attributes);
  const urls = new Set(['href', 'src', 'action', 'formaction', 'data', 'poster', 'srcdoc', 'srcset',
                        'xlink:href', 'background', 'ping', 'codebase', 'cite']);
  const injected = [];
  for (const el of document.contentType === 'text/html' ? document.getElementsByTagName('*') : []) {
    const tag = el.localName;
    if (!known.has(tag)) injected.push(`<${tag}>`);
    for (const {name: raw, value} of el.attributes) {
      const name = raw.toLowerCase();
      if (name.startsWith('on') || !allowed.has(name)) injected.push(`<${tag} ${name}>`);
      // The reader shows only publishers' pictures, by absolute http(s) URL: any other <img> is not its own.
      if (tag === 'img' && name === 'src' && !/^https?:\\/\\//i.test(value)) injected.push('<img src> not absolute');
      if (!urls.has(name) || /^\\/[^\\/\\\\]/.test(value)) continue;  // a same-site path needs no parsing
      let url = null;
      try { url = new URL(value, document.baseURI); } catch (e) { injected.push(`<${tag} ${name}> unparsable`); continue; }
      if (!['http:', 'https:'].includes(url.protocol)) injected.push(`<${tag} ${name}=${url.protocol}>`);
      else if (url.origin !== location.origin && !(el.relList && el.relList.contains('noopener')))
        injected.push(`<${tag} ${name}> off-site to ${url.origin}`);
    }
  }
  if (document.baseURI !== location.href) injected.push(`base URI ${document.baseURI}`);
  const h1 = document.querySelector('h1');
  return {
    ran: window.__xssHits || [],
    injected,
    title: h1 && h1.textContent,
    paragraphs: [...document.querySelectorAll('.story__body p')].map(p => p.textContent),
  };
}
"""


@cache
def template_markup() -> tuple[list[str], list[str]]:
    """The element and attribute names the reader's templates write (Jinja and attribute values stripped)."""
    tags: set[str] = {"h1", "h2", "h3", "h4", "h5", "h6"}  # the card macro takes its heading level
    attributes: set[str] = set()
    for path in sorted(TEMPLATES_DIR.glob("*.html")):
        text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        for tag, inside in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)\b([^<>]*)>", text):
            tags.add(tag.lower())
            names = re.sub(r"\"[^\"]*\"|'[^']*'", "", inside)
            attributes.update(a.lower() for a in re.findall(r"\s([a-zA-Z][\w:-]*)(?=[\s=>/]|$)", names))
    assert not [a for a in attributes if a.startswith("on")], attributes
    return sorted(tags), sorted(attributes)


@dataclass
class Detector:
    """Hooks one browser context; tells, per page, what ran and what markup was injected."""

    hits: list[str] = field(default_factory=list)  # from the console and dialogs, any page, any frame
    responses: list[tuple[str, int, dict[str, str]]] = field(default_factory=list)

    def attach(self, context: Any, origin: str) -> Any:
        """Hook ``context`` (every frame of every page it opens) and open its one page."""
        context.add_init_script(HOOKS)
        page = context.new_page()
        page.on("console", self._console)
        page.on("dialog", self._dialog)
        page.on("response", lambda response: self._response(response, origin))
        return page

    def _console(self, message: Any) -> None:
        if message.text.startswith("__XSS__"):
            self.hits.append(message.text)

    def _dialog(self, dialog: Any) -> None:
        self.hits.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _response(self, response: Any, origin: str) -> None:
        if response.url.startswith(origin):
            self.responses.append((response.url, response.status, response.headers))

    @staticmethod
    def inspect(page: Any, extra_tags: tuple[str, ...] = ()) -> dict[str, Any]:
        tags, attributes = template_markup()
        report: dict[str, Any] = page.evaluate(INSPECT, [[*tags, *extra_tags], attributes])
        return report


# --- the crawl -----------------------------------------------------------------------------------------

# One path segment or query value carries several payloads, joined by spaces, up to this many bytes once
# percent-encoded: h11 answers 400 itself past a 16 KiB request head.
PACKED_BYTES: Final = 12_000


@dataclass(frozen=True, slots=True)
class Visit:
    route: str
    url: str
    status: int
    ran: tuple[str, ...]
    injected: tuple[str, ...]


@dataclass
class Crawl:
    visits: list[Visit]
    detector: Detector
    texts: dict[str, dict[str, Any]]  # article id -> what its page showed (INSPECT's title and paragraphs)
    seconds: float

    @property
    def executions(self) -> list[str]:
        return [f"{v.url}: {hit}" for v in self.visits for hit in v.ran] + self.detector.hits


def _packed(chosen: tuple[Payload, ...]) -> list[str]:
    """The payload keys joined by spaces into as few values as PACKED_BYTES allows."""
    values: list[str] = []
    for p in chosen:
        joined = f"{values[-1]} {p.key}" if values else p.key
        if values and len(quote(joined, safe="")) <= PACKED_BYTES:
            values[-1] = joined
        else:
            values.append(p.key)
    return values


# The API and the feeds answer JSON and XML, not pages: :func:`machine_crawl` visits them with the stored rows.
MACHINE_PREFIXES: Final = ("/api/", "/feeds/")


def app_routes(app: Any) -> dict[str, tuple[list[str], list[str]]]:
    """Every GET route of ``app`` (path: its path and query parameter names), read from the app: its OpenAPI
    description (public, though the app does not serve it) and its mounts (``{path}`` is the mounted path).
    The API and the feeds are left to :func:`machine_crawl`."""
    routes = {}
    for path, operations in app.openapi()["paths"].items():
        if path.startswith(MACHINE_PREFIXES):  # JSON and feeds: crawled by machine_crawl below
            continue
        if "get" in operations:
            params = operations["get"].get("parameters", [])
            names = {where: [p["name"] for p in params if p["in"] == where] for where in ("path", "query")}
            routes[path] = (names["path"], names["query"])
    for mount in app.routes:
        if isinstance(mount, Mount):
            routes[mount.path + "/{path}"] = (["path"], [])
    return routes


def _route_pages(app: Any, chosen: tuple[Payload, ...]) -> list[tuple[str, str]]:
    """Every input of every route (each path segment and query parameter, its own plus ``digits`` and an
    unknown one, which pages carry along in their links) receives every payload, packed into few requests.
    A path segment without a payload is "x", so the other inputs are tried on the route's own page."""
    pages: list[tuple[str, str]] = []
    for path, (path_params, query_params) in app_routes(app).items():
        plain = {name: "x" for name in path_params}
        for value in _packed(chosen):
            for name in path_params:
                pages.append((path, path.format(**{**plain, name: quote(value, safe="")})))
            for name in [*query_params, "digits", "xss"]:
                pages.append((path, f"{path.format(**plain)}?{urlencode({name: value})}"))
    return pages


def _content_pages(naba: Naba) -> list[tuple[str, str]]:
    """The pages that exist: every page of the home and of a search matching every article, a search for each
    payload, every article, story and entity, the sources and the pages of those listing failed items, a
    sample of the rest (SAMPLED), the static files."""
    store = naba.store
    size = naba.settings.page_size
    pages = -(-store.count() // size)
    return [
        *(("/", f"/?page={k}") for k in range(1, pages + 1)),
        ("/", "/"),
        *(("/latest", f"/latest?page={k}") for k in range(1, pages + 1)),
        *(
            ("/", "/?" + urlencode({"source": o}))
            for o in sorted(s.publisher for s in store.sources())[::SAMPLED]
        ),
        *(("/search", "/search?" + urlencode({"q": TERM, "page": k})) for k in range(1, pages + 1)),
        *(("/search", "/search?" + urlencode({"q": p.key})) for p in payloads()),
        *(("/article/{article_id}", article_href(s.article.id)) for s in store.latest(limit=10_000)),
        ("/stories", "/stories"),
        *(("/story/{story_id}", story_href(s.id)) for s in store.stories(10_000)),
        *(("/entity/{name}", entity_href(e.canonical)) for e in store.top_entities(10_000)),
        ("/sources", "/sources"),
        *(("/sections/{section}", f"/sections/{k}") for k in SECTION_KEYS),
        ("/sections/{section}", "/sections/politics?country=SA"),
        *(("/sources", f"/sources?source={i}") for i in sorted(store.failed_item_counts())),
        *(("/sources", f"/sources?source={s.id}") for s in store.list_sources()[1:2]),  # no failed items
        ("/static/{path}", "/static/reader.css"),
        ("/static/{path}", "/static/favicon.svg"),
    ]


def crawl_plan(app: Any, naba: Naba) -> list[tuple[str, str]]:
    """(route, path and query) of every page to visit, once."""
    return list(dict.fromkeys([*_content_pages(naba), *_route_pages(app, payloads())]))


@pytest.fixture(scope="module")
def app(naba: Naba) -> Any:
    return create_app(naba)


@pytest.fixture(scope="module")
def crawl(browser: Any, app: Any, naba: Naba) -> Crawl:
    plan = crawl_plan(app, naba)
    articles = {article_href(s.article.id): s.article.id for s in naba.store.latest(limit=10_000)}
    detector = Detector()
    visits: list[Visit] = []
    texts: dict[str, dict[str, Any]] = {}
    started = time.monotonic()  # reported, never asserted on
    with serve_app(app) as base_url:
        # CSP bypassed: escaping is tested on its own; the policy is the second wall, its headers checked.
        context = browser.new_context(bypass_csp=True)
        page = detector.attach(context, base_url)
        try:
            for route, url in plan:
                response = page.goto(base_url + url, wait_until="load")
                assert response is not None, url
                report = detector.inspect(page)
                visits.append(
                    Visit(route, url, response.status, tuple(report["ran"]), tuple(report["injected"]))
                )
                article_id = articles.get(url.split("?", 1)[0])
                if article_id is not None and response.status == 200:
                    texts[article_id] = report
        finally:
            context.close()
    return Crawl(visits, detector, texts, time.monotonic() - started)


# --- tests ---------------------------------------------------------------------------------------------


def test_the_payloads_are_many_and_distinct() -> None:
    chosen = payloads()
    assert len(chosen) >= MIN_PAYLOADS
    assert len({p.text for p in chosen}) == len(chosen)
    assert {p.context for p in chosen} == {
        *("html", "attr-dq", "attr-sq", "attr-uq", "url", "title", "textarea", "script", "style", "comment"),
        "probe",
    }
    assert not [p for p in chosen if re.search(r"\{(js|n|b64)[}:]", p.text)]  # every placeholder filled


def test_no_page_runs_a_payload(crawl: Crawl) -> None:
    ran = crawl.executions
    executed = len({v.url for v in crawl.visits if v.ran})
    print(
        f"\nXSS crawl: {executed} of {len(crawl.visits)} pages executed any of {len(payloads())} payloads "
        f"({len(ran)} executions, {len(crawl.detector.responses)} responses, {crawl.seconds:.0f} s)"
    )
    assert ran == [], ran[:20]


def test_no_page_holds_injected_markup(crawl: Crawl) -> None:
    injected = [(v.url, v.injected) for v in crawl.visits if v.injected]
    assert injected == [], injected[:10]


def test_every_route_is_crawled_and_renders(crawl: Crawl, app: Any) -> None:
    statuses: dict[str, set[int]] = {}
    for visit in crawl.visits:
        statuses.setdefault(visit.route, set()).add(visit.status)
    routes = app_routes(app)
    assert len(routes) >= 9, routes
    for route in routes:
        assert route in statuses, f"{route} was not crawled"
        assert 200 in statuses[route], (route, statuses[route])
        assert statuses[route] <= {200, 400, 404}, (route, statuses[route])


def test_every_response_carries_the_security_headers(crawl: Crawl) -> None:
    assert len(crawl.detector.responses) >= len(crawl.visits)
    for url, status, headers in crawl.detector.responses:
        directives = [d.split() for d in headers.get("content-security-policy", "").split(";") if d.strip()]
        policy = {d[0]: d[1:] for d in directives}
        assert policy.get("default-src") == ["'self'"], (url, status, headers)
        assert policy.get("object-src") == ["'none'"] and policy.get("base-uri") == ["'none'"], url
        assert policy.get("frame-ancestors") == ["'none'"], url
        assert not {"'unsafe-inline'", "'unsafe-eval'"} & {s for v in policy.values() for s in v}, url
        assert headers.get("x-content-type-options") == "nosniff", url
        assert headers.get("referrer-policy") in REFERRER_POLICIES, url
        assert headers.get("x-frame-options") == "DENY", url


def _as_shown(text: str) -> str:
    """Stored text as a page shows it when it was escaped right: bidi controls stripped by the reader, NUL
    dropped and CR turned into LF by the HTML parser."""
    return strip_bidi_controls(text).replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")


def test_article_pages_print_each_payload_as_text(crawl: Crawl, naba: Naba) -> None:
    """Each article page shows its stored title and paragraphs exactly, as text."""
    stored = [s.article for s in naba.store.latest(limit=10_000)]
    assert len(stored) == len(payloads()) + len(payloads()) // SAMPLED
    for article in stored:
        shown = crawl.texts[article.id]
        assert shown["title"] == _as_shown(article.title), article.id
        assert shown["paragraphs"] == [_as_shown(p) for p in article.paragraphs if p.strip()], article.id


def test_every_article_page_opens(crawl: Crawl, naba: Naba) -> None:
    """Every article opens from the link the reader prints, a line feed in its id included (Starlette's own
    ``path`` convertor stops at one; the reader's ``naba_id`` convertor does not)."""
    ids = [s.article.id for s in naba.store.latest(limit=10_000)]
    assert [i for i in ids if "\n" in i], "no payload puts a line feed in an article id"
    unreachable = [i for i in ids if i not in crawl.texts]
    assert unreachable == []


# --- the detector's self-test and a known gap -------------------------------------------------------------

# How a page prints a payload raw where it is live: (head, body), and the elements it adds to the templates'.
RAW_CONTEXTS: Final[dict[str, tuple[str, str, tuple[str, ...]]]] = {
    "html": ("", "<div>{}</div>", ()),
    "attr-dq": ("", '<input value="{}">', ()),
    "attr-sq": ("", "<input value='{}'>", ()),
    "attr-uq": ("", "<input value={}>", ()),
    "url": ("", '<a href="{}">x</a>', ()),
    "title": ("<title>{}</title>", "", ()),
    "textarea": ("", "<textarea>{}</textarea>", ("textarea",)),
    "script": ("", '<script>var naba = {"q": "{}"};</script>', ("script",)),
    "style": ("<style>a { color: {} }</style>", "", ("style",)),
    "comment": ("", "<!-- {} -->", ()),
}


def raw_page(p: Payload) -> str:
    head, body, _ = RAW_CONTEXTS[p.context]
    page = f"<!doctype html><html><head><meta charset=utf-8>{head}</head><body>{body}</body></html>"
    return page.replace("{}", p.text)


def test_the_detector_catches_every_payload_printed_raw(browser: Any) -> None:
    live = {p.n: p for p in payloads() if p.context != "probe"}
    raw = fastapi.FastAPI()

    @raw.get("/raw/{n}")
    def serve(n: int) -> HTMLResponse:
        return HTMLResponse(raw_page(live[n]))

    # An inline classic script runs while the page is parsed, before its load event: these must have run.
    parsed = {
        p.n for p in live.values() if p.context == "html" and re.fullmatch(r"<script>[^<]*</script>", p.text)
    }
    detector = Detector()
    missed, executed = [], set()
    with serve_app(raw) as base_url:
        context = browser.new_context()
        page = detector.attach(context, base_url)
        try:
            for p in live.values():
                page.goto(f"{base_url}/raw/{p.n}", wait_until="load")
                report = detector.inspect(page, RAW_CONTEXTS[p.context][2])
                if report["ran"]:
                    executed.add(p.n)
                elif not report["injected"]:
                    missed.append(p)
        finally:
            context.close()
    print(
        f"\nXSS self-test: {len(live) - len(missed)} of {len(live)} raw payloads caught, {len(executed)} ran"
    )
    assert missed == []
    assert len(parsed) >= 5 and parsed <= executed  # the hooks work, not only the markup check


# Paths that a page copying its own path into a link would turn into a link to another host: "//host" is
# protocol-relative, and Chromium reads a backslash as a slash (it sends "/\\host" as "//host").
OFF_SITE_PATHS: Final = (
    "//evil.example/x",
    "//evil.example/x?digits=latn&q=1",
    "/\\evil.example",
    "/\\/evil.example/",
    "///evil.example//x",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "/search//evil.example?q=" + quote(TERM),
    "//evil.example/article/x",
)


@pytest.mark.parametrize("path", OFF_SITE_PATHS)
def test_no_page_links_off_site_through_its_own_path(browser: Any, app: Any, path: str) -> None:
    """The digits toggle is built from the request's path: whatever that path is, the link stays on the site."""
    with serve_app(app) as base_url:
        context = browser.new_context()
        page = Detector().attach(context, base_url)
        try:
            page.goto(base_url + path, wait_until="load")
            assert Detector.inspect(page)["injected"] == []
            toggle = page.locator(".digits-toggle")
            assert re.match(r"/[^/\\]", toggle.get_attribute("href") or ""), toggle.get_attribute("href")
            toggle.click()
            page.wait_for_load_state()
            assert page.url.startswith(base_url + "/"), page.url
        finally:
            context.close()


# --- the API and the feeds -------------------------------------------------------------------------------

FEED_FORMATS: Final = ("atom", "rss", "json")
ATOM: Final = "{http://www.w3.org/2005/Atom}"


def machine_urls(naba: Naba) -> list[str]:
    """Every feed and API response that prints the payload rows: the latest articles, a search matching them
    all, a tenth of the stories, entities and outlets (each feed in three formats), every article as JSON."""
    store = naba.store
    feeds = [
        "/feeds/latest.{}",
        "/feeds/search.{}?" + urlencode({"q": TERM}),
        *("/feeds/story.{}?" + urlencode({"id": s.id}) for s in store.stories(10_000)[::SAMPLED]),
        *(
            "/feeds/entity.{}?" + urlencode({"name": e.canonical})
            for e in store.top_entities(10_000)[::SAMPLED]
        ),
        *("/feeds/source.{}?" + urlencode({"source": o.publisher}) for o in store.sources()[::SAMPLED]),
    ]
    api = [
        "/api/v1/articles?limit=100",
        "/api/v1/search?" + urlencode({"q": TERM, "limit": 100}),
        "/api/v1/stories?all_days=true&limit=100",
        "/api/v1/entities?all_days=true&limit=100",
        "/api/v1/sources",
        *("/api/v1/articles/" + quote(s.article.id, safe="") for s in store.latest(limit=10_000)),
        *("/api/v1/stories/" + quote(s.id, safe="") for s in store.stories(10_000)[::SAMPLED]),
    ]
    return [f.format(fmt) for f in feeds for fmt in FEED_FORMATS] + api


@pytest.fixture(scope="module")
def machine_crawl(browser: Any, app: Any, naba: Naba) -> tuple[list[tuple[str, int]], Detector]:
    """Each feed and API response opened in Chromium (CSP bypassed, as for the pages): what ran."""
    visits: list[tuple[str, int]] = []
    detector = Detector()
    with serve_app(app) as base_url:
        context = browser.new_context(bypass_csp=True)
        page = detector.attach(context, base_url)
        try:
            for url in machine_urls(naba):
                response = page.goto(base_url + url, wait_until="load")
                assert response is not None, url
                visits.append((url, response.status))
        finally:
            context.close()
    return visits, detector


def test_no_feed_or_api_response_runs_a_payload(
    machine_crawl: tuple[list[tuple[str, int]], Detector],
) -> None:
    visits, detector = machine_crawl
    print(f"\nXSS crawl of the API and feeds: {len(visits)} responses, {len(detector.hits)} executions")
    assert [v for v in visits if v[1] != 200] == []
    assert detector.hits == []
    for url, _, headers in detector.responses:
        assert headers.get("x-content-type-options") == "nosniff", url
        assert "frame-ancestors 'none'" in headers.get("content-security-policy", ""), url


def test_feeds_carry_each_payload_as_text_and_link_only_http(app: Any, naba: Naba) -> None:
    """Parsed back, every feed is well-formed, every title is the stored one as text (bidi controls and the
    characters XML cannot carry dropped), and every link is http(s): never ``javascript:`` or ``data:``."""
    client = TestClient(app)
    stored = {s.article.id: s.article for s in naba.store.latest(limit=10_000)}
    every_outlet = [
        f"/feeds/source.{fmt}?" + urlencode({"source": o.publisher})
        for o in naba.store.sources()
        for fmt in FEED_FORMATS
    ]
    seen: set[str] = set()
    for url in [u for u in machine_urls(naba) if u.startswith("/feeds/")] + every_outlet:
        body = client.get(url).content
        if url.split("?")[0].endswith(".json"):
            items = json.loads(body)["items"]
            links = [i["url"] for i in items] + [i["external_url"] for i in items if "external_url" in i]
            titles = [(i["url"], i["title"]) for i in items]
        else:
            root = ET.fromstring(body)  # raises on anything not well-formed
            if url.split("?")[0].endswith(".atom"):
                links = [e.get("href", "") for e in root.iter(f"{ATOM}link")]
                titles = [
                    (e.find(f"{ATOM}link[@rel='alternate']").get("href", ""), e.findtext(f"{ATOM}title", ""))  # type: ignore[union-attr]
                    for e in root.iter(f"{ATOM}entry")
                ]
            else:
                links = [e.text or "" for e in root.iter("link")] + [
                    e.get("url", "") for e in root.iter("source")
                ]
                titles = [(i.findtext("link", ""), i.findtext("title", "")) for i in root.iter("item")]
        assert all(link.startswith(("http://", "https://")) for link in links), (url, links)
        for link, title in titles:
            article = stored[unquote(link.split("/article/", 1)[1])]
            assert title == (clean(article.title) or "(بلا عنوان)"), (url, link)
            seen.add(article.id)
    assert {i for i, a in stored.items() if a.publisher} <= seen
