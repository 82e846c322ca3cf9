"""Polite, robust and safe HTTP with httpx: what a newspaper's server should see from bantin.

One ``Fetcher`` per ingest run shares one ``httpx.AsyncClient``. Every request: the configured
User-Agent, robots.txt obeyed (fetched once per host and cached), at most ``max_per_host``
requests at once to a host, conditional GET when an ETag or Last-Modified is known.

Feeds come from strangers, so every request is also bounded (``docs/security.md``):

- the address policy (``ingest.addresses``) is checked for the URL and for each redirect hop
  (at most 5, followed here one by one), and the connection goes to the address checked;
- one overall deadline of ``timeout`` per attempt covers connect, headers and body, so a
  server dripping a byte at a time cannot hold a pass;
- the body is capped on the wire and once decoded (``ingest.decoding`` inflates a piece at a
  time), so a compression bomb stops at the cap.

Connection errors, connect timeouts, 429 and 5xx are retried with exponential backoff; other
failures raise ``FetchError`` at once with the reason a person can act on.
"""

from __future__ import annotations

import asyncio
import logging
import re
import urllib.robotparser
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from ingest.addresses import Target, resolve
from ingest.charset import decode
from ingest.decoding import ACCEPT_ENCODING, BodyDecoder, DecodingError
from ingest.errors import FetchError

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


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
    # Origins ("http://127.0.0.1:8000") that may be private: configured feeds, allow_private.
    trusted: frozenset[str] = frozenset()
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


def is_ascii_number(text: str) -> bool:
    """ASCII digits only: ``"²".isdigit()`` is true, yet ``int("²")`` raises."""
    return bool(text) and text.isascii() and text.isdigit()


def _size(limit: int) -> str:
    """A cap as people say it: "5 MB", or bytes when it is not a whole number of MB."""
    mb = 1024 * 1024
    return f"{limit // mb} MB" if limit >= mb and limit % mb == 0 else f"{limit} bytes"


def _request(client: httpx.AsyncClient, target: Target,
             headers: dict[str, str]) -> httpx.Request:
    """A request to the checked address, with the Host header and TLS name of the URL's host."""
    url = httpx.URL(target.url)
    host = url.netloc.decode("ascii").rsplit("@", 1)[-1]
    # The TLS name (and certificate check) is the URL's host, IDNA-encoded as httpx spells it.
    tls_name = url.raw_host.decode("ascii")
    extensions = {"sni_hostname": tls_name} if target.scheme == "https" else {}
    return client.build_request(
        "GET", url.copy_with(host=str(target.address), port=target.port, username=None,
                             password=None, fragment=None),
        headers={**headers, "Host": host}, extensions=extensions,
    )


def _charset_of(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.I)
    return match.group(1) if match else None


class Fetcher:
    """Fetch URLs politely and safely; use as ``async with Fetcher(policy) as fetcher``."""

    def __init__(self, policy: FetchPolicy | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self._client = httpx.AsyncClient(
            headers={"User-Agent": self.policy.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            timeout=httpx.Timeout(self.policy.timeout),
            follow_redirects=False,  # each hop is checked against the address policy
            transport=transport,
            trust_env=False,  # no proxy from the environment: we connect to what we checked
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
        """GET ``url``; a 304 comes back as ``not_modified``; failures raise ``FetchError``.

        A URL the address policy forbids raises ``AddressRefused`` before anything is sent.
        """
        parts = urlsplit(url)
        await resolve(url, self.policy.trusted)
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
        """One attempt, redirects included, within one overall deadline of ``timeout``.

        httpx's timeout applies to each read, so a server dripping a byte a second would never
        trip it; the deadline bounds connect, headers and body together.
        """
        limit = self.policy.timeout
        try:
            async with asyncio.timeout(limit):
                return await self._follow(url, headers)
        except TimeoutError:
            raise FetchError(f"no complete answer within {limit:g} s", url=url) from None
        except httpx.ConnectTimeout:
            raise FetchError(
                f"could not connect within {limit:g} s", url=url, transient=True
            ) from None
        except httpx.TimeoutException:
            raise FetchError(f"no complete answer within {limit:g} s", url=url) from None
        except (httpx.NetworkError, httpx.RemoteProtocolError) as error:
            raise FetchError(f"connection failed: {error}", url=url, transient=True) from None
        except httpx.HTTPError as error:
            raise FetchError(f"HTTP error: {error}", url=url) from None
        except httpx.InvalidURL as error:
            raise FetchError(f"not a valid address: {error}", url=url) from None

    async def _follow(self, url: str, headers: dict[str, str]) -> Fetched:
        """Request ``url``, following redirects one checked hop at a time."""
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            target = await resolve(current, self.policy.trusted)
            response = await self._client.send(_request(self._client, target, headers),
                                               stream=True)
            try:
                location = response.headers.get("location")
                if response.status_code in _REDIRECTS and location:
                    current = urljoin(current, location.strip())
                    continue
                return await self._read(url, current, response)
            finally:
                await response.aclose()
        raise FetchError(f"more than {self.policy.max_redirects} redirects", url=url)

    async def _read(self, url: str, final_url: str, response: httpx.Response) -> Fetched:
        status = response.status_code
        common = dict(
            url=url, final_url=final_url, status=status,
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
        content = await self._body(url, response)
        content_type = response.headers.get("content-type", "")
        return Fetched(**common, content=content, content_type=content_type,
                       charset=_charset_of(content_type))

    async def _body(self, url: str, response: httpx.Response) -> bytes:
        """The decoded body, refused as soon as it passes the cap on the wire or decoded."""
        cap = self.policy.max_bytes
        declared = response.headers.get("content-length", "").strip()
        if is_ascii_number(declared) and int(declared) > cap:
            raise FetchError(f"larger than {_size(cap)} ({declared} bytes declared)", url=url)
        try:
            decoder = BodyDecoder(response.headers.get("content-encoding", ""))
        except DecodingError as error:
            raise FetchError(f"cannot decode the answer: {error}", url=url) from None
        chunks: list[bytes] = []
        received = size = 0
        async for raw in response.aiter_raw():
            received += len(raw)
            if received > cap:
                raise FetchError(f"larger than {_size(cap)}", url=url)
            try:
                for piece in decoder.feed(raw):
                    size += len(piece)
                    if size > cap:
                        raise FetchError(f"larger than {_size(cap)} once decoded", url=url)
                    chunks.append(piece)
            except DecodingError as error:
                raise FetchError(f"cannot decode the answer: {error}", url=url) from None
        return b"".join(chunks)

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
