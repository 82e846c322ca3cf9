"""The entry points the pipeline calls: articles finished for storing (key, names, SimHash)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bantin.text import hamming
from ingest import NotAnArticle
from ingest.articles import (article_from_description, article_from_page, article_from_saved,
                             article_from_saved_item, feed_from_answer, feed_from_saved, finish,
                             read_article)
from ingest.fetch import Fetched
from ingest.files import read_saved_file
from ingest.model import ExtractedArticle, FeedItem

FIXTURES = Path(__file__).parent / "fixtures"
ITEM = FeedItem(url="https://baohatinh.vn/tin/1.htm", title="Tin từ nguồn tin",
                link="http://www.baohatinh.vn/tin/1.htm?utm_source=rss",
                description="(Baohatinh.vn) - Lời dẫn của nguồn tin.",
                published_at=datetime(2024, 1, 3, 2, 0, tzinfo=UTC))


def page(content: bytes, final_url: str) -> Fetched:
    return Fetched(url=ITEM.link, final_url=final_url, status=200, content=content,
                   content_type="text/html", charset="utf-8")


def test_a_fetched_page_is_finished_under_the_items_key_and_the_served_address():
    html = (FIXTURES / "baohatinh_article.html").read_bytes()
    served = "https://baohatinh.vn/tin/1.htm?ref=home#top"
    article = article_from_page(ITEM, page(html, served), "Báo Hà Tĩnh")
    assert article.url == ITEM.url  # the key the feed item was looked up by
    assert article.link == "https://baohatinh.vn/tin/1.htm?ref=home"
    assert article.source == "Báo Hà Tĩnh" and len(article.paragraphs) > 3
    assert article.simhash is not None and article.simhash != 0


def test_a_page_with_too_little_text_falls_back_to_the_description_and_says_so():
    html = "<html><head><title>Tin</title></head><body><p>Ngắn.</p></body></html>".encode()
    article = article_from_page(ITEM, page(html, ITEM.link), "")
    assert article.lead == "Lời dẫn của nguồn tin." and article.source == "Báo Hà Tĩnh"
    assert "text from the feed description" in (article.note or "")
    assert article.simhash is not None


def test_an_unfetched_page_keeps_the_feeds_words_and_the_reason():
    article = article_from_description(ITEM, "page returned HTTP 404", "Nguồn A")
    assert article.url == ITEM.url and article.source == "Nguồn A"
    assert article.note == "page returned HTTP 404; text from the feed description"
    with pytest.raises(NotAnArticle):
        article_from_description(FeedItem(url=ITEM.url, title=""), "page not fetched")


def test_an_article_without_an_address_gets_a_key_a_rescrape_finds_again():
    def scrape(title: str, lead: str) -> ExtractedArticle:
        return ExtractedArticle(url=None, title=title, lead=lead, paragraphs=["Nội dung."],
                                source="Báo Hà Tĩnh")
    first = finish(scrape("Hà Tĩnh mở đường", "Lời dẫn."))
    assert first.url is not None and first.url.startswith("urn:bantin:")
    assert finish(scrape("Hà  Tĩnh   mở đường", "Lời dẫn.")).url == first.url
    assert finish(scrape("Hà Tĩnh xây cầu", "Lời dẫn.")).url != first.url
    # The configured source's name wins over the outlet in the text, key included.
    renamed = finish(scrape("Hà Tĩnh mở đường", "Lời dẫn."), source="Nguồn A")
    assert renamed.source == "Nguồn A" and renamed.url != first.url


def test_the_same_story_reworded_gets_a_near_simhash_and_another_story_a_far_one():
    body = ["Tỉnh Hà Tĩnh khởi công tuyến đường ven biển dài 30 km, nối ba huyện phía nam.",
            "Công trình dự kiến hoàn thành sau hai năm, tổng vốn hơn một nghìn tỷ đồng."]
    one = finish(ExtractedArticle(url="https://a.vn/1", title="Khởi công đường ven biển",
                                  paragraphs=body))
    again = finish(ExtractedArticle(url="https://b.vn/9", title="Hà Tĩnh khởi công đường ven biển",
                                    paragraphs=body))
    other = finish(ExtractedArticle(url="https://c.vn/2", title="Giá lúa tăng mạnh",
                                    paragraphs=["Nông dân đồng bằng sông Cửu Long phấn khởi "
                                                "khi giá lúa tăng liền ba tuần."]))
    assert one.simhash is not None and again.simhash is not None and other.simhash is not None
    assert hamming(one.simhash, again.simhash) < hamming(one.simhash, other.simhash)


def test_finishing_leaves_the_extracted_article_as_it_was():
    raw = ExtractedArticle(url=None, title="Tin\u200b mới", paragraphs=["Nội dung."])
    finished = finish(raw)
    assert finished.title == "Tin mới" and raw.title == "Tin\u200b mới" and raw.url is None


def test_a_saved_scrape_is_shown_as_it_reads_and_stored_finished():
    saved = read_saved_file(FIXTURES / "seed_baohatinh.txt")
    shown = read_article(saved)
    assert shown.url is None and shown.simhash is None  # what `bantin extract` shows
    stored = article_from_saved(saved)
    assert stored.url is not None and stored.url.startswith("urn:bantin:")
    assert stored.simhash is not None and stored.title == shown.title
    assert stored.source == "Báo Hà Tĩnh"  # the outlet the text names
    assert article_from_saved(saved, source="Nguồn A").source == "Nguồn A"


def test_feeds_from_an_answer_and_from_a_file_resolve_links_alike(tmp_path):
    rss = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
           "<title>Tin mới nhất - Báo Hà Tĩnh RSS</title><item><title>Tin một</title>"
           "<link>/tin/1.htm</link><description>Lời dẫn của tin một.</description></item>"
           "</channel></rss>")
    answer = Fetched(url="http://bao.vn/rss", final_url="https://www.bao.vn/rss.xml", status=200,
                     content=rss.encode(), content_type="application/rss+xml")
    [fetched_item] = feed_from_answer(answer).items
    path = tmp_path / "bao.xml"
    path.write_text(rss, encoding="utf-8")
    feed, outlet = feed_from_saved(read_saved_file(path), "https://www.bao.vn/rss.xml")
    [file_item] = feed.items
    assert fetched_item.url == file_item.url == "https://bao.vn/tin/1.htm"
    assert fetched_item.link == "https://www.bao.vn/tin/1.htm"
    assert outlet == "Báo Hà Tĩnh"  # the feed's title, its decoration removed
    stored = article_from_saved_item(file_item, outlet)
    assert (stored.url, stored.source, stored.lead) == (file_item.url, outlet, "Lời dẫn của tin một.")
    assert stored.simhash is not None
