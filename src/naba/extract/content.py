"""The article's main text: paragraphs in order, subheadings kept, the standfirst as ``lead``.

Cascade (one pass over the parsed page, no second extractor):

1. **Clean**: :data:`~naba.extract.boilerplate.DROPPED_TAGS`, comments and hidden elements are removed.
2. **Blocks**: the body is walked once (``etree.iterwalk``, no recursion, so deep nesting is safe) into text
   blocks split at block-level tags and at every ``<br>`` (bare text separated by ``<br><br>`` becomes
   paragraphs). A block keeps its text, how much of it is link text, and the chain of open elements.
3. **Furniture**: a block under a furniture element (tag or class/id hint, see ``boilerplate``) is furniture,
   unless that element holds at least :data:`GUARD_SHARE` of the page's prose (a body container whose class
   happens to contain "promo" or "media" is not dropped).
4. **Container**: prose blocks (≥ :data:`PROSE_MIN_CHARS`, link density ≤ :data:`PROSE_MAX_LINK_DENSITY`) vote
   for their ancestors with weight decaying by :data:`DECAY` per level (a ``<p>`` votes from its parent up);
   the best-scored element wins, then the choice climbs while the parent holds :data:`CLIMB_RATIO` times its
   prose, and siblings of the same tag and class join it (bodies split over several sibling ``<div>``\\s).
5. **Filter** the container's blocks: furniture, link-dominated blocks (> :data:`MAX_LINK_DENSITY`: related
   headlines, "اقرأ أيضاً" lists) unless they are a linked credit ("رابط الخبر بصحيفة …"), read-also labels, UI
   lines, the repeated title, captions (:func:`is_caption`: the short text after a picture, in its own block or
   the next one, any layout), and short byline / dateline / source lines, which are handed to ``metadata``
   instead (:class:`Content.lines`).
6. **Lead**: an element marked as standfirst (class/id "lead", "standfirst", "excerpt", "intro", or
   ``itemprop=description``) before or at the start of the body becomes ``lead``.

Constants were calibrated on ``../shared/eval/extraction-{real,synth}`` (body F1, boilerplate kept out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

from lxml import etree

from naba.extract import boilerplate, bylines
from naba.extract.bylines import LineKind, classify_line

# A prose block is a real paragraph: long enough and mostly not links. 60 characters is about ten Arabic
# words; captions, labels and headline links are shorter or link-dominated.
PROSE_MIN_CHARS: Final = 60
PROSE_MAX_LINK_DENSITY: Final = 0.3
# Share of a block's characters that may be link text before it counts as a link list (related headlines,
# read-also lists). Real paragraphs with inline links stay far below it.
MAX_LINK_DENSITY: Final = 0.5
# Vote weight kept per level up from a paragraph's owner.
DECAY: Final = 0.5
# Climb to the parent when it holds this many times the chosen container's prose.
CLIMB_RATIO: Final = 1.25
# A furniture element holding at least this share of the page's prose is the body, not furniture.
GUARD_SHARE: Final = 0.5
# A caption is the short text right after an image inside the same block element ("<div><img><br><font>…"),
# where no <figcaption> or caption class says so. 150 characters is a long two-line caption; a paragraph that
# merely starts with an inline image is longer.
MAX_CAPTION_CHARS: Final = 150
IMAGE_TAGS: Final = frozenset(["img", "picture", "amp-img"])
# An image narrower or lower than this (by its width/height attributes) is an icon, not a picture with a caption.
MIN_PICTURE_PIXELS: Final = 100
# A caption does not end a sentence: a short line after an image in another element (the next table row, the
# paragraph after the image's own) is a caption unless it ends with one of these.
_SENTENCE_END: Final = (".", "!", "?", "؟", ":", "…")

BLOCK_TAGS: Final = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "aside",
        "header",
        "footer",
        "nav",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "form",
        "address",
        "hr",
        "center",
        "body",
        "html",
        "details",
        "summary",
        "amp-img",
        "amp-carousel",
        "fieldset",
    ]
)
PARAGRAPH_TAGS: Final = frozenset(
    ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "dd", "dt", "td", "th", "pre"]
)
HEADING_TAGS: Final = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
_LEAD_HINT: Final = re.compile(
    r"(?:^|[\s_-])(lead|standfirst|sapo|excerpt|intro|chapeau|kicker-text)(?:$|[\s_-])"
)
_HIDDEN: Final = etree.XPath(
    "//*[@hidden or @aria-hidden='true' or contains(translate(@style, ' ', ''), 'display:none')"
    " or contains(translate(@style, ' ', ''), 'visibility:hidden')]"
)


@dataclass(slots=True)
class Block:
    """One run of text between block boundaries, with the elements open around it (outermost first)."""

    text: str
    link_chars: int
    path: tuple[Any, ...]
    index: int
    furniture: tuple[Any, ...] = ()
    lead: bool = False
    strong: bool = False
    after_image: bool = False
    # The first text after a picture, wherever it sits (the next table row or paragraph): a caption when short and
    # not a sentence (see :func:`is_caption`).
    image_before: bool = False

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0

    @property
    def owner(self) -> Any:
        for el in reversed(self.path):
            if el.tag in BLOCK_TAGS:
                return el
        return self.path[-1]

    def is_prose(self) -> bool:
        return len(self.text) >= PROSE_MIN_CHARS and self.link_density <= PROSE_MAX_LINK_DENSITY


@dataclass(frozen=True, slots=True)
class Content:
    """The main text, the container it came from, and the metadata lines found inside it."""

    lead: str | None
    paragraphs: tuple[str, ...]
    container: Any
    lines: tuple[tuple[LineKind, str], ...] = ()
    blocks: tuple[Block, ...] = field(default=(), repr=False)
    # Headlines of the read-also blocks inside the body, as found on the page (the article JSON keeps them).
    related_headlines: tuple[str, ...] = ()


def clean_tree(root: Any) -> None:
    """Remove elements that never hold visible article text (in place)."""
    etree.strip_elements(
        root, etree.Comment, etree.ProcessingInstruction, *boilerplate.DROPPED_TAGS, with_tail=False
    )
    for el in _HIDDEN(root):
        if el.getparent() is not None and el.tag not in ("html", "body"):
            el.drop_tree()


class _Walker:
    """Collects :class:`Block`\\s from one iterwalk over the tree."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.stack: list[Any] = []
        self.furniture: list[Any] = []
        self.strong: set[Any] = set()
        self.leads: list[Any] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.in_link = 0
        self.image_owner: Any = None
        self.image_pending = False
        self.inline_breaks: set[Any] = set()

    def add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)
            if self.in_link:
                self.link_chars += len(text.strip())

    def flush(self) -> None:
        text = " ".join("".join(self.parts).split())
        if text and any(ch.isalnum() for ch in text):
            self.blocks.append(
                Block(
                    text=text,
                    link_chars=min(self.link_chars, len(text)),
                    path=tuple(self.stack),
                    index=len(self.blocks),
                    furniture=tuple(self.furniture),
                    lead=bool(self.leads),
                    strong=any(el in self.strong for el in self.furniture),
                    after_image=self.image_owner is not None and self._owner() is self.image_owner,
                    image_before=self.image_pending,
                )
            )
            self.image_owner = None
            self.image_pending = False
        self.parts.clear()
        self.link_chars = 0

    def _owner(self) -> Any:
        return next((el for el in reversed(self.stack) if el.tag in BLOCK_TAGS), None)

    def start(self, el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        attrs = " ".join(v for k in ("class", "id", "itemprop", "role") if (v := el.get(k))).lower()
        hint = boilerplate.furniture_hint(tag, attrs)
        # Strong furniture in an inline element (<span class="caption">, <small class="credit">) is a block
        # of its own, so its text is not merged into the neighbouring text and kept with it. Links are left
        # inline: a paragraph's link to a related story is still part of the sentence.
        if tag in BLOCK_TAGS or tag == "br" or (hint == 2 and tag != "a"):
            self.flush()
            if tag not in BLOCK_TAGS and tag != "br":
                self.inline_breaks.add(el)
        if tag in IMAGE_TAGS and not "".join(self.parts).strip():
            self.image_owner = self._owner()
            strong = any(f in self.strong for f in self.furniture)
            self.image_pending = self.image_pending or (not strong and _is_picture(el))
        self.stack.append(el)
        if hint:
            self.furniture.append(el)
            if hint == 2:
                self.strong.add(el)
        if _LEAD_HINT.search(attrs) or el.get("itemprop") == "description":
            self.leads.append(el)
        if tag == "a":
            self.in_link += 1
        if tag != "br":
            self.add(el.text)

    def end(self, el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in BLOCK_TAGS or el in self.inline_breaks:
            self.flush()
        if tag == "a":
            self.in_link -= 1
        self.stack.pop()
        if self.furniture and self.furniture[-1] is el:
            self.furniture.pop()
        if self.leads and self.leads[-1] is el:
            self.leads.pop()
        self.add(el.tail)


def _is_picture(el: Any) -> bool:
    """An image shown as a picture: not an icon by its declared size."""
    for attr in ("width", "height"):
        value = (el.get(attr) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < MIN_PICTURE_PIXELS:
            return False
    return True


def is_caption(block: Block) -> bool:
    """A short text right after a picture: in the image's own block ("<div><img><br><font>…"), or the first text
    after it elsewhere (the next table row, the next paragraph, a sibling ``<div>``) when it is no heading or
    all-bold subheading and either shorter than a paragraph of prose or not ending a sentence."""
    if len(block.text) > MAX_CAPTION_CHARS:
        return False
    if block.after_image:
        return True
    return (
        block.image_before
        and block.owner.tag not in HEADING_TAGS
        and not _bold_line(block)
        and (len(block.text) < PROSE_MIN_CHARS or not block.text.rstrip(' »"”)').endswith(_SENTENCE_END))
    )


# Inline elements a byline is styled with when it opens the text ("<b>name</b><br><br>text…").
_STYLE_TAGS: Final = frozenset(["b", "strong", "span", "font", "em", "i", "small", "u"])


def _styled_byline(block: Block) -> bool:
    """A name line opening the text, set apart by its own inline styling ("<b>تركي آل الشيخ</b>", "<span
    class=writer>جدة - سلطان العتيبي</span>"): a byline. The same line as a plain paragraph, like the text after
    it, stays text (the dev gold keeps a paper's own byline paragraph as text)."""
    text = block.text
    if not (bylines.is_bare_name(text) or bylines.is_place_byline(text)):
        return False
    owner = block.owner
    return any(
        el is not owner and el.tag in _STYLE_TAGS and " ".join(el.text_content().split()) == text
        for el in owner.iter()
    )


def _bold_line(block: Block) -> bool:
    """A paragraph that is all bold ("<p><strong>…</strong></p>"): a subheading, even right after a picture."""
    owner = block.owner
    children = [child for child in owner if isinstance(child.tag, str)]
    return (
        len(children) == 1
        and children[0].tag in ("b", "strong")
        and not (owner.text or "").strip()
        and not (children[0].tail or "").strip()
        and " ".join(children[0].text_content().split()) == block.text
    )


def walk_blocks(body: Any) -> tuple[list[Block], set[Any]]:
    """All text blocks under ``body`` in document order, and the strong-furniture elements."""
    walker = _Walker()
    for event, el in etree.iterwalk(body, events=("start", "end")):
        if event == "start":
            walker.start(el)
        else:
            walker.end(el)
    walker.flush()
    return walker.blocks, walker.strong


def _release_guarded(blocks: list[Block], strong: set[Any], title_key: str) -> None:
    """Furniture holding most of the prose is the body after all (a wrapper classed "overlay" or "promoted"):
    clear it from the blocks. Strong furniture is released only when it also holds the headline, so a
    comment-rules modal full of prose stays out."""
    headline = next((set(b.path) for b in blocks if title_key and b.text == title_key), set())
    prose: dict[Any, int] = {}
    total = 0
    for block in blocks:
        if block.is_prose():
            total += len(block.text)
            for el in block.furniture:
                prose[el] = prose.get(el, 0) + len(block.text)
    released = {
        el
        for el, chars in prose.items()
        if chars >= GUARD_SHARE * total and (el not in strong or el in headline)
    }
    if released:
        for block in blocks:
            if block.furniture:
                block.furniture = tuple(el for el in block.furniture if el not in released)


def choose_container(blocks: list[Block]) -> Any | None:
    """The element whose subtree holds the article's prose (see the module docstring, step 4)."""
    score: dict[Any, float] = {}
    total: dict[Any, int] = {}
    parent: dict[Any, Any] = {}
    for block in blocks:
        if block.furniture or not block.is_prose():
            continue
        chain = [el for el in block.path if el.tag in BLOCK_TAGS]
        if len(chain) > 1 and chain[-1].tag in PARAGRAPH_TAGS:
            chain.pop()
        weight = float(len(block.text))
        for i in range(len(chain) - 1, -1, -1):
            el = chain[i]
            score[el] = score.get(el, 0.0) + weight
            total[el] = total.get(el, 0) + len(block.text)
            if i:
                parent[el] = chain[i - 1]
            weight *= DECAY
    if not score:
        return None
    best = max(score, key=lambda el: score[el])
    while (up := parent.get(best)) is not None and total[up] >= CLIMB_RATIO * total[best]:
        best = up
    return best


def split_body(container: Any) -> list[Any]:
    r"""The container and its siblings of the same tag and class: one body split over several ``<div>``\s
    (readability's same-class sibling rule)."""
    parent = container.getparent()
    if parent is None or not container.get("class"):
        return [container]
    key = (container.tag, container.get("class"))
    return [el for el in parent if el is container or (el.tag, el.get("class")) == key]


def _lead_of(blocks: list[Block], first_body: int) -> Block | None:
    """The standfirst: a lead-marked prose-like block before (or as) the first body block."""
    for block in blocks:
        if block.index > first_body:
            break
        if (
            block.lead
            and not block.furniture
            and len(block.text) >= 40
            and block.link_density < MAX_LINK_DENSITY
        ):
            return block
    return None


def _keep(block: Block, title_key: str) -> bool:
    if block.furniture or block.link_density > MAX_LINK_DENSITY:
        return False
    if title_key and " ".join(block.text.split()) == title_key:
        return False
    return not (boilerplate.is_ui_line(block.text) or boilerplate.is_disclaimer(block.text))


def extract_content(root: Any, *, title: str = "") -> Content:
    """The main text of a cleaned page (see :func:`clean_tree`); empty paragraphs when there is none."""
    body = root.find(".//body")
    title_key = " ".join(title.split())
    blocks, strong = walk_blocks(body if body is not None else root)
    _release_guarded(blocks, strong, title_key)
    container = choose_container(blocks)
    if container is None:
        return Content(lead=None, paragraphs=(), container=None, blocks=tuple(blocks))
    parts = split_body(container)
    inside = [b for b in blocks if any(el in b.path for el in parts)]
    paragraphs: list[Block] = []
    lines: list[tuple[LineKind, str]] = []
    related: list[str] = []
    in_read_also = False
    for block in inside:
        if paragraphs and boilerplate.comments_heading(block.text):
            break  # the reader-comment section: nothing after it is the article
        if boilerplate.read_also_label(block.text):
            in_read_also = True
            related.extend(_headlines_in_label(block))
            continue
        # The headlines listed under a read-also / live-updates label: links, or list items without links.
        if (
            in_read_also
            and (block.link_chars or block.owner.tag == "li")
            and len(block.text) < 2 * PROSE_MIN_CHARS
        ):
            related.extend(_listed_headlines(block))
            continue
        in_read_also = False
        if (
            block.link_density > MAX_LINK_DENSITY
            and not block.furniture
            and classify_line(block.text) == "source"
        ):
            lines.append(("source", block.text))  # "رابط الخبر بصحيفة عكاظ": a linked credit, not a headline
            continue
        if not _keep(block, title_key):
            continue
        kind = classify_line(block.text)
        if is_caption(block) and kind not in ("byline", "dateline"):
            continue  # a photo credit "(رويترز)" under a picture credits the picture, not the article
        if kind is None and not any(p.is_prose() for p in paragraphs) and _styled_byline(block):
            kind = "byline"
        if kind is not None:
            lines.append((kind, block.text))
            continue
        paragraphs.append(block)
    first_index = paragraphs[0].index if paragraphs else len(blocks)
    lead = _lead_of(blocks, first_index)
    if lead is not None and paragraphs and paragraphs[0] is lead:
        paragraphs.pop(0)
    texts = tuple(b.text for b in paragraphs)
    lead_text = lead.text if lead is not None and lead.text not in texts else None
    return Content(
        lead=lead_text,
        paragraphs=texts,
        container=container,
        lines=tuple(lines),
        blocks=tuple(blocks),
        related_headlines=tuple(dict.fromkeys(h for h in map(_clean_headline, related) if h)),
    )


_BULLETS = "»«•►▶◀·-–—*"
# Shorter link texts on a read-also line are labels or "more" links, not headlines.
MIN_HEADLINE_CHARS = 10
MIN_HEADLINE_LETTERS = 12


def _clean_headline(text: str) -> str:
    """A listed headline without its list bullet ("» عنوان" -> "عنوان")."""
    text = " ".join(text.split())
    stripped = text.lstrip(_BULLETS).strip()
    if sum(1 for c in stripped if c.isalpha()) < MIN_HEADLINE_LETTERS:
        return ""  # a date, a counter or a "more" link listed beside the headlines
    # A guillemet that opens a quotation inside the headline stays: only strip it when it has no partner.
    return stripped if not (text.startswith("«") and "»" in text) else text


def _listed_headlines(block: Block) -> list[str]:
    """A block listed under a read-also label: each of its links is one headline (inline links are glued
    into one block text), else the block's own text."""
    links = [" ".join(a.text_content().split()) for a in block.owner.iter("a")]
    return [link for link in links if len(link) > MIN_HEADLINE_CHARS] or [block.text]


def _headlines_in_label(block: Block) -> list[str]:
    """ "اقرأ أيضاً: عنوان" carries its headline(s) on the label's own line: each link is one headline; a
    line without links has its headline after the colon; a bare label carries none."""
    links = [" ".join(a.text_content().split()) for a in block.owner.iter("a")]
    if links := [link for link in links if len(link) > MIN_HEADLINE_CHARS]:
        return links
    _, colon, rest = block.text.partition(":")
    headline = " ".join(rest.split()) if colon else ""
    return [headline] if len(headline) > MIN_HEADLINE_CHARS else []
