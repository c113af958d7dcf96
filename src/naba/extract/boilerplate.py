"""What is not article text: tags dropped outright, class/id hints of page furniture, and an Arabic lexicon.

The lexicon (``naba/data/boilerplate.tsv``) is matched on folded text (:func:`naba.text.normalize.fold_key`:
alef forms → ا, ى → ي, ة → ه, diacritics/tatweel/invisible marks dropped, digits and Arabic punctuation mapped,
lower-cased), so "إقرأ أيضاً", "اقرأ أيضا" and "اقرا ايضًا" are one phrase.

* :data:`DROPPED_TAGS` never hold visible article text (scripts, forms, embeds) and are removed before the walk.
* :data:`STRONG_TAGS` / :data:`STRONG_HINT` (comments, related, captions, tags …) mark furniture that is never text;
  :data:`WEAK_TAGS` / :data:`FURNITURE_HINT` (print, media, promo …) mark furniture that may wrap the body.
  The content stage drops furniture text unless the element holds most of the page's prose (weak) or most of
  the prose and the headline (strong) — the guard in ``content``. ``<html>``/``<body>``/``<main>``/``<article>``
  classes are page-level flags and never count.
* :func:`read_also_label` recognizes the label that opens an inline "اقرأ أيضاً" block; the headline list that
  follows is link text and falls to the link-density rule of ``content``.
* :func:`is_ui_line` recognizes short tool/label lines ("طباعة", "تكبير الخط", "تابعونا على …", "عاجل").

Only generic hints: no site names and no theme-specific class names.
"""

from __future__ import annotations

import re
from typing import Final

from naba import knowledge
from naba.text.normalize import fold_key

DROPPED_TAGS: Final = (
    "script", "style", "noscript", "template", "svg", "iframe", "button", "select", "textarea",
    "object", "embed", "canvas", "video", "audio", "map", "input", "label", "head", "title",
    "amp-analytics", "amp-ad", "amp-sidebar", "amp-social-share", "amp-iframe",
)  # fmt: skip
# Strong furniture is never article text (comments, related lists, sidebars, captions); weak furniture hints
# (print, media, promo, meta …) also occur in body-wrapper classes, so the content stage may release them.
STRONG_TAGS: Final = frozenset(
    {"nav", "aside", "footer", "figure", "figcaption", "marquee", "menu", "dialog"}
)
WEAK_TAGS: Final = frozenset({"header"})
STRONG_HINT: Final = re.compile(
    r"share|sharing|social|related|comment|disqus|sidebar|footer|breadcrumb|crumbs|navbar|menu|cookie|consent"
    r"|gdpr|newsletter|subscribe|ticker|breaking|marquee|urgent|most-?read|popular|trending|mostviewed"
    r"|tags|tagcloud|keywords|read-?also|readmore|read-?more|more-on|also-read|inline-related|author-?box"
    r"|author-?bio|caption|credit|newsticker|copyright|signup|modal|popup|overlay|byline|dateline|post-date"
    r"|story-date|article-date|issue-no"
)
# Class/id/itemprop fragments of weak furniture, matched as substrings of the lower-cased attribute values;
# the short ones in _TOKEN_HINTS are matched as whole dash/underscore-separated tokens.
FURNITURE_HINT: Final = re.compile(
    r"widget|advert|sponsor|promo|banner|gallery|slider|carousel|pagination|topics|next-prev|prev-next|rating"
    r"|votes|counter|views|print|font-|fontsize|tools|toolbar|app-box|download|login|-meta|meta-|writer|source"
    r"|image-|-image|img-|photo|thumb|media"
)
_TOKEN_HINTS: Final = re.compile(
    r"(?:^|[\s_-])(ad|ads|nav|tag|meta|date|time|author|figure|fig|share|app)(?:$|[\s_-])"
)
# Class tokens of body containers: never furniture even if a hint matches. A <form> is not dropped either:
# ASP.NET pages wrap the whole body in one.
_BODY_TOKENS: Final = frozenset(
    {"article-body", "articlebody", "article_body", "entry-content", "post-content", "story-body", "main-content",
     "article-content", "article-text", "story-content", "news-content", "content", "body", "main"}
)  # fmt: skip

