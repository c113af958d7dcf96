"""For every reader of local inputs (:mod:`naba.sources.files`, :mod:`naba.sources.warc`): the failure item
(a :class:`naba.types.InputItem`) that says where and why an input went wrong, and the size cap of one document.
"""

from __future__ import annotations

import datetime as dt

from naba.errors import NabaError
from naba.types import InputItem, StageFailure

# Largest JSON line (one article), single text page, HTML page or WARC record payload.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def failure_item(
    location: str, error: BaseException, stage: str = "read", message: str | None = None
) -> InputItem:
    """The item of an input that failed: ``error`` at ``location`` (its message unless ``message`` is given)."""
    if message is None:
        message = error.message if isinstance(error, NabaError) else str(error) or type(error).__name__
    return InputItem(
        location=location,
        failure=StageFailure(
            stage=stage,
            location=location,
            error_type=_error_type(error),
            message=message,
            when=dt.datetime.now(dt.UTC),
        ),
    )


def _error_type(error: BaseException) -> str:
    name = type(error).__name__
    # zlib.error, binascii.Error: the bare name says nothing without the module
    return f"{type(error).__module__}.{name}" if name.lower() == "error" else name
