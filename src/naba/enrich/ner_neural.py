"""The neural entity tagger's inputs and its NumPy runtime (no torch at run time).

Contract
--------
* :func:`token_inputs` turns the sentences of one document into the model's raw inputs per token (word and
  clitic-free forms, characters, gazetteer mark, shape, clitics, lexical and document flags). The training
  script (``scripts/train_ner_neural.py``) and the runtime both call it, so inputs never drift.
* :class:`NeuralTagger` loads the shipped ``.npz`` (weights, vocabularies, and the training record) and
  tags a document: a character CNN and word/feature embeddings, a stack of dilated convolutions with
  residual connections, and per-token tag scores decoded as a linear chain (transition scores in the file:
  the BIO constraints, or learned ones). :meth:`NeuralTagger.tag_document` returns per sentence the
  Viterbi tags and per token the CRF marginals (P(inside an entity), P(of the chosen tag)), which the
  rules and document propagation of :mod:`naba.enrich.entities` use as they use the CRF's.
* All sentences of a document are one padded batch: every layer is a handful of matrix products over the
  whole document, and Viterbi/forward-backward step over the longest sentence only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from naba.enrich.ner_features import (
    document_context,
    gazetteer_marks,
    lexical_flags,
    token_shape,
    word_forms,
)

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

PAD: Final = 0
UNK: Final = 1
MAX_CHARS: Final = 16  # characters of the normalized word read by the character CNN
TAGS: Final = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG")
GAZ_MARKS: Final = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG")
SHAPES: Final = ("arabic", "latin", "digit", "punct")
LEX_FLAGS: Final = ("title", "intro", "first", "first2", "orghead", "lochead", "nisba")
DOC_FLAGS: Final = ("art", "bare", "title", "afterfirst", "subject", "gaz-PER", "gaz-LOC", "gaz-ORG")
N_FLAGS: Final = 1 + len(LEX_FLAGS) + len(DOC_FLAGS)  # with the article flag first
MAX_LEN_BUCKET: Final = 10


@dataclass(frozen=True, slots=True)
class TokenInput:
    """What the model reads of one token (strings; ids come from the model's vocabularies)."""

    norm: str
    core: str
    gaz: int
    shape: int
    clitics: str
    length: int
    flags: tuple[float, ...]


def token_inputs(sentences: Sequence[Sequence[str]]) -> list[list[TokenInput]]:
    """Raw inputs of every token of one document (its sentences, tokenized)."""
    doc = document_context(sentences)
    out: list[list[TokenInput]] = []
    for tokens in sentences:
        marks = gazetteer_marks(tokens)
        row: list[TokenInput] = []
        for token, mark in zip(tokens, marks, strict=True):
            norm, article, core, clitics = word_forms(token)
            lex = set(lexical_flags(article, core))
            used = doc.get(core, frozenset())
            flags = (
                float(article.startswith("ال")),
                *(float(f in lex) for f in LEX_FLAGS),
                *(float(f in used) for f in DOC_FLAGS),
            )
            row.append(
                TokenInput(
                    norm=norm,
                    core=core,
                    gaz=GAZ_MARKS.index(mark) if mark in GAZ_MARKS else 0,
                    shape=SHAPES.index(token_shape(token)),
                    clitics=clitics,
                    length=min(len(core), MAX_LEN_BUCKET),
                    flags=flags,
                )
            )
        out.append(row)
    return out


@dataclass(frozen=True, slots=True)
class Vocabularies:
    """String -> id tables of the model (0 padding, 1 unknown)."""

    words: Mapping[str, int]
    cores: Mapping[str, int]
    chars: Mapping[str, int]
    clitics: Mapping[str, int]

    def to_json(self) -> dict[str, list[str]]:
        return {name: _ordered(getattr(self, name)) for name in ("words", "cores", "chars", "clitics")}

    @staticmethod
    def from_json(data: Mapping[str, Sequence[str]]) -> Vocabularies:
        def table(items: Sequence[str]) -> dict[str, int]:
            return {s: i + 2 for i, s in enumerate(items)}

        return Vocabularies(
            table(data["words"]), table(data["cores"]), table(data["chars"]), table(data["clitics"])
        )


def _ordered(table: Mapping[str, int]) -> list[str]:
    return [s for s, _ in sorted(table.items(), key=lambda kv: kv[1])]


@dataclass(frozen=True, slots=True)
class Batch:
    """Id arrays of a padded batch of sentences: ``(B, T)`` per categorical input, ``(B, T, MAX_CHARS)``
    characters, ``(B, T, N_FLAGS)`` flags and the ``(B, T)`` mask of real tokens."""

    words: IntArray
    cores: IntArray
    chars: IntArray
    gaz: IntArray
    shape: IntArray
    clitics: IntArray
    length: IntArray
    flags: FloatArray
    mask: npt.NDArray[np.bool_]


def make_batch(rows: Sequence[Sequence[TokenInput]], vocab: Vocabularies) -> Batch:
    """Pad ``rows`` (sentences of token inputs) into id arrays."""
    b, t = len(rows), max((len(r) for r in rows), default=0)
    words = np.zeros((b, t), np.int64)
    cores = np.zeros((b, t), np.int64)
    chars = np.zeros((b, t, MAX_CHARS), np.int64)
    gaz = np.zeros((b, t), np.int64)
    shape = np.zeros((b, t), np.int64)
    clitics = np.zeros((b, t), np.int64)
    length = np.zeros((b, t), np.int64)
    flags = np.zeros((b, t, N_FLAGS), np.float32)
    mask = np.zeros((b, t), np.bool_)
    for i, row in enumerate(rows):
        for j, tok in enumerate(row):
            words[i, j] = vocab.words.get(tok.norm, UNK)
            cores[i, j] = vocab.cores.get(tok.core, UNK)
            for k, ch in enumerate(tok.norm[:MAX_CHARS]):
                chars[i, j, k] = vocab.chars.get(ch, UNK)
            gaz[i, j] = tok.gaz + 1
            shape[i, j] = tok.shape + 1
            clitics[i, j] = vocab.clitics.get(tok.clitics, UNK)
            length[i, j] = tok.length + 1
            flags[i, j] = tok.flags
            mask[i, j] = True
    return Batch(words, cores, chars, gaz, shape, clitics, length, flags, mask)


@dataclass(frozen=True, slots=True)
class Tagged:
    """One sentence's Viterbi tags and its ``(tokens, len(TAGS))`` posterior tag probabilities."""

    tags: list[str]
    probs: FloatArray

    @property
    def entity_prob(self) -> list[float]:
        """P(inside an entity) per token."""
        return [float(p) for p in 1.0 - self.probs[:, 0]]

    def confidence(self, tags: Sequence[str]) -> list[float]:
        """The posterior probability of each of ``tags`` (e.g. after rules changed some)."""
        return [float(self.probs[i, TAGS.index(t)]) if t in TAGS else 0.0 for i, t in enumerate(tags)]


class NeuralTagger:
    """NumPy inference of the shipped model (``scripts/train_ner_neural.py`` writes it)."""

    def __init__(self, weights: Mapping[str, npt.NDArray[Any]], meta: Mapping[str, Any]) -> None:
        self.weights: dict[str, FloatArray] = {k: np.asarray(v, np.float32) for k, v in weights.items()}
        self.meta = dict(meta)
        self.vocab = Vocabularies.from_json(meta["vocab"])
        self.dilations: tuple[int, ...] = tuple(meta["config"]["dilations"])
        self.char_width: int = int(meta["config"]["char_kernel"])

    @classmethod
    def load(cls, path: Path) -> NeuralTagger:
        """The model in ``path`` (an ``.npz`` of float16 weights and a JSON ``meta`` entry)."""
        with np.load(path, allow_pickle=False) as data:
            weights = {k: data[k] for k in data.files if k != "meta"}
            meta: dict[str, Any] = json.loads(data["meta"].tobytes().decode("utf-8"))
        return cls(weights, meta)

    def emissions(self, batch: Batch) -> FloatArray:
        """``(B, T, len(TAGS))`` emission scores (the network before the decoder; 0 at padding).

        The real tokens of all sentences are laid end to end with ``max(dilations)`` zero rows before,
        between and after them, and every layer is a few 2-D matrix products over that one sequence;
        re-zeroing the gaps after each layer makes this exactly the per-sentence zero-padded convolution
        the model was trained with."""
        w = self.weights
        mask = batch.mask
        lengths = mask.sum(axis=1)
        gap = max(self.dilations, default=1)
        starts = gap + np.concatenate([[0], np.cumsum(lengths + gap)[:-1]]).astype(np.int64)
        pieces = [np.arange(a, a + n, dtype=np.int64) for a, n in zip(starts, lengths, strict=True)]
        pos = np.concatenate(pieces) if pieces else np.zeros(0, np.int64)
        size = int(lengths.sum()) + gap * (len(lengths) + 1)
        x = np.concatenate(
            [
                w["emb.words"][batch.words[mask]],
                w["emb.cores"][batch.cores[mask]],
                self._char_features(batch.chars[mask]),
                w["emb.gaz"][batch.gaz[mask]],
                w["emb.shape"][batch.shape[mask]],
                w["emb.clitics"][batch.clitics[mask]],
                w["emb.length"][batch.length[mask]],
                batch.flags[mask],
            ],
            axis=-1,
        )
        h = np.zeros((size, w["proj.bias"].shape[0]), np.float32)
        h[pos] = np.maximum(x @ w["proj.weight"].T + w["proj.bias"], 0.0)
        for i, d in enumerate(self.dilations):
            kernel = w[f"conv{i}.weight"]
            y = h[: size - 2 * d] @ kernel[:, :, 0].T
            y += h[d : size - d] @ kernel[:, :, 1].T
            y += h[2 * d :] @ kernel[:, :, 2].T
            y += w[f"conv{i}.bias"]
            h[pos] += np.maximum(y[pos - d], 0.0)
        out = np.zeros((*mask.shape, w["out.bias"].shape[0]), np.float32)
        out[mask] = h[pos] @ w["out.weight"].T + w["out.bias"]
        return out

    def _char_features(self, chars: IntArray) -> FloatArray:
        """``(N, filters)``: max over positions of a width-``char_width`` convolution over the character
        embeddings of each of N words (``chars`` is ``(N, MAX_CHARS)``, 0 = no character)."""
        w = self.weights
        n, c = chars.shape
        emb = w["emb.chars"][chars]  # (N, C, E)
        k = self.char_width
        pad = k // 2
        padded = np.zeros((n, c + 2 * pad, emb.shape[2]), np.float32)
        padded[:, pad : pad + c] = emb
        kernel = w["char.weight"]  # (F, E, k) as torch Conv1d
        flat = padded.reshape(n * (c + 2 * pad), -1)
        out = np.zeros((n, c, kernel.shape[0]), np.float32)
        for j in range(k):
            full = (flat @ kernel[:, :, j].T).reshape(n, c + 2 * pad, -1)
            out += full[:, j : j + c]
        out += w["char.bias"]
        out = np.where((chars != PAD)[..., None], np.maximum(out, 0.0), 0.0)
        result: FloatArray = out.max(axis=1) if c else np.zeros((n, kernel.shape[0]), np.float32)
        return result

    def tag(self, batch: Batch) -> list[Tagged]:
        """Viterbi tags and CRF marginals of every sentence of the batch."""
        logits = self.emissions(batch)
        scores = logits - _logsumexp(logits, axis=-1)[..., None]  # log-softmax (a CRF is unchanged by it)
        lengths = batch.mask.sum(axis=1)
        crf = (self.weights["crf.trans"], self.weights["crf.start"], self.weights["crf.end"])
        paths = viterbi(scores, lengths, *crf)
        marg = marginals(scores, lengths, *crf)
        out: list[Tagged] = []
        for i, n in enumerate(lengths.tolist()):
            out.append(Tagged([TAGS[j] for j in paths[i, :n].tolist()], marg[i, :n]))
        return out

    def tag_document(self, sentences: Sequence[Sequence[str]]) -> list[Tagged]:
        """Tags and marginals of every sentence of one document (empty sentences give empty results)."""
        rows = token_inputs(sentences)
        real = [i for i, r in enumerate(rows) if r]
        tagged = self.tag(make_batch([rows[i] for i in real], self.vocab)) if real else []
        out = [Tagged([], np.zeros((0, len(TAGS)), np.float32)) for _ in rows]
        for i, t in zip(real, tagged, strict=True):
            out[i] = t
        return out


def viterbi(
    scores: FloatArray, lengths: IntArray, trans: FloatArray, start: FloatArray, end: FloatArray
) -> IntArray:
    """Best tag path per sentence of a padded batch (positions past a sentence's length are 0)."""
    b, t, k = scores.shape
    paths = np.zeros((b, t), np.int64)
    if t == 0:
        return paths
    best = start + scores[:, 0]
    back = np.zeros((b, t, k), np.int64)
    for i in range(1, t):
        cand = best[:, :, None] + trans[None]  # (B, from, to)
        arg = cand.argmax(axis=1)
        new = np.take_along_axis(cand, arg[:, None, :], axis=1)[:, 0] + scores[:, i]
        live = (i < lengths)[:, None]
        best = np.where(live, new, best)
        back[:, i] = np.where(live, arg, np.arange(k)[None])
    final = best + end
    last = final.argmax(axis=1)
    for s in range(b):
        n = int(lengths[s])
        tag = int(last[s])
        for i in range(n - 1, -1, -1):
            paths[s, i] = tag
            tag = int(back[s, i, tag])
    return paths


def _logsumexp(x: FloatArray, axis: int) -> FloatArray:
    m = x.max(axis=axis, keepdims=True)
    out: FloatArray = (np.log(np.exp(x - m).sum(axis=axis, keepdims=True)) + m).squeeze(axis)
    return out


def marginals(
    scores: FloatArray, lengths: IntArray, trans: FloatArray, start: FloatArray, end: FloatArray
) -> FloatArray:
    """``(B, T, K)`` posterior tag probabilities per token (forward-backward in log space)."""
    b, t, k = scores.shape
    if t == 0:
        return np.zeros((b, 0, k), np.float32)
    alpha = np.zeros((b, t, k), np.float32)
    beta = np.zeros((b, t, k), np.float32)
    alpha[:, 0] = start + scores[:, 0]
    for i in range(1, t):
        alpha[:, i] = _logsumexp(alpha[:, i - 1][:, :, None] + trans[None], axis=1) + scores[:, i]
    last = np.asarray(lengths) - 1
    beta[np.arange(b), last] = end
    for i in range(t - 2, -1, -1):
        step = _logsumexp(trans[None] + (scores[:, i + 1] + beta[:, i + 1])[:, None, :], axis=2)
        inside = (i < last)[:, None]
        beta[:, i] = np.where(inside, step, beta[:, i])
    z = _logsumexp(alpha[np.arange(b), last] + end, axis=1)
    post = np.exp(alpha + beta - z[:, None, None])
    post *= (np.arange(t)[None] < np.asarray(lengths)[:, None])[..., None]
    result: FloatArray = post.astype(np.float32)
    return result
