"""Bytes to text in the browser's order of precedence: BOM, the HTTP ``Content-Type`` charset, the page's
``<meta charset>`` / ``http-equiv``, then detection.

Detection is Arabic-first: valid UTF-8 is UTF-8, and so is UTF-8 with a few broken sequences (a truncated
multi-byte character, a stray byte): decoding it as a legacy code page would turn every Arabic letter into
mojibake to save a handful of characters. Otherwise windows-1256, the legacy encoding of most Arabic
sites, when it decodes to mostly Arabic letters; otherwise windows-1252 so that the text is at least
readable. Labels are mapped as the WHATWG Encoding Standard does (``iso-8859-1`` means windows-1252,
``iso-8859-6`` stays ISO-8859-6). A Latin label (windows-1252 / ISO-8859-1 / ASCII) on bytes that detection
reads as Arabic is a mislabel: detection wins (evidence ``meta-mislabelled`` / ``http-mislabelled``).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from naba.errors import DecodeError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Only the head of a page is searched for a <meta> charset, as browsers do (they prescan 1024 bytes;
# real pages put long <script>/<style> blocks first, so look further).
_META_PRESCAN_BYTES = 8192
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
_LABEL_ALIASES = {
    "iso-8859-1": "windows-1252",
    "latin1": "windows-1252",
    "us-ascii": "windows-1252",
    "ascii": "windows-1252",
    "arabic": "iso-8859-6",
    "cp1256": "windows-1256",
    "x-cp1256": "windows-1256",
    "utf8": "utf-8",
}
# Labels that cannot spell Arabic: a page declaring one and decoding (by detection) to Arabic is mislabelled.
_LATIN_LABELS = frozenset({"windows-1252", "iso8859-1", "latin-1", "ascii"})
# Share of letters that must be Arabic for a windows-1256 guess to be believed.
_ARABIC_SHARE_FOR_1256 = 0.3
# Mostly-UTF-8: at most one broken sequence per five valid multi-byte characters, and enough of those to be sure
# the text is UTF-8 at all (windows-1256 Arabic text is almost never valid UTF-8 by chance).
_MAX_BROKEN_UTF8_SHARE = 0.2
_MIN_MULTIBYTE_CHARS = 20


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    evidence: str  # "bom", "http", "meta", "detected"


def _normalize_label(label: str) -> str | None:
    label = label.strip().lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name if label not in {"windows-1252", "windows-1256"} else label
    except LookupError:
        return None


def declared_charset(content: bytes, content_type: str | None) -> tuple[str, str] | None:
    """The charset a page declares, and where: ("http" | "meta")."""
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match and (label := _normalize_label(match.group(1))):
            return label, "http"
    meta = _META_CHARSET.search(content[:_META_PRESCAN_BYTES])
    if meta and (label := _normalize_label(meta.group(1).decode("ascii", "replace"))):
        return label, "meta"
    return None


def _arabic_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "\u0600" <= c <= "\u06ff") / len(letters)


def _mostly_utf8(content: bytes) -> bool:
    text = content.decode("utf-8", "replace")
    broken = text.count("\ufffd")
    multibyte = sum(1 for c in text if ord(c) > 0x7F) - broken
    return multibyte >= _MIN_MULTIBYTE_CHARS and broken <= _MAX_BROKEN_UTF8_SHARE * max(multibyte, 1)


def detect(content: bytes) -> str:
    if _is_utf8(content) or _mostly_utf8(content):
        return "utf-8"
    if _arabic_share(content.decode("windows-1256", "replace")) >= _ARABIC_SHARE_FOR_1256:
        return "windows-1256"
    return "windows-1252"


# Double-encoded text (UTF-8 bytes once decoded as windows-1256 or latin-1 and saved again as UTF-8) shows
# the UTF-8 lead bytes of Arabic letters as these characters: ط ظ (windows-1256) or Ø Ù (latin-1), each
# followed by another symbol. A page where they make up this share of letters is mojibake, not Arabic.
_MOJIBAKE_SIGNS = {
    "windows-1256": re.compile(r"[طظ][^\u0621-\u063a\u0641-\u064a\s]"),
    "latin-1": re.compile(r"[ØÙ][\x80-\xff]"),
}
_MOJIBAKE_SHARE = 0.2


def repair_mojibake(text: str) -> tuple[str, str | None]:
    """Undo one level of double encoding; returns (text, the wrong code page it was read with, or None).

    Text that merely looks odd is left alone: the repair must decode as strict UTF-8 and give Arabic.
    """
    letters = sum(1 for c in text if c.isalpha()) or 1
    for codepage, sign in _MOJIBAKE_SIGNS.items():
        if len(sign.findall(text)) / letters < _MOJIBAKE_SHARE:
            continue
        try:
            repaired = text.encode(codepage).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if _arabic_share(repaired) > _arabic_share(text):
            return repaired, codepage
    return text, None


def decode_bytes(content: bytes, content_type: str | None = None) -> Decoded:
    """Decode a document, repairing double-encoded (mojibake) text; raises :class:`DecodeError` for bytes
    that are clearly not text."""
    decoded = _decode(content, content_type)
    repaired, wrong = repair_mojibake(decoded.text)
    if wrong is None:
        return decoded
    return Decoded(repaired, decoded.encoding, f"{decoded.evidence}+mojibake-repaired-from-{wrong}")


def _decode(content: bytes, content_type: str | None) -> Decoded:
    if b"\x00" in content[:4096] and not content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DecodeError("binary content (NUL bytes), not a text document")
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            return Decoded(content[len(bom) :].decode(encoding, "replace"), encoding, "bom")
    declared = declared_charset(content, content_type)
    if declared is not None:
        encoding, where = declared
        # A page labelled UTF-8 that is far from valid UTF-8 is mislabelled: detect instead of producing U+FFFD.
        if encoding in _LATIN_LABELS and detect(content) != "windows-1252":
            # Latin-labelled pages full of high bytes are Arabic pages saved under an editor's or server's
            # default label: a browser shows mojibake, detection reads them (windows-1256 or UTF-8).
            encoding = detect(content)
            return Decoded(content.decode(encoding, "replace"), encoding, f"{where}-mislabelled")
        if encoding != "utf-8" or _is_utf8(content) or _mostly_utf8(content):
            return Decoded(content.decode(encoding, "replace"), encoding, where)
    encoding = detect(content)
    return Decoded(content.decode(encoding, "replace"), encoding, "detected")


def _is_utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
