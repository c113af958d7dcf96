"""One settings registry: every setting has a name, a type, a default and help.

Precedence, lowest first: defaults < ``naba.toml`` < ``NABA_*`` environment variables < CLI flags.
Settings are resolved once, by :func:`load_settings`, and passed down; nothing reads the environment at
import time.
"""

from __future__ import annotations

import os
import tomllib
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from naba.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    type: Callable[[str], Any]
    default: Any
    help: str


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"not a boolean: {value!r}")


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "db",
            str,
            "naba.db",
            "The database (the source of truth): a SQLite file path, or a postgresql:// URL.",
        ),
        Setting(
            "index_dir",
            str,
            "",
            "Folder of the search index; empty means '<db>.index' next to the database.",
        ),
        Setting("analyzer", str, "ar-search-v1", "Analyzer preset used to index and query text."),
        Setting(
            "max_input_bytes",
            int,
            50 * 1024 * 1024,
            "Largest JSON dump (a file or zip member read whole); HTML and text pages are capped at 10 MB.",
        ),
        Setting("ingest_batch", int, 500, "Articles written per database transaction during ingest."),
        Setting("ingest_workers", int, 0, "Analysis worker processes for ingest; 0 = one per CPU core."),
        Setting(
            "error_policy", str, "record", "On a bad input: 'raise', 'record' (log and keep a row) or 'skip'."
        ),
        Setting("page_size", int, 20, "Results per page in the reader and CLI search."),
        Setting(
            "timezone",
            str,
            "Asia/Riyadh",
            "IANA time zone the reader shows times in (cards, story spans, timelines, feeds).",
        ),
        Setting("host", str, "127.0.0.1", "Address the reader listens on."),
        Setting("port", int, 8000, "Port the reader listens on."),
        # Calibrated on the dev sets (eval/retrieval.py and eval/search.py, whole corpus): a title is short, so
        # BM25 already scores one title match high; 0.5-0.75 was best on both sets, 1.0 and 2.0 measurably worse.
        Setting("title_boost", float, 0.75, "Weight of title matches relative to body matches in search."),
        Setting("debug", _bool, False, "Verbose logs."),
        # -- fetching (naba.sources): politeness, limits and the SSRF guard --------------------------------
        Setting(
            "user_agent",
            str,
            "naba/0.1 (+https://github.com/naba-news/naba; Arabic news aggregator)",
            "User-Agent sent with every request; keep a contact URL in it.",
        ),
        Setting(
            "contact_url", str, "https://github.com/naba-news/naba", "Contact URL added to the User-Agent."
        ),
        Setting("host_concurrency", int, 2, "Requests in flight per host at most."),
        Setting(
            "host_delay",
            float,
            1.0,
            "Seconds between two requests to one host at least (robots.txt may ask more).",
        ),
        Setting("connect_timeout", float, 10.0, "Seconds to connect."),
        Setting("read_timeout", float, 20.0, "Seconds to wait for each chunk of a response."),
        Setting("total_timeout", float, 60.0, "Seconds one request may take in all, body included."),
        Setting("max_body_bytes", int, 10 * 1024 * 1024, "Largest response body (after decompression)."),
        Setting("max_redirects", int, 5, "Redirects followed per request."),
        Setting("retries", int, 3, "Retries on timeouts, 429 and 5xx (with backoff and jitter)."),
        Setting(
            "backoff_seconds",
            float,
            2.0,
            "First retry delay; doubles each retry, capped by max_backoff_seconds.",
        ),
        Setting("max_backoff_seconds", float, 300.0, "Longest wait before a retry (also caps Retry-After)."),
        Setting("respect_robots", _bool, True, "Honour robots.txt rules and crawl-delay."),
        Setting(
            "allow_private_addresses",
            _bool,
            False,
            "Fetch URLs that resolve to private, loopback, link-local or metadata addresses (SSRF guard off).",
        ),
        # -- the API, feeds and alerts (naba.web.api, naba.engine.alerts) --------------------------------
        Setting(
            "api_require_read_token", _bool, False, "Reads of /api/v1 and /feeds need a token (read scope)."
        ),
        Setting(
            "api_cors_origins",
            str,
            "",
            "Origins allowed to call the API from a browser, comma-separated (none).",
        ),
        Setting(
            "api_rate_limit", float, 20.0, "API requests per second per client, sustained (0 = no limit)."
        ),
        Setting("api_rate_burst", int, 60, "API requests a client may make at once before the rate applies."),
        Setting("api_max_body_bytes", int, 16 * 1024, "Largest request body the API accepts."),
        Setting(
            "public_url", str, "", "Base URL of the reader in feed links; empty means the request's own."
        ),
        Setting(
            "webhook_allow_private_addresses",
            _bool,
            False,
            "Deliver webhooks to private, loopback or link-local addresses (SSRF guard off).",
        ),
        Setting("webhook_timeout", float, 10.0, "Seconds one webhook POST may take."),
        Setting("webhook_max_attempts", int, 8, "Attempts per webhook delivery before it is marked failed."),
        Setting(
            "webhook_backoff_seconds",
            float,
            30.0,
            "First webhook retry delay; doubles each retry, up to an hour.",
        ),
        Setting("watch_concurrency", int, 8, "Sources polled at once by `naba watch`."),
        Setting("watch_min_interval", float, 300.0, "Seconds between two polls of one source at least."),
        Setting("watch_max_interval", float, 6 * 3600.0, "Seconds between two polls of one source at most."),
        Setting(
            "watch_lease",
            float,
            600.0,
            "PostgreSQL: seconds a watch worker holds the sources it polls; a dead worker's are due after it.",
        ),
    )
}


