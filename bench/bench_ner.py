"""Entity tagging time per 1,000 SaudiNewsNet articles: the neural tagger (NumPy), the CRF and their ensemble.

Usage: ``.venv/bin/python bench/bench_ner.py [--corpus DIR] [--docs N]``

All taggers run in this one process, one after the other, on the same ``N`` article texts (title + body,
as :func:`naba.engine.terms.terms_of` gives them), through ``extract`` (tokenize, tag, rules, propagation,
aliases); each is timed over two passes after a warm-up and the faster pass is kept. Reported: seconds per
1,000 articles (wall and CPU of this process), tokens per second, and the 1-minute load average (figures
taken while other work shares the cores are slower: compare the ratio). The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from naba.enrich.entities import MODELS, make_extractor, sentence_tokens

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "saudinewsnet" / "dataset"


def main() -> None:
    from bench_analyzer import load_texts  # same directory: the same corpus reader as the other benches

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--docs", type=int, default=500)
    args = ap.parse_args()
    texts = load_texts(args.corpus, args.docs)
    tokens = sum(len(s) for t in texts for s in sentence_tokens(t))
    out: dict[str, object] = {"articles": len(texts), "tokens": tokens, "load_avg_1m": os.getloadavg()[0]}
    print(f"{len(texts)} articles, {tokens} tokens, load {os.getloadavg()[0]:.1f}")
    print(f"{'model':<8}{'s/1k wall':>11}{'s/1k cpu':>10}{'tokens/s':>10}")
    for model in MODELS:
        extractor = make_extractor(model)
        for t in texts[:20]:
            extractor.extract(t)
        best_wall, best_cpu = float("inf"), float("inf")
        for _ in range(2):
            w0, c0 = time.perf_counter(), time.process_time()
            for t in texts:
                extractor.extract(t)
            best_wall = min(best_wall, time.perf_counter() - w0)
            best_cpu = min(best_cpu, time.process_time() - c0)
        per_k_wall = best_wall * 1000 / len(texts)
        per_k_cpu = best_cpu * 1000 / len(texts)
        print(f"{model:<8}{per_k_wall:>11.2f}{per_k_cpu:>10.2f}{tokens / best_cpu:>10.0f}")
        out[model] = {
            "s_per_1k_wall": round(per_k_wall, 2),
            "s_per_1k_cpu": round(per_k_cpu, 2),
            "tokens_per_cpu_s": round(tokens / best_cpu),
        }
    out["load_avg_1m_after"] = os.getloadavg()[0]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
