"""Outlet names for files that arrive without a configured source."""

from __future__ import annotations

import pytest

from ingest.naming import clean_outlet_name, host_outlet, page_outlet


@pytest.mark.parametrize("title, expected", [
    ("Tin mới nhất - VnExpress RSS", "VnExpress"),
    ("dantri (wrapper added)", "Dân trí"),
    ("Báo Hà Tĩnh - Thời sự", "Báo Hà Tĩnh"),
    ("Thể thao - Tuổi Trẻ Online", "Tuổi Trẻ"),
    ("Kinh doanh | Báo Mới", "Báo Mới"),
    ("VnExpress - Tin nhanh Việt Nam", "VnExpress"),
    ("RSS", None),
    ("", None),
])
def test_feed_titles_become_the_outlet_name(title, expected):
    assert clean_outlet_name(title) == expected


def test_the_host_names_an_outlet_when_nothing_else_does():
    assert host_outlet("https://www.vnexpress.net/a-1.html") == "VnExpress"
    assert host_outlet("https://baohatinh.vn/a.htm") == "Báo Hà Tĩnh"
    assert host_outlet("https://www.tapchi-moi.vn/a.htm") == "tapchi-moi.vn"
    assert host_outlet("http://127.0.0.1:8080/a.htm") is None


def test_a_page_names_itself_by_site_name_or_publisher():
    og = ("<html><head><meta property='og:site_name' content='Báo Mới Hôm Nay - Trang chủ'>"
          "</head><body></body></html>")
    assert page_outlet(og) == "Báo Mới Hôm Nay"
    ld = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
          '"publisher": {"@type": "Organization", "name": "Tạp chí Phố Núi"}}</script>'
          "</head><body></body></html>")
    assert page_outlet(ld) == "Tạp chí Phố Núi"
    assert page_outlet("<html><body><p>Không có gì</p></body></html>") is None
