"""Score naba's HTML article extractor (and, with ``--peers``, six open extractors) on extraction gold sets.

Scoring follows ``../shared/docs/EVAL.md``, section "Extraction":

* Which fields count: on a page with a ``scored`` list (``extraction-real``), only those; otherwise all. Within
  a scored field, ``null`` or ``[]`` means "none on the page": returning something is wrong.
* Body P/R/F1: ``\\w+`` token multisets of the extracted lead + body paragraphs against the gold's, micro-averaged
  (sum TP/FP/FN over pages). ``boilerplate_out``: share of ``must_not_contain`` + ``boilerplate_samples`` strings
  absent from the extracted text, together with the ``must_contain`` strings present (whitespace folded).
* ``title_acc``, ``source_acc``: exact after whitespace folding; ``authors_acc``, ``tags_acc``: the same, as sets.
* ``date_acc``: the calendar date of ``published`` read in the gold's own UTC offset (a date-only answer is
  compared as a date). ``datetime_acc``, over golds with a time: the same instant to the minute; an answer
  without a time, or without an offset, is wrong.
* ``pages_per_s``: extraction calls only (pages already in memory), whole set, median of ``--runs`` runs.

A system sees the page bytes and the gold's ``url`` and ``fetched_at``, nothing else. naba raising a
``NabaError`` (or a peer raising anything) counts as an empty extraction. A figure a system cannot produce
(readability has no dates, justext no title) is ``null``.

Usage: ``python eval/extraction.py [--gold DIR ...] [--peers] [--per-page [SYSTEM]] [--runs N]``. The last line
printed is JSON: naba's figures over all pages at the top level, ``"sets": {"<folder>": {..., "peers": {...}}}``
and, with ``--peers``, ``"peers": {"trafilatura": {...}, ...}`` over all pages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import statistics
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED_EVAL = REPO / ".." / "shared" / "eval"
DEFAULT_GOLDS = [SHARED_EVAL / "extraction-real", SHARED_EVAL / "extraction-synth"]
KEYS = [
    "pages",
    "body_p",
    "body_r",
    "body_f1",
    "boilerplate_out",
    "title_acc",
    "date_acc",
    "datetime_acc",
    "authors_acc",
    "source_acc",
    "tags_acc",
    "pages_per_s",
]
TOKEN = re.compile(r"\w+")
Published = dt.datetime | dt.date


@dataclass(frozen=True)
class Page:
    name: str
    html: bytes
    gold: dict[str, Any]
    url: str | None
    fetched_at: dt.datetime | None

    def scores(self, fieldname: str) -> bool:
        scored = self.gold.get("scored")
        return fieldname in self.gold and (scored is None or fieldname in scored)


@dataclass
class Extracted:
    """What a system returned; a metadata field is ``None`` when the system does not produce it at all."""

    paragraphs: list[str] = field(default_factory=list)
    title: str | None = None
    published: Published | None = None
    authors: list[str] | None = None
    tags: list[str] | None = None
    source: str | None = None


Extractor = Callable[[Page], Extracted]


@dataclass(frozen=True)
class System:
    name: str
    extract: Extractor
    produces: frozenset[str]  # among title, published, authors, tags, source


def fold(text: str) -> str:
    return " ".join(text.split())


def load_pages(folder: Path) -> list[Page]:
    pages = []
    for gold_path in sorted(folder.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        html_path = gold_path.with_name(gold_path.name.removesuffix(".gold.json") + ".html")
        fetched = gold.get("fetched_at")
        pages.append(
            Page(
                name=html_path.stem,
                html=html_path.read_bytes(),
                gold=gold,
                url=gold.get("url"),
                fetched_at=dt.datetime.fromisoformat(fetched) if fetched else None,
            )
        )
    return pages


def as_published(value: Any) -> Published | None:
    """A system's date as a date or datetime (ISO strings parsed); anything unreadable is no date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
    except ValueError:
        return None


# ----------------------------------------------------------------------------------------------- scoring
Failure = tuple[str, Any, Any]  # field, expected, got


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    failures: dict[str, list[Failure]] = field(default_factory=dict)

    def add(self, other: Tally) -> None:
        self.counts.update(other.counts)
        self.seconds += other.seconds

    def check(self, name: str, right: bool, page: str, expected: Any, got: Any) -> None:
        self.counts[f"{name}_total"] += 1
        self.counts[f"{name}_right"] += right
        if not right:
            self.failures.setdefault(page, []).append((name, expected, got))


