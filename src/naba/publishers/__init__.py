"""naba.publishers: declarative knowledge about Arabic news outlets and wire agencies.

The outlets and agencies are data (``naba/data/outlets.toml``, ``agencies.toml``), read with their records by
:mod:`naba.knowledge`; lookups are in :mod:`naba.publishers.registry`, credits in text in
:mod:`naba.publishers.credits`.
"""

from __future__ import annotations

from naba.knowledge import Agency, Feed, Phrase, Publisher, Region, Selector, verified
from naba.publishers.registry import (
    PublisherRegistry,
    agency_in_text,
    default_registry,
    publisher_by_name,
    publisher_for_saudinewsnet,
    publisher_for_url,
    source_in_text,
)

__all__ = [
    "Agency",
    "Feed",
    "Phrase",
    "Publisher",
    "PublisherRegistry",
    "Region",
    "Selector",
    "agency_in_text",
    "default_registry",
    "publisher_by_name",
    "publisher_for_saudinewsnet",
    "publisher_for_url",
    "source_in_text",
    "verified",
]
