"""Who may use the API and what it keeps for them: tokens, saved searches and webhooks (the CLI's
``naba tokens``, ``naba saved-searches`` and ``naba alerts``, and the API's write endpoints, call these).

Tokens look like ``naba_<id>_<secret>``: the id finds the row, the secret's SHA-256 is compared with the
stored one by :func:`hmac.compare_digest` (constant time), and the secret itself is never stored, so it is
shown once, at creation. A write token may also read. A revoked token stops working at once.

A webhook's URL must be http(s) and, unless ``webhook_allow_private_addresses`` is set, resolve to public
addresses only (the SSRF guard of :mod:`naba.sources.http`, applied again at every delivery).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import re
import secrets
import socket
from collections.abc import Sequence
from typing import Any, Final
from urllib.parse import urlsplit

from naba.errors import InputError, NotFoundError
from naba.sources.http import non_public
from naba.store.access import AccessStore, SavedSearch, TokenRow, TokenScope, Webhook

TOKEN_FORMAT: Final = re.compile(r"naba_(\d{1,12})_([A-Za-z0-9_-]{20,100})")
MAX_NAME_CHARS: Final = 200
MAX_QUERY_CHARS: Final = 500
MAX_SOURCES: Final = 50
MAX_URL_CHARS: Final = 2000
# Compared against when the token id is unknown, so an unknown id costs the same time as a wrong secret.
_NO_DIGEST: Final = hashlib.sha256(b"no such token").hexdigest()


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(store: AccessStore, scope: TokenScope, name: str | None = None) -> tuple[TokenRow, str]:
    """A new token of ``scope``: its stored row and the token itself (shown once, never stored)."""
    if name is not None and len(name) > MAX_NAME_CHARS:
        raise InputError(f"a token name has at most {MAX_NAME_CHARS} characters")
    secret = secrets.token_urlsafe(32)
    row = store.add_token(name, scope, _digest(secret))
    return row, f"naba_{row.id}_{secret}"


def verify_token(store: AccessStore, presented: str) -> TokenRow | None:
    """The live token ``presented`` is, or None (malformed, unknown, wrong secret or revoked)."""
    match = TOKEN_FORMAT.fullmatch(presented.strip())
    if match is None:
        return None
    token_id, secret = int(match.group(1)), match.group(2)
    stored = store.token_digest(token_id)
    if not hmac.compare_digest(_digest(secret), stored or _NO_DIGEST) or stored is None:
        return None
    return store.token(token_id)


def allows(token: TokenRow | None, needed: TokenScope) -> bool:
    """Whether ``token`` may do what needs ``needed`` (a write token also reads)."""
    return token is not None and (token.scope == "write" or needed == "read")


def revoke_token(store: AccessStore, token_id: int) -> None:
    if not store.revoke_token(token_id):
        raise NotFoundError(f"no live token {token_id}")


# -- saved searches ---------------------------------------------------------------------------------------
def save_search(
    store: AccessStore,
    name: str,
    query: str,
    sources: Sequence[str] = (),
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> SavedSearch:
    """Keep a search under ``name`` (both trimmed and checked against the limits above)."""
    name, query = name.strip(), query.strip()
    if not name or len(name) > MAX_NAME_CHARS:
        raise InputError(f"a saved search needs a name of 1 to {MAX_NAME_CHARS} characters")
    if not query or len(query) > MAX_QUERY_CHARS:
        raise InputError(f"a saved search needs a query of 1 to {MAX_QUERY_CHARS} characters")
    if len(sources) > MAX_SOURCES or any(not s.strip() or len(s) > MAX_NAME_CHARS for s in sources):
        raise InputError(f"at most {MAX_SOURCES} sources, each a non-empty publisher key")
    if date_from and date_to and date_from > date_to:
        raise InputError("date_from is after date_to")
    return store.add_saved_search(name, query, [s.strip() for s in sources], date_from, date_to)


def get_saved_search(store: AccessStore, search_id: int) -> SavedSearch:
    found = store.saved_search(search_id)
    if found is None:
        raise NotFoundError(f"no saved search {search_id}")
    return found


def delete_saved_search(store: AccessStore, search_id: int) -> None:
    if not store.delete_saved_search(search_id):
        raise NotFoundError(f"no saved search {search_id}")


# -- webhooks ---------------------------------------------------------------------------------------------
def check_target(url: str, settings: Any) -> None:
    """Refuse a webhook URL that is not http(s), carries credentials, or (unless the setting allows it)
    resolves to a private, loopback, link-local or metadata address."""
    parts = urlsplit(url)
    if len(url) > MAX_URL_CHARS or parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError("a webhook URL is an absolute http(s) URL")
    if parts.username or parts.password:
        raise InputError("a webhook URL with credentials is refused; sign requests with the secret instead")
    if settings.webhook_allow_private_addresses:
        return
    host = parts.hostname
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = [str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)]
        except (OSError, UnicodeError) as exc:
            raise InputError(f"cannot resolve {host}: {exc}") from exc
    blocked = [a for a in addresses if non_public(a)]
    if blocked:
        raise InputError(
            f"{host} is a non-public address ({blocked[0]}); refused (webhook_allow_private_addresses)"
        )


def add_webhook(
    store: AccessStore,
    settings: Any,
    url: str,
    *,
    saved_search: int | None = None,
    min_outlets: int | None = None,
    watermark: int = 0,
) -> Webhook:
    """A webhook for new articles matching ``saved_search`` or for stories reaching ``min_outlets`` outlets
    (exactly one of them); ``watermark``: the change_seq already considered (articles stored before the
    webhook existed are not alerted). Its signing secret is generated here."""
    if (saved_search is None) == (min_outlets is None):
        raise InputError("a webhook follows either a saved search or stories with at least N outlets")
    if min_outlets is not None and not 1 <= min_outlets <= 1000:
        raise InputError("min_outlets is between 1 and 1000")
    if saved_search is not None:
        get_saved_search(store, saved_search)
    check_target(url, settings)
    return store.add_webhook(
        url, secrets.token_hex(32), saved_search=saved_search, min_outlets=min_outlets, watermark=watermark
    )


def delete_webhook(store: AccessStore, webhook_id: int) -> None:
    if not store.delete_webhook(webhook_id):
        raise NotFoundError(f"no webhook {webhook_id}")
