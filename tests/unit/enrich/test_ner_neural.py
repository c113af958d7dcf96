"""The shipped neural entity model: that it is what scripts/train_ner_neural.py produces, and its runtime.

Full retraining needs torch (a training-time extra) and tens of minutes of CPU, so CI checks the shipped file's training record instead:
the record names the SHA-256 of the training text (the first 90% of NewsFANE), of the training script and
of the runtime module it was trained and measured with, and of its own weights; the NumPy runtime must then
reproduce, exactly, the evaluation-split figures the script recorded from those weights. Any edit to the
script or the runtime without retraining (``scripts/train_ner_neural.py``) fails here.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from naba.enrich.entities import DATA_DIR, NEURAL_MODEL_FILE, NeuralEntityExtractor
from naba.enrich.ner_features import DOC_SENTENCES, read_newsfane, spans, split_newsfane
from naba.enrich.ner_neural import (
    TAGS,
    NeuralTagger,
    make_batch,
    marginals,
    token_inputs,
    viterbi,
    word_forms,
)

ROOT = Path(__file__).resolve().parents[3]
NEWSFANE = ROOT.parent / "shared" / "eval" / "ner" / "newsfane-train-dev.txt"
MODEL = DATA_DIR / NEURAL_MODEL_FILE


@pytest.fixture(scope="module")
def tagger() -> NeuralTagger:
    return NeuralTagger.load(MODEL)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_shipped_model_is_small_and_records_its_training(tagger: NeuralTagger) -> None:
    assert MODEL.stat().st_size < 6_000_000
    record = tagger.meta["record"]
    assert record["script_sha256"] == _sha(ROOT / "scripts" / "train_ner_neural.py"), "retrain the model"
    assert record["runtime_sha256"] == _sha(ROOT / "src" / "naba" / "enrich" / "ner_neural.py"), "retrain"
    with np.load(MODEL, allow_pickle=False) as data:
        weights = {k: data[k] for k in data.files if k != "meta"}
    digest = hashlib.sha256(b"".join(weights[k].tobytes() for k in sorted(weights))).hexdigest()
    assert digest == record["weights_sha256"]


def _newsfane() -> tuple[list, list]:  # type: ignore[type-arg]
    if not NEWSFANE.exists():
        pytest.skip(f"{NEWSFANE} not found (shared data)")
    return split_newsfane(read_newsfane(NEWSFANE))


def test_trained_on_the_first_90_percent_only(tagger: NeuralTagger) -> None:
    train_part, evaluation = _newsfane()
    text = "".join(f"{t}\t{tag}\n" for s in train_part for t, tag in s)
    assert tagger.meta["record"]["training_text_sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    held = {word_forms(t)[0] for s in evaluation for t, _ in s}
    held -= {word_forms(t)[0] for s in train_part for t, _ in s}
    assert held and not held & set(tagger.meta["vocab"]["words"])  # no word seen only in the last 10%


def test_runtime_reproduces_the_recorded_evaluation(tagger: NeuralTagger) -> None:
    """The evaluation split scored as scripts/train_ner_neural.py ``evaluate`` scores it (the model alone,
    documents of DOC_SENTENCES sentences, batches of 64 sentences) gives the recorded figures exactly."""
    _train, evaluation = _newsfane()
    rows = []
    for start in range(0, len(evaluation), DOC_SENTENCES):
        rows.extend(token_inputs([[t for t, _ in s] for s in evaluation[start : start + DOC_SENTENCES]]))
    counts = {k: Counter[str]() for k in ("PER", "LOC", "ORG")}
    for start in range(0, len(rows), 64):
        batch = make_batch(rows[start : start + 64], tagger.vocab)
        for sent, tagged in zip(evaluation[start : start + 64], tagger.tag(batch), strict=True):
            gold, pred = spans([t for _, t in sent]), spans(tagged.tags)
            for kind, c in counts.items():
                g = {x for x in gold if x[2] == kind}
                p = {x for x in pred if x[2] == kind}
                c.update(tp=len(g & p), fp=len(p - g), fn=len(g - p))
    counts["micro"] = sum(counts.values(), Counter[str]())
    figures = {
        k: round(2 * c["tp"] / (2 * c["tp"] + c["fp"] + c["fn"]), 4) if c["tp"] else 0.0
        for k, c in counts.items()
    }
    assert figures == tagger.meta["record"]["evaluation_split_model_only"]


def test_viterbi_is_the_best_path_and_marginals_are_distributions() -> None:
    rng = np.random.default_rng(3)
    k, t = 3, 4
    scores = rng.normal(size=(2, t, k)).astype(np.float32)
    trans = rng.normal(size=(k, k)).astype(np.float32)
    start, end = rng.normal(size=k).astype(np.float32), rng.normal(size=k).astype(np.float32)
    lengths = np.array([4, 2])
    paths = viterbi(scores, lengths, trans, start, end)
    marg = marginals(scores, lengths, trans, start, end)
    for b, n in enumerate(lengths.tolist()):

        def total(p: tuple[int, ...], b: int = b) -> float:
            s = start[p[0]] + end[p[-1]] + sum(scores[b, i, p[i]] for i in range(len(p)))
            return float(s + sum(trans[p[i - 1], p[i]] for i in range(1, len(p))))

        every = list(itertools.product(range(k), repeat=n))
        best = max(every, key=total)
        assert tuple(paths[b, :n].tolist()) == best
        z = np.logaddexp.reduce([total(p) for p in every])
        for i in range(n):
            for j in range(k):
                exact = sum(np.exp(total(p) - z) for p in every if p[i] == j)
                assert marg[b, i, j] == pytest.approx(exact, abs=1e-4)
        assert not marg[b, n:].any()


def test_bio_constraints_hold_on_real_text(tagger: NeuralTagger) -> None:
    sentences = [["قال", "الرئيس", "الروسي", "فلاديمير", "بوتين", "في", "موسكو", "."], ["و"]]
    for tagged in tagger.tag_document(sentences):
        prev = "O"
        for tag in tagged.tags:
            assert not tag.startswith("I-") or prev[2:] == tag[2:]
            prev = tag
        assert np.allclose(tagged.probs.sum(axis=1), 1.0, atol=1e-4)


def test_inputs_do_not_depend_on_the_batch() -> None:
    one = token_inputs([["وزارة", "الخارجية", "السعودية"]])
    two = token_inputs([["وزارة", "الخارجية", "السعودية"], ["وزارة"]])
    assert one[0] == two[0]


def test_neural_extractor_finds_names_in_an_unseen_text() -> None:
    text = "وصل وزير الخارجية عادل الجبير إلى الدوحة اليوم، والتقى أمير قطر في الديوان الأميري."
    found = {(e.name, e.kind) for e in NeuralEntityExtractor().extract(text)}
    assert ("الدوحة", "LOC") in found
    assert any(kind == "PER" and "الجبير" in name for name, kind in found)
    assert all(kind in ("PER", "LOC", "ORG") for _, kind in found) and len(TAGS) == 7