def _date_in(value: Published, gold: Published) -> dt.date:
    if isinstance(value, dt.datetime):
        if isinstance(gold, dt.datetime) and gold.tzinfo and value.tzinfo:
            return value.astimezone(gold.tzinfo).date()
        return value.date()
    return value


def _same_minute(value: Published | None, gold: dt.datetime) -> bool:
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        return False
    a = value.astimezone(dt.UTC).replace(second=0, microsecond=0)
    return a == gold.astimezone(dt.UTC).replace(second=0, microsecond=0)


def _score_body(tally: Tally, page: Page, got: Extracted) -> None:
    gold_paragraphs = ([page.gold["lead"]] if page.gold.get("lead") else []) + (
        page.gold.get("body_paragraphs") or []
    )
    gold_tokens = Counter(TOKEN.findall("\n".join(gold_paragraphs)))
    got_tokens = Counter(TOKEN.findall("\n".join(got.paragraphs)))
    common = sum((gold_tokens & got_tokens).values())
    tally.counts["tp"] += common
    tally.counts["fp"] += sum(got_tokens.values()) - common
    tally.counts["fn"] += sum(gold_tokens.values()) - common
    if gold_tokens != got_tokens:
        tally.failures.setdefault(page.name, []).append(
            (
                "body",
                _token_sample(gold_paragraphs, gold_tokens - got_tokens, "missing"),
                _token_sample(got.paragraphs, got_tokens - gold_tokens, "extra"),
            )
        )


def _token_sample(paragraphs: list[str], wrong: Counter[str], label: str) -> str:
    """ "N missing: first few such tokens in text order" (for --per-page)."""
    seen = [t for t in TOKEN.findall("\n".join(paragraphs)) if t in wrong]
    first = list(dict.fromkeys(seen))[:12]
    return f"{sum(wrong.values())} {label}: {' '.join(first)}"


def _score_boilerplate(tally: Tally, page: Page, got: Extracted) -> None:
    text = fold(" ".join(got.paragraphs))
    for key, wanted in (("must_not_contain", False), ("boilerplate_samples", False), ("must_contain", True)):
        if not page.scores(key):
            continue
        for sample in page.gold.get(key) or []:
            present = fold(sample) in text
            tally.check(
                "boilerplate",
                present == wanted,
                page.name,
                f"{key}: {sample[:60]}",
                "kept" if present else "missing",
            )


def _score_date(tally: Tally, page: Page, got: Extracted) -> None:
    gold = as_published(page.gold.get("published"))
    value = got.published
    if gold is None:
        tally.check("date", value is None, page.name, None, value)
        return
    right = value is not None and _date_in(value, gold) == (
        gold.date() if isinstance(gold, dt.datetime) else gold
    )
    tally.check("date", right, page.name, str(gold), str(value))
    if isinstance(gold, dt.datetime):
        tally.check("datetime", _same_minute(value, gold), page.name, str(gold), str(value))


def _folded_set(items: list[str] | None) -> set[str]:
    return {fold(i) for i in items or [] if fold(i)}


def score_page(tally: Tally, system: System, page: Page, got: Extracted) -> None:
    """Add one page's checks to ``tally`` (fields the system cannot produce are skipped)."""
    tally.counts["pages"] += 1
    if page.scores("body_paragraphs") and page.gold.get("body_paragraphs") is not None:
        _score_body(tally, page, got)
    _score_boilerplate(tally, page, got)
    if page.scores("title") and "title" in system.produces:
        want = fold(page.gold["title"] or "")
        tally.check("title", fold(got.title or "") == want, page.name, want, got.title)
    if page.scores("published") and "published" in system.produces:
        _score_date(tally, page, got)
    for name, key in (("authors", "authors"), ("tags", "tags")):
        if page.scores(key) and name in system.produces:
            want_set, got_set = _folded_set(page.gold[key]), _folded_set(getattr(got, name))
            tally.check(name, want_set == got_set, page.name, sorted(want_set), sorted(got_set))
    if page.scores("original_source") and "source" in system.produces:
        want_source = fold(page.gold["original_source"] or "") or None
        got_source = fold(got.source or "") or None
        tally.check("source", want_source == got_source, page.name, want_source, got_source)


