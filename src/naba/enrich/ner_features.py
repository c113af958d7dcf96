"""Token features for the CRF entity tagger, and the NewsFANE corpus reader they are trained on.

Contract
--------
* :func:`sentence_features` turns a list of token surfaces into one list of string attributes per token;
  the training script (``scripts/train_ner.py``), the evaluation (``eval/ner.py``) and the runtime tagger
  (:mod:`naba.enrich.entities`) all call it, so features can never drift between training and use.
* Features: the normalized word, its clitic-free forms and stem (naba's normalization and stemmer), affixes,
  shape, gazetteer marks (:mod:`naba.enrich.gazetteers`), word clusters learned from the training text only,
  the same for a window of two tokens on each side, and document marks (:func:`document_context`: how the
  word is used elsewhere in the same document; training text, which has no document marks, uses blocks of
  :data:`DOC_SENTENCES` sentences).
* :func:`read_newsfane` reads the NewsFANE BIO file (U+200E and BOM stripped, a ``.`` token ends a sentence)
  with fine classes mapped to coarse ``PER``/``LOC``/``ORG`` (others dropped to ``O``), and
  :func:`split_newsfane` cuts it into the first 90% (training and tuning) and the last 10% (evaluation only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Final

from naba.enrich import gazetteers as gz
from naba.text.normalize import normalize, normalize_for_stemming
from naba.text.stem import ArabicStemmer

Sentence = list[tuple[str, str]]  # (token, coarse BIO tag)

COARSE: Final[dict[str, str]] = {
    **dict.fromkeys(
        (
            "Politician",
            "Athlete",
            "Artist",
            "Other_PER",
            "Religious_PER",
            "Scientist",
            "Businessperson",
            "Lawyer",
            "Engineer",
        ),
        "PER",
    ),
    **dict.fromkeys(
        (
            "Nation",
            "Population-Center",
            "State-or-Province",
            "GPE-Cluster",
            "County-or-District",
            "Continent",
            "Water-Body",
            "Land",
            "Land-Region-Natural",
            "Celestial",
        ),
        "LOC",
    ),
    **dict.fromkeys(
        (
            "Non-Governmental",
            "Government",
            "Group",
            "Media",
            "Sports",
            "Commercial",
            "Educational",
            "Police",
            "Religious_ORG",
            "Medical-Science",
            "Entertainment",
        ),
        "ORG",
    ),
}
EVAL_SHARE: Final = 0.10  # the last 10% of the file's tokens (cut at a sentence end) is never trained on
_STRIP_CHARS: Final = "\u200e\ufeff"
_CONJUNCTIONS: Final = ("و", "ف")
_PREPOSITIONS: Final = ("ب", "ل", "ك")
_WINDOW: Final = (-2, -1, 1, 2)
_CLITIC_LETTERS: Final = "وفبلك"
_LEXICON: Final = frozenset(
    {w for p in gz.PHRASES for w in p.split()}
    | gz.FIRST_NAMES
    | gz.TITLES
    | gz.INTRODUCERS
    | gz.ORG_HEADS
    | gz.LOC_HEADS
)
# The NewsFANE text has no document marks: blocks of this many sentences stand in for articles (ANERcorp
# averages about 15 sentences an article; with the model trained on blocks of 10, decoding the dev part in
# blocks of 15 measured 0.686 micro-F1 against 0.689 for 10, and smaller blocks stay inside one article).
DOC_SENTENCES: Final = 10
_SAYING_VERBS: Final = frozenset(
    normalize(w) for w in ("قال", "قالت", "اعلن", "اعلنت", "اكد", "اكدت", "اضاف")
)
_stemmer = ArabicStemmer()
# Optional feature groups (train_ner.py --features; the shipped set is FEATURES). Kept switchable so the
# cross-validation in scripts/train_ner.py can measure each group.
EXTRA: set[str] = {"names"}
_NAME_PARTICLES: Final = frozenset(
    normalize(w) for w in ("بن", "ابن", "أبو", "ابو", "آل", "عبد", "بنت", "ولد")
)
_FOREIGN_ENDINGS: Final = (
    "وف",
    "يف",
    "وفا",
    "يفا",
    "سكي",
    "سكا",
    "فيتش",
    "يتش",
    "شتاين",
    "برج",
    "بورغ",
    "ون",
    "وس",
    "يس",
    "يو",
    "ز",
)
STATS_PREFIX: Final = "@"  # clusters-table keys holding corpus statistics of a core word (see train_ner.py)


def coarse_tag(tag: str) -> str:
    """``B-Politician`` -> ``B-PER``; classes outside PER/LOC/ORG -> ``O``."""
    if tag in ("", "O") or "-" not in tag:
        return "O"
    prefix, fine = tag.split("-", 1)
    kind = COARSE.get(fine)
    return f"{prefix}-{kind}" if kind else "O"


def read_newsfane(path: Path) -> list[Sentence]:
    """Sentences of a NewsFANE-format file with coarse tags (lines with an empty token are skipped).

    The other named classes (books, buildings, events ...) become ``O``. Training them as a class of their
    own (MISC, dropped at output) measured no better: 3-fold CV inside the 90%, tagger micro-F1 0.6996
    against 0.7006.
    """
    sentences: list[Sentence] = []
    current: Sentence = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        token, _, tag = raw.strip(_STRIP_CHARS).partition("\t")
        token = token.replace("\u200e", "").strip()
        if not token:
            continue
        current.append((token, coarse_tag(tag.strip())))
        if token == ".":
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return _repair_bio(sentences)


def _repair_bio(sentences: list[Sentence]) -> list[Sentence]:
    """An ``I-X`` after ``O`` or another type (left by dropping fine classes) starts an entity: ``B-X``."""
    out: list[Sentence] = []
    for sent in sentences:
        fixed: Sentence = []
        prev = "O"
        for token, tag in sent:
            if tag.startswith("I-") and prev[2:] != tag[2:]:
                tag = "B-" + tag[2:]
            fixed.append((token, tag))
            prev = tag
        out.append(fixed)
    return out


def split_newsfane(sentences: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """(first 90% of tokens, last 10%), cut at the first sentence end at or after 90% of the tokens."""
    total = sum(len(s) for s in sentences)
    limit = total * (1 - EVAL_SHARE)
    seen = 0
    for i, sent in enumerate(sentences):
        seen += len(sent)
        if seen >= limit:
            return sentences[: i + 1], sentences[i + 1 :]
    return sentences, []


def spans(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """Entity spans ``(start, end, kind)`` (token indices, end exclusive) of a BIO sequence."""
    found: set[tuple[int, int, str]] = set()
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if tag.startswith("I-") and tag[2:] == kind and start >= 0:
            continue
        if start >= 0:
            found.add((start, i, kind))
            start, kind = -1, ""
        if tag != "O":
            start, kind = i, tag[2:]
    return found


@lru_cache(maxsize=200_000)
def word_forms(token: str) -> tuple[str, str, str, str]:
    """(normalized, article form, core, proclitics) of one token.

    The article form drops a conjunction and a preposition but keeps the article (والولايات -> الولايات,
    للصليب -> الصليب); the core also drops the article (-> ولايات).
    """
    norm = normalize(token)
    rest, clitics = norm, ""
    if len(rest) > 3 and rest[0] in _CONJUNCTIONS and _conjunction_attached(norm):
        clitics, rest = rest[0], rest[1:]
    if rest.startswith("لل") and len(rest) > 4:
        clitics, rest = clitics + "ل", "ال" + rest[2:]
    elif len(rest) > 4 and rest[0] in _PREPOSITIONS and rest[1:3] == "ال":
        clitics, rest = clitics + rest[0], rest[1:]
    core = rest[2:] if rest.startswith("ال") and len(rest) > 3 else rest
    return norm, rest, core, clitics


def _conjunction_attached(norm: str) -> bool:
    """Whether a leading و/ف is the conjunction: the rest takes the article (والولايات) or is a known
    name or title, and the whole word is not itself one (فلسطين, واشنطن, وزارة keep their first letter)."""
    rest = norm[1:]
    if norm in _LEXICON:
        return False
    return rest.startswith(("ال", "لل", "بال", "كال")) or rest in _LEXICON


@lru_cache(maxsize=200_000)
def _stem(token: str) -> str:
    return _stemmer.stem(normalize_for_stemming(token))


def token_shape(token: str) -> str:
    if token.isdigit():
        return "digit"
    if not any(c.isalnum() for c in token):
        return "punct"
    if token.isascii():
        return "latin"
    return "arabic"


def gazetteer_marks(tokens: Sequence[str]) -> list[str]:
    """BIO marks (``B-LOC``, ``I-ORG``, ``O``) of the longest gazetteer phrases over the article forms."""
    return list(_gazetteer_marks(tuple(tokens)))


# A document's sentences are marked three times (document context, then each CRF pass): remembered.
@lru_cache(maxsize=4096)
def _gazetteer_marks(tokens: tuple[str, ...]) -> tuple[str, ...]:
    forms = [word_forms(t)[1] for t in tokens]
    marks = ["O"] * len(tokens)
    i = 0
    while i < len(tokens):
        first = forms[i]
        bare = first[1:] if first[:1] in _CLITIC_LETTERS and len(first) > 3 else first  # لحماس -> حماس
        # Only the lengths some phrase starting with this word has are tried (most words start none).
        longest = max(_PHRASE_WORDS.get(first, 0), _PHRASE_WORDS.get(bare, 0))
        for n in range(min(longest, len(tokens) - i), 0, -1):
            rest = forms[i + 1 : i + n]
            kind = gz.PHRASES.get(" ".join([first, *rest])) or gz.PHRASES.get(" ".join([bare, *rest]))
            if kind:
                marks[i : i + n] = [f"B-{kind}"] + [f"I-{kind}"] * (n - 1)
                i += n
                break
        else:
            i += 1
    return tuple(marks)


def _phrase_words() -> dict[str, int]:
    """Per first word of a gazetteer phrase, the most words a phrase starting with it has."""
    longest: dict[str, int] = {}
    for phrase in gz.PHRASES:
        words = phrase.split(" ")
        longest[words[0]] = max(longest.get(words[0], 0), len(words))
    return longest


_PHRASE_WORDS: Final = _phrase_words()


def lexical_flags(article: str, core: str) -> list[str]:
    flags = []
    if article in gz.TITLES:
        flags.append("title")
    if article in gz.INTRODUCERS:
        flags.append("intro")
    if core in gz.FIRST_NAMES or article in gz.FIRST_NAMES:
        flags.append("first")
    elif "names" in EXTRA and (core in gz.MORE_FIRST_NAMES or article in gz.MORE_FIRST_NAMES):
        flags.append("first2")
    if article in gz.ORG_HEADS:
        flags.append("orghead")
    if article in gz.LOC_HEADS:
        flags.append("lochead")
    if article.startswith("ال") and article.endswith(("ي", "يه", "يون", "يين")):
        flags.append("nisba")
    return flags


# A token's own features, remembered like _context_features (the cluster and stats passed as values).
@lru_cache(maxsize=400_000)
def _token_features(token: str, gaz: str, cluster: str, stats: str) -> tuple[str, ...]:
    # The word "w=..." stays first: sentence_features reads it back for the bigram.
    cluster = _two_levels(cluster)
    feats = [*_word_features(token), "g=" + gaz, "k=" + cluster, "kc=" + cluster.split("/")[0]]
    if "kmulti" in EXTRA:
        parts = cluster.split("/")
        feats.extend(f"k{i}=" + c for i, c in enumerate(parts[2:], 2))
    if "stats" in EXTRA:
        freq, art = stats.split("/")
        feats.extend(("fq=" + freq, "ar=" + art, "fqar=" + stats))
    return tuple(feats)


@lru_cache(maxsize=4096)
def _document_features(flags: frozenset[str]) -> tuple[str, ...]:
    return tuple("d=" + f for f in sorted(flags))


# The features of a token that depend on the token alone (the feature groups in EXTRA included: see
# set_feature_groups), remembered: a word recurs across sentences, and each sentence is featured twice.
@lru_cache(maxsize=200_000)
def _word_features(token: str) -> tuple[str, ...]:
    norm, article, core, clitics = word_forms(token)
    feats = [
        "w=" + norm,
        "a=" + article,
        "c=" + core,
        "s=" + _stem(token),
        "cl=" + clitics,
        "p2=" + core[:2],
        "p3=" + core[:3],
        "x1=" + core[-1:],
        "x2=" + core[-2:],
        "x3=" + core[-3:],
        "sh=" + token_shape(token),
        "len=" + str(min(len(core), 8)),
        "art=" + str(article.startswith("ال")),
    ]
    feats.extend("f=" + f for f in lexical_flags(article, core))
    if "shape" in EXTRA:
        feats.extend(_name_shape(norm, article, core))
    return tuple(feats)


def _two_levels(cluster: str) -> str:
    return "/".join(cluster.split("/")[:2])


def _name_shape(norm: str, article: str, core: str) -> list[str]:
    """Shape of personal names: particles (بن ابو عبد آل), compounds (عبدالله), foreign endings and the
    long vowels of transliterated names."""
    out = ["p4=" + core[:4], "x4=" + core[-4:]]
    if article in _NAME_PARTICLES:
        out.append("n=particle")
    if article.startswith(("عبد", "ابو")) and len(article) > 4:
        out.append("n=compound")
    if not article.startswith("ال"):
        for end in _FOREIGN_ENDINGS:
            if core.endswith(end) and len(core) > len(end) + 2:
                out.append("n=end:" + end)
                break
        inner = core[1:-1]
        vowels = sum(c in "اوي" for c in inner)
        out.append("n=v" + str(min(vowels, 3)) + "/" + str(min(len(core), 9)))
        if core.endswith("ي") and len(core) > 3:
            out.append("n=bare-nisba")
    return out


def _cluster_and_stats(token: str, clusters: Mapping[str, str]) -> tuple[str, str]:
    """A token's word cluster and, with the "stats" group, its frequency marks (what its features read from
    ``clusters``)."""
    norm, article, core, _clitics = word_forms(token)
    stats = clusters.get(STATS_PREFIX + core, "f0/a-") if "stats" in EXTRA else ""
    return clusters.get(norm, clusters.get(article, "-")), stats


# A window token's features for one offset, remembered: a word recurs, and each sentence is featured twice.
# The cluster and stats are passed as values so that the cache never outlives a change of ``clusters``.
@lru_cache(maxsize=400_000)
def _context_features(offset: int, token: str, gaz: str, cluster: str, stats: str) -> tuple[str, ...]:
    _norm, article, core, _clitics = word_forms(token)
    pre = f"{offset}:"
    feats = [pre + "w=" + _norm, pre + "c=" + core, pre + "g=" + gaz, pre + "k=" + _two_levels(cluster)]
    feats.extend(pre + "f=" + f for f in lexical_flags(article, core))
    if abs(offset) == 1:
        feats.extend((pre + "x2=" + core[-2:], pre + "sh=" + token_shape(token)))
        if "shape" in EXTRA and article in _NAME_PARTICLES:
            feats.append(pre + "n=particle")
        if "stats" in EXTRA:
            feats.append(pre + "fqar=" + stats)
        if "kmulti" in EXTRA:
            feats.append(pre + "kc=" + cluster.split("/")[0])
    return tuple(feats)


def set_feature_groups(groups: set[str]) -> None:
    """Switch the optional feature groups (:data:`EXTRA`), forgetting the features remembered under the old ones."""
    EXTRA.clear()
    EXTRA.update(groups)
    _word_features.cache_clear()
    _token_features.cache_clear()
    _context_features.cache_clear()


def document_context(sentences: Sequence[Sequence[str]]) -> dict[str, frozenset[str]]:
    """Per core word, how it is used anywhere in the document (with the article, after a title ...).

    Names keep their form across an article while common nouns take the article: these document-level
    marks let one telling mention (``رئيس الاتحاد برند جوتشولك``) inform the bare ones (``و راي جوتشولك``).
    """
    flags: dict[str, set[str]] = {}
    for tokens in sentences:
        forms = [word_forms(t) for t in tokens]
        marks = gazetteer_marks(tokens)
        for i, (_norm, article, core, _cl) in enumerate(forms):
            if len(core) < 3 or not core.isalpha():
                continue
            f = flags.setdefault(core, set())
            f.add("art" if article.startswith("ال") else "bare")
            before = {forms[j][1] for j in range(max(0, i - 3), i)}
            if before & gz.TITLES or before & gz.INTRODUCERS:
                f.add("title")
            if i and (forms[i - 1][2] in gz.FIRST_NAMES or forms[i - 1][1] in gz.FIRST_NAMES):
                f.add("afterfirst")
            if i and forms[i - 1][0] in _SAYING_VERBS:
                f.add("subject")
            if marks[i] != "O":
                f.add("gaz" + marks[i][1:])
    return {core: frozenset(f) for core, f in flags.items()}


FirstPass = list[tuple[str, float, dict[str, float]]]  # per token: tag, P(entity), P(kind) by kind
_KINDS: Final = ("PER", "LOC", "ORG")


def _bucket(p: float) -> str:
    return (
        "0"
        if p < 0.1
        else "1"
        if p < 0.3
        else "2"
        if p < 0.5
        else "3"
        if p < 0.7
        else "4"
        if p < 0.9
        else "5"
    )


def stack_features(sentences: Sequence[Sequence[str]], first: Sequence[FirstPass]) -> list[list[list[str]]]:
    """Second-pass attributes from the first-pass tagger's output over the whole document: the token's
    own first-pass tag and confidence, its neighbours' tags, and how the same core word was tagged
    elsewhere in the document (label consistency: one telling mention informs the others)."""
    where: dict[str, list[tuple[int, int]]] = {}
    cores = [[word_forms(t)[2] for t in tokens] for tokens in sentences]
    for si, cs in enumerate(cores):
        for ti, c in enumerate(cs):
            if len(c) >= 3 and c.isalpha():
                where.setdefault(c, []).append((si, ti))
    out: list[list[list[str]]] = []
    for si, (tokens, fp) in enumerate(zip(sentences, first, strict=True)):
        sent: list[list[str]] = []
        for ti in range(len(tokens)):
            tag, p_ent, _kinds = fp[ti]
            feats = ["s1=" + tag, "s1p=" + _bucket(p_ent)]
            for off in (-1, 1):
                j = ti + off
                feats.append(f"{off}:s1=" + (fp[j][0] if 0 <= j < len(tokens) else "edge"))
            others = [(a, b) for a, b in where.get(cores[si][ti], ()) if (a, b) != (si, ti)]
            if others:
                mass = {k: sum(first[a][b][2].get(k, 0.0) for a, b in others) / len(others) for k in _KINDS}
                best = max(_KINDS, key=lambda k: mass[k])
                feats.append("ds=" + best + _bucket(mass[best]))
                feats.append("dsn=" + ("1" if len(others) == 1 else "2+"))
                multi = {first[a][b][0] for a, b in others if first[a][b][0].startswith("I-")}
                multi |= {
                    first[a][b][0]
                    for a, b in others
                    if first[a][b][0].startswith("B-")
                    and b + 1 < len(first[a])
                    and first[a][b + 1][0].startswith("I-")
                }
                feats.extend("dsm=" + t for t in sorted(multi))
            else:
                feats.append("ds=none")
            sent.append(feats)
        out.append(sent)
    return out


def with_stacked(features: Sequence[Sequence[str]], stacked: Sequence[Sequence[str]]) -> list[list[str]]:
    """A sentence's first-pass features plus its second-pass attributes: the same attributes as
    ``sentence_features(..., stacked=stacked)`` (a CRF reads a token's attributes as a bag, not a list), from
    features already computed for the first pass."""
    return [[*own, *extra] for own, extra in zip(features, stacked, strict=True)]


def sentence_features(
    tokens: Sequence[str],
    clusters: Mapping[str, str],
    doc: Mapping[str, frozenset[str]] | None = None,
    stacked: Sequence[Sequence[str]] | None = None,
) -> list[list[str]]:
    """CRF attributes of every token of one sentence (see the module contract); ``doc`` is the
    :func:`document_context` of the text the sentence belongs to, ``stacked`` the sentence's
    :func:`stack_features` for the second-pass model."""
    marks = gazetteer_marks(tokens)
    looked_up = [_cluster_and_stats(t, clusters) for t in tokens]
    own = [list(_token_features(t, g, *c)) for t, g, c in zip(tokens, marks, looked_up, strict=True)]
    if stacked:
        for feats, extra in zip(own, stacked, strict=True):
            feats.extend(extra)
    if doc:
        for feats, token in zip(own, tokens, strict=True):
            feats.extend(_document_features(doc.get(word_forms(token)[2], frozenset())))
    out: list[list[str]] = []
    for i in range(len(tokens)):
        feats = list(own[i])
        for off in _WINDOW:
            j = i + off
            if 0 <= j < len(tokens):
                feats.extend(_context_features(off, tokens[j], marks[j], *looked_up[j]))
            else:
                feats.append(f"{off}:edge")
        prev_w = word_forms(tokens[i - 1])[0] if i else "^"
        feats.append("bi=" + prev_w + "|" + own[i][0][2:])
        out.append(feats)
    return out
