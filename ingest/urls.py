"""Two addresses per article: the dedup key and the link a reader clicks.

``canonical_url`` is the dedup key: one spelling per article, whatever variant (http or https,
``www.``/``m.``, tracking parameters) a feed or page used. It is an identity, never shown.
``reader_link`` is the address as the publisher serves it, with only tracking parameters and
the fragment removed: rewriting its scheme or host could turn a working link into a dead one
(a site that only answers on ``www.`` or only over http).
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, unquote_plus, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING = {"fbclid", "gclid", "zarsrc", "gidzl", "_gl", "mc_cid", "mc_eid"}
_WEB = ("http", "https")


def absolute(url: str, base: str | None) -> str:
    """``url`` made absolute against ``base`` (relative links and images in feeds)."""
    url = (url or "").strip()
    if not base:
        return url
    return urljoin(base, url)


def is_tracking(key: str) -> bool:
    """Whether a query parameter only tells the publisher where a click came from."""
    key = key.lower()
    return key.startswith("utm_") or key in _TRACKING


def canonical_url(url: str, base: str | None = None) -> str:
    """The dedup key: https, no ``www.``/``m.``, no tracking parameters, no fragment, no
    trailing slash, lower-case host. Non-http identifiers are returned unchanged.

    Always https, for IP and ``localhost`` hosts too: the key is never opened (readers get
    ``reader_link``), so it needs no exception for sites without a certificate.
    """
    url = absolute(url, base)
    parts = urlsplit(url)
    if parts.scheme.lower() not in _WEB:
        return url
    host = _site_host(parts.hostname or "")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = [
        (key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking(key)
    ]
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    return urlunsplit(("https", host, path, urlencode(query), ""))


def _site_host(hostname: str) -> str:
    """The host of the key: lower-case, with every leading ``www.``/``m.`` removed (so that
    ``canonical_url`` of a key is the key itself), an IPv6 literal in its brackets."""
    host = hostname.lower().rstrip(".")
    if ":" in host:
        return f"[{host}]"
    while host.startswith(("www.", "m.")) and host.count(".") >= 2:
        host = host.split(".", 1)[1]
    return host


def reader_link(url: str | None, base: str | None = None) -> str | None:
    """The address a reader opens: ``url`` made absolute, as the publisher wrote it, minus
    tracking parameters and the fragment. ``None`` when it is not an http(s) address.

    Scheme, host, port, path and the other parameters are kept byte for byte (their order and
    percent-encoding too): only the publisher knows which spelling its server answers.
    """
    if not url:
        return None
    url = absolute(url, base)
    parts = urlsplit(url)
    if parts.scheme.lower() not in _WEB or not parts.netloc:
        return None
    kept = [
        pair for pair in parts.query.split("&")
        if pair and not is_tracking(unquote_plus(pair.split("=", 1)[0]))
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(kept), ""))


def content_identifier(*parts: str) -> str:
    """A stable ``urn:bantin:`` identifier for an article with no web address (a ``.txt``
    scrape), derived from its folded title, outlet and date so a re-scrape maps to the same row.
    """
    from bantin.text import fold_loose

    key = "\x1f".join(fold_loose(" ".join(part.split())) for part in parts)
    return "urn:bantin:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
