"""Dates as Vietnamese feeds write them, canonical URLs and the similarity signature."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingest.dates import parse_date
from ingest.textutil import hamming, simhash
from ingest.urls import canonical_url, content_identifier


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


def test_local_sites_keep_their_scheme_so_links_open():
    assert canonical_url("http://127.0.0.1:8080/tin/1.htm?utm_source=x") == (
        "http://127.0.0.1:8080/tin/1.htm"
    )
    assert canonical_url("http://localhost/tin/1.htm/") == "http://localhost/tin/1.htm"
