"""The ingest pipeline end to end: a local HTTP server, a real SQLite file, real extraction."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

import ingest.fetch as fetch_module
from bantin.config import Config, SourceConfig
from bantin.pipeline import Pipeline, backoff_delay
from ingest.addresses import Target
from ingest.fetch import FetchPolicy
from ingest.urls import canonical_url
from tests.fakes.http_server import Route

FIXTURES = Path(__file__).resolve().parent.parent / "ingest" / "fixtures"
FAST = FetchPolicy(timeout=2.0, retries=1, backoff=0.01, user_agent="bantin-test")


def feed_xml(server, items: list[tuple[str, str, str]], title: str = "Báo Hà Tĩnh") -> str:
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><description><![CDATA[{d}]]></description>"
        f"<pubDate>Thu, 02 Feb 2023 07:00:00 GMT+7</pubDate></item>"
        for t, link, d in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{title}</title><link>{server.base}/</link>{body}</channel></rss>")


ARTICLE = (FIXTURES / "baohatinh_article.html").read_bytes()
LISTING = (FIXTURES / "listing.html").read_bytes()
TITLE = "Nông dân Hà Tĩnh ra quân sản xuất vụ xuân"


@pytest.fixture
def site(server):
    """A feed with an article, a duplicate of it, a 404 page and a home page."""
    server.routes["/tin/1.htm"] = Route(ARTICLE)
    server.routes["/trang-chu.htm"] = Route(LISTING)
    server.routes["/rss.xml"] = Route(feed_xml(server, [
        (TITLE, "/tin/1.htm", "(Baohatinh.vn) - Sáng nay, hàng nghìn nông dân ra đồng."),
        (TITLE, f"{server.base}/tin/1.htm?utm_source=rss#top", "Bản trùng."),
        ("Tin có trang đã bị xóa", "/tin/da-xoa.htm",
         "(Baohatinh.vn) - Trang này không còn, nhưng lời dẫn trong RSS vẫn được giữ lại để bạn đọc."),
        ("Trang chủ", "/trang-chu.htm", "Trang chủ của báo."),
    ]), "application/rss+xml", etag='"feed-1"')
    return server


def make_config(server, *names_paths: tuple[str, str]) -> Config:
    return Config(sources=[SourceConfig(name=n, feed=server.url(p)) for n, p in names_paths])


async def run(store, config, **kwargs):
    async with Pipeline(store, config, policy=FAST, **kwargs) as pipeline:
        return await pipeline.run_sources()


async def test_a_feed_pass_stores_articles_and_reasons(fresh_store, site):
    report = await run(fresh_store, make_config(site, ("Báo Hà Tĩnh", "/rss.xml")))
    assert report.counts() == {"new": 2, "updated": 0, "unchanged": 0, "rejected": 1, "failed": 0}
    assert any("1 duplicate items" in note for note in report.notes)

    article = fresh_store.articles.get_by_url(canonical_url(site.url("/tin/1.htm")))
    assert article.link == site.url("/tin/1.htm")  # the address served, tracking-free
    assert article.title == TITLE and article.source == "Báo Hà Tĩnh"
    assert article.author == "Thu Hà"
    assert article.lead.startswith("Sáng nay, hàng nghìn nông dân")
    assert "tranh thủ thời tiết" not in article.text and "bình luận" not in article.text
    assert article.summary.startswith("Sáng nay, hàng nghìn nông dân")
    assert article.simhash is not None and -(2**63) <= article.simhash < 2**63
    assert article.published_at == datetime(2023, 2, 2, 0, 15, tzinfo=UTC)

    gone = fresh_store.articles.get_by_url(canonical_url(site.url("/tin/da-xoa.htm")))
    assert gone.lead.startswith("Trang này không còn") and "Baohatinh.vn" not in gone.lead
    assert "HTTP 404" in gone.extraction_note and "feed description" in gone.extraction_note
    assert gone.link == site.url("/tin/da-xoa.htm")  # the feed's address, as given

    [rejected] = report.problems()
    assert "listing page" in rejected.reason
    assert any("listing page" in f.reason for f in fresh_store.failures.recent())
    assert site.hits["/tin/1.htm"] == 1  # the duplicate item was not fetched again


async def test_second_pass_costs_one_304(fresh_store, site):
    config = make_config(site, ("Báo Hà Tĩnh", "/rss.xml"))
    await run(fresh_store, config)
    state = fresh_store.sources.get("Báo Hà Tĩnh")
    assert state.etag == '"feed-1"' and state.last_success_at is not None
    report = await run(fresh_store, config)
    assert report.not_modified == ["Báo Hà Tĩnh"] and report.outcomes == []
    assert site.hits["/tin/1.htm"] == 1


async def test_a_known_item_is_not_fetched_again_and_a_changed_one_is_updated(fresh_store, site):
    config = make_config(site, ("Báo Hà Tĩnh", "/rss.xml"))
    await run(fresh_store, config)
    site.routes["/rss.xml"].etag = None
    again = await run(fresh_store, config)
    assert again.counts()["unchanged"] == 2 and site.hits["/tin/1.htm"] == 1

    corrected = ARTICLE.replace("9.000 ha".encode(), "9.500 ha".encode()).replace(
        TITLE.encode(), (TITLE + " năm 2023").encode())
    site.routes["/tin/1.htm"] = Route(corrected)
    site.routes["/rss.xml"].body = site.routes["/rss.xml"].body.replace(
        f"<title>{TITLE}</title><link>/tin/1.htm", f"<title>{TITLE} năm 2023</title><link>/tin/1.htm")
    count = fresh_store.articles.count()
    report = await run(fresh_store, config)
    assert report.counts()["updated"] == 1
    assert fresh_store.articles.count() == count
    assert "9.500 ha" in fresh_store.articles.get_by_url(
        canonical_url(site.url("/tin/1.htm"))).text


async def test_a_failing_source_backs_off_and_never_stops_the_others(fresh_store, site):
    site.routes["/broken.xml"] = Route("", statuses=[500])
    site.routes["/slow.xml"] = Route("<rss/>", delay=0.6)
    config = make_config(site, ("Hỏng", "/broken.xml"), ("Chậm", "/slow.xml"),
                         ("Báo Hà Tĩnh", "/rss.xml"))
    now = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
    policy = FetchPolicy(timeout=0.2, retries=1, backoff=0.01)
    async with Pipeline(fresh_store, config, policy=policy, clock=lambda: now) as pipeline:
        report = await pipeline.run_sources()
    assert report.counts()["new"] == 2
    failed = {o.source: o.reason for o in report.outcomes if o.kind == "failed"}
    assert "HTTP 500" in failed["Hỏng"] and "no complete answer within" in failed["Chậm"]
    broken = fresh_store.sources.get("Hỏng")
    assert broken.error_count == 1 and "HTTP 500" in broken.last_error
    assert broken.next_attempt_at == now + timedelta(minutes=5)

    async with Pipeline(fresh_store, config, policy=policy, clock=lambda: now) as pipeline:
        skipped = await pipeline.run_sources(sources=config.sources[:1])
    assert skipped.skipped and site.hits["/broken.xml"] == 2  # backing off: not asked again

    later = now + timedelta(minutes=6)
    async with Pipeline(fresh_store, config, policy=policy, clock=lambda: later) as pipeline:
        await pipeline.run_sources(sources=config.sources[:1])
    broken = fresh_store.sources.get("Hỏng")
    assert broken.error_count == 2 and broken.next_attempt_at == later + timedelta(minutes=10)


def test_backoff_doubles_up_to_six_hours():
    assert [backoff_delay(n).total_seconds() / 60 for n in (1, 2, 3)] == [5, 10, 20]
    assert backoff_delay(50) == timedelta(hours=6)


async def test_malformed_and_empty_feeds_are_reported_not_fatal(fresh_store, site):
    good = site.routes["/rss.xml"].body
    site.routes["/bozo.xml"] = Route(good.replace("</channel></rss>", "<item><title>Cụt"))
    site.routes["/empty.xml"] = Route('<?xml version="1.0"?><rss version="2.0"><channel>'
                                      "<title>Trống</title></channel></rss>")
    report = await run(fresh_store, make_config(site, ("Lỗi XML", "/bozo.xml"),
                                                 ("Trống", "/empty.xml")))
    assert report.counts()["new"] == 2
    assert any("Lỗi XML: malformed feed" in note for note in report.notes)
    assert any("Trống: the feed has no items" in note for note in report.notes)
    assert any(f.source == "Lỗi XML" and "malformed" in f.reason
               for f in fresh_store.failures.recent())


async def test_same_article_from_feed_and_file_is_one_row(fresh_store, site):
    await run(fresh_store, make_config(site, ("Báo Hà Tĩnh", "/rss.xml")))
    count = fresh_store.articles.count()
    async with Pipeline(fresh_store, Config(), policy=FAST) as pipeline:
        report = await pipeline.run_files([FIXTURES / "baohatinh_article.html"],
                                          url=site.url("/tin/1.htm?utm_medium=x"))
    assert report.counts()["new"] == 0 and fresh_store.articles.count() == count


async def test_seed_file_gets_a_stable_identifier_and_no_link(fresh_store):
    async with Pipeline(fresh_store, Config(), policy=FAST) as pipeline:
        first = await pipeline.run_files([FIXTURES / "seed_baohatinh.txt"])
        second = await pipeline.run_files([FIXTURES / "seed_baohatinh.txt"])
    assert first.counts()["new"] == 1 and second.counts()["unchanged"] == 1
    [article] = fresh_store.articles.latest(5)
    assert article.url.startswith("urn:bantin:") and not article.has_link
    assert article.source == "Báo Hà Tĩnh" and article.author == "Thu Hà"
    assert article.summary.startswith("Phó Bí thư Thường trực Tỉnh ủy Trần Thế Dũng đề nghị")


async def test_a_saved_file_with_an_address_links_to_that_address(fresh_store):
    address = "http://www.baohatinh.vn/chinh-tri/quy-che-dan-chu/240103.htm?utm_source=zalo"
    async with Pipeline(fresh_store, Config(), policy=FAST) as pipeline:
        await pipeline.run_files([FIXTURES / "seed_baohatinh.txt"], url=address)
    [article] = fresh_store.articles.latest(5)
    assert article.url == "https://baohatinh.vn/chinh-tri/quy-che-dan-chu/240103.htm"
    assert article.reader_url == "http://www.baohatinh.vn/chinh-tri/quy-che-dan-chu/240103.htm"


async def test_saved_feed_file_with_a_404_item_when_pages_are_fetched(fresh_store, site,
                                                                      tmp_path):
    saved = tmp_path / "feed.rss"
    saved.write_text(site.routes["/rss.xml"].body, encoding="utf-8")
    async with Pipeline(fresh_store, Config(), policy=FAST) as pipeline:
        report = await pipeline.run_files([saved], url=site.url("/rss.xml"), fetch_pages=True)
    assert report.counts()["new"] == 2 and report.counts()["rejected"] == 1


async def test_saved_feed_file_is_read_without_fetching_a_page(fresh_store, site, tmp_path):
    saved = tmp_path / "feed.rss"
    saved.write_text(site.routes["/rss.xml"].body, encoding="utf-8")
    site.requests.clear()
    async with Pipeline(fresh_store, Config(), policy=FAST) as pipeline:
        report = await pipeline.run_files([saved], url=site.url("/rss.xml"))
    assert report.counts()["new"] == 3, report
    assert site.requests == []
    notes = {a.extraction_note for a in fresh_store.articles.latest(5)}
    assert all(note and "read from the saved feed" in note for note in notes)


WWW = "http://www.baohatinh.example"  # a site that answers only on http://www.…


@pytest.fixture
def www_site(server, monkeypatch):
    """The fixture server also stands in for ``WWW``: the fetcher's name lookup answers
    127.0.0.1 and the server's port for that one host (there is no DNS for it), and the server
    routes by the Host header. ``https://baohatinh.example`` (the dedup key's spelling) answers
    nothing at all."""
    real_resolve = fetch_module.resolve

    async def resolve(url, trusted):
        if urlsplit(url).hostname == "www.baohatinh.example":
            return Target(url=url, scheme="http", host="www.baohatinh.example",
                          port=server.httpd.server_address[1],
                          address=ipaddress.ip_address("127.0.0.1"))
        return await real_resolve(url, trusted)

    monkeypatch.setattr(fetch_module, "resolve", resolve)
    page = Route(ARTICLE)  # like any site, it ignores tracking parameters
    server.routes[f"{WWW}/nong-nghiep/1.htm"] = page
    server.routes[f"{WWW}/nong-nghiep/1.htm?utm_source=rss&utm_medium=feed"] = page
    server.routes[f"{WWW}/r/2?fbclid=abc"] = Route(statuses=[301],
                                          headers={"Location": f"{WWW}/xa-hoi/2.htm?id=2"})
    server.routes[f"{WWW}/xa-hoi/2.htm?id=2"] = Route(
        ARTICLE.replace(TITLE.encode(), "Hà Tĩnh làm đường giao thông nông thôn".encode())
        .replace("9.000 ha".encode(), "120 km đường".encode()))
    server.routes["/www.xml"] = Route(feed_xml(server, [
        (TITLE, f"{WWW}/nong-nghiep/1.htm?utm_source=rss&amp;utm_medium=feed#top", "Tin 1."),
        ("Làm đường", f"{WWW}/r/2?fbclid=abc", "Tin 2."),
    ]), "application/rss+xml")
    server.routes["/mobile.xml"] = Route(feed_xml(server, [
        (TITLE, "https://m.baohatinh.example/nong-nghiep/1.htm/?zarsrc=30", "Tin 1."),
    ]), "application/rss+xml")
    return server


async def test_a_www_only_site_keeps_its_served_address_as_the_readers_link(fresh_store, www_site):
    report = await run(fresh_store, make_config(www_site, ("Báo Hà Tĩnh", "/www.xml")))
    assert report.counts()["new"] == 2, report.outcomes
    assert not [o.reason for o in report.outcomes if o.reason]  # both pages fetched, extracted

    article = fresh_store.articles.get_by_url("https://baohatinh.example/nong-nghiep/1.htm")
    assert article.reader_url == f"{WWW}/nong-nghiep/1.htm"  # as served, tracking removed
    redirected = fresh_store.articles.get_by_url("https://baohatinh.example/r/2")
    assert redirected.reader_url == f"{WWW}/xa-hoi/2.htm?id=2"  # where the redirect landed

    # A reader clicks: both links open the articles (the fixture server as the reader's proxy).
    async with httpx.AsyncClient(proxy=www_site.base) as reader:
        for shown in (article, redirected):
            page = await reader.get(shown.reader_url)
            assert page.status_code == 200 and shown.title in page.text


async def test_variants_of_one_address_are_still_one_row(fresh_store, www_site):
    await run(fresh_store, make_config(www_site, ("Báo Hà Tĩnh", "/www.xml")))
    count = fresh_store.articles.count()
    report = await run(fresh_store, make_config(www_site, ("Báo Hà Tĩnh di động", "/mobile.xml")))
    assert report.counts()["unchanged"] == 1 and fresh_store.articles.count() == count
    article = fresh_store.articles.get_by_url("https://baohatinh.example/nong-nghiep/1.htm")
    assert article.reader_url == f"{WWW}/nong-nghiep/1.htm"
    assert sum(hits for path, hits in www_site.hits.items() if "nong-nghiep" in path) == 1


async def test_a_story_that_grows_at_ingest_gets_a_story_summary(fresh_store):
    """The pipeline summarises a story of several outlets from all its articles."""
    from ingest.articles import finish
    from ingest.model import ExtractedArticle
    from tests.helpers.stories import three_outlets

    async with Pipeline(fresh_store, Config(), policy=FAST) as pipeline:
        for template in three_outlets():
            extracted = ExtractedArticle(
                url=template.url, link=template.url, title=template.title, lead=template.lead,
                paragraphs=template.text.split(". "), published_at=template.published_at)
            pipeline.save_extracted(finish(extracted, source=template.source))
    [story] = fresh_store.stories.latest(5)
    assert story.article_count == 3 and story.summary_count == 3
    assert story.reader_summary == story.summary and story.summary
    assert sum(story.summary.count(s) for s in ("Vinh", "Nghệ An")) >= 1
