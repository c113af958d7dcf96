"""Train naba's neural entity tagger on the first 90% of NewsFANE (never on the last 10%, the evaluation split).

Usage (torch is a training-time dependency only: ``pip install -e ".[train]"``):
    nice -n 10 .venv/bin/python scripts/train_ner_neural.py               # select epochs, train, write the model
    nice -n 10 .venv/bin/python scripts/train_ner_neural.py --epochs 12   # skip selection, train 12 epochs

Model (:mod:`naba.enrich.ner_neural` runs it with NumPy): embeddings of the normalized word and of its
clitic-free core (vocabularies: forms seen at least twice in the training text; word dropout teaches the
unknown id), a character CNN over the normalized word, small embeddings of the gazetteer mark, shape,
clitics and length, binary lexical and document flags (the CRF's, :func:`token_inputs`); a projection, a
stack of dilated width-3 convolutions with residual connections, and a linear-chain CRF. Documents are blocks
of ``DOC_SENTENCES`` sentences, as for the CRF.

Reproducible: fixed seed, one or two CPU threads, deterministic algorithms; the epoch count is chosen inside
the 90% (train on its first 90%, score the rest with the model alone, best epoch), then the model is trained
on the whole 90% for that many epochs. The written ``.npz`` holds the weights (float16), the vocabularies and
a ``record``: the configuration, SHA-256 of the training text, of this script and of the runtime module, the
selection curve, and the evaluation split's figures measured with the NumPy runtime on the written weights
(``tests/unit/enrich/test_ner_neural.py`` checks the shipped file against that record).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch
from threadpoolctl import ThreadpoolController
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from naba.enrich import ner_neural  # noqa: E402
from naba.enrich.ner_features import (  # noqa: E402
    DOC_SENTENCES,
    Sentence,
    read_newsfane,
    spans,
    split_newsfane,
)
from naba.enrich.ner_neural import (  # noqa: E402
    GAZ_MARKS,
    MAX_LEN_BUCKET,
    N_FLAGS,
    SHAPES,
    TAGS,
    Batch,
    NeuralTagger,
    TokenInput,
    Vocabularies,
    make_batch,
    token_inputs,
)

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "ner" / "newsfane-train-dev.txt"
DEFAULT_OUT = ROOT / "src" / "naba" / "data" / "ner-neural.npz"
PARITY_SENTENCES = 128
CONFIG: dict[str, Any] = {
    "seed": 13,
    "min_count": 2,
    "word_dim": 64,
    "core_dim": 32,
    "char_dim": 16,
    "char_filters": 32,
    "char_kernel": 3,
    "small_dim": 6,
    "hidden": 96,
    "dilations": [1, 2, 1],
    "dropout": 0.3,
    "word_dropout": 0.1,
    "batch": 32,
    "lr": 0.002,
    "max_epochs": 14,
    "selection_share": 0.1,
    "threads": 1,
}


class Model(nn.Module):
    """The torch twin of :class:`naba.enrich.ner_neural.NeuralTagger` (same parameters, same arithmetic)."""

    def __init__(self, vocab: Vocabularies, cfg: dict[str, Any]) -> None:
        super().__init__()
        s = cfg["small_dim"]
        self.words = nn.Embedding(len(vocab.words) + 2, cfg["word_dim"], padding_idx=0)
        self.cores = nn.Embedding(len(vocab.cores) + 2, cfg["core_dim"], padding_idx=0)
        self.chars = nn.Embedding(len(vocab.chars) + 2, cfg["char_dim"], padding_idx=0)
        self.char = nn.Conv1d(
            cfg["char_dim"], cfg["char_filters"], cfg["char_kernel"], padding=cfg["char_kernel"] // 2
        )
        self.gaz = nn.Embedding(len(GAZ_MARKS) + 1, s, padding_idx=0)
        self.shape = nn.Embedding(len(SHAPES) + 1, s, padding_idx=0)
        self.clitics = nn.Embedding(len(vocab.clitics) + 2, s, padding_idx=0)
        self.length = nn.Embedding(MAX_LEN_BUCKET + 2, s, padding_idx=0)
        width = cfg["word_dim"] + cfg["core_dim"] + cfg["char_filters"] + 4 * s + N_FLAGS
        self.proj = nn.Linear(width, cfg["hidden"])
        self.convs = nn.ModuleList(
            nn.Conv1d(cfg["hidden"], cfg["hidden"], 3, dilation=d, padding=d) for d in cfg["dilations"]
        )
        self.out = nn.Linear(cfg["hidden"], len(TAGS))
        self.drop = nn.Dropout(cfg["dropout"])
        self.word_dropout = cfg["word_dropout"]

    def emissions(self, b: dict[str, torch.Tensor]) -> torch.Tensor:
        words, cores = b["words"], b["cores"]
        if self.training and self.word_dropout:
            drop = (torch.rand(words.shape) < self.word_dropout) & (words > 0)
            words = torch.where(drop, torch.ones_like(words), words)
            cores = torch.where(drop, torch.ones_like(cores), cores)
        chars = b["chars"]
        bsz, t, c = chars.shape
        ce = self.chars(chars).reshape(bsz * t, c, -1).transpose(1, 2)
        cf = torch.relu(self.char(ce)).transpose(1, 2).reshape(bsz, t, c, -1)
        cf = torch.where((chars > 0).unsqueeze(-1), cf, torch.zeros_like(cf)).amax(dim=2)
        x = torch.cat(
            [
                self.words(words),
                self.cores(cores),
                cf,
                self.gaz(b["gaz"]),
                self.shape(b["shape"]),
                self.clitics(b["clitics"]),
                self.length(b["length"]),
                b["flags"],
            ],
            dim=-1,
        )
        mask = b["mask"].unsqueeze(-1).float()
        h = torch.relu(self.proj(self.drop(x))) * mask
        for conv in self.convs:
            h = h + torch.relu(conv(self.drop(h).transpose(1, 2)).transpose(1, 2)) * mask
        out: torch.Tensor = self.out(self.drop(h))
        return out

    def loss(self, b: dict[str, torch.Tensor], tags: torch.Tensor) -> torch.Tensor:
        """Mean token cross-entropy of the gold tags (decoding adds the BIO constraints, see
        :func:`bio_constraints`)."""
        scores = self.emissions(b)
        mask = b["mask"]
        return nn.functional.cross_entropy(scores[mask], tags[mask])


def bio_constraints() -> dict[str, np.ndarray]:
    """The decoder's transition scores: ``I-X`` only after ``B-X`` or ``I-X`` (and never first)."""
    k = len(TAGS)
    trans = np.zeros((k, k), np.float32)
    start = np.zeros(k, np.float32)
    for j, tag in enumerate(TAGS):
        if tag.startswith("I-"):
            start[j] = -1e4
            for i, prev in enumerate(TAGS):
                if prev[2:] != tag[2:]:
                    trans[i, j] = -1e4
    return {"crf.trans": trans, "crf.start": start, "crf.end": np.zeros(k, np.float32)}