# A UI line is short: a label plus a few words at most (calibrated: the longest tool/label line in the dev
# sets, "اشترك في النشرة البريدية لـ… لتصلك أهم الأخبار يومياً", is 65 characters; article subheadings that
# start with such a word are rare and longer).
MAX_UI_LINE_CHARS: Final = 90
MAX_LABEL_BLOCK_CHARS: Final = 40
# Disclaimers are a sentence or two; longer text quoting such a phrase is article text.
MAX_DISCLAIMER_CHARS: Final = 400


_PAGE_TAGS: Final = frozenset({"html", "body", "main", "article"})
# Punctuation around a label ("اقرأ أيضاً:", "« عاجل »", "الوسوم ،"), as it reads after folding: fold_key maps
# ، « » to , " " and the full-width colon to ":".
_LABEL_PUNCT: Final = ' :-–—"|•.,'


def _lexicon(tag: str) -> tuple[str, ...]:
    return tuple(fold_key(x) for x in knowledge.tagged("boilerplate.tsv", tag))


# The lexicons (naba/data/boilerplate.tsv, whose header defines each tag), matched folded.
READ_ALSO_LABELS: Final = _lexicon("read-also")
UI_PHRASES: Final = _lexicon("ui")
DISCLAIMER_PHRASES: Final = _lexicon("disclaimer")
EXACT_LABELS: Final = frozenset(_lexicon("label"))
COMMENT_HEADINGS: Final = frozenset(_lexicon("comments"))
_COUNT: Final = re.compile(r"[\s(（]*[0-9\u0660-\u0669]*[\s)）]*$")


def _strip_label_punct(folded: str) -> str:
    return folded.strip(_LABEL_PUNCT)


def read_also_label(text: str) -> bool:
    """True when ``text`` opens a read-also / related block ("اقرأ أيضاً:", "شاهد أيضاً", "للمزيد: …")."""
    folded = _strip_label_punct(fold_key(text))
    if len(folded) > MAX_UI_LINE_CHARS * 2:
        return False
    return any(folded.startswith(label) for label in READ_ALSO_LABELS) and (
        len(folded) <= MAX_LABEL_BLOCK_CHARS or ":" in text[:30]
    )


def is_ui_line(text: str) -> bool:
    """A short tool, label or promo line ("طباعة", "تابعونا على تويتر", "© رويترز")."""
    stripped = text.strip()
    if stripped.startswith(("©", "(c)", "Copyright")) and len(stripped) <= MAX_UI_LINE_CHARS:
        return True
    folded = _strip_label_punct(fold_key(stripped))
    if len(folded) > MAX_UI_LINE_CHARS:
        return False
    if folded in EXACT_LABELS:
        return True
    # A one-word label ("شارك", "عاجل") only when it is about the whole line: "شارك الرئيس في القمة …" is text.
    short = len(folded) <= MAX_LABEL_BLOCK_CHARS
    return any(
        folded == p or folded.startswith(p + ":") or (folded.startswith(p + " ") and (short or " " in p))
        for p in UI_PHRASES
    )


def comments_heading(text: str) -> bool:
    """True for the heading that opens a reader-comment section ("التعليقات (3)", "تعليقات القراء")."""
    if len(text) > MAX_LABEL_BLOCK_CHARS:
        return False
    return _strip_label_punct(_COUNT.sub("", fold_key(text))) in COMMENT_HEADINGS


def furniture_hint(tag: str, attrs: str) -> int:
    """0 for content, 1 for weak and 2 for strong furniture, by tag and class/id/itemprop values.

    ``<html>``, ``<body>`` and ``<main>`` carry page-level classes ("one-sidebar", "has-comments"): never furniture.
    """
    if tag in _PAGE_TAGS:
        return 0
    if tag in STRONG_TAGS:
        return 2
    if attrs and _BODY_TOKENS.isdisjoint(attrs.split()):
        if STRONG_HINT.search(attrs):
            return 2
        if FURNITURE_HINT.search(attrs) or _TOKEN_HINTS.search(attrs):
            return 1
    return 1 if tag in WEAK_TAGS else 0


def is_disclaimer(text: str) -> bool:
    """A comment-policy or opinion disclaimer ("الآراء الواردة أدناه لا تعبر عن رأي الموقع")."""
    if len(text) > MAX_DISCLAIMER_CHARS:
        return False
    folded = fold_key(text)
    return any(p in folded for p in DISCLAIMER_PHRASES)
