"""A clean outlet name for articles that arrive without a configured source.

A saved page or feed has no ``[[sources]]`` entry to name it. Feed titles carry decoration
("Tin mới nhất - VnExpress RSS", "dantri (wrapper added)"), pages say who they are in
``og:site_name`` or the JSON-LD publisher, and failing both the host names the outlet. Known
outlets get the name readers know them by (``cleanup.OUTLETS``).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

from ingest.cleanup import OUTLETS
from bantin.text import fold
from ingest.textutil import squash

_SEPARATORS = re.compile(r"\s+[-–—|:·»]\s+|\s*[|»]\s*")
_PARENTHESES = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*")
_FEED_WORDS = re.compile(r"\b(?:rss|atom|feeds?|xml)\b", re.I)
_GENERIC = {
    "tin moi nhat", "tin moi", "tin nong", "tin tuc", "tin tuc moi nhat", "trang chu", "home",
    "news", "latest news", "latest", "tin nhanh viet nam", "bao dien tu", "moi nhat",
    "tin tuc 24h", "doc bao", "tong hop", "",
}
# Section names: a feed title often pairs one with the outlet ("Báo Hà Tĩnh - Thời sự").
_SECTIONS = {
    "the thao", "thoi su", "kinh doanh", "the gioi", "giai tri", "phap luat", "giao duc",
    "suc khoe", "doi song", "du lich", "khoa hoc", "so hoa", "xe", "van hoa", "cong nghe",
    "xa hoi", "kinh te", "chinh tri", "bat dong san", "tai chinh", "goc nhin", "y kien",
    "trong nuoc", "quoc te", "chung khoan", "nhip song", "ban doc",
}
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)+$", re.U)
_KNOWN = {fold(key): name for key, name in OUTLETS.items()} | {
    fold(name): name for name in OUTLETS.values()
}


def known_outlet(name: str) -> str | None:
    """The readers' name of a known outlet, given a tag, a name or a domain."""
    key = fold(name.strip())
    for candidate in (key, key.removesuffix(" online")):
        if candidate in _KNOWN:
            return _KNOWN[candidate]
    if _DOMAIN.match(key):
        host = key.removeprefix("www.")
        for candidate in (host, host.split(".")[0]):
            if candidate in _KNOWN:
                return _KNOWN[candidate]
    return None


def clean_outlet_name(title: str | None) -> str | None:
    """"Tin mới nhất - VnExpress RSS" → "VnExpress"; ``None`` when nothing names an outlet."""
    parts = []
    for part in _SEPARATORS.split(squash(title or "")):
        part = squash(_FEED_WORDS.sub(" ", _PARENTHESES.sub(" ", part))).strip(" -–—|:")
        if fold(part) not in _GENERIC:
            parts.append(part)
    if not parts:
        return None
    for part in parts:
        known = known_outlet(part)
        if known:
            return known
    for part in parts:
        if _DOMAIN.match(part):
            return host_outlet(f"http://{part}")
    outlets = [part for part in parts if fold(part) not in _SECTIONS]
    return (outlets or parts)[0]


def host_outlet(url: str | None) -> str | None:
    """The outlet a web address belongs to: a known name, else the bare host."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if not host or host in ("localhost", "invalid") or host.replace(".", "").isdigit():
        return None
    return known_outlet(host) or host


def page_outlet(html: str) -> str | None:
    """The outlet a page names itself: ``og:site_name``, JSON-LD publisher, application-name."""
    try:
        tree = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", html))
    except (lxml.etree.ParserError, ValueError):
        return None
    for xpath in ("//meta[@property='og:site_name']/@content",
                  "//meta[@name='og:site_name']/@content",
                  "//meta[@name='application-name']/@content"):
        for value in tree.xpath(xpath):
            name = clean_outlet_name(value)
            if name:
                return name
    for script in tree.xpath("//script[@type='application/ld+json']"):
        name = clean_outlet_name(_ld_publisher(script.text or ""))
        if name:
            return name
    return None


def _ld_publisher(raw: str) -> str | None:
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    stack = data if isinstance(data, list) else [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            publisher = item.get("publisher")
            if isinstance(publisher, list):
                publisher = publisher[0] if publisher else None
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                return publisher["name"]
            if isinstance(item.get("@graph"), list):
                stack.extend(item["@graph"])
    return None