def to_tensors(batch: Batch) -> dict[str, torch.Tensor]:
    return {
        "words": torch.from_numpy(batch.words),
        "cores": torch.from_numpy(batch.cores),
        "chars": torch.from_numpy(batch.chars),
        "gaz": torch.from_numpy(batch.gaz),
        "shape": torch.from_numpy(batch.shape),
        "clitics": torch.from_numpy(batch.clitics),
        "length": torch.from_numpy(batch.length),
        "flags": torch.from_numpy(batch.flags),
        "mask": torch.from_numpy(batch.mask),
    }


def inputs_of(sentences: list[Sentence]) -> list[list[TokenInput]]:
    """Token inputs with document context from blocks of DOC_SENTENCES sentences (as for the CRF)."""
    out: list[list[TokenInput]] = []
    for start in range(0, len(sentences), DOC_SENTENCES):
        out.extend(token_inputs([[t for t, _ in s] for s in sentences[start : start + DOC_SENTENCES]]))
    return out


def build_vocab(rows: list[list[TokenInput]], min_count: int) -> Vocabularies:
    words = Counter(t.norm for r in rows for t in r)
    cores = Counter(t.core for r in rows for t in r)
    chars = Counter(c for r in rows for t in r for c in t.norm)
    clitics = Counter(t.clitics for r in rows for t in r)

    def table(counts: Counter[str], least: int) -> dict[str, int]:
        kept = sorted(w for w, n in counts.items() if n >= least)
        return {w: i + 2 for i, w in enumerate(kept)}

    return Vocabularies(table(words, min_count), table(cores, min_count), table(chars, 2), table(clitics, 2))


