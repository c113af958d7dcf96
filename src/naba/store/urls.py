"""Database names: a ``--db`` value with a scheme (``name://``) is a URL, never a file name."""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_url(db: str) -> bool:
    return bool(_SCHEME.match(db))


def is_postgres(db: str) -> bool:
    return db.lower().startswith(POSTGRES_SCHEMES)


def display(db: str) -> str:
    """The database for messages (a URL without its password)."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", db) if is_url(db) else db
