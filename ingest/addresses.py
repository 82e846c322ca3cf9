"""Which addresses bantin may fetch: public ones, plus the origins the operator configured.

A feed is written by someone else. Without this policy an item linking to
``http://127.0.0.1:<port>/admin`` or to the cloud metadata address (``169.254.169.254``), or a
public page redirecting there, would be fetched and its answer published to every reader. So
every URL (feed, page, robots.txt, each redirect hop) is checked here before a connection is
made: the scheme must be http or https, and every address the host resolves to must be public.
The fetcher then connects to the address that was checked, so a second DNS answer cannot
change it between the check and the connection.

The exception is an origin (scheme, host, port) the operator configured: a ``[[sources]]``
feed's own origin (an intranet feed, the demo's local site) and ``[ingest] allow_private``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ingest.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
DEFAULT_PORTS = {"http": 80, "https": 443}
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052, the IPv4 address in its last 32 bits
NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215, local use


class AddressRefused(FetchError):
    """A URL the address policy forbids: never fetched, never stored as an article."""


@dataclass(frozen=True)
class Target:
    """Where one checked request goes: the URL as written and the address to connect to."""

    url: str
    scheme: str
    host: str
    port: int
    address: IPAddress


def origin_of(url: str) -> str:
    """``scheme://host:port`` with the port always written, e.g. ``http://127.0.0.1:80``."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    except ValueError:
        port = 0
    host = (parts.hostname or "").lower()
    return f"{scheme}://{host}:{port}"


def trusted_origins(urls: Iterable[str]) -> frozenset[str]:
    """The origins of ``urls`` (configured feeds, ``allow_private``) in ``origin_of`` form."""
    return frozenset(origin_of(url) for url in urls if url.strip())


def why_not_public(address: IPAddress) -> str | None:
    """Why ``address`` may not be fetched ("a loopback address"), or None for a public one.

    IPv4 addresses embedded in IPv6 ones (``::ffff:127.0.0.1``, 6to4, Teredo, and NAT64's
    well-known prefix, which DNS64 networks hand out for every IPv4-only host) are judged as the
    IPv4 address they reach; NAT64's local-use prefix reaches a network of its operator's own.
    """
    if isinstance(address, ipaddress.IPv6Address):
        if address in NAT64_LOCAL:
            return "a private address (local NAT64)"
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address.teredo:
            embedded = address.teredo[1]
        if embedded is None and address in NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF)
        if embedded is not None:
            return why_not_public(embedded)
    checks = (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_reserved", "a reserved address"),
        ("is_private", "a private address"),
    )
    for attribute, reason in checks:
        if getattr(address, attribute):
            return reason
    if not address.is_global:
        return "not a public address"
    return None


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


async def resolve(url: str, trusted: frozenset[str]) -> Target:
    """Check ``url`` against the policy and pick the address to connect to.

    Raises ``AddressRefused`` with the reason ("refused: 127.0.0.1 is a loopback address").
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise AddressRefused(f"refused: {scheme or 'no'}:// is not an http(s) address", url=url)
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise AddressRefused("refused: the port is not a number from 1 to 65535", url=url) from None
    host = (parts.hostname or "").lower()
    if not host:
        raise AddressRefused("refused: the address has no host", url=url)
    addresses = await _addresses(host, port, url)
    if f"{scheme}://{host}:{port}" not in trusted:
        for address in addresses:
            reason = why_not_public(address)
            if reason:
                shown = str(address) if str(address) == host else f"{host} ({address})"
                raise AddressRefused(f"refused: {shown} is {reason}", url=url)
    return Target(url=url, scheme=scheme, host=host, port=port, address=addresses[0])


async def _addresses(host: str, port: int, url: str) -> list[IPAddress]:
    """Every address ``host`` resolves to (a literal is its own answer)."""
    literal = _literal(host)
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        answers = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"cannot resolve {host}: {error}", url=url, transient=True) from None
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in answers:
        # Drop an IPv6 scope ("fe80::1%eth0"): the address itself is what is judged.
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise FetchError(f"cannot resolve {host}: no address", url=url, transient=True)
    return addresses
