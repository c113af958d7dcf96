"""Named entities (persons, organizations, places) of an article, with aliases resolved.

Contract
--------
* :func:`extract_entities` returns every mention as a frozen :class:`Entity` in text order, with
  ``text[start:end]`` the mention as written minus a leading one-letter proclitic (و ف ب ل ك) when that can
  be cut off in the surface; ``name`` is the mention with the proclitic removed (``للصليب`` -> ``الصليب``)
  and ``canonical`` the entity's canonical name (:mod:`naba.enrich.aliases`). Within one text, a one-word
  person mention that is the first or last word of a longer person mention takes that longer canonical name.
* Swappable: anything with ``extract(text) -> list[Entity]`` is an :class:`EntityExtractor`; the shipped ones
  are :class:`NeuralEntityExtractor` (``scripts/train_ner_neural.py``, NumPy at run time),
  :class:`EnsembleEntityExtractor` (both models' posteriors averaged) and, the default (:data:`DEFAULT_MODEL`),
  :class:`CrfEntityExtractor`, the CRF trained by ``scripts/train_ner.py`` on NewsFANE (CC BY-SA 3.0, see
  ``naba/data/NER-MODEL-LICENSE.md``) plus general rules (gazetteer backoff, organization/place head words, names after titles).
* No model or data is downloaded: the model and its word clusters ship in ``naba/data/``.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final, Literal, Protocol

import numpy as np
import numpy.typing as npt
import pycrfsuite
from threadpoolctl import ThreadpoolController

from naba.enrich import gazetteers as gz
from naba.enrich.aliases import AliasResolver
from naba.enrich.ner_features import (
    FirstPass,
    document_context,
    gazetteer_marks,
    sentence_features,
    spans,
    stack_features,
    with_stacked,
    word_forms,
)
from naba.enrich.ner_neural import TAGS as NEURAL_TAGS
from naba.enrich.ner_neural import NeuralTagger, viterbi
from naba.text.normalize import fold_key, normalize
from naba.text.stopwords import STOPWORDS
from naba.text.tokenize import TOKEN_RE

EntityKind = Literal["PER", "LOC", "ORG"]
MODEL_FILE: Final = "ner-crf.crfsuite"
NEURAL_MODEL_FILE: Final = "ner-neural.npz"  # scripts/train_ner_neural.py (naba.enrich.ner_neural)
# Which tagger extract_entities uses (one of MODELS; eval/ner.py --peers scores all of them in one run).
# Measured (eval/ner.py --model crf --peers --blind, micro-F1 NewsFANE dev / blind SaudiNewsNet): crf 0.7255 /
# 0.5417, neural 0.6452 / 0.4863, ensemble 0.7102 / 0.5476. The neural tagger alone is below the CRF on both
# and the ensemble is not ahead on both, so the CRF stays the default.
DEFAULT_MODEL: Final = "crf"
SECOND_MODEL_FILE: Final = "ner-crf2.crfsuite"  # the stacked second pass (ner_features.stack_features)
CLUSTERS_FILE: Final = "ner-clusters.tsv"
# Words and numbers as naba's tokenizer finds them; any other non-space character is a token of its own.
# Line breaks are matched too: they end a sentence.
_TOKEN_RE: Final = re.compile(TOKEN_RE.pattern + r"|(?P<punct>\S)|(?P<nl>\n)")
_CLITIC_LETTERS: Final = "وفبلك"
MIN_PROPAGATED_LEN: Final = 3  # shorter cores are too often function words or initials
# Document propagation (see _propagate): the source mention's tokens must have at least this marginal
# probability for their tag, and the other occurrence at least this probability of being inside an entity.
# Measured inside the 90% training part (train on its first 80%, score its last 20%, with rules): micro-F1
# 0.6735 without propagation; 0.6833 (P 0.769, R 0.615) unconstrained; 0.6816 at confidence 0.7; 0.6740 at
# 0.9. Unconstrained and 0.7 spread one model error over a whole real page (the seed page's label line
# "كلمات دلالية: إطلاق سراح" tagged PER made every "سراح" a person), so the shipped value favours
# precision on live text over a point of F1 on NewsFANE.
PROPAGATION_MIN_CONFIDENCE: Final = 0.9
PROPAGATION_MIN_ENTITY_PROB: Final = 0.0
_SENTENCE_END: Final = frozenset(".!?؟\n")
_MAX_SENTENCE_TOKENS: Final = (
    200  # longer runs without a full stop are cut (crfsuite is linear, this bounds memory)
)


@dataclass(frozen=True, slots=True)
class Entity:
    """One mention: ``name`` as written (proclitic removed), its ``canonical`` name, kind and offsets."""

    name: str
    canonical: str
    kind: EntityKind
    start: int
    end: int


class EntityExtractor(Protocol):
    """Anything that finds entities in a text (the CRF here; another model can be injected)."""

    def extract(self, text: str) -> list[Entity]: ...


DATA_DIR: Final = Path(__file__).resolve().parent.parent / "data"  # naba/data, inside the wheel


def _data_path(name: str) -> Path:
    return DATA_DIR / name


def load_clusters(path: Path) -> dict[str, str]:
    """The word -> cluster table written by ``scripts/train_ner.py``."""
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, cluster = line.partition("\t")
        if cluster:
            table[word] = cluster
    return table


class _DocumentTagger:
    """What both taggers share: text -> sentences -> BIO tags (``tag_document``) -> entities."""

    _resolver: AliasResolver

    def tag_document(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        raise NotImplementedError

    def extract(self, text: str) -> list[Entity]:
        found: list[Entity] = []
        sentences = _sentences(text)
        seen = {normalize(surface) for sentence in sentences for surface, _, _ in sentence}
        all_tags = self.tag_document([[surface for surface, _, _ in sentence] for sentence in sentences])
        for sentence, tags in zip(sentences, all_tags, strict=True):
            for first, last, kind in sorted(spans(tags)):
                found.append(self._entity(text, sentence[first:last], kind, seen))
        return _link_person_mentions(found)

    def _entity(self, text: str, toks: Sequence[tuple[str, int, int]], kind: str, seen: set[str]) -> Entity:
        start, end = toks[0][1], toks[-1][2]
        cut, restore = _proclitic_cut(toks[0][0], seen)
        name = restore + " ".join(text[start + cut : end].split())
        return Entity(name, self._resolver.canonical(name), _KINDS[kind], start + cut, end)


@lru_cache(maxsize=1)
def _single_thread_blas() -> None:
    """Limit BLAS to one thread in this process (once). The network's matrix products are small (one
    article at a time): with OpenBLAS's default of a thread per core they took 5x the CPU time and 3x the
    wall time of one thread on the 2-core machine (measured on 40 SaudiNewsNet articles), and naba already
    spreads articles over worker processes."""
    ThreadpoolController().limit(limits=1, user_api="blas")


class NeuralEntityExtractor(_DocumentTagger):
    """The shipped neural tagger (:mod:`naba.enrich.ner_neural`, NumPy) with the same rules, document
    propagation and alias resolution as the CRF."""

    def __init__(
        self, model: Path | None = None, resolver: AliasResolver | None = None, use_rules: bool = True
    ) -> None:
        self._model = NeuralTagger.load(model or _data_path(NEURAL_MODEL_FILE))
        self._resolver = resolver or AliasResolver()
        self._use_rules = use_rules
        _single_thread_blas()

    def tag_document(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags of every sentence of one document: the network over the whole document, the rules per
        sentence, then confident names propagated as for the CRF (:func:`_propagate`)."""
        tagged: list[_Tagged] = []
        for tokens, t in zip(sentences, self._model.tag_document(sentences), strict=True):
            entity_prob = t.entity_prob
            tags = apply_rules(tokens, t.tags, entity_prob) if self._use_rules and tokens else t.tags
            tagged.append(_Tagged(tags, entity_prob, t.confidence(tags)))
        return _propagate(sentences, tagged)


