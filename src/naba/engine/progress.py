"""How long work reports how far it got: one protocol for ingest, indexing and understanding.

The engine calls ``progress(n)`` after each ``n`` items and ``progress.expect(total)`` once it knows how many
items a phase will take (understanding knows; a stream of files does not). The CLI draws a bar with the
total and an ETA on a terminal, and writes a progress line every few seconds elsewhere (logs, CI).
"""

from __future__ import annotations

from naba.types import Progress

__all__ = ["Progress"]