def figures(tally: Tally) -> dict[str, Any]:
    c = tally.counts

    def share(name: str) -> float | None:
        total = c[f"{name}_total"]
        return round(c[f"{name}_right"] / total, 4) if total else None

    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    has_body = tp + fn > 0
    return {
        "pages": c["pages"],
        "body_p": round(p, 4) if has_body else None,
        "body_r": round(r, 4) if has_body else None,
        "body_f1": round(2 * p * r / (p + r), 4) if has_body and p + r else (0.0 if has_body else None),
        "boilerplate_out": share("boilerplate"),
        "title_acc": share("title"),
        "date_acc": share("date"),
        "datetime_acc": share("datetime"),
        "authors_acc": share("authors"),
        "source_acc": share("source"),
        "tags_acc": share("tags"),
        "pages_per_s": round(c["pages"] / tally.seconds, 2) if tally.seconds else None,
    }


# ----------------------------------------------------------------------------------------------- running
def run_system(system: System, pages: list[Page], runs: int) -> Tally:
    """Extract every page ``runs`` times (timing the extraction calls only) and score the first run."""
    timings: list[float] = []
    first: list[Extracted] = []
    if pages:  # warm-up, untimed: imports and lazy model/stoplist loading are not extraction speed
        _safe_extract(system, pages[0])
    for run in range(runs):
        elapsed = 0.0
        for page in pages:
            start = time.perf_counter()
            got = _safe_extract(system, page)
            elapsed += time.perf_counter() - start
            if run == 0:
                first.append(got)
        timings.append(elapsed)
    tally = Tally(seconds=statistics.median(timings))
    for page, got in zip(pages, first, strict=True):
        score_page(tally, system, page, got)
    return tally


def _safe_extract(system: System, page: Page) -> Extracted:
    from naba.errors import NabaError

    try:
        return system.extract(page)
    except NabaError:
        return Extracted()
    except Exception as exc:  # a peer crashing on a page extracts nothing; naba must not crash at all
        if system.name == "naba":
            raise
        print(f"  {system.name}: {type(exc).__name__} on {page.name}: {str(exc)[:120]}", file=sys.stderr)
        return Extracted()


# ----------------------------------------------------------------------------------------------- systems
# Each system gets the page bytes (every peer decodes bytes itself), the gold URL and the fetch time.
_LINES = re.compile(r"\n+")


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in _LINES.split(text or "") if line.strip()]


def _naba(page: Page) -> Extracted:
    from naba.extract.generic import extract_html

    article = extract_html(page.html, url=page.url, source="eval", fetched_at=page.fetched_at)
    return Extracted(
        paragraphs=list(article.paragraphs),
        title=article.title,
        published=article.published,
        authors=list(article.authors),
        tags=list(article.tags),
        source=article.original_source,
    )


def _split_keywords(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list | tuple | set) else [raw] if isinstance(raw, str) else []
    return [t.strip() for item in items for t in re.split("[,،]", str(item)) if t.strip()]


def _trafilatura(page: Page) -> Extracted:
    import trafilatura

    doc: Any = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
    if doc is None:
        return Extracted()
    return Extracted(
        paragraphs=_lines(doc.text),
        title=doc.title,
        published=as_published(doc.date),
        authors=[a.strip() for a in (doc.author or "").split(";") if a.strip()],
        tags=_split_keywords(doc.tags),
    )


def _block_texts(html: str) -> list[str]:
    """Visible text of the block elements of an HTML fragment, in order (readability returns HTML)."""
    import lxml.html

    root = lxml.html.fromstring(html)
    blocks = {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "blockquote",
        "pre",
        "td",
        "div",
        "article",
        "section",
    }
    out: list[str] = []
    for element in root.iter():
        if element.tag in blocks and not any(child.tag in blocks for child in element):
            text = fold(element.text_content())
            if text:
                out.append(text)
    return out


def _readability(page: Page) -> Extracted:
    from readability import Document

    doc = Document(page.html, url=page.url)
    return Extracted(paragraphs=_block_texts(doc.summary(html_partial=True)), title=doc.short_title())


