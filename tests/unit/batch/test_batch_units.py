"""The pieces of the batch stages that need no Spark: the Article row round trip, MinHash banding, the
streaming order, and that ``naba.batch`` imports without PySpark."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import numpy as np

from naba.article_json import ARTICLE_FIELDS
from naba.batch.dedupe import BANDS, ROWS, band_keys, minhash, order_key
from naba.batch.schema import article_from_row, article_row, day_of
from naba.extract.article import build_article
from naba.types import Image, Provenance

SAUDI = dt.timezone(dt.timedelta(hours=3))


def _article() -> object:
    return build_article(
        url="https://www.spa.gov.sa/1234",
        publisher="واس",
        language="ar",
        title="خادم الحرمين يستقبل وزير الخارجية",
        lead="الرياض - واس",
        body_paragraphs=("استقبل خادم الحرمين الشريفين اليوم وزير الخارجية.", "وجرى خلال الاستقبال بحث العلاقات."),
        authors=("محرر",),
        published=dt.datetime(2015, 8, 2, 23, 30, tzinfo=SAUDI),
        tags=("سياسة",),
        images=(Image(url="https://www.spa.gov.sa/i.jpg", caption="صورة"),),
        provenance=Provenance(source="x.warc.gz", fetched_at=dt.datetime(2015, 8, 2, 21, 0, tzinfo=dt.UTC), raw_sha256="ab"),
        evidence={"title": "og:title"},
    )  # fmt: skip


def test_an_article_row_gives_back_the_same_article() -> None:
    article = _article()
    row = article_row(article, 7, "x.warc.gz#1")  # type: ignore[arg-type]
    data = dict(zip([*ARTICLE_FIELDS, "seq", "location", "day"], row, strict=True))
    assert data["seq"] == 7 and data["day"] == "2015-08-02"  # the day the page states, in its own offset
    assert article_from_row(data) == article


def test_the_day_falls_back_to_the_fetch_day_then_unknown() -> None:
    article = _article()
    fetched_only = build_article(title="t", body_paragraphs=("نص",), provenance=article.provenance)  # type: ignore[attr-defined]
    assert day_of(fetched_only) == "2015-08-02"
    bare = build_article(title="t", body_paragraphs=("نص",), provenance=Provenance("x", None, ""))
    assert day_of(bare) == "unknown"


def test_minhash_bands_are_deterministic_and_track_overlap() -> None:
    rng = np.random.default_rng(1)
    base = [int(x) for x in rng.integers(-(2**62), 2**62, size=300)]
    copy = base[:150]  # a copy that kept half of the text
    other = [int(x) for x in rng.integers(-(2**62), 2**62, size=300)]
    a, b, c = minhash(base), minhash(copy), minhash(other)
    assert a.shape == (BANDS * ROWS,) and np.array_equal(a, minhash(list(reversed(base))))
    shared = len(set(band_keys(a)) & set(band_keys(b)))
    assert shared > 5  # Jaccard 0.5: about a quarter of the bands agree
    assert not set(band_keys(a)) & set(band_keys(c))


def test_the_streaming_order_puts_missing_times_last_and_compares_in_utc() -> None:
    early = order_key("2015-08-02T23:30:00+03:00", "b")
    later = order_key("2015-08-02T21:00:00+00:00", "a")
    assert early < later < order_key(None, "a")
    assert order_key("2015-08-02", "a") < order_key("2015-08-02T00:00:01+00:00", "a")


def test_naba_batch_imports_without_pyspark() -> None:
    code = (
        "import sys; sys.modules['pyspark'] = None\n"
        "import naba.batch.extract, naba.batch.dedupe, naba.batch.stories, naba.batch.load, naba.cli\n"
        "from naba.batch.session import spark_available; print(spark_available())"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "PySpark is not installed" in done.stdout


def test_local_masters_name_their_cores() -> None:
    from naba.batch.session import local_cores

    assert [local_cores(m) for m in ("local", "local[2]", "local[3, 4]")] == [1, 2, 3]
    assert local_cores("local[*]") >= 1


def test_average_linkage_keeps_a_chain_of_partial_copies_apart() -> None:
    from naba.batch.dedupe import average_linkage

    # 0 and 1 are one wire text; 2 shares 0.6 with 1 only, and 3 and 4 are copies of 2. Single linkage
    # would glue 0-4 into one group. The streaming rule: 2's mean over the group {0, 1} is 0.3, so it
    # starts a group; 3 joins it (0.6), and 4 too (a near-verbatim copy of 3, whatever the mean).
    matches = [(0, 1, 0.95), (1, 2, 0.6), (2, 3, 0.6), (3, 4, 0.97)]
    groups = average_linkage(range(5), matches)
    assert groups == {0: 0, 1: 0, 2: 2, 3: 2, 4: 2}
    # an exact copy (1.0) of one member joins even a loose group; nothing is linked outside the members given
    assert average_linkage([0, 1, 2], [(0, 2, 1.0), (1, 2, 0.2), (2, 9, 1.0)]) == {0: 0, 1: 1, 2: 0}
