"""Canonical URLs, so one article reached by several addresses is one article."""

from __future__ import annotations

import hashlib
import ipaddress
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING = {"fbclid", "gclid", "zarsrc", "gidzl", "_gl", "mc_cid", "mc_eid"}


def absolute(url: str, base: str | None) -> str:
    """``url`` made absolute against ``base`` (relative links and images in feeds)."""
    url = (url or "").strip()
    if not base:
        return url
    return urljoin(base, url)


def canonical_url(url: str, base: str | None = None) -> str:
    """One spelling per article: https, no ``www.``/``m.``, no tracking parameters, no fragment,
    no trailing slash, lower-case host. Non-http identifiers are returned unchanged.

    A site addressed by IP or as ``localhost`` keeps its scheme: it has no certificate, so an
    https link to it would not open (the demo's local news site is one).
    """
    url = absolute(url, base)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return url
    host = (parts.hostname or "").lower().rstrip(".")
    for prefix in ("www.", "m."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = [
        (key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in _TRACKING
    ]
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    scheme = parts.scheme.lower() if _is_local(parts.hostname or "") else "https"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def _is_local(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host.lower() == "localhost"
    return True


def content_identifier(*parts: str) -> str:
    """A stable ``urn:bantin:`` identifier for an article with no web address (a ``.txt``
    scrape), derived from its folded title, outlet and date so a re-scrape maps to the same row.
    """
    from ingest.textutil import fold

    key = "\x1f".join(fold(" ".join(part.split())) for part in parts)
    return "urn:bantin:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
