"""Links the reader builds from a request, and the route convertor that takes any stored id."""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from starlette.routing import compile_path

from naba.web.pages import ID_CONVERTOR, AnyIdConvertor, article_href, same_site_path


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "/"),
        (b"/", "/"),
        (b"//", "/"),
        (b"/\\", "/"),
        (b"/search", "/search"),
        (b"/x/", "/x/"),
        (b"//evil.example/x", "/evil.example/x"),
        (b"/\\evil.example", "/evil.example"),
        (b"\\\\evil.example", "/evil.example"),
        (b"/\\/\\//evil.example//x", "/evil.example//x"),
        (b"/%2F%2Fevil.example", "/%2F%2Fevil.example"),  # an encoded slash stays encoded
        (b"/%5Cevil.example", "/%5Cevil.example"),
        (b"/a\\b", "/a%5Cb"),
        (b"/article/a%2Fb%3Fc%23d%0Ae", "/article/a%2Fb%3Fc%23d%0Ae"),  # an article id round-trips
        (b"/article/%d8%a7", "/article/%D8%A7"),
        (b'/article/\xd8\xa7 "<x>', "/article/%D8%A7%20%22%3Cx%3E"),  # raw bytes a client should have escaped
        (b"/article/%25D8%25A7", "/article/%25D8%25A7"),  # decoded once, never twice
        (b"/search?q=//evil.example", "/search"),  # a query in raw_path is not the path
    ],
)
def test_same_site_path(raw: bytes, expected: str) -> None:
    path = same_site_path(raw)
    assert path == expected
    assert re.fullmatch(r"/|/[^/\\].*", path, re.S)
    assert path.isascii() and not re.search(r"[\s\"'<>\\?#]", path)
    assert urlsplit(urljoin("http://naba.test/a/b?c#d", path)).netloc == "naba.test"


@pytest.mark.parametrize(
    "article_id",
    ["a\nb", "\n", "ينتهي بسطر\n", "\r\n\t ", "a?b#c%d", "https://x.example/أخبار/1?id=2", "/../..//x", ""],
)
def test_the_id_convertor_matches_any_id(article_id: str) -> None:
    regex, _, convertors = compile_path(f"/article/{{article_id:{ID_CONVERTOR}}}")
    assert isinstance(convertors["article_id"], AnyIdConvertor)
    match = regex.match(unquote(article_href(article_id)))
    assert match and match["article_id"] == article_id
    # Starlette's own path convertor stops at a line feed: the reason for this one.
    plain, _, _ = compile_path("/article/{article_id:path}")
    if "\n" in article_id:
        found = plain.match("/article/" + article_id)
        assert found is None or found["article_id"] != article_id


def test_the_id_convertor_builds_the_link_the_templates_print() -> None:
    assert "/article/" + AnyIdConvertor().to_string("a\nb/ج?") == article_href("a\nb/ج?")