class EnsembleEntityExtractor(_DocumentTagger):
    """The neural tagger and the CRF together: their per-token tag posteriors averaged with equal weights
    (fixed, not tuned), decoded by Viterbi under the BIO constraints, then the same rules, document
    propagation and alias resolution."""

    def __init__(self, resolver: AliasResolver | None = None, use_rules: bool = True) -> None:
        self._neural = NeuralTagger.load(_data_path(NEURAL_MODEL_FILE))
        _single_thread_blas()
        self._crf = pycrfsuite.Tagger()
        self._crf.open(str(_data_path(MODEL_FILE)))
        self._labels = frozenset(self._crf.labels())
        self._clusters = load_clusters(_data_path(CLUSTERS_FILE))
        self._resolver = resolver or AliasResolver()
        self._use_rules = use_rules
        self._lock = threading.Lock()

    def _crf_probs(self, tokens: Sequence[str], doc: Mapping[str, frozenset[str]]) -> npt.NDArray[np.float32]:
        feats = sentence_features(tokens, self._clusters, doc)
        with self._lock:  # a crfsuite tagger holds one sentence at a time
            self._crf.set(feats)
            rows = [
                [self._crf.marginal(t, i) if t in self._labels else 0.0 for t in NEURAL_TAGS]
                for i in range(len(tokens))
            ]
        return np.asarray(rows, np.float32)

    def tag_document(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        doc = document_context(sentences)
        w = self._neural.weights
        tagged: list[_Tagged] = []
        for tokens, t in zip(sentences, self._neural.tag_document(sentences), strict=True):
            if not tokens:
                tagged.append(_Tagged([], [], []))
                continue
            probs = (self._crf_probs(tokens, doc) + t.probs) / 2
            logp = np.log(np.maximum(probs, 1e-9))[None]
            path = viterbi(logp, np.array([len(tokens)]), w["crf.trans"], w["crf.start"], w["crf.end"])[0]
            tags = [NEURAL_TAGS[j] for j in path.tolist()]
            entity_prob = [float(p) for p in 1.0 - probs[:, 0]]
            if self._use_rules:
                tags = apply_rules(tokens, tags, entity_prob)
            confidence = [
                float(probs[i, NEURAL_TAGS.index(x)]) if x in NEURAL_TAGS else 0.0 for i, x in enumerate(tags)
            ]
            tagged.append(_Tagged(tags, entity_prob, confidence))
        return _propagate(sentences, tagged)


class CrfEntityExtractor(_DocumentTagger):
    """The CRF tagger with gazetteer and title rules, and alias resolution."""

    def __init__(
        self,
        model: Path | None = None,
        clusters: Path | None = None,
        resolver: AliasResolver | None = None,
        use_rules: bool = True,
        second_model: Path | None = None,
    ) -> None:
        """``model``/``second_model``: the first-pass and the stacked second-pass CRF (default: the shipped
        pair; an explicit ``model`` without ``second_model`` runs that model alone)."""
        if model is None and second_model is None and _data_path(SECOND_MODEL_FILE).exists():
            second_model = _data_path(SECOND_MODEL_FILE)
        self._first: pycrfsuite.Tagger | None = None
        self._tagger = pycrfsuite.Tagger()
        if second_model is not None:
            self._first = pycrfsuite.Tagger()
            self._first.open(str(model or _data_path(MODEL_FILE)))
            self._tagger.open(str(second_model))
        else:
            self._tagger.open(str(model or _data_path(MODEL_FILE)))
        self._clusters = load_clusters(clusters or _data_path(CLUSTERS_FILE))
        self._resolver = resolver or AliasResolver()
        self._use_rules = use_rules
        self._lock = threading.Lock()
        self._labels = frozenset(self._tagger.labels())

    def tag_tokens(self, tokens: Sequence[str], doc: Mapping[str, frozenset[str]] | None = None) -> list[str]:
        """BIO tags (``B-PER`` ...) of one tokenized sentence: the model, then the rules.

        ``doc`` is :func:`naba.enrich.ner_features.document_context` of the sentence's whole text.
        """
        features = [sentence_features(tokens, self._clusters, doc)]
        if self._first is not None:
            features = self._second_pass_features([tokens], features)
        return self._tag(tokens, features[0]).tags

    def _second_pass_features(
        self, sentences: Sequence[Sequence[str]], features: Sequence[list[list[str]]]
    ) -> list[list[list[str]]]:
        """Each sentence's features plus the second-pass attributes from the first-pass model's output over
        the whole document."""
        assert self._first is not None
        with self._lock:
            first: list[FirstPass] = [
                first_pass_output(self._first, feats) if feats else [] for feats in features
            ]
        stacked = stack_features(sentences, first)
        return [with_stacked(feats, extra) for feats, extra in zip(features, stacked, strict=True)]

    def _tag(self, tokens: Sequence[str], features: Sequence[Sequence[str]]) -> _Tagged:
        if not tokens:
            return _Tagged([], [], [])
        with self._lock:  # a crfsuite tagger keeps the last sentence's lattice: one caller at a time
            tags = list(self._tagger.tag(features))
            entity_prob = [1.0 - self._tagger.marginal("O", i) for i in range(len(tokens))]
            if self._use_rules:
                tags = apply_rules(tokens, tags, entity_prob)
            confidence = [
                self._tagger.marginal(t, i) if t in self._labels else 0.0 for i, t in enumerate(tags)
            ]
        return _Tagged(tags, entity_prob, confidence)

    def tag_document(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags of every sentence of one document: document context, the model and the rules per
        sentence, then confident names of the document tagged wherever the model nearly found them too."""
        doc = document_context(sentences)
        # Featured once: the second pass reads the first pass's features plus its own attributes.
        features = [sentence_features(tokens, self._clusters, doc) if tokens else [] for tokens in sentences]
        if self._first is not None:
            features = self._second_pass_features(sentences, features)
        return _propagate(
            sentences, [self._tag(tokens, feats) for tokens, feats in zip(sentences, features, strict=True)]
        )


def first_pass_output(tagger: pycrfsuite.Tagger, feats: Sequence[Sequence[str]]) -> FirstPass:
    """Per token of one sentence: the first-pass tag, P(inside an entity) and P(kind) by kind."""
    tags = list(tagger.tag(feats))
    labels = set(tagger.labels())
    out: FirstPass = []
    for i, tag in enumerate(tags):
        kinds = {
            k: sum(tagger.marginal(p + k, i) for p in ("B-", "I-") if p + k in labels)
            for k in ("PER", "LOC", "ORG")
        }
        out.append((tag, 1.0 - tagger.marginal("O", i), kinds))
    return out


def _proclitic_cut(first: str, seen: set[str]) -> tuple[int, str]:
    """(characters to cut from the first word, letters to put back) for a leading proclitic.

    A proclitic is cut when what is left has the article (والولايات), is a known name (لحماس), or occurs
    on its own elsewhere in the text (وبوتين next to بوتين); ``لل`` + word gets the article's alef back.
    A diacritic on a cut letter goes with it.
    """
    norm, article, _core, clitics = word_forms(first)
    if clitics and len(norm) > len(clitics):
        rest = norm[len(clitics) :]
        if rest.startswith("ال"):
            return _surface_index(first, len(clitics)), ""
        if article.startswith("ال") and rest.startswith("ل"):
            return _surface_index(first, len(clitics)), "ا"  # لل + word: the article's alef is not written
    if len(norm) > 3 and norm[0] in _CLITIC_LETTERS:
        rest = norm[1:]
        known = rest in gz.PHRASES or rest in gz.FIRST_NAMES
        if known or (len(rest) >= 4 and rest in seen):
            return _surface_index(first, 1), ""
    return 0, ""


def _surface_index(surface: str, letters: int) -> int:
    """Index in ``surface`` just after its first ``letters`` base letters and the marks that follow them."""
    i = 0
    for _ in range(letters):
        i += 1
        while i < len(surface) and (unicodedata.combining(surface[i]) or surface[i] == "\u0640"):
            i += 1
    return i


_KINDS: Final[dict[str, EntityKind]] = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}


@dataclass(frozen=True, slots=True)
class _Tagged:
    """One sentence's tags, each token's model probability of being inside an entity, and the model's
    marginal probability of the tag it got."""

    tags: list[str]
    entity_prob: list[float]
    confidence: list[float]


def _propagate(sentences: Sequence[Sequence[str]], tagged: Sequence[_Tagged]) -> list[list[str]]:
    """Tag other occurrences of a confidently found one-word name, or of a person's last name (used alone
    later on), with its majority kind, where the model itself gives the occurrence some chance of being a
    name. Calibration: see :data:`PROPAGATION_MIN_CONFIDENCE`.
    """
    memory: dict[str, Counter[str]] = {}
    full_forms: set[tuple[str, str]] = set()  # (word before the last name, last name) of full names
    for tokens, sent in zip(sentences, tagged, strict=True):
        for first, last, kind in spans(sent.tags):
            sure = min(sent.confidence[first:last]) >= PROPAGATION_MIN_CONFIDENCE
            if sure and (last - first == 1 or kind == "PER"):
                core = word_forms(tokens[last - 1])[2]
                memory.setdefault(core, Counter())[kind] += 1
                if last - first > 1:
                    full_forms.add((word_forms(tokens[last - 2])[2], core))
    out: list[list[str]] = []
    for tokens, sent in zip(sentences, tagged, strict=True):
        new = list(sent.tags)
        for i, token in enumerate(tokens):
            norm, _article, core, _clitics = word_forms(token)
            if new[i] != "O" or core not in memory or len(core) < MIN_PROPAGATED_LEN or norm in STOPWORDS:
                continue
            if sent.entity_prob[i] < PROPAGATION_MIN_ENTITY_PROB:
                continue
            if i and (word_forms(tokens[i - 1])[2], core) in full_forms:
                continue  # the whole name again, which the model saw in full and declined
            kind = memory[core].most_common(1)[0][0]
            inside = i > 0 and new[i - 1][2:] == kind
            new[i] = ("I-" if inside else "B-") + kind
        out.append(new)
    return out


def sentence_tokens(text: str) -> list[list[tuple[str, int, int]]]:
    """Tokens ``(surface, start, end)`` of ``text`` grouped into sentences, as the taggers read them."""
    return _sentences(text)


def _sentences(text: str) -> list[list[tuple[str, int, int]]]:
    """Tokens ``(surface, start, end)`` grouped into sentences (a full stop or a line break ends one)."""
    out: list[list[tuple[str, int, int]]] = []
    current: list[tuple[str, int, int]] = []
    for m in _TOKEN_RE.finditer(text):
        surface = m.group()
        if surface != "\n":
            current.append((surface, m.start(), m.end()))
        if surface in _SENTENCE_END or len(current) >= _MAX_SENTENCE_TOKENS:
            if current:
                out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _link_person_mentions(entities: list[Entity]) -> list[Entity]:
    """A one-word person mention takes the canonical name of a longer person mention it is part of."""
    longer = [e.canonical for e in entities if e.kind == "PER" and " " in e.canonical]
    out: list[Entity] = []
    for e in entities:
        if e.kind == "PER" and " " not in e.canonical:
            match = [c for c in longer if e.canonical in (c.split()[0], c.split()[-1])]
            if len(set(match)) == 1:
                e = Entity(e.name, match[0], e.kind, e.start, e.end)
        out.append(e)
    return out


# --- rules applied after the model (general patterns of news Arabic; gazetteers of general knowledge) -------
# Heads that open an organization name when followed by words with the article (وزارة الخارجية الروسية).
RULE_ORG_HEADS: Final = frozenset(fold_key(w) for w in ("وزارة", "حركة", "حزب", "منظمة", "هيئة", "وكالة"))
# Heads of a place or crossing followed by its name (معبر رفح، مطار القاهرة).
RULE_LOC_HEADS: Final = frozenset(fold_key(w) for w in ("معبر", "مطار", "ميناء", "مخيم"))
NAME_PARTICLES: Final = frozenset(fold_key(w) for w in ("بن", "ابن", "أبو", "عبد", "بنت"))
MAX_MODIFIERS: Final = 3  # words with the article between a title and the name (الرئيس الروسي ...)
MAX_ORG_WORDS: Final = 4
# A rule fires only where the model gives its first token at least this probability of being inside an
# entity (1 - marginal of O). Measured inside the 90% training part (train on its first 80%, score its last
# 20%): micro-F1 0.6645 without rules, 0.6526 with ungated rules, 0.6618 at 0.1, 0.6643 at 0.3. NewsFANE
# marks facilities and many titles differently from what readers want (معبر رفح is MISC there), so the rules
# cost a little on it; 0.1 keeps well-known names in short texts (0.3 loses "للصليب الأحمر" in a one-line
# text).
RULE_MIN_ENTITY_PROB: Final = 0.1


def apply_rules(
    tokens: Sequence[str],
    tags: list[str],
    entity_prob: Sequence[float],
    min_prob: float = RULE_MIN_ENTITY_PROB,
) -> list[str]:
    """Model tags corrected and completed by general rules, in order:

    1. punctuation at span edges and name introducers (يدعى) are cut off;
    2. gazetteer names the model left ``O`` are tagged (one-word names only where the model gives them at
       least ``min_prob`` of being inside an entity); a span that ran into a listed name is cut to it;
    3. organization and place heads: ``وزارة الخارجية الروسية``, ``معبر`` + the place the model found;
    4. up to two name words after a title or introducer (``الرئيس الروسي فلاديمير بوتين``), where the model
       gives the first name word at least ``min_prob``.
    """
    likely = [p >= min_prob for p in entity_prob]
    out = _trim_spans(tokens, tags)
    model_spans = spans(out)
    for first, last, kind in sorted(spans(gazetteer_marks(tokens))):
        specific = last - first > 1  # a listed name of several words is not a common phrase (الصليب الأحمر)
        if all(t == "O" for t in out[first:last]) and (specific or likely[first]):
            out[first:last] = [f"B-{kind}"] + [f"I-{kind}"] * (last - first - 1)
        elif specific and any(a < first and b == last and k == kind for a, b, k in model_spans):
            # the model ran a listed name into the words before it (المرأتان للصليب الأحمر): cut them off
            a = next(a for a, b, k in model_spans if a < first and b == last and k == kind)
            out[a:first] = ["O"] * (first - a)
            out[first] = f"B-{kind}"
    forms = [word_forms(t)[1] for t in tokens]
    for i, form in enumerate(forms):
        if form in RULE_ORG_HEADS:
            _head_span(out, forms, i, "ORG", likely[i])
        elif form in RULE_LOC_HEADS:
            _head_span(out, forms, i, "LOC", likely[i], max_words=1, need_article=False)
        elif form in gz.TITLES or form in gz.INTRODUCERS:
            _title_person(out, forms, i, likely)
    return out


def _trim_spans(tokens: Sequence[str], tags: Sequence[str]) -> list[str]:
    """Punctuation at the edges of a span, and a name introducer (يدعى) at its start, are not the name."""
    out = list(tags)
    for first, last, kind in spans(tags):
        a, b = first, last
        while a < b and (_is_punct(tokens[a]) or word_forms(tokens[a])[1] in gz.INTRODUCERS):
            a += 1
        while b > a and _is_punct(tokens[b - 1]):
            b -= 1
        if (a, b) != (first, last):
            out[first:last] = ["O"] * (last - first)
            out[a:b] = [f"B-{kind}"] + [f"I-{kind}"] * (b - a - 1) if b > a else []
    return out


def _is_punct(token: str) -> bool:
    return not any(c.isalnum() for c in token)


def _is_word(form: str) -> bool:
    return len(form) >= 2 and form.isalpha() and form not in STOPWORDS


def _head_span(
    tags: list[str],
    forms: Sequence[str],
    i: int,
    kind: str,
    likely: bool,
    max_words: int = MAX_ORG_WORDS,
    need_article: bool = True,
) -> None:
    """Head + following name words: joins the head to a name the model found right after it (معبر رفح);
    if ``likely``, also makes a new span or extends the model's span over following article words."""
    if tags[i] == "O" and i + 1 < len(forms) and tags[i + 1] == f"B-{kind}":
        tags[i + 1] = f"I-{kind}"
        tags[i] = f"B-{kind}"
        return
    if not likely and tags[i] != f"B-{kind}":
        return
    j = i + 1
    while j < len(forms) and j - i <= max_words and _is_word(forms[j]):
        if need_article and not forms[j].startswith("ال"):
            break
        if tags[j] != "O" and not tags[j].endswith(kind):
            break
        j += 1
    if j - i < 2:
        return
    if (tags[i] == "O" and all(t == "O" for t in tags[i + 1 : j])) or tags[i] == f"B-{kind}":
        tags[i:j] = [f"B-{kind}"] + [f"I-{kind}"] * (j - i - 1)


def _name_word(form: str, tag: str) -> bool:
    return _is_word(form) and form not in gz.TITLES and tag == "O" and form not in gz.PHRASES


def _title_person(tags: list[str], forms: Sequence[str], i: int, likely: Sequence[bool]) -> None:
    """``الرئيس الروسي فلاديمير بوتين``, ``يدعى رون كريفوي``: up to two name words after a title."""
    j = i + 1
    while j < len(forms) and j - i <= MAX_MODIFIERS and forms[j].startswith("ال") and tags[j] == "O":
        if forms[j] in gz.FIRST_NAMES:
            break
        j += 1
    if (
        j >= len(forms)
        or not likely[j]
        or not _name_word(forms[j], tags[j])
        or any(t != "O" for t in tags[i + 1 : j])
    ):
        return
    if forms[j].startswith("ال") and forms[j] not in gz.FIRST_NAMES:
        return
    end = j + 1
    while (
        end < len(forms)
        and end - j < 2 + (forms[end - 1] in NAME_PARTICLES)
        and _name_word(forms[end], tags[end])
        and not _is_nisba(forms[end])
    ):
        end += 1
    tags[j:end] = ["B-PER"] + ["I-PER"] * (end - j - 1)


def _is_nisba(form: str) -> bool:
    return form.startswith("ال") and form.endswith(("ي", "يه", "يون", "يين"))


AnyExtractor = CrfEntityExtractor | NeuralEntityExtractor | EnsembleEntityExtractor
MODELS: Final = ("neural", "crf", "ensemble")


def make_extractor(model: str = DEFAULT_MODEL, use_rules: bool = True) -> AnyExtractor:
    """A tagger by name (one of :data:`MODELS`)."""
    if model == "neural":
        return NeuralEntityExtractor(use_rules=use_rules)
    if model == "crf":
        return CrfEntityExtractor(use_rules=use_rules)
    if model == "ensemble":
        return EnsembleEntityExtractor(use_rules=use_rules)
    raise ValueError(f"unknown entity model {model!r} (one of {', '.join(MODELS)})")


@lru_cache(maxsize=1)
def default_extractor() -> AnyExtractor:
    """The shared default extractor (the model is loaded once per process)."""
    return make_extractor()


def extract_entities(text: str, extractor: EntityExtractor | None = None) -> list[Entity]:
    """Entities of ``text`` in text order (see the module contract)."""
    return (extractor or default_extractor()).extract(text)
