"""Quality gates: small, fast versions of the evaluations with pinned floors (EVAL.md: CI runs gates, the
full runs go in the README). Each floor is the figure measured when it was pinned, minus a stated epsilon,
so a change that makes naba measurably worse fails here before anyone re-runs the full evaluation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import CORPUS, REPO, SHARED, need_shared

sys.path.insert(0, str(REPO / "eval"))

# Gate on the two days the story labels cover (2,657 articles instead of 31,030): same queries, same rules.
GATE_DAYS = ("2015-08-02.zip", "2015-08-03.zip")
EPSILON = 0.01


@pytest.fixture(scope="module")
def window(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("window")
    for day in GATE_DAYS:
        (folder / day).symlink_to(need_shared(CORPUS / day))
    return folder


def last_json(args: list[str]) -> dict:  # type: ignore[type-arg]
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=900, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_retrieval_gate(window: Path) -> None:
    gold = need_shared(SHARED / "eval" / "stories-dev.jsonl")
    figures = last_json(["eval/retrieval.py", "--gold", str(gold), "--corpus", str(window)])
    naba, snowball = figures["analyzers"]["naba"], figures["analyzers"]["snowball"]
    assert naba["mrr10"] >= RETRIEVAL_FLOORS["mrr10"] - EPSILON
    assert naba["hard_mrr10"] >= RETRIEVAL_FLOORS["hard_mrr10"] - EPSILON
    assert naba["ndcg10"] >= snowball["ndcg10"]
    # naba's search folds copies into one result: other write-ups of the story rise (hard MRR), and the
    # query's own copies fold under it (the unfolded row keeps the plain figure).
    assert figures["hard_mrr10"] >= RETRIEVAL_FLOORS["system_hard_mrr10"] - EPSILON
    assert figures["hard_mrr10"] >= snowball["hard_mrr10"] + 0.02
    assert figures["unfolded"]["mrr10"] >= RETRIEVAL_FLOORS["system_mrr10"] - EPSILON


def test_text_pages_gate() -> None:
    figures = last_json(
        ["eval/text_pages.py", "--gold", "tests/golden/text_pages", "--gold", str(SHARED / "seed")]
    )
    assert figures["facts_right"] == figures["facts"] > 300


# Measured on the gate window when pinned (eval/retrieval.py --corpus <the two days>): naba analyzer
# MRR@10 0.9576, hard 0.6393; naba search, copies folded as views.search_view shows them, hard MRR@10 0.8440
# (floor 0.840, below the measure); unfolded MRR@10 0.9596 (Snowball: 0.9487, hard 0.6298).
RETRIEVAL_FLOORS = {
    "mrr10": 0.9576,
    "hard_mrr10": 0.6393,
    "system_mrr10": 0.9596,
    "system_hard_mrr10": 0.840,
}


# Measured on the dev window when pinned (eval/dedupe.py, eval/stories.py, eval/related.py): dup F1 0.9561,
# story B-cubed F1 0.9484, related P@5 0.9635. Each script streams the 2,657 articles of the window. The related
# figure was re-pinned when eval/related.py began to score the stored lists users see (views.stored_related,
# after naba understand over the window) instead of an in-memory finder no reader saw (0.972). Stories 0.9422 ->
# 0.9484 and related 0.9608 -> 0.9635 with the member check fitted by cross-validation (eval/stories_cv.py).
UNDERSTANDING_FLOORS = {
    "dedupe": ("dup_f1", 0.9561),
    "stories": ("bcubed_f1", 0.9484),
    "related": ("p_at_5", 0.9635),
}


@pytest.mark.parametrize("script", sorted(UNDERSTANDING_FLOORS))
def test_understanding_gate(script: str) -> None:
    gold = need_shared(SHARED / "eval" / "stories-dev.jsonl")
    key, floor = UNDERSTANDING_FLOORS[script]
    figures = last_json([f"eval/{script}.py", "--gold", str(gold), "--corpus", str(need_shared(CORPUS))])
    assert figures[key] >= floor - EPSILON
