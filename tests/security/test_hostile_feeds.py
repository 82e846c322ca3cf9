"""Hostile feeds and pages against a real ingest pass: two local servers, a real SQLite file.

The "internal" server stands for another service on the machine (an admin page): the feed's
own server is the configured origin; the internal one must see zero requests.
"""

from __future__ import annotations

import pytest

from bantin.config import Config, IngestConfig, SourceConfig
from bantin.pipeline import Pipeline
from ingest.fetch import FetchPolicy
from tests.fakes.http_server import LocalServer, Route
from tests.fakes.hostile import ARTICLE, TITLE, double_gzip_bomb, drip, feed

FAST = FetchPolicy(timeout=2.0, retries=0, backoff=0.01, user_agent="bantin-test")


@pytest.fixture
def internal():
    local = LocalServer()
    local.routes["/admin"] = Route("<html><body><p>mật khẩu quản trị: hunter2</p></body></html>")
    yield local
    local.close()


async def run(store, server, *paths, policy=FAST, **ingest):
    config = Config(ingest=IngestConfig(extract_processes=0, **ingest),
                    sources=[SourceConfig(name=f"Báo {n}", feed=server.url(path))
                             for n, path in enumerate(paths)])
    async with Pipeline(store, config, policy=policy) as pipeline:
        return await pipeline.run_sources()


async def test_links_and_redirects_to_internal_addresses_are_never_fetched(
        fresh_store, server, internal):
    server.routes["/tin/1.htm"] = Route(ARTICLE)
    server.routes["/chuyen"] = Route(statuses=[302], headers={"Location": internal.url("/admin")})
    server.routes["/rss.xml"] = feed(server, [
        (TITLE, "/tin/1.htm"),
        ("Trang nội bộ", internal.url("/admin")),
        ("Chuyển hướng vào trong", "/chuyen"),
        ("Địa chỉ siêu dữ liệu", "http://169.254.169.254/latest/meta-data/"),
        ("Tệp trên máy", "file:///etc/passwd"),
        ("Mạng riêng", "http://[::ffff:10.0.0.1]/"),
    ])
    report = await run(fresh_store, server, "/rss.xml")

    assert sum(internal.hits.values()) == 0  # not even robots.txt
    assert report.counts()["new"] == 1 and report.counts()["failed"] == 5, report.outcomes
    reasons = {o.title: o.reason for o in report.outcomes if o.kind == "failed"}
    port = internal.httpd.server_address[1]
    assert reasons["Trang nội bộ"] == "refused: 127.0.0.1 is a loopback address"
    assert reasons["Chuyển hướng vào trong"] == "refused: 127.0.0.1 is a loopback address"
    assert reasons["Địa chỉ siêu dữ liệu"] == "refused: 169.254.169.254 is a link-local address"
    assert "is not an http(s) address" in reasons["Tệp trên máy"]
    assert "private address" in reasons["Mạng riêng"]
    stored = {f.reason for f in fresh_store.failures.recent(20)}
    assert "refused: 127.0.0.1 is a loopback address" in stored
    assert fresh_store.articles.count() == 1  # nothing internal became an article
    assert not fresh_store.search.search("hunter2") and str(port) not in str(
        [a.link for a in fresh_store.articles.latest(10)])


async def test_allow_private_lets_the_operator_trust_another_origin(fresh_store, server, internal):
    internal.routes["/tin/2.htm"] = Route(ARTICLE)
    server.routes["/rss.xml"] = feed(server, [(TITLE, internal.url("/tin/2.htm"))])
    report = await run(fresh_store, server, "/rss.xml", allow_private=[internal.base])
    assert report.counts()["new"] == 1 and internal.hits["/tin/2.htm"] == 1


async def test_a_slow_drip_feed_and_page_fail_within_the_deadline(fresh_store, server):
    server.routes["/cham.xml"] = Route(handler=drip(30, content_type="application/rss+xml"))
    server.routes["/cham.htm"] = Route(handler=drip(30))
    server.routes["/tin/1.htm"] = Route(ARTICLE)
    server.routes["/rss.xml"] = feed(server, [(TITLE, "/tin/1.htm"), ("Trang chậm", "/cham.htm")])
    policy = FetchPolicy(timeout=1.0, retries=0, user_agent="bantin-test")
    report = await run(fresh_store, server, "/cham.xml", "/rss.xml", policy=policy)

    failed = {o.source: o.reason for o in report.outcomes if o.kind == "failed"}
    assert failed == {"Báo 0": "no complete answer within 1 s"}
    assert report.counts()["new"] == 2  # the article, and the slow page's feed description
    slow = next(o for o in report.outcomes if o.title == "Trang chậm")
    assert slow.reason.startswith("page not fetched: no complete answer within 1 s")
    state = fresh_store.sources.get("Báo 0", server.url("/cham.xml"))
    assert state.last_error == "no complete answer within 1 s"


async def test_a_pass_stops_fetching_at_its_own_deadline(fresh_store, server):
    server.routes["/cham.htm"] = Route(handler=drip(60))
    server.routes["/tin/1.htm"] = Route(ARTICLE)
    server.routes["/rss.xml"] = feed(server, [(TITLE, "/tin/1.htm"), ("Trang chậm", "/cham.htm")])
    policy = FetchPolicy(timeout=120, retries=0, user_agent="bantin-test")
    report = await run(fresh_store, server, "/rss.xml", policy=policy, pass_timeout_seconds=5)

    slow = next(o for o in report.outcomes if o.title == "Trang chậm")
    assert slow.kind == "failed"
    assert slow.reason == "the ingest pass ran out of time (5 s); tried again next pass"
    assert report.counts()["new"] == 1
    assert {f.reason for f in fresh_store.failures.recent(5)} == {slow.reason}


async def test_bombs_and_oversized_answers_store_their_true_reason(fresh_store, server):
    bomb = double_gzip_bomb(64 << 20)
    server.routes["/bom.htm"] = Route(bomb, headers={"Content-Encoding": "gzip, gzip"})
    server.routes["/bom.xml"] = Route(bomb, "application/rss+xml",
                                      headers={"Content-Encoding": "gzip, gzip"})
    server.routes["/lon.htm"] = Route(b"<p>" + b"a" * (6 << 20), send_length=False)
    server.routes["/ba-lop.htm"] = Route(b"x", headers={"Content-Encoding": "gzip, gzip, gzip"})
    server.routes["/rss.xml"] = feed(server, [
        ("Bom nén", "/bom.htm"), ("Trang quá lớn", "/lon.htm"), ("Ba lớp nén", "/ba-lop.htm"),
    ])
    report = await run(fresh_store, server, "/bom.xml", "/rss.xml")

    failed = {o.source: o.reason for o in report.outcomes if o.kind == "failed"}
    assert failed == {"Báo 0": "larger than 5 MB once decoded"}
    notes = {o.title: o.reason for o in report.outcomes if o.kind == "new"}
    assert notes["Bom nén"].startswith("page not fetched: larger than 5 MB once decoded")
    assert notes["Trang quá lớn"].startswith("page not fetched: larger than 5 MB")
    assert "HTTP 200" not in notes["Trang quá lớn"]
    assert notes["Ba lớp nén"].startswith(
        "page not fetched: cannot decode the answer: more than 2 content encodings")
