"""Polite, robust fetching against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio

import pytest

from ingest import FetchError
from ingest.addresses import trusted_origins
from ingest.fetch import Fetcher, FetchPolicy, decode
from tests.fakes.http_server import Route

FAST = dict(timeout=2.0, retries=2, backoff=0.01, user_agent="bantin-test/1 (+https://t.vn)")


def policy(server, **changes) -> FetchPolicy:
    """The test policy, with the local server's origin trusted as a configured feed's is."""
    return FetchPolicy(**{**FAST, "trusted": trusted_origins([server.base]), **changes})


async def get(server, path, **changes):
    async with Fetcher(policy(server, **changes)) as fetcher:
        return await fetcher.get(server.url(path))


async def test_conditional_get_costs_one_304(server):
    server.routes["/rss"] = Route("<rss/>", "application/rss+xml", etag='"v1"')
    async with Fetcher(policy(server)) as fetcher:
        first = await fetcher.get(server.url("/rss"))
        second = await fetcher.get(server.url("/rss"), etag=first.etag)
    assert first.etag == '"v1"' and not first.not_modified
    assert second.not_modified and second.content == b""
    assert server.requests[-1][1]["If-None-Match"] == '"v1"'


async def test_user_agent_is_sent(server):
    server.routes["/a"] = Route("ok")
    await get(server, "/a")
    assert server.requests[-1][1]["User-Agent"] == "bantin-test/1 (+https://t.vn)"


async def test_500_then_success_is_retried(server):
    server.routes["/flaky"] = Route("xin chào", statuses=[500, 200])
    fetched = await get(server, "/flaky")
    assert fetched.status == 200 and fetched.attempts == 2 and fetched.text == "xin chào"


async def test_500_every_time_fails_after_retries(server):
    server.routes["/down"] = Route("", statuses=[503])
    with pytest.raises(FetchError, match="HTTP 503") as caught:
        await get(server, "/down")
    assert caught.value.transient and server.hits["/down"] == 3


async def test_timeout(server):
    server.routes["/slow"] = Route("late", delay=1.0)
    with pytest.raises(FetchError, match="no complete answer within 0.2 s") as caught:
        await get(server, "/slow", timeout=0.2, retries=0)
    assert not caught.value.transient


async def test_redirect_loop(server):
    server.routes["/a"] = Route("", statuses=[302], headers={"Location": "/b"})
    server.routes["/b"] = Route("", statuses=[302], headers={"Location": "/a"})
    with pytest.raises(FetchError, match="more than 5 redirects"):
        await get(server, "/a")
    assert server.hits["/a"] + server.hits["/b"] <= 6 + 1


async def test_redirect_is_followed(server):
    server.routes["/old"] = Route("", statuses=[301], headers={"Location": "/new"})
    server.routes["/new"] = Route("mới")
    fetched = await get(server, "/old")
    assert fetched.final_url == server.url("/new") and fetched.text == "mới"


@pytest.mark.parametrize("send_length", [True, False])
async def test_body_over_the_size_cap(server, send_length):
    server.routes["/big"] = Route(b"x" * 300_000, send_length=send_length)
    with pytest.raises(FetchError, match="larger than 100000 bytes"):
        await get(server, "/big", max_bytes=100_000)


async def test_page_declared_latin1_that_is_really_utf8(server):
    html = '<html><head><meta charset="iso-8859-1"></head><body>Hà Tĩnh, Đà Nẵng</body></html>'
    server.routes["/vn"] = Route(html.encode("utf-8"), "text/html; charset=ISO-8859-1")
    fetched = await get(server, "/vn")
    assert "Hà Tĩnh, Đà Nẵng" in fetched.text


def test_charset_order_header_then_document_then_detection():
    text = "Tiếng Việt có dấu: Hà Tĩnh"
    assert decode(text.encode("utf-16"), "utf-16") == text
    # No header: the document's own declaration (here a Western page: "café" is not UTF-8).
    assert decode('<meta charset="windows-1252"><p>café</p>'.encode("cp1252")).endswith(
        "<p>café</p>"
    )
    assert decode(text.encode("utf-8")) == text


async def test_robots_txt_is_respected_and_cached(server):
    server.routes["/robots.txt"] = Route("User-agent: *\nDisallow: /private/\n", "text/plain")
    server.routes["/private/a"] = Route("bí mật")
    server.routes["/public"] = Route("công khai")
    async with Fetcher(policy(server)) as fetcher:
        with pytest.raises(FetchError, match="robots.txt"):
            await fetcher.get(server.url("/private/a"))
        assert (await fetcher.get(server.url("/public"))).text == "công khai"
    assert server.hits["/private/a"] == 0 and server.hits["/robots.txt"] == 1


async def test_at_most_max_per_host_requests_at_once(server):
    for n in range(6):
        server.routes[f"/p{n}"] = Route("ok", delay=0.1)
    async with Fetcher(policy(server, max_per_host=2)) as fetcher:
        await asyncio.gather(*(fetcher.get(server.url(f"/p{n}")) for n in range(6)))
    assert server.max_active["all"] == 2


async def test_404_is_a_fetch_error_with_its_status(server):
    with pytest.raises(FetchError) as caught:
        await get(server, "/missing")
    assert caught.value.status == 404 and not caught.value.transient
