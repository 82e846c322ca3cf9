"""The sample news site: every sample page served, with feeds and times relative to now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

import feedparser
import httpx
import pytest

from bantin.demo_server import SAMPLE_PAGES, SampleSite, sample_file
from ingest.extract import extract_html
from ingest.scrape import parse_scrape

NOW = datetime(2025, 3, 10, 3, 17, 42, tzinfo=UTC)  # 10:17 in Hà Nội


@pytest.fixture(scope="module")
def site():
    with SampleSite(clock=lambda: NOW) as running:
        yield running


def test_every_sample_page_is_served() -> None:
    folder = resources.files("bantin") / "demo_sample"
    pages = {entry.name for entry in folder.iterdir() if entry.name.endswith(".html")}
    assert pages == {name for name, _, _ in SAMPLE_PAGES}


def test_robots_txt_allows_everything(site) -> None:
    response = httpx.get(site.base + "/robots.txt")
    assert response.status_code == 200 and "Allow: /" in response.text
    assert httpx.get(site.base + "/nothing-here.html").status_code == 404


def test_feeds_list_the_pages_newest_first_with_times_relative_to_now(site) -> None:
    assert [name for name, _ in site.feeds] == ["Bản tin Mẫu", "Báo Hà Tĩnh"]
    feed = feedparser.parse(httpx.get(site.feeds[0][1]).content)
    assert feed.bozo == 0
    assert len(feed.entries) == 5
    first = feed.entries[0]
    assert first.title == "Bão số 9 suy yếu, các tỉnh miền Trung đề phòng mưa lớn"
    assert first.published == "Mon, 10 Mar 2025 09:17:00 +0700"  # an hour before NOW
    assert first.link.startswith(site.base)
    assert httpx.get(first.link).status_code == 200


def test_pages_state_the_new_time_in_metadata_and_text(site) -> None:
    page = httpx.get(site.base + "/ban-tin-mau/bao-so-9.html").text
    assert 'content="2025-03-10T09:17:00+07:00"' in page
    assert "Cập nhật: 09:17 10/03/2025" in page
    assert "2026" not in page
    article = extract_html(page, site.base + "/ban-tin-mau/bao-so-9.html")
    assert article.published_at == NOW.replace(second=0) - timedelta(hours=1)


def test_the_seed_page_extracts_to_the_same_clean_article_as_the_scrape(site) -> None:
    page = httpx.get(site.base + "/bao-ha-tinh/seed.html").text
    served = extract_html(page, site.base + "/bao-ha-tinh/seed.html")
    scraped = parse_scrape(sample_file("seed.txt"))
    assert (served.title, served.lead, served.paragraphs, served.author, served.source) == (
        scraped.title, scraped.lead, scraped.paragraphs, scraped.author, scraped.source
    )
    assert served.published_at == NOW.replace(second=0) - timedelta(hours=2, minutes=5)
