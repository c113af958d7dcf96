"""One exception tree for naba.

    NabaError
    ├── ConfigError            bad setting value or unknown setting
    ├── InputError             an input cannot be read (file, line, archive member); carries its location
    │   ├── CursorError        a pagination cursor naba did not hand out
    │   ├── DecodeError        bytes that are not text in any supported encoding
    │   ├── TooLargeError      an input over a configured size limit
    │   ├── OpmlError          bytes that are not an OPML document
    │   ├── FeedError          bytes that are not a feed, or a feed in which nothing could be read
    │   └── SitemapError       bytes that are not a sitemap, or a sitemap in which nothing could be read
    │       └── SitemapTooLargeError  a sitemap over the byte limit (also a TooLargeError)
    ├── FetchError             a fetch failed: ``reason`` (a FetchReason), the HTTP status if any
    ├── ExtractError           a document was read but no article could be extracted from it
    │   ├── EmptyDocumentError the decoded text holds no document at all
    │   └── LimitExceededError a page broke a resource limit of the extractor
    │       ├── NestingTooDeepError     deeper than the parser keeps (it would cut the article)
    │       ├── TooManyAttributesError  an attribute bomb (quadratic in libxml2)
    │       └── PageTimeoutError        the page used up its time budget
    ├── StoreError             the database refused an operation (schema, migration, integrity)
    │   ├── BusyError          another naba process holds what this one needs (the write lock, a lease)
    │   └── ReadOnlyError      the database refuses writes (a hot standby, a read-only role or file)
    ├── SearchError            the index is missing, stale or the query is malformed
    ├── TrainingUnavailable    a section model cannot be trained (no scikit-learn, or too few weak labels)
    ├── NotFoundError          no saved search, webhook or token with that id
    └── ApiError               an API request refused: its status, envelope code, detail and headers

Each class carries the HTTP status the API answers it with (``http_status``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

# How a fetch can fail (FetchError.reason).
FetchReason = Literal[
    "invalid_url", "blocked_address", "robots", "timeout", "connect", "http_status", "too_large", "redirects",
    "decoding",
]  # fmt: skip


class NabaError(Exception):
    """Root of every error naba raises on purpose."""

    http_status = 500

    def __init__(self, message: str, *, location: str | None = None, stage: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.stage = stage

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.message}"


class ConfigError(NabaError):
    http_status = 400


class InputError(NabaError):
    http_status = 422


class CursorError(InputError):
    http_status = 400


class DecodeError(InputError):
    pass


class TooLargeError(InputError):
    http_status = 413


class OpmlError(InputError):
    """Bytes that are not an OPML document."""


class FeedError(InputError):
    """Bytes that are not a feed, or a feed in which nothing could be read."""


class SitemapError(InputError):
    """Bytes that are not a sitemap, or a sitemap in which nothing could be read."""


class SitemapTooLargeError(SitemapError, TooLargeError):
    """A sitemap over the byte limit, compressed or (a gzip bomb) once decompressed."""


class FetchError(NabaError):
    """A fetch failed; ``reason`` says how (a :data:`FetchReason`), ``status`` the HTTP status if any.

    ``reason="connect"`` also covers a connection that broke before the response was complete (a body
    shorter than its Content-Length). ``retry_after`` is the server's Retry-After in seconds, when sent.
    """

    http_status = 502  # the upstream server failed us: Bad Gateway

    def __init__(
        self,
        reason: FetchReason,
        url: str,
        detail: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        retryable: bool = True,
    ) -> None:
        super().__init__(f"{reason}: {detail}", location=url, stage="fetch")
        self.reason: FetchReason = reason
        self.url = url
        self.status = status
        self.retry_after = retry_after
        self.retryable = retryable
        self.attempts = 1


class ExtractError(NabaError):
    http_status = 422


class EmptyDocumentError(ExtractError):
    """The decoded text holds no document at all (empty, whitespace only, comments only)."""


class LimitExceededError(ExtractError):
    """A page broke one of the extractor's resource limits; ``stage`` says where it was noticed."""


class NestingTooDeepError(LimitExceededError):
    """The page nests elements deeper than the limit (libxml2 would silently truncate it)."""


class TooManyAttributesError(LimitExceededError):
    """An element carries more distinct attributes than the limit (libxml2 is quadratic in them)."""


class PageTimeoutError(LimitExceededError):
    """Extraction of one page used up its time budget."""


class StoreError(NabaError):
    pass


class BusyError(StoreError):
    pass


class ReadOnlyError(StoreError):
    http_status = 503  # this server cannot change anything: the primary (or a writable file) can


class SearchError(NabaError):
    http_status = 400


class TrainingUnavailable(NabaError):
    """Training needs scikit-learn (``pip install 'naba[sections]'``) or more weak labels than there are."""

    http_status = 409


class NotFoundError(NabaError):
    http_status = 404


class ApiError(NabaError):
    """An API request refused with ``status``; ``code`` is one of the envelope's codes (derived from the
    status when None), ``detail`` any JSON, ``headers`` sent along (``WWW-Authenticate``, ``Retry-After``)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        detail: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.http_status = status
        self.code = code
        self.detail = detail
        self.headers = dict(headers or {})