def export(
    model: Model, vocab: Vocabularies, cfg: dict[str, Any], dtype: type = np.float16
) -> dict[str, np.ndarray]:
    """The runtime's weights (float16, as shipped) under the names NeuralTagger reads."""
    p = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    w = {
        "emb.words": p["words.weight"],
        "emb.cores": p["cores.weight"],
        "emb.chars": p["chars.weight"],
        "char.weight": p["char.weight"],
        "char.bias": p["char.bias"],
        "emb.gaz": p["gaz.weight"],
        "emb.shape": p["shape.weight"],
        "emb.clitics": p["clitics.weight"],
        "emb.length": p["length.weight"],
        "proj.weight": p["proj.weight"],
        "proj.bias": p["proj.bias"],
        "out.weight": p["out.weight"],
        "out.bias": p["out.bias"],
        **bio_constraints(),
    }
    for i in range(len(cfg["dilations"])):
        w[f"conv{i}.weight"] = p[f"convs.{i}.weight"]
        w[f"conv{i}.bias"] = p[f"convs.{i}.bias"]
    return {k: v.astype(dtype) for k, v in w.items()}


def runtime_of(weights: dict[str, np.ndarray], vocab: Vocabularies, cfg: dict[str, Any]) -> NeuralTagger:
    return NeuralTagger(weights, {"vocab": vocab.to_json(), "config": cfg})


