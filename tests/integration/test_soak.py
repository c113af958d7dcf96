"""A small soak in every test run: real naba processes writing one database, killed at random, checked.

The full soak (≥ 50 kills) is ``bench/soak.py``; this one makes fewer kills over less input, with the
same checks (see ``tests/soak.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import CORPUS, need_shared
from tests.soak import SoakConfig, run_soak


@pytest.mark.slow
def test_killed_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    need_shared(CORPUS / "2015-08-06.zip")
    config = SoakConfig(
        work=tmp_path,
        corpus=CORPUS,
        files=4,
        articles_per_file=80,
        feed_articles=6,
        kills=12,
        max_seconds=240,
    )
    report = run_soak(config, progress=lambda line: None)
    print(report.as_dict())
    assert report.kills >= 6, "the time bound ran out before the soak killed anything much"
    assert report.lost == 0 and report.extra == 0, report.as_dict()
    assert report.articles == report.clean_articles > 300
    assert report.integrity == "ok"
    assert report.index_lag == 0 and report.index_docs == report.articles
    assert report.titles_found == report.titles_searched == 5
    assert report.orphans == []
    assert report.tracebacks == []
    assert report.reader_requests >= 20 and report.reader_errors == []
    assert report.duplicate_failures == 0 and report.failures >= 1
    assert report.understand_lag == 0
