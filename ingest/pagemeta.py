"""What an article page says about itself: headline, time, author, outlet, address, images.

Read from what every CMS declares (Open Graph, ``article:*``, JSON-LD, ``itemprop``, the
``<h1>``), never from per-site rules. The order of preference is the order of trust:

- headline: the page's own ``<h1>`` (when it looks like a headline: not a logo, not a link,
  not a one-word mobile header, and it agrees with what the page declares), then JSON-LD
  ``headline``, ``og:title``, ``<title>``, each with a trailing site name (" - VietNamNet",
  " | Báo Dân trí") removed;
- time: a declared publication time with its offset (JSON-LD ``datePublished``,
  ``article:published_time``, ``itemprop``); a declared date without a time gives way to a
  visible time on the same day;
- outlet: ``og:site_name``, JSON-LD ``publisher.name``, else the host name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import lxml.html

from ingest.cleanup import OUTLETS, clean_author
from ingest.dates import VIETNAM, parse_date, parse_vietnamese_date, to_utc
from bantin.text import fold_loose
from ingest.textutil import squash
from ingest.urls import absolute

_ARTICLE_TYPES = re.compile(r"(?:^|\b)(?:\w*Article|BlogPosting|Report|LiveBlogPosting)$")
_TITLE_SEPARATOR = re.compile(r"\s+[-–—|:»]\s+|\s*\|\s*")
_DATE_CLASS = re.compile(r"date|time|publish", re.IGNORECASE)
_CHROME = {"header", "nav", "footer", "aside"}
_CHROME_WORDS = {"logo", "menu", "nav", "navbar", "navigation", "footer", "masthead", "topbar"}
# "header" names site chrome unless the class says whose header it is ("article-header").
_OWN_HEADER_WORDS = {"article", "post", "entry", "detail", "news", "content", "story", "title",
                     "singular", "main"}


@dataclass
class PageMeta:
    """What the page says about itself, before any text extraction."""

    title: str = ""
    description: str = ""
    published_at: datetime | None = None
    author: str | None = None
    canonical: str | None = None
    declared_article: bool = False
    site_name: str | None = None
    images: list[str] = field(default_factory=list)


def meta_values(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """``<meta>`` contents by property/name/itemprop, lower-cased keys, first one wins."""
    values: dict[str, str] = {}
    for node in tree.iterfind(".//meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        content = node.get("content")
        if key and content and squash(content) and key not in values:
            values[key] = squash(content)
    return values


def json_ld_objects(tree: lxml.html.HtmlElement) -> list[dict]:
    """Every JSON-LD object of the page, ``@graph`` members flattened in."""
    found: list[dict] = []
    for node in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(node.text or "", strict=False)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                found.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
            elif isinstance(item, list):
                stack.extend(item)
    return found


def _types(item: dict) -> list[str]:
    kind = item.get("@type")
    return [k for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)]


def article_ld(objects: list[dict]) -> dict:
    """The first Article-like JSON-LD object (NewsArticle, Article, ReportageNewsArticle…)."""
    for item in objects:
        if any(_ARTICLE_TYPES.search(kind) for kind in _types(item)):
            return item
    return {}


def _name(value: object) -> str | None:
    """The name in a JSON-LD person/organisation value (a string, a dict, or a list of them)."""
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        value = value.get("name")
    return squash(value) if isinstance(value, str) and squash(value) else None


def ld_person_author(ld: dict) -> str | None:
    """JSON-LD authors that are people (organisations as authors are the outlet)."""
    author = ld.get("author")
    people = author if isinstance(author, list) else [author]
    names = [_name(p) for p in people
             if isinstance(p, str) or (isinstance(p, dict) and "Organization" not in _types(p))]
    return ", ".join(n for n in names if n) or None


# -- headline -------------------------------------------------------------------------------


def strip_site_suffix(title: str, site_names: list[str]) -> str:
    """"Tiêu đề - VietNamNet" → "Tiêu đề": a trailing (or leading) segment naming the site.

    A segment names the site when it matches a known site name or the host, or when it is
    short and the rest is clearly the headline (" | Báo Dân trí").
    """
    title = squash(title)
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    keys = {_site_key(n) for n in site_names if n}
    keys = {k for k in keys if len(k) >= 3}
    last, first = parts[-1], parts[0]
    rest = _strip_separators(title[: title.rfind(last)])
    if len(rest.split()) >= 3:
        last_key = _site_key(last)
        # "… - Báo điện tử VietNamNet": the segment holds the site's name, or is "Báo …".
        if last_key and any(k in last_key for k in keys):
            return rest
        generic = re.match(r"^(?:bao|tap chi|tin tuc|tin nhanh)\b", fold_loose(last))
        if generic and len(last.split()) <= 5:
            return rest
    rest = _strip_separators(title[len(first):])
    if len(rest.split()) >= 3 and _site_key(first) in keys:
        return rest  # "VnExpress - …": only the site's exact name leads
    return title


def _strip_separators(text: str) -> str:
    return re.sub(r"^\s*[-–—|:»]\s*|\s*[-–—|:»]\s*$", "", text).strip()


def _site_key(name: str) -> str:
    """Letters only, folded, without "báo (điện tử)" and a domain ending:
    "Báo Dân trí" → "dantri"."""
    key = fold_loose(name)
    key = re.sub(r"^(?:www\.)|\.(?:com|net|org|vn|gov|edu)(?:\.vn)?$", "", key)
    key = re.sub(r"\b(?:bao|dien tu|tap chi|online|dien tu)\b", "", key)
    return re.sub(r"[^a-z0-9]", "", key)


def _chrome_label(label: str) -> bool:
    """Class/id words of site chrome: "header-logo", "main-menu", "site-header"."""
    for token in label.lower().split():
        parts = set(re.split(r"[-_]", token))
        if parts & _CHROME_WORDS or ("header" in parts and not parts & _OWN_HEADER_WORDS):
            return True
    return False


def _in_chrome(node: lxml.html.HtmlElement) -> bool:
    """Inside the site's header, menu or footer (an article's own ``<header>`` is not)."""
    ancestors = list(node.iterancestors())
    if any(ancestor.tag in {"article", "main"} for ancestor in ancestors):
        return False
    for ancestor in ancestors:
        if ancestor.tag in _CHROME:
            return True
        label = f"{ancestor.get('class', '')} {ancestor.get('id', '')}"
        if ancestor.tag != "body" and _chrome_label(label):
            return True
    return False


def plausible_h1_nodes(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """``<h1>`` elements that can be a headline: several words, not a link, not site chrome
    (a logo, a mobile header's "Mobile")."""
    found = []
    for h1 in tree.iterfind(".//body//h1"):
        text = squash(h1.text_content())
        linked = sum(len(squash(a.text_content())) for a in h1.iter("a"))
        label = f"{h1.get('class', '')} {h1.get('id', '')}"
        if (len(text.split()) >= 3 and linked < len(text) / 2 and not _in_chrome(h1)
                and not _chrome_label(label)):
            found.append(h1)
    return found


def plausible_h1s(tree: lxml.html.HtmlElement) -> list[str]:
    return [squash(h1.text_content()) for h1 in plausible_h1_nodes(tree)]


def _overlap(a: str, b: str) -> float:
    """Share of ``a``'s words found in ``b`` (folded)."""
    words_a, words_b = fold_loose(a).split(), set(fold_loose(b).split())
    return sum(w in words_b for w in words_a) / len(words_a) if words_a else 0.0


def headline(tree: lxml.html.HtmlElement, meta: dict[str, str], ld: dict,
             site_names: list[str]) -> str:
    """The page's own headline: the ``<h1>`` that agrees with what the page declares (the
    social title may be worded differently, so half the words is agreement), else the
    declared headline, else a lone plausible ``<h1>``."""
    title_node = tree.find(".//title")
    declared = [strip_site_suffix(squash(c or ""), site_names) for c in (
        ld.get("headline") if isinstance(ld.get("headline"), str) else "",
        meta.get("og:title", ""), meta.get("twitter:title", ""),
        squash(title_node.text_content()) if title_node is not None else "",
    )]
    declared = [c for c in declared if c]
    h1s = plausible_h1s(tree)
    for h1 in h1s:
        if any(_overlap(h1, c) >= 0.5 for c in declared):
            return strip_site_suffix(h1, site_names)
    if h1s and not declared:
        return strip_site_suffix(h1s[0], site_names)
    return declared[0] if declared else ""


# -- time -----------------------------------------------------------------------------------


def _has_time(text: str) -> bool:
    return bool(re.search(r"\d{1,2}[:h]\d{2}", text))


def published_time(tree: lxml.html.HtmlElement, meta: dict[str, str], ld: dict) -> datetime | None:
    """The declared publication time; a date-only declaration (or exactly midnight, which
    CMSs write when they store no time) yields to a visible time on the same day."""
    declared = [
        ld.get("datePublished"), meta.get("article:published_time"), meta.get("datepublished"),
        meta.get("og:published_time"), meta.get("pubdate"), meta.get("publishdate"),
        meta.get("dc.date.issued"), meta.get("date"),
    ]
    date_only: datetime | None = None
    for candidate in declared:
        if not isinstance(candidate, str):
            continue
        value = parse_date(candidate)
        if value is None:
            continue
        local = value.astimezone(VIETNAM)
        if _has_time(candidate) and (local.hour, local.minute, local.second) != (0, 0, 0):
            return value
        date_only = date_only or value  # a date, or a midnight that stands for "no time"
    visible = visible_time(tree)
    if date_only is None:
        return visible
    if visible and date_only.astimezone(VIETNAM).date() == visible.astimezone(VIETNAM).date():
        return visible
    return date_only


def visible_time(tree: lxml.html.HtmlElement) -> datetime | None:
    """The time shown with the article: a ``<time datetime>`` or a day-first date with a time
    in an element named like a date. The first one after the headline wins (a header's clock
    comes before it)."""
    found: list[tuple[lxml.html.HtmlElement, datetime]] = []
    for node in tree.iterfind(".//time"):
        for text in (node.get("datetime"), node.text_content()):
            if text and _has_time(text):
                value = parse_date(text)
                if value:
                    found.append((node, value))
                    break
    for node in tree.xpath("//body//*[@class or @itemprop][not(*) or count(*) < 4]"):
        label = f"{node.get('class', '')} {node.get('itemprop', '')}"
        if _DATE_CLASS.search(label):
            text = squash(node.text_content())
            if len(text) < 80 and _has_time(text):
                value = parse_vietnamese_date(text)
                if value:
                    found.append((node, value))
    if not found:
        return None
    headlines = plausible_h1_nodes(tree)
    h1 = headlines[0] if headlines else tree.find(".//body//h1")
    if h1 is not None and len(found) > 1:
        order = {node: index for index, node in enumerate(tree.iter())}
        after = [(order.get(node, 0), value) for node, value in found
                 if order.get(node, 0) > order.get(h1, 0)]
        if after:
            return min(after, key=lambda pair: pair[0])[1]
    return found[0][1]


_URL_STAMP = re.compile(
    r"(20\d{2})(0[1-9]|1[0-2])([0-3]\d)([01]\d|2[0-3])([0-5]\d)([0-5]\d)\d{0,4}\.html?$"
)


def url_date(url: str | None) -> datetime | None:
    """The time stamped into addresses like Dân trí's and Tuổi Trẻ's
    ``...-20221224095943188.htm`` (local time, to the second)."""
    match = _URL_STAMP.search(url or "")
    if not match:
        return None
    try:
        year, month, day, hour, minute, second = (int(part) for part in match.groups())
        stamp = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    return to_utc(stamp)


# -- outlet, address ------------------------------------------------------------------------


def host_outlet(url: str | None) -> str | None:
    """"https://vnexpress.net/..." → "VnExpress" (a known outlet) or "Vnexpress.net"."""
    host = (urlsplit(url or "").hostname or "").lower()
    host = re.sub(r"^(?:www|m|amp|mobile)\.", "", host)
    if not host or host.replace(".", "").isdigit() or host in {"localhost", "invalid"}:
        return None
    label = host.split(".")[0]
    for key in (host, label):
        if key in OUTLETS:
            return OUTLETS[key]
    return host[:1].upper() + host[1:]


def title_suffix_name(titles: tuple[str, ...] | list[str], url: str | None) -> str | None:
    """The site name a title ends with when it matches the host: "… - VietNamNet" on
    vietnamnet.vn gives "VietNamNet", in the outlet's own spelling."""
    host_key = _site_key(urlsplit(url or "").hostname or "")
    if not host_key:
        return None
    for title in titles:
        parts = _TITLE_SEPARATOR.split(squash(title or ""))
        if len(parts) >= 2:
            for segment in (parts[-1], parts[0]):
                if _site_key(segment) == host_key:
                    return squash(segment)
    return None


def site_name(meta: dict[str, str], objects: list[dict], url: str | None,
              titles: tuple[str, ...] | list[str] = ()) -> str | None:
    """The outlet's name as the page declares it, else as its titles and host name it."""
    candidates = [meta.get("og:site_name"), meta.get("application-name")]
    for item in objects:
        candidates.append(_name(item.get("publisher")))
    candidates.append(title_suffix_name(list(titles), url))
    for candidate in candidates:
        name = squash(candidate or "")
        if 2 <= len(name) <= 40 and "copyright" not in name.lower() and "http" not in name:
            return name
    return host_outlet(url)


def canonical_href(tree: lxml.html.HtmlElement, url: str | None) -> str | None:
    for link in tree.iterfind(".//link"):
        if (link.get("rel") or "").lower() == "canonical" and (href := link.get("href")):
            return absolute(href, url)
    return None


def read_meta(tree: lxml.html.HtmlElement, url: str | None) -> PageMeta:
    """The page's own metadata (see the module docstring for the order of trust)."""
    meta = meta_values(tree)
    objects = json_ld_objects(tree)
    ld = article_ld(objects)
    canonical = canonical_href(tree, url) or meta.get("og:url")
    address = url or canonical
    title_node = tree.find(".//title")
    titles = [meta.get("og:title", ""),
              squash(title_node.text_content()) if title_node is not None else ""]
    outlet = site_name(meta, objects, address, titles)
    names = [n for n in (outlet, meta.get("og:site_name"), _name(ld.get("publisher")),
                         host_outlet(address), urlsplit(address or "").hostname) if n]
    published = published_time(tree, meta, ld) or url_date(canonical or url)
    author = ld_person_author(ld) or meta.get("article:author") or meta.get("author")
    base = url or canonical
    images = [absolute(meta["og:image"], base)] if meta.get("og:image") else []
    declared = meta.get("og:type", "").lower() == "article" or bool(ld) or bool(
        tree.xpath("//*[@itemprop='articleBody'] | //*[contains(@itemtype, 'Article')]")
    )
    return PageMeta(
        title=headline(tree, meta, ld, names),
        description=meta.get("og:description") or meta.get("description") or "",
        published_at=published, author=clean_author(author, names), canonical=canonical,
        declared_article=declared, site_name=outlet, images=images,
    )
