"""Sections and countries, scored on labeled articles (EVAL.md "Sections and countries").

Usage: ``.venv/bin/python eval/topics.py [--gold topics-dev.jsonl ...] [--corpus DIR] [--peers]``

The whole corpus is read with naba's own reader into a fresh temporary SQLite store; the sections projection
labels it and ``naba sections train`` fits the installation's classifier on the publishers' weak labels only
(naba.sections.weak) — the gold labels are never seen by anything that is fitted. Each labeled URL is then
scored on its stored section and countries:

* ``topic_acc`` (share right), ``topic_acc_high`` (on ``high`` labels), ``topic_macro_f1`` (F1 averaged over the
  topics present in the gold);
* ``country_acc``: naba's main country = the gold's first, over articles whose gold has a country;
  ``country_p/r/f1``: micro-averaged over the sets of codes of every labeled article.

``--peers``: TF-IDF + logistic regression (scikit-learn's default word tokenizer, no Arabic analysis) trained on
the same weak labels, scored the same way on topics (its country keys are null: it has no country facet).
Several ``--gold`` files give one object per file under ``"sets"`` (named by the file's folder) and the
micro-average over all of them at the top level. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from naba.engine.sections import train_sections
from naba.sources.files import read_inputs
from naba.store.sqlite import SQLiteStore
from naba.text.analyzer import DEFAULT_ANALYZER
from naba.types import Article, ArticleId

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"
DEFAULT_GOLD = SHARED / "eval" / "topics" / "topics-dev.jsonl"
DEFAULT_CORPUS = SHARED / "data" / "saudinewsnet" / "dataset"
KEYS = (
    "articles",
    "topic_acc",
    "topic_acc_high",
    "topic_macro_f1",
    "country_acc",
    "country_p",
    "country_r",
    "country_f1",
)
MAX_INPUT_BYTES = 1 << 30
PEER_C = 8.0  # the peer gets naba's regularization (scripts/fit_sections.py), so only the features differ


@dataclass(frozen=True, slots=True)
class Gold:
    url: str
    topic: str
    countries: tuple[str, ...]
    high: bool


@dataclass(frozen=True, slots=True)
class Answer:
    topic: str | None
    countries: tuple[str, ...] | None


def load_gold(path: Path) -> list[Gold]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out.append(Gold(r["url"], r["topic"], tuple(r["countries"]), r.get("confidence") != "low"))
    return out


def score(gold: Sequence[Gold], answers: dict[str, Answer]) -> dict[str, Any]:
    """The EVAL.md keys for ``answers`` (by URL) on ``gold``; a missing answer is wrong."""
    none = Answer(None, None)
    got = [answers.get(g.url, none) for g in gold]
    right = [a.topic == g.topic for g, a in zip(gold, got, strict=True)]
    high = [r for r, g in zip(right, gold, strict=True) if g.high]
    f1s = []
    for topic in sorted({g.topic for g in gold}):
        tp = sum(1 for g, a in zip(gold, got, strict=True) if g.topic == topic and a.topic == topic)
        fp = sum(1 for g, a in zip(gold, got, strict=True) if g.topic != topic and a.topic == topic)
        fn = sum(1 for g, a in zip(gold, got, strict=True) if g.topic == topic and a.topic != topic)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    out: dict[str, Any] = {
        "articles": len(gold),
        "topic_acc": round(sum(right) / max(1, len(right)), 4),
        "topic_acc_high": round(sum(high) / max(1, len(high)), 4),
        "topic_macro_f1": round(sum(f1s) / max(1, len(f1s)), 4),
    }
    if any(a.countries is None for a in got):
        return out | {k: None for k in KEYS[4:]}
    with_country = [(g, a) for g, a in zip(gold, got, strict=True) if g.countries]
    main = sum(1 for g, a in with_country if a.countries and a.countries[0] == g.countries[0])
    tp = sum(len(set(g.countries) & set(a.countries or ())) for g, a in zip(gold, got, strict=True))
    n_pred = sum(len(a.countries or ()) for a in got)
    n_gold = sum(len(g.countries) for g in gold)
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    return out | {
        "country_acc": round(main / max(1, len(with_country)), 4),
        "country_p": round(p, 4),
        "country_r": round(r, 4),
        "country_f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
    }


def ingest(corpus: Path, store: SQLiteStore) -> dict[str, Article]:
    """Every article of the corpus stored; the articles by URL."""
    paths = [corpus] if corpus.is_file() else sorted(corpus.glob("*.zip")) or [corpus]
    by_url: dict[str, Article] = {}
    batch: list[Article] = []
    for item in read_inputs(paths, max_input_bytes=MAX_INPUT_BYTES):
        for a in item.articles:
            if a.url:
                by_url.setdefault(a.url, a)
            batch.append(a)
        if len(batch) >= 2000:
            store.put_many(batch, "eval")
            batch = []
    if batch:
        store.put_many(batch, "eval")
    return by_url


def run_naba(store: SQLiteStore, by_url: dict[str, Article], urls: set[str]) -> dict[str, Answer]:
    report = train_sections(store, DEFAULT_ANALYZER)
    print(
        f"naba: {report.weak_labels} weak labels, {report.labeled} labeled {report.by_source}",
        file=sys.stderr,
    )
    ids = [by_url[u].id for u in urls if u in by_url]
    rows = store.sections_of(ids)
    out = {}
    for u in urls:
        a = by_url.get(u)
        row = rows.get(ArticleId(a.id)) if a is not None else None
        if row is not None:
            out[u] = Answer(row.section, row.countries)
    return out


def run_peer(store: SQLiteStore, by_url: dict[str, Article], urls: set[str]) -> dict[str, Answer]:
    """TF-IDF + logistic regression on the same weak labels, plain word features."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    weak = store.weak_labels()
    stored = store.get_many([a for a, _ in weak])
    texts = [f"{stored[a].article.title}\n{stored[a].article.body_text}" for a, _ in weak if a in stored]
    labels = [w for a, w in weak if a in stored]
    vec = TfidfVectorizer(sublinear_tf=True, min_df=3)
    clf = LogisticRegression(C=PEER_C, max_iter=1000).fit(vec.fit_transform(texts), labels)
    known = [u for u in sorted(urls) if u in by_url]
    pred = clf.predict(vec.transform([f"{by_url[u].title}\n{by_url[u].body_text}" for u in known]))
    return {u: Answer(str(p), None) for u, p in zip(known, pred, strict=True)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, action="append")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument(
        "--peers", action="store_true", help="also TF-IDF + logistic regression on the weak labels"
    )
    ap.add_argument("--errors", type=Path, help="write naba's wrong answers (JSONL) here, for error analysis")
    args = ap.parse_args()
    golds = {p: load_gold(p) for p in (args.gold or [DEFAULT_GOLD])}
    urls = {g.url for rows in golds.values() for g in rows}
    with tempfile.TemporaryDirectory(prefix="naba-topics-") as tmp:
        store = SQLiteStore(Path(tmp) / "topics.db")
        by_url = ingest(args.corpus, store)
        systems = {"naba": run_naba(store, by_url, urls)}
        if args.peers:
            systems["tfidf_logreg"] = run_peer(store, by_url, urls)
        store.close()
    everything = [g for rows in golds.values() for g in rows]
    result: dict[str, Any] = score(everything, systems["naba"])
    peers = {name: score(everything, ans) for name, ans in systems.items() if name != "naba"}
    if peers:
        result["peers"] = peers
    if len(golds) > 1:
        result["sets"] = {}
        for path, rows in golds.items():
            one: dict[str, Any] = score(rows, systems["naba"])
            if peers:
                one["peers"] = {name: score(rows, ans) for name, ans in systems.items() if name != "naba"}
            result["sets"][path.parent.name] = one
            _table(f"Sections and countries: {path}", {n: score(rows, a) for n, a in systems.items()})
    _table("Sections and countries: all gold", {n: score(everything, a) for n, a in systems.items()})
    if args.errors:
        with args.errors.open("w", encoding="utf-8") as f:
            for g in everything:
                a = systems["naba"].get(g.url)
                if a is None or a.topic != g.topic or (g.countries[:1] != (a.countries or ())[:1]):
                    row = {"url": g.url, "gold": g.topic, "naba": a.topic if a else None}
                    row |= {"gold_countries": g.countries, "naba_countries": a.countries if a else None}
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(json.dumps(result, ensure_ascii=False))


def _table(title: str, rows: dict[str, dict[str, Any]]) -> None:
    print(title)
    print(f"{'system':<16}" + "".join(f"{k:>16}" for k in KEYS))
    for name, row in rows.items():
        print(f"{name:<16}" + "".join(f"{'-' if row[k] is None else row[k]:>16}" for k in KEYS))


if __name__ == "__main__":
    main()
