"""naba.publishers: declarative knowledge about Arabic news outlets and wire agencies.

One module per region (``gulf``, ``levant``, ``egypt``, ``maghreb``, ``pan_arab``) and one for
``agencies``; records in :mod:`naba.publishers.model`; lookups in :mod:`naba.publishers.registry`.
"""

from __future__ import annotations

from naba.publishers.model import Agency, Feed, Phrase, Publisher, Region, Selector, verified
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