@dataclass(frozen=True, slots=True)
class Settings:
    db: str
    index_dir: str
    analyzer: str
    max_input_bytes: int
    ingest_batch: int
    ingest_workers: int
    error_policy: str
    page_size: int
    timezone: str
    host: str
    port: int
    title_boost: float
    debug: bool
    user_agent: str
    contact_url: str
    host_concurrency: int
    host_delay: float
    connect_timeout: float
    read_timeout: float
    total_timeout: float
    max_body_bytes: int
    max_redirects: int
    retries: int
    backoff_seconds: float
    max_backoff_seconds: float
    respect_robots: bool
    allow_private_addresses: bool
    api_require_read_token: bool
    api_cors_origins: str
    api_rate_limit: float
    api_rate_burst: int
    api_max_body_bytes: int
    public_url: str
    webhook_allow_private_addresses: bool
    webhook_timeout: float
    webhook_max_attempts: int
    webhook_backoff_seconds: float
    watch_concurrency: int
    watch_min_interval: float
    watch_max_interval: float
    watch_lease: float

    @property
    def index_path(self) -> Path:
        """The tantivy folder; a database URL has no folder beside it, so it needs ``index_dir``."""
        if self.index_dir:
            return Path(self.index_dir)
        if "://" in self.db:
            raise ConfigError("a database URL has no folder beside it for a search index: set index_dir")
        return Path(self.db + ".index")


ERROR_POLICIES = ("raise", "record", "skip")


def _coerce(setting: Setting, value: Any) -> Any:
    if isinstance(value, str) and setting.type is not str:
        try:
            return setting.type(value)
        except (ValueError, ConfigError) as exc:
            raise ConfigError(f"setting {setting.name}: {exc}") from exc
    if setting.type is float and isinstance(value, int):
        return float(value)
    return value


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    toml_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve every setting once: defaults < naba.toml < NABA_* environment < ``overrides`` (CLI flags)."""
    values: dict[str, Any] = {name: s.default for name, s in SETTINGS.items()}
    path = toml_path if toml_path is not None else Path("naba.toml")
    if path.is_file():
        with path.open("rb") as handle:
            for name, value in tomllib.load(handle).items():
                values[name] = _coerce(SETTINGS[_known(name)], value)
    env = os.environ if environ is None else environ
    for key, value in env.items():
        if key.startswith("NABA_"):
            name = key[5:].lower()
            if name in SETTINGS:
                values[name] = _coerce(SETTINGS[name], value)
    for name, value in (overrides or {}).items():
        if value is not None:
            values[name] = _coerce(SETTINGS[_known(name)], value)
    if values["error_policy"] not in ERROR_POLICIES:
        raise ConfigError(f"error_policy must be one of {ERROR_POLICIES}, not {values['error_policy']!r}")
    try:
        zoneinfo.ZoneInfo(values["timezone"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"timezone must be an IANA zone such as Asia/Riyadh, not {values['timezone']!r}"
        ) from exc
    return Settings(**values)


def _known(name: str) -> str:
    if name not in SETTINGS:
        raise ConfigError(f"unknown setting {name!r}; known: {', '.join(sorted(SETTINGS))}")
    return name


def settings_fields() -> list[str]:
    return [f.name for f in fields(Settings)]