def _newspaper(page: Page) -> Extracted:
    import newspaper

    article = newspaper.Article(page.url or "", language="ar", fetch_images=False)
    article.download(input_html=page.html)
    article.parse()  # never nlp(): it needs a download
    return Extracted(
        paragraphs=_lines(article.text),
        title=article.title,
        published=article.publish_date,
        authors=list(article.authors),
        tags=_split_keywords(list(article.tags or []) or article.meta_keywords),
    )


_GOOSE: list[Any] = []


def _goose(page: Page) -> Extracted:
    from goose3 import Goose

    if not _GOOSE:
        _GOOSE.append(
            Goose({"target_language": "ar", "use_meta_language": True, "enable_image_fetching": False})
        )
    article = _GOOSE[0].extract(url=page.url, raw_html=page.html)
    return Extracted(
        paragraphs=_lines(article.cleaned_text),
        title=article.title,
        published=as_published(article.publish_date),
        authors=list(article.authors or []),
        tags=_split_keywords(list(article.tags or [])),
    )


def _justext(page: Page) -> Extracted:
    import justext

    paragraphs = justext.justext(page.html, justext.get_stoplist("Arabic"))
    return Extracted(paragraphs=[p.text for p in paragraphs if not p.is_boilerplate])


def _resiliparse(page: Page) -> Extracted:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import detect_encoding
    from resiliparse.parse.html import HTMLTree

    tree = HTMLTree.parse_from_bytes(page.html, detect_encoding(page.html))
    return Extracted(paragraphs=_lines(extract_plain_text(tree, main_content=True)))


_META = frozenset({"title", "published", "authors", "tags"})
NABA = System("naba", _naba, _META | {"source"})
PEERS: dict[str, System] = {
    "trafilatura": System("trafilatura", _trafilatura, _META),
    "readability": System("readability", _readability, frozenset({"title"})),
    "newspaper4k": System("newspaper4k", _newspaper, _META),
    "goose3": System("goose3", _goose, _META),
    "justext": System("justext", _justext, frozenset()),
    "resiliparse": System("resiliparse", _resiliparse, frozenset()),
}


def _table(title: str, rows: dict[str, dict[str, Any]]) -> str:
    short = {"boilerplate_out": "boiler_out", "datetime_acc": "dtime_acc", "authors_acc": "auth_acc"}
    head = f"{title:<14}" + "".join(f"{short.get(k, k):>12}" for k in KEYS)
    lines = [head, "-" * len(head)]
    for name, fig in rows.items():
        lines.append(f"{name:<14}" + "".join(f"{'—' if fig[k] is None else fig[k]:>12}" for k in KEYS))
    return "\n".join(lines)


def _print_failures(system: str, folder: str, tally: Tally) -> None:
    print(f"\n{system} failures on {folder}:")
    for page, failures in sorted(tally.failures.items()):
        for name, expected, got in failures:
            print(f"  {page:<34} {name:<12} expected {expected!r}  got {got!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, action="append", help="gold folder (repeatable)")
    parser.add_argument("--peers", action="store_true", help="also score the peer extractors")
    parser.add_argument(
        "--per-page",
        nargs="?",
        const="naba",
        metavar="SYSTEM",
        help="print each page's failures (default naba)",
    )
    parser.add_argument("--runs", type=int, default=3, help="timing runs per system (median is reported)")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")

    systems = [NABA] + (list(PEERS.values()) if args.peers else [])
    totals = {s.name: Tally() for s in systems}
    result: dict[str, Any] = {"sets": {}}
    for folder in args.gold or DEFAULT_GOLDS:
        pages = load_pages(folder)
        name = folder.resolve().name
        rows: dict[str, dict[str, Any]] = {}
        for system in systems:
            tally = run_system(system, pages, max(1, args.runs))
            totals[system.name].add(tally)
            rows[system.name] = figures(tally)
            if args.per_page == system.name:
                _print_failures(system.name, name, tally)
        print("\n" + _table(name, rows))
        result["sets"][name] = rows["naba"] | (
            {"peers": {k: v for k, v in rows.items() if k != "naba"}} if args.peers else {}
        )
    overall = {name: figures(tally) for name, tally in totals.items()}
    print("\n" + _table("all pages", overall))
    result = overall["naba"] | result
    if args.peers:
        result["peers"] = {k: v for k, v in overall.items() if k != "naba"}
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
