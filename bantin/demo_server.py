"""The sample news site ``bantin demo`` ingests: a real HTTP server on 127.0.0.1.

It serves the pages of ``bantin/demo_sample/`` as two outlets, each with an RSS feed
(``/ban-tin-mau/feed.xml`` and ``/bao-ha-tinh/feed.xml``) and a ``robots.txt`` that allows
everything (the fetcher obeys robots.txt). Publication times are set relative to *now* when
the server starts, in the pages as well as in the feeds, so the newest article is always an
hour old, "2 giờ trước" reads true, and a digest has fresh news whenever the demo runs.
"""

from __future__ import annotations

import html
import re
import threading
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources

import lxml.html

from bantin.timezones import DEFAULT_TIMEZONE

SAMPLE_PACKAGE = "bantin"
SAMPLE_FOLDER = "demo_sample"
TIMEZONE = zoneinfo.ZoneInfo(DEFAULT_TIMEZONE)


@dataclass(frozen=True)
class Outlet:
    slug: str
    name: str


SAMPLE_OUTLET = Outlet("ban-tin-mau", "Bản tin Mẫu")
SEED_OUTLET = Outlet("bao-ha-tinh", "Báo Hà Tĩnh")

# Every page of the sample, its outlet, and how old it is when the demo starts (newest first).
SAMPLE_PAGES: tuple[tuple[str, Outlet, timedelta], ...] = (
    ("bao-so-9.html", SAMPLE_OUTLET, timedelta(hours=1)),
    ("seed.html", SEED_OUTLET, timedelta(hours=2, minutes=5)),
    ("bong-da-u23.html", SAMPLE_OUTLET, timedelta(hours=8, minutes=40)),
    ("da-nang-phao-hoa.html", SAMPLE_OUTLET, timedelta(hours=10, minutes=15)),
    ("ha-tinh-lua-dong-xuan.html", SAMPLE_OUTLET, timedelta(hours=13, minutes=50)),
    ("hoc-sinh-stem.html", SAMPLE_OUTLET, timedelta(days=1, hours=21, minutes=30)),
)

_ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?(?:[+-]\d\d:\d\d|Z)")
_VIETNAMESE_TIME = re.compile(r"\b\d{1,2}:\d\d \d{1,2}/\d{1,2}/\d{4}\b")
ROBOTS_TXT = "User-agent: *\nAllow: /\n"


@dataclass(frozen=True)
class SamplePage:
    """One article of the sample as served: its path, outlet, time, headline and lead."""

    path: str
    outlet: Outlet
    published_at: datetime
    title: str
    lead: str
    body: str


def sample_file(name: str) -> str:
    return (resources.files(SAMPLE_PACKAGE) / SAMPLE_FOLDER / name).read_text(encoding="utf-8")


def redate(page: str, moment: datetime) -> str:
    """Every time stated in ``page`` (ISO 8601 metadata, "16:40 27/11/2026") set to ``moment``."""
    local = moment.astimezone(TIMEZONE)
    page = _ISO_TIME.sub(local.isoformat(timespec="seconds"), page)
    return _VIETNAMESE_TIME.sub(local.strftime("%H:%M %d/%m/%Y"), page)


def _headline_and_lead(page: str) -> tuple[str, str]:
    """What a feed item says about the page: its headline and its lead paragraph."""
    tree = lxml.html.fromstring(page)
    title = (tree.xpath("string(//meta[@property='og:title']/@content)")
             or tree.xpath("string(//h1)"))
    lead = (tree.xpath("string(//*[contains(@class, 'sapo')])")
            or tree.xpath("string(//meta[@name='description']/@content)"))
    return " ".join(title.split()), " ".join(lead.split())


def build_pages(now: datetime) -> list[SamplePage]:
    """The sample with its times set relative to ``now`` (minutes, as the pages state them)."""
    now = now.astimezone(UTC).replace(second=0, microsecond=0)
    pages = []
    for name, outlet, age in SAMPLE_PAGES:
        moment = now - age
        body = redate(sample_file(name), moment)
        title, lead = _headline_and_lead(body)
        pages.append(SamplePage(f"/{outlet.slug}/{name}", outlet, moment, title, lead, body))
    return pages


def rss(outlet: Outlet, pages: list[SamplePage], base: str) -> str:
    """An RSS 2.0 feed of ``outlet``'s pages, newest first."""
    items = []
    for page in sorted(pages, key=lambda p: p.published_at, reverse=True):
        if page.outlet != outlet:
            continue
        items.append(
            "<item>"
            f"<title>{html.escape(page.title)}</title>"
            f"<link>{html.escape(base + page.path)}</link>"
            f"<guid isPermaLink=\"true\">{html.escape(base + page.path)}</guid>"
            f"<description>{html.escape(page.lead)}</description>"
            f"<pubDate>{format_datetime(page.published_at.astimezone(TIMEZONE))}</pubDate>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{html.escape(outlet.name)}</title><link>{html.escape(base)}/{outlet.slug}/</link>"
        f"<description>{html.escape(outlet.name)} (bantin demo)</description>"
        "<language>vi</language>" + "".join(items) + "</channel></rss>\n"
    )


class SampleSite:
    """The sample on 127.0.0.1 (a free port), served by ``http.server`` in a daemon thread.

    Use it as a context manager; ``feeds`` lists (outlet name, feed URL) for the config.
    """

    def __init__(self, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.pages = build_pages(clock())
        self._routes: dict[str, tuple[bytes, str]] = {}
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.base = ""

    @property
    def outlets(self) -> list[Outlet]:
        seen: list[Outlet] = []
        for page in self.pages:
            if page.outlet not in seen:
                seen.append(page.outlet)
        return seen

    @property
    def feeds(self) -> list[tuple[str, str]]:
        return [(outlet.name, f"{self.base}/{outlet.slug}/feed.xml") for outlet in self.outlets]

    def start(self) -> SampleSite:
        routes = self._routes

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # the demo's output is the chat
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                found = routes.get(self.path.split("?", 1)[0])
                body, kind = found or ("<h1>Không tìm thấy trang</h1>".encode(),
                                       "text/html; charset=utf-8")
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        routes["/robots.txt"] = (ROBOTS_TXT.encode(), "text/plain; charset=utf-8")
        for page in self.pages:
            routes[page.path] = (page.body.encode("utf-8"), "text/html; charset=utf-8")
        for outlet in self.outlets:
            routes[f"/{outlet.slug}/feed.xml"] = (
                rss(outlet, self.pages, self.base).encode("utf-8"),
                "application/rss+xml; charset=utf-8",
            )
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="demo-site",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> SampleSite:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
