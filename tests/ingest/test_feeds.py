"""Feeds as Vietnamese outlets publish them, and the broken ones."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingest import FeedError
from ingest.feeds import parse_feed

CDATA_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title><![CDATA[ Báo Hà Tĩnh - Xã hội ]]></title>
<link>http://baohatinh.vn/</link>
<item>
  <title><![CDATA[
     Nông dân ra quân sản xuất vụ xuân ]]></title>
  <link><![CDATA[ /xa-hoi/nong-dan-ra-quan/240101.htm ]]></link>
  <description><![CDATA[<img src="/media/news/2301/a.jpg" /><br /><i>(Baohatinh.vn)</i> - Sáng nay, nông dân ra đồng.]]></description>
  <pubDate><![CDATA[Mon, 12 Jun 2017 10:50:00 GMT+7]]></pubDate>
</item>
<item>
  <title>Nông dân ra quân sản xuất vụ xuân</title>
  <link>https://www.baohatinh.vn/xa-hoi/nong-dan-ra-quan/240101.htm?utm_source=rss</link>
  <description>Bản trùng lặp.</description>
</item>
<item>
  <title>Tin thứ hai &amp; cuối</title>
  <link>http://baohatinh.vn/xa-hoi/tin-2/240102.htm</link>
  <description><![CDATA[<a href="x"><img width=130 height=100 src="https://cdn.example.vn/b.jpg" ></a></br>Lời dẫn tin hai.]]></description>
  <pubDate>Sat, 24 Dec 2022 10:24:43 +0700</pubDate>
</item>
</channel></rss>"""


def test_cdata_relative_links_gmt7_and_duplicates():
    feed = parse_feed(CDATA_FEED, "http://baohatinh.vn/rss/xa-hoi.xml")
    assert feed.title == "Báo Hà Tĩnh - Xã hội"
    assert [item.url for item in feed.items] == [
        "https://baohatinh.vn/xa-hoi/nong-dan-ra-quan/240101.htm",
        "https://baohatinh.vn/xa-hoi/tin-2/240102.htm",
    ]
    assert feed.duplicates == 1
    first, second = feed.items
    assert first.title == "Nông dân ra quân sản xuất vụ xuân"
    assert first.published_at == datetime(2017, 6, 12, 3, 50, tzinfo=UTC)
    assert first.description == "(Baohatinh.vn) - Sáng nay, nông dân ra đồng."
    assert first.images == ["http://baohatinh.vn/media/news/2301/a.jpg"]
    assert second.title == "Tin thứ hai & cuối"
    assert second.description == "Lời dẫn tin hai."
    assert second.published_at == datetime(2022, 12, 24, 3, 24, 43, tzinfo=UTC)


def test_atom_feed():
    atom = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Tin Atom</title>
<entry><title>Bài Atom</title><link href="https://example.vn/a.htm"/><id>urn:x:1</id>
<updated>2024-01-16T14:00:00+07:00</updated><summary>Tóm tắt.</summary></entry></feed>"""
    feed = parse_feed(atom, "https://example.vn/atom.xml")
    assert [(i.title, i.url, i.published_at) for i in feed.items] == [
        ("Bài Atom", "https://example.vn/a.htm", datetime(2024, 1, 16, 7, 0, tzinfo=UTC))
    ]


def test_malformed_xml_keeps_its_items_and_says_so():
    broken = CDATA_FEED.replace("</channel></rss>", "<item><title>Cụt")
    feed = parse_feed(broken, "http://baohatinh.vn/rss/xa-hoi.xml")
    assert feed.problem and feed.problem.startswith("malformed feed")
    assert len(feed.items) == 2


def test_garbage_is_a_feed_error():
    with pytest.raises(FeedError):
        parse_feed("<html><body><p>Không phải RSS <b></body>", "https://example.vn/rss")


def test_empty_feed_has_no_items_and_no_error():
    feed = parse_feed('<?xml version="1.0"?><rss version="2.0"><channel><title>Trống</title>'
                      "</channel></rss>", "https://example.vn/rss")
    assert feed.items == [] and feed.problem is None
