"""Article identity: canonical URL, else URL, else a hash of the normalized title and first paragraph.

The normalization here is deliberately frozen and separate from the versioned search analyzers
(``naba.text.analyzer``): an analyzer may change between versions, an article's identity must not.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from naba.types import ArticleId

# Arabic diacritics (fathatan..sukun, superscript alef) and tatweel: invisible to identity.
_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")
_ALEF_FORMS = str.maketrans({"\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627"})
_NON_WORD = re.compile(r"[\W_]+")


def identity_text(text: str) -> str:
    """Fold what differs between two copies of one text without changing its words."""
    folded = unicodedata.normalize("NFKC", text)
    folded = _DIACRITICS.sub("", folded).translate(_ALEF_FORMS).casefold()
    return _NON_WORD.sub(" ", folded).strip()


def text_identity(title: str, first_paragraph: str) -> ArticleId:
    """The identity of an article without a URL (text pages, dumps)."""
    digest = hashlib.sha256(f"{identity_text(title)}\n{identity_text(first_paragraph)}".encode()).hexdigest()
    return ArticleId(f"text:{digest[:32]}")


def url_identity(url: str) -> ArticleId:
    """A URL as an identity: scheme and host lowercased, fragment dropped, nothing else touched."""
    url = url.strip()
    url = url.split("#", 1)[0]
    scheme, sep, rest = url.partition("://")
    if not sep:
        return ArticleId(url)
    host, slash, path = rest.partition("/")
    return ArticleId(f"{scheme.lower()}://{host.lower()}{slash}{path}")


def article_identity(
    *, canonical_url: str | None, url: str | None, title: str, first_paragraph: str
) -> ArticleId:
    if canonical_url:
        return url_identity(canonical_url)
    if url:
        return url_identity(url)
    return text_identity(title, first_paragraph)
