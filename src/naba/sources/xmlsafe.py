"""The one way naba parses fetched XML (sitemaps, OPML): lxml with everything that reaches outside off.

No entity resolution (XXE, billion laughs), no network, no DTD loading or validation, no huge trees; comments
and processing instructions dropped. ``recover`` keeps what precedes a syntax error (truncated downloads).
"""

from __future__ import annotations

from typing import Any

from lxml import etree


def safe_parser(*, recover: bool = False) -> Any:
    return etree.XMLParser(
        recover=recover,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
