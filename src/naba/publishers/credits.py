"""Recognising original-source credits in Arabic news text.

A credit is recognised only in a *credit position*, because many agency short forms are also words or
places (قنا is Qena, بنا "with us", بترا Petra, سبأ Sheba):

* a source label: "المصدر: الجزيرة", "مصدر الخبر - واس", "نقلا عن صحيفة عكاظ", "Source: Reuters";
* a dateline at the start: "الرياض - واس", "القاهرة، 3 مايو — أ ش أ:";
* a parenthesised credit: "(واس)", "(رويترز، أ ف ب)", "(الرياض - واس)", "[AFP]";
* a trailing credit: "… — وكالات", "… - (أ ف ب)".

Text is compared normalized (:func:`naba.publishers.registry.name_key`), so hamza forms, ta marbuta,
diacritics and case do not matter; single-letter abbreviations accept spaces or dots between letters
("أ ف ب", "أ.ف.ب", "ا ف ب") but not none ("افب"), which would collide with words (آب → "اب").
Outlets (not agencies) are recognised only after a source label.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Final

from naba import knowledge
from naba.knowledge import Agency, Publisher

_DASHES: Final = r"\-‐–—"  # a character-class body: the hyphen is escaped
# Source labels and attribution phrases (naba/data/labels.tsv): "المصدر: …", "نقلا عن …".
_LABELS: Final = tuple(t.text for t in knowledge.terms("labels.tsv") if t.tags & {"source", "attribution"})
_PIECE_SPLIT: Final = re.compile(rf"[,،/;+{_DASHES}]")
_PARENS: Final = re.compile(r"[(\[]([^()\[\]\n]{1,80})[)\]]")
# Longest credit taken after a label, in words; outlet names are at most five words.
_MAX_LABEL_WORDS: Final = 6


def _form_pattern(form_key: str) -> str:
    tokens = form_key.split(" ")
    joiner = r"[\s.]+" if len(tokens) > 1 and all(len(t) == 1 for t in tokens) else r"\s+"
    return joiner.join(re.escape(t) for t in tokens)


class CreditMatcher:
    """Finds credited agencies (and, after a label, outlets) in short passages.

    ``agencies`` supply the credit forms; ``lookup_name`` resolves a label's credit to any publisher;
    ``key`` is the normalization every form and every text passes through.
    """

    def __init__(
        self,
        agencies: tuple[Agency, ...],
        lookup_name: Callable[[str], Publisher | None],
        key: Callable[[str], str],
    ) -> None:
        self._key = key
        self._lookup_name = lookup_name
        self._agency_by_form = {key(form): a for a in agencies for form in a.credit_forms}
        forms = "|".join(_form_pattern(f) for f in sorted(self._agency_by_form, key=len, reverse=True))
        dash = rf"[{_DASHES}]+"
        self._dateline = re.compile(
            rf"^\s*[^\W\d_][^\n:()\[\]{_DASHES}]{{0,50}}?\s*{dash}\s*(?P<credit>{forms})(?!\w)"
        )
        self._trailing = re.compile(rf"{dash}\s*[(\[]?\s*(?P<credit>{forms})\s*[)\]]?\s*\.?\s*$")
        labels = "|".join(re.escape(key(label)) for label in _LABELS)
        self._label = re.compile(
            rf"(?:^|[\s(\[])(?:{labels})\s*[:{_DASHES}]?\s*(?P<credit>[^\n()\[\]:]{{1,120}})"
        )

    def agency(self, text: str) -> Agency | None:
        """The first agency credited in ``text``: label, then dateline, parentheses, trailing credit."""
        normalized = self._key_text(text)
        for credit in self._label_credits(normalized):
            if (agency := self._agency_prefix(credit)) is not None:
                return agency
        return self._positional_agency(normalized)

    def source(self, text: str) -> Publisher | None:
        """The credited source: a label's agency or outlet first, else an agency in a credit position."""
        normalized = self._key_text(text)
        for credit in self._label_credits(normalized):
            if (found := self._publisher_prefix(credit)) is not None:
                return found
        return self._positional_agency(normalized)

    def _key_text(self, text: str) -> str:
        # Keep the dashes, brackets and colons that mark credit positions; name_key would erase them.
        return " ".join(self._key_keep_marks(line) for line in text.splitlines())

    def _key_keep_marks(self, line: str) -> str:
        pieces = re.split(rf"([{_DASHES}()\[\]:,،/;+])", line)
        return " ".join(p if len(p) == 1 and not p.isalnum() else self._key(p) for p in pieces if p.strip())

    def _positional_agency(self, normalized: str) -> Agency | None:
        if (match := self._dateline.search(normalized)) is not None:
            return self._agency_by_form.get(self._key(match["credit"]))
        for inner in _PARENS.findall(normalized):
            for piece in _PIECE_SPLIT.split(inner):
                if (agency := self._agency_by_form.get(self._key(piece))) is not None:
                    return agency
        if (match := self._trailing.search(normalized)) is not None:
            return self._agency_by_form.get(self._key(match["credit"]))
        return None

    def _label_credits(self, normalized: str) -> Iterator[str]:
        for match in self._label.finditer(normalized):
            yield match["credit"]

    def _agency_prefix(self, credit: str) -> Agency | None:
        for words in _word_prefixes(credit):
            if (agency := self._agency_by_form.get(self._key(words))) is not None:
                return agency
        return None

    def _publisher_prefix(self, credit: str) -> Publisher | None:
        for words in _word_prefixes(credit):
            if (found := self._lookup_name(words)) is not None:
                return found
        return None


def _word_prefixes(credit: str) -> Iterator[str]:
    """Word prefixes of a label's credit, longest first, cut at the first separator (",", "+", "/")."""
    head = _PIECE_SPLIT.split(credit, maxsplit=1)[0]
    words = head.split()[:_MAX_LABEL_WORDS]
    for n in range(len(words), 0, -1):
        yield " ".join(words[:n])
