"""Dates as Vietnamese feeds write them, canonical URLs and the similarity signature."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bantin.text import hamming, simhash
from ingest.dates import parse_date
from ingest.urls import canonical_url, content_identifier, reader_link


@pytest.mark.parametrize("text, expected", [
    ("Mon, 12 Jun 2017 10:50:00 GMT+7", datetime(2017, 6, 12, 3, 50, tzinfo=UTC)),
    ("Mon, 12 Jun 2017 10:50:00 GMT+07:00", datetime(2017, 6, 12, 3, 50, tzinfo=UTC)),
    ("Sat, 24 Dec 2022 10:24:43 +0700", datetime(2022, 12, 24, 3, 24, 43, tzinfo=UTC)),
    ("Sat, 24 Dec 2022 10:24:43 GMT", datetime(2022, 12, 24, 10, 24, 43, tzinfo=UTC)),
    ("2022-12-24T10:24:43+07:00", datetime(2022, 12, 24, 3, 24, 43, tzinfo=UTC)),
    ("2022-12-24 10:24:43", datetime(2022, 12, 24, 3, 24, 43, tzinfo=UTC)),  # naive = Vietnam
    ("11:42 27/12/2022", datetime(2022, 12, 27, 4, 42, tzinfo=UTC)),
    ("Thứ ba, 27/12/2022 - 11:42 (GMT+7)", datetime(2022, 12, 27, 4, 42, tzinfo=UTC)),
])
def test_dates_are_read_into_utc(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", None, "hôm qua", "32/13/2022"])
def test_unreadable_dates_are_none(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("url", [
    "http://www.baohatinh.vn/tin/1.htm",
    "https://m.baohatinh.vn/tin/1.htm/",
    "https://baohatinh.vn/tin/1.htm?utm_source=zalo&utm_medium=x#comments",
    "https://BAOHATINH.vn/tin/1.htm?fbclid=abc",
])
def test_canonical_url_variants_are_one(url):
    assert canonical_url(url) == "https://baohatinh.vn/tin/1.htm"


def test_canonical_url_keeps_meaningful_query_and_resolves_relative():
    assert canonical_url("/tin/1.htm?id=5", "http://baohatinh.vn/rss/a.xml") == (
        "https://baohatinh.vn/tin/1.htm?id=5"
    )


def test_content_identifier_is_stable_and_folded():
    a = content_identifier("Tiếp tục đẩy mạnh", "Báo Hà Tĩnh", "2022-12-27")
    assert a == content_identifier("tiep tuc  day manh", "bao ha tinh", "2022-12-27")
    assert a.startswith("urn:bantin:") and a != content_identifier("Khác", "", "")


def test_simhash_recognises_the_same_story_and_fits_sqlite(fixtures):
    story = (fixtures / "seed_baohatinh.txt").read_text(encoding="utf-8")
    retold = story.replace("Sáng 27/12", "Ngày 27/12").replace("392 cuộc", "gần 400 cuộc")
    retold += "\nTheo Báo Hà Tĩnh."
    other = (fixtures / "baohatinh_article.html").read_text(encoding="utf-8")
    a, b, c = simhash(story), simhash(retold), simhash(other)
    assert hamming(a, b) <= 6
    assert hamming(a, c) >= 16
    for value in (a, b, c):
        assert -(2**63) <= value < 2**63


@pytest.mark.parametrize("url, link", [
    ("http://www.baohatinh.vn/tin/1.htm", "http://www.baohatinh.vn/tin/1.htm"),
    ("https://m.baohatinh.vn/tin/1.htm/", "https://m.baohatinh.vn/tin/1.htm/"),
    ("https://baohatinh.vn/tin/1.htm?utm_source=zalo&utm_medium=x#comments",
     "https://baohatinh.vn/tin/1.htm"),
    ("https://BAOHATINH.vn/tin/1.htm?fbclid=abc", "https://BAOHATINH.vn/tin/1.htm"),
    ("http://127.0.0.1:8080/tin/1.htm?utm_source=x", "http://127.0.0.1:8080/tin/1.htm"),
])
def test_reader_link_keeps_the_publishers_scheme_host_and_path(url, link):
    assert reader_link(url) == link
    assert canonical_url(link) == canonical_url(url)  # ...while the variants are one key


def test_reader_link_keeps_other_parameters_as_written_and_resolves_relative():
    assert reader_link("/xem.php?id=5&utm_campaign=rss&q=%C4%91%C3%A0+n%E1%BA%B5ng&fbclid=z",
                       "http://www.baohatinh.vn/rss/a.xml") == (
        "http://www.baohatinh.vn/xem.php?id=5&q=%C4%91%C3%A0+n%E1%BA%B5ng"
    )


@pytest.mark.parametrize("url", ["", None, "urn:bantin:0123456789abcdef0123", "mailto:a@b.vn",
                                 "javascript:alert(1)"])
def test_reader_link_is_none_without_a_web_address(url):
    assert reader_link(url) is None


@pytest.mark.parametrize("url", [
    "https://m.www.baohatinh.vn/tin/1.htm/", "http://WWW.Bao.VN:443/x/?utm_source=1&a=b c#f",
    "https://bao.vn/a%20b//?x=&y", "https://www.m.bao.vn", "http://[::1]:8080/tin/1.htm",
    "https://[2001:db8::1]/tin/1.htm?id=2", "https://m.vn/tin", "urn:bantin:abc",
])
def test_a_key_is_its_own_key(url):
    # The pipeline stores the key ingest gave the feed item; it is never re-canonicalised, so
    # the stored key must be the one a later pass looks the item up by.
    key = canonical_url(url)
    assert canonical_url(key) == key


def test_an_ipv6_host_keeps_its_brackets_in_the_key():
    assert canonical_url("http://[::1]:8080/tin/1.htm/") == "https://[::1]:8080/tin/1.htm"


def test_local_sites_get_an_https_key_like_every_site():
    assert canonical_url("http://127.0.0.1:8080/tin/1.htm?utm_source=x") == (
        "https://127.0.0.1:8080/tin/1.htm"
    )
    assert canonical_url("http://localhost/tin/1.htm/") == "https://localhost/tin/1.htm"
