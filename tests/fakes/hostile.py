"""What a hostile server sends, built in memory for the tests (never fetched from anywhere)."""

from __future__ import annotations

import functools
import gzip
import time
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.fakes.http_server import LocalServer, Route

FIXTURES = Path(__file__).resolve().parent.parent / "ingest" / "fixtures"
ARTICLE = (FIXTURES / "baohatinh_article.html").read_bytes()  # an ordinary article page
TITLE = "Nông dân Hà Tĩnh ra quân sản xuất vụ xuân"


@functools.lru_cache(maxsize=4)
def double_gzip_bomb(zeros: int) -> bytes:
    """``zeros`` zero bytes gzipped twice: 512 MiB become a few KB on the wire."""
    inner = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    parts = [inner.compress(block) for _ in range(zeros // len(block))]
    parts.append(inner.flush())
    return gzip.compress(b"".join(parts), 9)


def drip(seconds: float, every: float = 0.2,
         content_type: str = "text/html; charset=utf-8") -> Callable[[BaseHTTPRequestHandler], None]:
    """A handler sending one byte every ``every`` seconds for ``seconds``: each read is quick,
    so only an overall deadline stops it."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", content_type)
        request.end_headers()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                request.wfile.write(b" ")
                request.wfile.flush()
            except OSError:  # the client gave up: good
                return
            time.sleep(every)

    return handler


def feed(server: LocalServer, items: list[tuple[str, str]]) -> Route:
    """An RSS feed on ``server`` listing ``(title, link)`` items."""
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        f"<description>Lời dẫn của bài {title}.</description></item>"
        for title, link in items
    )
    return Route(f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                 f"<title>Báo</title><link>{server.base}/</link>{body}</channel></rss>",
                 "application/rss+xml")
