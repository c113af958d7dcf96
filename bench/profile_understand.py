"""Where `naba understand` spends its CPU: the share of text analysis, entities, keywords and the online
assignment, on real articles of one day, everything inline in one process under cProfile.

Usage: ``.venv/bin/python bench/profile_understand.py [--day PATH.zip] [--articles N]``

Shares are of understand's profiled time (cumulative time of each part over the whole call), so they hold on
a busy machine better than seconds do. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import tempfile
import time
from pathlib import Path

from naba.config import load_settings
from naba.engine.understand import understand
from naba.sources.files import read_inputs
from naba.store.sqlite import SQLiteStore

DEFAULT_DAY = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "saudinewsnet" / "dataset"
# The parts, by the function that does each (module path suffix, function name).
PARTS = {
    "analysis": ("text/analysis.py", "analyze_texts"),
    "entities": ("enrich/entities.py", "extract_entities"),
    "keywords": ("enrich/keywords.py", "candidates"),
    "assignment": ("engine/understand.py", "add"),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--day", type=Path, default=DEFAULT_DAY / "2015-08-02.zip")
    ap.add_argument("--articles", type=int, default=800)
    args = ap.parse_args()

    articles = [a for item in read_inputs([args.day], max_input_bytes=50 << 20) for a in item.articles]
    articles = articles[: args.articles]
    with tempfile.TemporaryDirectory(prefix="naba-profile-") as tmp:
        db = Path(tmp) / "naba.db"
        store = SQLiteStore(db)
        store.put_many(articles, "bench")
        settings = load_settings({"db": str(db), "ingest_workers": 1}, environ={})  # inline: one profile
        profile = cProfile.Profile()
        started = time.process_time()
        profile.enable()
        understand(store, settings, "ar-search-v1")
        profile.disable()
        cpu = time.process_time() - started
        store.close()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = max(v[3] for k, v in stats.items() if k[2] == "understand")
    shares = {
        part: round(sum(v[3] for k, v in stats.items() if k[0].endswith(path) and k[2] == name) / total, 3)
        for part, (path, name) in PARTS.items()
    }
    print(f"understand of {len(articles)} articles: {cpu:.1f} CPU s (profiled)")
    for part, share in shares.items():
        print(f"  {part:<11} {share:>6.1%}")
    print(json.dumps({"articles": len(articles), "cpu_seconds": round(cpu, 2), "shares": shares}))


if __name__ == "__main__":
    main()
