"""Polite, robust HTTP with httpx: what a newspaper's server should see from bantin.

One ``Fetcher`` per ingest run shares one ``httpx.AsyncClient``. Every request: the configured
User-Agent and timeout, robots.txt obeyed (fetched once per host and cached), at most
``max_per_host`` requests at once to a host, at most 5 redirects, a size cap enforced while
streaming (the body is never read past it), conditional GET when an ETag or Last-Modified is
known. Timeouts, connection errors, 429 and 5xx are retried with exponential backoff; other
failures raise ``FetchError`` at once.
"""

from __future__ import annotations

import asyncio
import logging
import re
import urllib.robotparser
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import charset_normalizer
import httpx

from ingest.errors import FetchError

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
_LATIN = {"iso-8859-1", "latin-1", "latin1", "l1", "windows-1252", "cp1252", "us-ascii", "ascii"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""", re.I)


@dataclass
class FetchPolicy:
    """How politely and how hard to fetch; tests shrink the times, production uses config."""

    user_agent: str = "bantin"
    timeout: float = 20.0
    max_per_host: int = 2
    max_bytes: int = MAX_BYTES
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 1.0
    respect_robots: bool = True
    # The pause between retries; ``bantin run`` passes its stop-aware wait, so a stop ends it.
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, repr=False,
                                                      compare=False)


@dataclass
class Fetched:
    """A response as ingest uses it. ``not_modified`` is a 304: ``content`` is empty."""

    url: str
    final_url: str
    status: int
    content: bytes = b""
    content_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    attempts: int = 1
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return decode(self.content, self.charset)


def _looks_utf8(content: bytes) -> bool:
    """True when ``content`` has non-ASCII bytes and all of them form valid UTF-8."""
    if content.isascii():
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _usable(charset: str | None, content: bytes) -> str | None:
    if not charset:
        return None
    charset = charset.strip().strip("\"'").lower()
    if charset in _LATIN and _looks_utf8(content):
        # Declared latin-1 but valid UTF-8: Vietnamese cannot be written in latin-1 at all, so
        # the declaration is the mistake (a common misconfigured server default).
        return "utf-8"
    try:
        "".encode(charset)
    except LookupError:
        return None
    return charset


def decode(content: bytes, header_charset: str | None = None) -> str:
    """Bytes → text: the charset from the header, then the document, then detection."""
    head = content[:4096]
    declared = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    candidates = [
        _usable(header_charset, content),
        _usable(declared.group(1).decode("ascii", "ignore") if declared else None, content),
    ]
    for charset in candidates:
        if charset:
            try:
                return content.decode(charset)
            except UnicodeDecodeError:
                continue
    if not content.isascii() and _looks_utf8(content):
        return content.decode("utf-8")
    best = charset_normalizer.from_bytes(content).best()
    return str(best) if best is not None else content.decode("utf-8", errors="replace")


def _charset_of(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.I)
    return match.group(1) if match else None


class Fetcher:
    """Fetch URLs politely; use as ``async with Fetcher(policy) as fetcher``."""

    def __init__(self, policy: FetchPolicy | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self._client = httpx.AsyncClient(
            headers={"User-Agent": self.policy.user_agent},
            timeout=httpx.Timeout(self.policy.timeout),
            follow_redirects=True,
            max_redirects=self.policy.max_redirects,
            transport=transport,
        )
        self._hosts: dict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self.policy.max_per_host)
        )
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._robots_locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(self, url: str, *, etag: str | None = None,
                  last_modified: str | None = None) -> Fetched:
        """GET ``url``; a 304 comes back as ``not_modified``; failures raise ``FetchError``."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"not an http(s) address: {url}", url=url)
        if self.policy.respect_robots and not await self.allowed(url):
            raise FetchError("disallowed by robots.txt", url=url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            attempt += 1
            try:
                async with self._hosts[parts.netloc]:
                    fetched = await self._get_once(url, headers)
                fetched.attempts = attempt
                return fetched
            except FetchError as error:
                if not error.transient or attempt > self.policy.retries:
                    if attempt > 1:
                        error.args = (f"{error.args[0]} (after {attempt} attempts)",)
                    raise
                delay = self.policy.backoff * 2 ** (attempt - 1)
                log.info("retrying %s in %.2fs: %s", url, delay, error)
                await self.policy.sleep(delay)

    async def _get_once(self, url: str, headers: dict[str, str]) -> Fetched:
        try:
            async with self._client.stream("GET", url, headers=headers) as response:
                return await self._read(url, response)
        except httpx.TooManyRedirects:
            raise FetchError(
                f"more than {self.policy.max_redirects} redirects", url=url
            ) from None
        except httpx.TimeoutException:
            raise FetchError(
                f"timed out after {self.policy.timeout:g}s", url=url, transient=True
            ) from None
        except (httpx.NetworkError, httpx.RemoteProtocolError) as error:
            raise FetchError(f"connection failed: {error}", url=url, transient=True) from None
        except httpx.HTTPError as error:
            raise FetchError(f"HTTP error: {error}", url=url) from None

    async def _read(self, url: str, response: httpx.Response) -> Fetched:
        status = response.status_code
        common = dict(
            url=url, final_url=str(response.url), status=status,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            headers=dict(response.headers),
        )
        if status == 304:
            return Fetched(**common, not_modified=True)
        if status == 429 or status >= 500:
            raise FetchError(f"HTTP {status}", url=url, status=status, transient=True)
        if status >= 400:
            raise FetchError(f"HTTP {status}", url=url, status=status)
        cap = self.policy.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchError(f"response larger than the {cap} byte cap ({declared} bytes)",
                             url=url, status=status)
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > cap:
                raise FetchError(f"response larger than the {cap} byte cap", url=url,
                                 status=status)
            chunks.append(chunk)
        content_type = response.headers.get("content-type", "")
        return Fetched(
            **common, content=b"".join(chunks), content_type=content_type,
            charset=_charset_of(content_type),
        )

    async def allowed(self, url: str) -> bool:
        """Whether robots.txt lets our User-Agent fetch ``url`` (cached per host).

        An unreachable or missing robots.txt allows everything, as crawlers conventionally do.
        """
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        async with self._robots_locks[key]:
            if key not in self._robots:
                self._robots[key] = await self._load_robots(key)
        rules = self._robots[key]
        return rules is None or rules.can_fetch(self.policy.user_agent, url)

    async def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        try:
            async with self._hosts[urlsplit(origin).netloc]:
                fetched = await self._get_once(f"{origin}/robots.txt", {})
        except FetchError as error:
            log.info("robots.txt of %s not read (%s): everything allowed", origin, error)
            return None
        rules = urllib.robotparser.RobotFileParser()
        rules.parse(decode(fetched.content, fetched.charset).splitlines())
        return rules
