"""Input locations as `naba ingest` and `naba batch extract` take them: local paths, WARC URLs, path lists.

Contract
--------
* :func:`expand_locations` turns what a user names into the list of inputs to read, in order: a path-list
  file (Common Crawl's ``warc.paths`` / ``warc.paths.gz``, one location a line) becomes its lines, a folder
  becomes the files under it (path order; hidden ones left out) so that each is a task of its own in Spark,
  anything else stays itself. A relative line
  of a path list (``crawl-data/CC-NEWS/2016/09/CC-NEWS-….warc.gz``) is resolved against ``prefix`` (Common
  Crawl's public data host by default), or, when ``prefix`` is a local folder, inside it. A path list that
  cannot be read is one failure item of its own, never the end of the run.
* :func:`read_location` reads one input as :class:`~naba.types.InputItem`s: an ``http(s)://`` URL is a WARC
  archive streamed over HTTP (one record's payload in memory at a time, like a local archive); anything else
  goes to :func:`naba.sources.files.read_inputs`. This is *the* per-input function: `naba ingest` calls it
  in one process, the Spark extract stage calls it once per input inside ``mapPartitions``, so both give
  the same articles and the same failures for the same bytes.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Final, cast

import httpx

from naba.errors import InputError
from naba.sources.files import read_inputs
from naba.sources.inputs import failure_item
from naba.sources.warc import NO_FILTER, WarcFilter, read_warc_stream
from naba.types import InputItem

__all__ = ["COMMON_CRAWL_PREFIX", "expand_locations", "is_url", "read_location", "read_locations"]

COMMON_CRAWL_PREFIX: Final = "https://data.commoncrawl.org/"
PATH_LIST_SUFFIXES: Final = (".paths", ".paths.gz")
# Reading a remote archive: connecting may take a while, a stalled transfer must not hang a task forever.
_TIMEOUT: Final = httpx.Timeout(60.0, connect=30.0)
_CHUNK: Final = 1 << 20


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def is_path_list(location: str) -> bool:
    return location.lower().endswith(PATH_LIST_SUFFIXES)


def expand_locations(
    inputs: Iterable[str | Path], *, prefix: str = COMMON_CRAWL_PREFIX, folders: bool = True
) -> tuple[list[str], list[InputItem]]:
    """The inputs to read (see the module contract), and a failure item per path list that could not be read.

    ``folders=False`` leaves folders whole (`naba ingest` reads one as one input, in its own walk order).
    """
    locations: list[str] = []
    failures: list[InputItem] = []
    for given in inputs:
        location = str(given)
        if is_url(location):
            locations.append(location)
        elif is_path_list(location):
            try:
                locations.extend(_path_list(Path(location), prefix))
            except (OSError, EOFError, UnicodeDecodeError) as exc:
                failures.append(failure_item(location, InputError(f"cannot read the path list ({exc})")))
        elif folders and Path(location).is_dir():
            locations.extend(_files_under(Path(location)))
        else:
            locations.append(location)
    return locations, failures


def _path_list(path: Path, prefix: str) -> list[str]:
    opener: Any = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as lines:
        entries = [line.strip() for line in lines]
    return [_resolve(entry, prefix) for entry in entries if entry and not entry.startswith("#")]


def _resolve(entry: str, prefix: str) -> str:
    if is_url(entry) or os.path.isabs(entry):
        return entry
    if is_url(prefix):
        return prefix.rstrip("/") + "/" + entry.lstrip("/")
    return str(Path(prefix) / entry)


def _files_under(folder: Path) -> list[str]:
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(root, f) for f in sorted(files) if not f.startswith("."))
    return found


def read_locations(
    locations: Iterable[str | Path], *, max_input_bytes: int, warc_filter: WarcFilter | None = None
) -> Iterator[InputItem]:
    """Every item of every location, in order (:func:`read_location` for each)."""
    for location in locations:
        yield from read_location(str(location), max_input_bytes=max_input_bytes, warc_filter=warc_filter)


def read_location(
    location: str, *, max_input_bytes: int, warc_filter: WarcFilter | None = None
) -> Iterator[InputItem]:
    """The items of one input (see the module contract)."""
    if is_url(location):
        yield from read_warc_url(location, warc_filter=warc_filter or NO_FILTER)
    else:
        yield from read_inputs([location], max_input_bytes=max_input_bytes, warc_filter=warc_filter)


def read_warc_url(
    url: str, *, warc_filter: WarcFilter = NO_FILTER, transport: httpx.BaseTransport | None = None
) -> Iterator[InputItem]:
    """A WARC archive at an ``http(s)`` URL, streamed; a failed request is one failure item."""
    try:
        with (
            httpx.Client(timeout=_TIMEOUT, follow_redirects=True, transport=transport) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code != 200:
                yield failure_item(url, InputError(f"HTTP {response.status_code} for the archive"))
                return
            stream = cast(IO[bytes], _ResponseStream(response))
            yield from read_warc_stream(stream, location=url, filter=warc_filter)
    except httpx.HTTPError as exc:
        yield failure_item(url, InputError(f"cannot download the archive ({type(exc).__name__}: {exc})"))


class _ResponseStream:
    """The raw bytes of an HTTP response as a readable binary stream (what the WARC reader takes)."""

    def __init__(self, response: httpx.Response) -> None:
        self._chunks = response.iter_raw(_CHUNK)
        self._buffer = b""
        self._done = False

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            chunk = next(self._chunks, None)
            if chunk is None:
                self._done = True
            else:
                self._buffer += chunk
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data