def evaluate(
    tagger: NeuralTagger, sentences: list[Sentence], rows: list[list[TokenInput]]
) -> dict[str, float]:
    """Entity-level exact-span F1 per kind and micro of the model alone (no rules), NumPy runtime."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for start in range(0, len(rows), 64):
        chunk = rows[start : start + 64]
        for sent, tagged in zip(
            sentences[start : start + 64], tagger.tag(make_batch(chunk, tagger.vocab)), strict=True
        ):
            gold, pred = spans([t for _, t in sent]), spans(tagged.tags)
            for kind in ("PER", "LOC", "ORG"):
                g = {s for s in gold if s[2] == kind}
                q = {s for s in pred if s[2] == kind}
                tp[kind] += len(g & q)
                fp[kind] += len(q - g)
                fn[kind] += len(g - q)
    out = {}
    for kind in ("PER", "LOC", "ORG", "micro"):
        t = sum(tp.values()) if kind == "micro" else tp[kind]
        f_p = sum(fp.values()) if kind == "micro" else fp[kind]
        f_n = sum(fn.values()) if kind == "micro" else fn[kind]
        out[kind] = round(2 * t / (2 * t + f_p + f_n), 4) if t else 0.0
    return out


def train(
    sentences: list[Sentence],
    cfg: dict[str, Any],
    epochs: int,
    held: list[Sentence] | None = None,
    after_epoch: Callable[[int, Model, Vocabularies], None] | None = None,
) -> tuple[Model, Vocabularies, list[dict[str, float]]]:
    """Train for ``epochs`` epochs; with ``held``, score it after every epoch (the selection curve).
    ``after_epoch(n, model, vocab)`` runs after each epoch (nothing in training depends on ``epochs``, so
    the model after epoch n is the model trained for n epochs)."""
    torch.manual_seed(cfg["seed"])
    rng = random.Random(cfg["seed"])
    rows = inputs_of(sentences)
    vocab = build_vocab(rows, cfg["min_count"])
    held_rows = inputs_of(held) if held else []
    tag_ids = [[TAGS.index(t) for _, t in s] for s in sentences]
    model = Model(vocab, cfg)
    opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
    curve: list[dict[str, float]] = []
    by_length = sorted(range(len(rows)), key=lambda i: (len(rows[i]), i))
    batches = [by_length[i : i + cfg["batch"]] for i in range(0, len(by_length), cfg["batch"])]
    for epoch in range(epochs):
        model.train()
        rng.shuffle(batches)
        total = 0.0
        started = time.time()
        for idx in batches:
            batch = make_batch([rows[i] for i in idx], vocab)
            tags = torch.zeros(batch.words.shape, dtype=torch.long)
            for j, i in enumerate(idx):
                tags[j, : len(tag_ids[i])] = torch.tensor(tag_ids[i])
            loss = model.loss(to_tensors(batch), tags)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += loss.item() * len(idx)
        line = {"epoch": epoch + 1, "loss": round(total / len(rows), 4)}
        if held:
            model.eval()
            line.update(evaluate(runtime_of(export(model, vocab, cfg), vocab, cfg), held, held_rows))
        curve.append(line)
        print(json.dumps({**line, "seconds": round(time.time() - started, 1)}), flush=True)
        if after_epoch is not None:
            model.eval()
            after_epoch(epoch + 1, model, vocab)
    model.eval()
    return model, vocab, curve


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def training_text_sha256(train_part: list[Sentence]) -> str:
    text = "".join(f"{t}\t{tag}\n" for s in train_part for t, tag in s)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_model(path: Path, weights: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """Write the ``.npz`` byte-reproducibly (fixed member order, no timestamps that vary)."""
    buf = io.BytesIO()
    np.savez_compressed(
        buf,
        meta=np.frombuffer(
            json.dumps(meta, ensure_ascii=False, sort_keys=True).encode("utf-8"), dtype=np.uint8
        ),
        **dict(sorted(weights.items())),
    )
    path.write_bytes(buf.getvalue())


def parity(
    model: Model, vocab: Vocabularies, cfg: dict[str, Any], rows: list[list[TokenInput]]
) -> dict[str, float]:
    """Torch against the NumPy runtime on ``rows``: largest logit difference with the same float32 weights,
    and with the shipped float16 weights; share of tokens whose best tag differs."""
    full = {k: v.astype(np.float32) for k, v in export(model, vocab, cfg, np.float32).items()}
    shipped = export(model, vocab, cfg)
    worst32 = worst16 = 0.0
    differ = tokens = 0
    with torch.no_grad():
        for start in range(0, len(rows), 64):
            batch = make_batch(rows[start : start + 64], vocab)
            ref = model.emissions(to_tensors(batch)).numpy()
            a = runtime_of(full, vocab, cfg).emissions(batch)
            b = runtime_of(shipped, vocab, cfg).emissions(batch)
            m = batch.mask
            worst32 = max(worst32, float(np.abs(ref - a)[m].max()))
            worst16 = max(worst16, float(np.abs(ref - b)[m].max()))
            differ += int((ref.argmax(-1) != b.argmax(-1))[m].sum())
            tokens += int(m.sum())
    return {
        "max_abs_logit_diff_float32": worst32,
        "max_abs_logit_diff_shipped": worst16,
        "argmax_differs_share_shipped": differ / tokens,
    }


def save(
    path: Path,
    model: Model,
    vocab: Vocabularies,
    cfg: dict[str, Any],
    epochs: int,
    curve: list[dict[str, float]],
    train_part: list[Sentence],
    evaluation_split: list[Sentence],
    score: bool = True,
) -> dict[str, float] | None:
    """Write the model with its training record; returns the evaluation split's figures (model alone),
    or None without ``score`` (snapshots: :func:`finish` scores the one chosen)."""
    weights = export(model, vocab, cfg)
    rows = inputs_of(evaluation_split)
    figures = evaluate(runtime_of(weights, vocab, cfg), evaluation_split, rows) if score else None
    record = {
        "config": cfg,
        "epochs": epochs,
        "selection": curve,
        "training_text_sha256": training_text_sha256(train_part),
        "script_sha256": sha256_file(Path(__file__)),
        "runtime_sha256": sha256_file(Path(ner_neural.__file__)),
        "torch": torch.__version__,
        "evaluation_split_model_only": figures,
        "parity": parity(model, vocab, cfg, rows[:PARITY_SENTENCES]),
        "weights_sha256": hashlib.sha256(b"".join(weights[k].tobytes() for k in sorted(weights))).hexdigest(),
    }
    write_model(path, weights, {"vocab": vocab.to_json(), "config": cfg, "record": record})
    return figures


def finish(snapshot: Path, out: Path, selection: Path | None, evaluation_split: list[Sentence]) -> None:
    """Score a snapshot (written with ``--snapshots``) on the evaluation split with the NumPy runtime and
    write it as the model, with the selection curve from ``selection`` (the JSON lines a selection run
    printed). The weights are the snapshot's, unchanged; the record's hashes are of the files now."""
    tagger = NeuralTagger.load(snapshot)
    with np.load(snapshot, allow_pickle=False) as data:
        weights = {k: data[k] for k in data.files if k != "meta"}
    meta = tagger.meta
    record = meta["record"]
    assert (
        record["weights_sha256"]
        == hashlib.sha256(b"".join(weights[k].tobytes() for k in sorted(weights))).hexdigest()
    )
    record["evaluation_split_model_only"] = evaluate(tagger, evaluation_split, inputs_of(evaluation_split))
    if selection is not None:
        lines = [
            json.loads(x)
            for x in selection.read_text(encoding="utf-8").splitlines()
            if x.startswith('{"epoch"')
        ]
        record["selection"] = [{k: v for k, v in c.items() if k != "seconds"} for c in lines if "micro" in c]
        record["selected"] = max(record["selection"], key=lambda c: (c["micro"], -c["epoch"]))["epoch"]
    record["script_sha256"] = sha256_file(Path(__file__))
    record["runtime_sha256"] = sha256_file(Path(ner_neural.__file__))
    write_model(out, weights, meta)
    print(
        json.dumps(
            {"evaluation_split_model_only": record["evaluation_split_model_only"], "epochs": record["epochs"]}
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--epochs", type=int, default=0, help="skip selection and train this many epochs")
    ap.add_argument("--snapshots", type=Path, help="also write the model after every epoch into this folder")
    ap.add_argument("--finish", type=Path, help="score this snapshot and write it as the model (no training)")
    ap.add_argument(
        "--selection", type=Path, help="with --finish: the selection run's output, for the record"
    )
    args = ap.parse_args()
    cfg = dict(CONFIG)
    torch.set_num_threads(cfg["threads"])
    torch.use_deterministic_algorithms(True)
    ThreadpoolController().limit(limits=1, user_api="blas")  # small products: threads only contend
    train_part, evaluation_split = split_newsfane(read_newsfane(args.data))
    if args.finish:
        finish(args.finish, args.out, args.selection, evaluation_split)
        return
    started = time.time()
    curve: list[dict[str, float]] = []
    epochs = args.epochs
    if not epochs:
        cut = int(len(train_part) * (1 - cfg["selection_share"]))
        cut -= cut % DOC_SENTENCES
        _m, _v, curve = train(train_part[:cut], cfg, cfg["max_epochs"], held=train_part[cut:])
        epochs = max(curve, key=lambda c: (c["micro"], -c["epoch"]))["epoch"]
        print(f"selected {epochs} epochs", flush=True)

    def snapshot(n: int, model: Model, vocab: Vocabularies) -> None:
        if args.snapshots:
            args.snapshots.mkdir(parents=True, exist_ok=True)
            path = args.snapshots / f"epoch-{n:02d}.npz"
            save(path, model, vocab, cfg, n, [], train_part, evaluation_split, score=False)
            print(json.dumps({"snapshot": str(path)}), flush=True)

    model, vocab, _ = train(train_part, cfg, int(epochs), after_epoch=snapshot)
    figures = save(args.out, model, vocab, cfg, int(epochs), curve, train_part, evaluation_split)
    print(json.dumps({"evaluation_split_model_only": figures, "epochs": epochs}))
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes) in {time.time() - started:.0f}s", flush=True)


if __name__ == "__main__":
    main()
