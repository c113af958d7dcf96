"""OPML source lists: reading what feed readers export, writing naba's own (round trip), the shipped default
list of Arabic sources, and no XXE."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from naba.errors import InputError, OpmlError
from naba.publishers import Region, default_registry
from naba.sources.opml import SourceSpec, default_sources, read_opml, write_opml

SPECS = [
    SourceSpec(
        url="https://sabq.org/stories.rss",
        kind="feed",
        title="سبق",
        site_url="https://sabq.org/",
        publisher="sabq",
        language="ar",
        country="SA",
        region="gulf",
        verified=True,
    ),
    SourceSpec(
        url="https://www.okaz.com.sa/sitemap-news.xml",
        kind="sitemap",
        title="عكاظ — خريطة الأخبار",
        site_url="https://www.okaz.com.sa/",
        publisher="okaz",
        language="ar",
        country="SA",
        region="gulf",
    ),
    SourceSpec(url="https://www.hespress.com/feed", kind="feed", title="هسبريس & «أخبار»", region="maghreb"),
    SourceSpec(url="https://example.org/rss?a=1&b=2", kind="feed", title="بلا تصنيف"),
]


def test_round_trip() -> None:
    document = write_opml(SPECS, title="مصادري")
    assert document.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert "مصادري".encode() in document
    assert read_opml(document) == SPECS


def test_writer_groups_by_region_in_first_seen_order() -> None:
    mixed = [SPECS[2], SPECS[0], SPECS[3], SPECS[1]]
    assert [s.url for s in read_opml(write_opml(mixed))] == [
        SPECS[2].url,
        SPECS[0].url,
        SPECS[1].url,
        SPECS[3].url,
    ]


def test_reads_a_feed_reader_export_with_nested_categories() -> None:
    content = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>اشتراكاتي</title></head><body>
  <outline text="أخبار" title="أخبار">
    <outline text="الخليج">
      <outline type="rss" text="عكاظ" xmlUrl="https://www.okaz.com.sa/rss" htmlUrl="https://www.okaz.com.sa/"/>
      <outline type="atom" title="الرياض" text="ignored" xmlurl="https://www.alriyadh.com/atom"/>
    </outline>
    <outline type="sitemap" text="سبق" xmlUrl="https://sabq.org/sitemap.xml" naba:publisher="sabq"
             naba:verified="TRUE" naba:country="SA"/>
  </outline>
  <outline text="بلا رابط" htmlUrl="https://example.org/"/>
  <outline type="rss" text="عكاظ مكرر" xmlUrl="https://www.okaz.com.sa/rss"/>
</body></opml>""".encode()
    with pytest.raises(OpmlError):  # a parse error just before must not leak into the next document's verdict
        read_opml(b"<opml><body><<<")
    okaz, riyadh, sabq = read_opml(content)  # the undeclared naba: prefix is forgiven; the repeat is dropped
    assert (okaz.title, okaz.kind, okaz.site_url, okaz.region, okaz.verified) == (
        "عكاظ",
        "feed",
        "https://www.okaz.com.sa/",
        "الخليج",
        False,
    )
    assert (riyadh.title, riyadh.url) == ("الرياض", "https://www.alriyadh.com/atom")
    assert (sabq.kind, sabq.publisher, sabq.country, sabq.verified, sabq.region) == (
        "sitemap",
        "sabq",
        "SA",
        True,
        "أخبار",
    )


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<!DOCTYPE html><html><body>not opml</body></html>",
        b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>',
        b"<opml><head/></opml>",
        b"<opml><body><outline",
    ],
)
def test_non_opml_raises(content: bytes) -> None:
    with pytest.raises(OpmlError) as caught:
        read_opml(content)
    assert isinstance(caught.value, InputError)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_no_xxe_and_no_entity_expansion_in_opml(tmp_path: Path, encoding: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    for doctype, use in (
        (f'<!ENTITY xxe SYSTEM "file://{secret}">', "&xxe;"),
        ('<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">', "&b;"),
    ):
        content = (
            f'<?xml version="1.0" encoding="{encoding}"?><!DOCTYPE opml [{doctype}]><opml version="2.0">'
            f'<head><title>{use}</title></head><body><outline text="{use}" xmlUrl="https://x.sa/rss"/></body></opml>'
        ).encode(encoding)
        with pytest.raises(OpmlError, match="entity"):
            read_opml(content)


# -- the shipped default list ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def defaults() -> list[SourceSpec]:
    return default_sources()


def test_default_sources_are_many_unique_and_web_urls(defaults: list[SourceSpec]) -> None:
    assert len(defaults) >= 45
    assert len({s.url for s in defaults}) == len(defaults)
    for spec in defaults:
        for url in (spec.url, spec.site_url):
            assert url is not None and urlsplit(url).scheme in {"http", "https"} and urlsplit(url).netloc
        assert spec.kind == "feed" and spec.language == "ar" and spec.title
        assert spec.country is not None and len(spec.country) == 2 and spec.country.isupper()


def test_default_sources_are_unverified_and_cover_every_region(defaults: list[SourceSpec]) -> None:
    assert not any(s.verified for s in defaults)  # from general knowledge: `naba sources check` verifies them
    assert {s.region for s in defaults} == {r.value for r in Region}


def test_default_sources_link_to_the_publishers_registry(defaults: list[SourceSpec]) -> None:
    registry = default_registry()
    linked = [s for s in defaults if s.publisher]
    assert len(linked) >= 45
    for spec in linked:
        publisher = registry.by_key(spec.publisher or "")
        assert publisher is not None, spec.publisher
        assert spec.site_url is not None and registry.for_url(spec.site_url) is publisher, spec
        assert (spec.country, spec.region) == (publisher.country, publisher.region.value), spec
        # A feed the registry already lists is used as it is written there.
        listed = {feed.url for feed in publisher.feeds if feed.kind != "sitemap"}
        assert (
            not listed
            or spec.url in listed
            or any(s.url in listed for s in linked if s.publisher == spec.publisher)
        )
