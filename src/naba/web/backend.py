"""What the reader needs from naba: the one protocol every page module depends on."""

from __future__ import annotations

from typing import Protocol

from naba.config import Settings
from naba.store.access import AccessStore
from naba.store.base import ArticleLog, SectionStore, SourceStore, UnderstandingReader
from naba.types import SearchQuery, SearchResults


class ReaderStore(ArticleLog, UnderstandingReader, SourceStore, SectionStore, Protocol):
    """What the reader's pages need of a store: the articles, the understanding tables, the sources and the
    sections."""


class ReaderBackend(Protocol):
    """What the reader needs from naba (:class:`naba.engine.naba.Naba`): the store, the settings and search."""

    @property
    def store(self) -> ReaderStore: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def access(self) -> AccessStore:
        """The API's tables: tokens, saved searches, webhooks (:mod:`naba.store.access`)."""
        ...

    def index_seq(self) -> int:
        """The ``change_seq`` the search index has caught up to (a new webhook starts from it)."""
        ...

    def search(self, query: SearchQuery) -> SearchResults: ...
