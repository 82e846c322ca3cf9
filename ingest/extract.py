"""An article page (HTML) → a clean article, or ``NotAnArticle`` with the reason.

The stages, in order (one parsed tree is passed down, as trafilatura's own ``core`` does):

1. parse the page once with lxml;
2. read the metadata the page declares: headline, description, publication time, author,
   canonical address, images (Open Graph, ``article:*``, JSON-LD, ``itemprop``);
3. reject pages that are not articles: home and section pages are mostly links;
4. collect photo captions and the headline used as image alt text, and cut comment, share and
   related-article boxes out of the tree;
5. extract the main text with trafilatura;
6. run the Vietnamese clean-up (``ingest.cleanup``) with the captions collected in 4.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime

import lxml.etree
import lxml.html
import trafilatura
from trafilatura.metadata import extract_metadata

from bantin.text import fold_loose
from ingest.cleanup import OUTLETS, clean, outlet_name, split_outlet_prefix
from ingest.dates import parse_date, parse_vietnamese_date, to_utc
from ingest.errors import NotAnArticle, TooLittleText
from ingest.model import ExtractedArticle
from ingest.textutil import squash
from ingest.urls import absolute, canonical_url, reader_link

MIN_TEXT_CHARS = 250
# A page whose visible text is mostly links, with many headline-sized links, is a listing.
LISTING_LINK_SHARE = 0.5
LISTING_HEADLINE_LINKS = 20

_CAPTION_CLASS = re.compile(r"caption", re.IGNORECASE)
_SAPO_CLASS = re.compile(r"sapo|article-summary|cms-desc|(?:^|[\s_-])lead(?:$|[\s_-])", re.I)
_AUTHOR_CLASS = re.compile(r"(?:^|[\s_-])(?:author|author-name|byline)(?:$|[\s_-])", re.I)
_JUNK_CLASS = re.compile(
    r"(?:^|[\s_-])(?:comments?|box-comment|article-comment|commentbox|share|sharing|social|"
    r"relate[ds]?|article-relate|tinlienquan|related-news|news-related|advert\w*|ads?|"
    r"banner|sda_\w+|notebox|tags?|breadcrumbs?|newsletter|popup)(?:$|[\s_-])",
    re.IGNORECASE,
)
_DATE_CLASS = re.compile(r"date|time|publish", re.IGNORECASE)


@dataclass
class PageMeta:
    """What the page says about itself, before any text extraction."""

    title: str = ""
    description: str = ""
    published_at: datetime | None = None
    author: str | None = None
    canonical: str | None = None
    og_type: str | None = None
    site_name: str | None = None
    images: list[str] = field(default_factory=list)


def parse_html(html: str | bytes) -> lxml.html.HtmlElement:
    """Parse a page; ``NotAnArticle`` when there is no document at all."""
    if isinstance(html, str):
        # lxml refuses str input that declares an encoding; the text is decoded already.
        html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    if not html or not html.strip():
        raise NotAnArticle("the page is empty")
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError) as error:
        raise NotAnArticle(f"the page cannot be parsed as HTML ({error})") from None


def _meta(tree: lxml.html.HtmlElement) -> dict[str, str]:
    values: dict[str, str] = {}
    for node in tree.iterfind(".//meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        content = node.get("content")
        if key and content and key not in values:
            values[key] = squash(content)
    return values


def _json_ld(tree: lxml.html.HtmlElement) -> dict:
    """The first Article-like JSON-LD object of the page, or ``{}``."""
    for node in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(node.text or "")
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                kind = item.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(isinstance(k, str) and k.endswith("Article") for k in kinds):
                    return item
                stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
            elif isinstance(item, list):
                stack.extend(item)
    return {}


def _ld_author(ld: dict) -> str | None:
    author = ld.get("author")
    if isinstance(author, list):
        author = author[0] if author else None
    if isinstance(author, dict):
        author = author.get("name")
    return squash(author) if isinstance(author, str) and author.strip() else None


def read_meta(tree: lxml.html.HtmlElement, url: str | None) -> PageMeta:
    """Stage 2: the page's own metadata."""
    meta = _meta(tree)
    ld = _json_ld(tree)
    h1 = tree.find(".//h1")
    title_node = tree.find(".//title")
    title = (
        meta.get("og:title") or (squash(h1.text_content()) if h1 is not None else "")
        or meta.get("title") or (squash(title_node.text_content()) if title_node is not None else "")
    )
    published = None
    for candidate in (
        meta.get("article:published_time"), ld.get("datePublished"), meta.get("datepublished"),
        meta.get("pubdate"), meta.get("publishdate"), meta.get("dc.date.issued"),
    ):
        published = parse_date(candidate) if isinstance(candidate, str) else None
        if published:
            break
    if published is None:
        published = _visible_date(tree)
    if published is None:
        published = url_date(canonical_href(tree, url) or meta.get("og:url") or url)
    author = _ld_author(ld) or meta.get("article:author") or meta.get("author")
    canonical = canonical_href(tree, url)
    base = url or canonical or meta.get("og:url")
    images = [absolute(meta["og:image"], base)] if meta.get("og:image") else []
    return PageMeta(
        title=title, description=meta.get("og:description") or meta.get("description") or "",
        published_at=published, author=author, canonical=canonical or meta.get("og:url"),
        og_type=(meta.get("og:type") or "").lower() or None, site_name=meta.get("og:site_name"),
        images=images,
    )


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


def canonical_href(tree: lxml.html.HtmlElement, url: str | None) -> str | None:
    for link in tree.iterfind(".//link"):
        if (link.get("rel") or "").lower() == "canonical" and (href := link.get("href")):
            return absolute(href, url)
    return None


def _visible_date(tree: lxml.html.HtmlElement) -> datetime | None:
    """A ``<time datetime>`` or a day-first date in an element named like a date."""
    for node in tree.iterfind(".//time"):
        value = parse_date(node.get("datetime")) or parse_vietnamese_date(node.text_content())
        if value:
            return value
    for node in tree.xpath("//*[@class][not(*)]"):
        if _DATE_CLASS.search(node.get("class", "")):
            value = parse_vietnamese_date(squash(node.text_content()))
            if value:
                return value
    return None


def listing_reason(tree: lxml.html.HtmlElement, meta: PageMeta) -> str | None:
    """Stage 3: why this page is a home or section page rather than an article, or ``None``."""
    body = tree.find("body")
    if body is None:
        return "the page has no body"
    total = len(" ".join(body.text_content().split()))
    linked = headline_links = 0
    for anchor in body.iter("a"):
        length = len(" ".join(anchor.text_content().split()))
        linked += length
        if length >= 40:
            headline_links += 1
    share = linked / total if total else 1.0
    if share >= LISTING_LINK_SHARE and headline_links >= LISTING_HEADLINE_LINKS and (
        meta.og_type != "article"
    ):
        return (
            f"not an article: a listing page ({share:.0%} of its text is links, "
            f"{headline_links} headline links)"
        )
    return None


def _remove(node: lxml.html.HtmlElement) -> None:
    parent = node.getparent()
    if parent is not None:
        node.drop_tree()


@dataclass
class Marked:
    """What the page's markup labels: captions, the lead (sapo) and the byline."""

    captions: set[str] = field(default_factory=set)
    sapo: str = ""
    author: str | None = None


def sort_marked_nodes(tree: lxml.html.HtmlElement, title: str) -> Marked:
    """Stage 4, in one pass over the elements that carry a class or id: keep the caption texts,
    the sapo and the byline, and cut captions, comment, share and related boxes from the tree.
    """
    marked = Marked()
    for node in tree.xpath("//body//*[@class or @id] | //body//figcaption"):
        label = f"{node.get('class', '')} {node.get('id', '')}"
        if node.tag == "figcaption" or _CAPTION_CLASS.search(label):
            text = squash(node.text_content())
            if text and len(text) < 400:
                marked.captions.add(text)
            _remove(node)
        elif not marked.sapo and _SAPO_CLASS.search(label):
            text = squash(node.text_content())
            if 40 <= len(text) <= 1000 and not node.xpath(
                ".//p[string-length(normalize-space()) > 40]"
            ):
                marked.sapo = text
                _remove(node)
        elif marked.author is None and _AUTHOR_CLASS.search(label):
            text = squash(node.text_content())
            if 2 <= len(text) <= 50:
                marked.author = text
                _remove(node)
        elif _JUNK_CLASS.search(label) and node.getparent() is not None and not node.xpath(
            ".//h1 | .//*[@itemprop='articleBody']"
        ):
            _remove(node)
    title_key = fold_loose(title)
    for img in tree.iterfind(".//img"):
        alt = squash(img.get("alt") or "")
        if len(alt) > 25 and fold_loose(alt) != title_key:
            marked.captions.add(alt)
    return marked


def extract_html(
    html: str | bytes, url: str | None = None, *, default_published: datetime | None = None,
) -> ExtractedArticle:
    """Extract and clean the article of a page (see the module docstring for the stages).

    ``default_published`` (the feed item's date) is used when the page states no time of its
    own, before trafilatura's date-only guess. The reader's link is ``url`` (the address that
    answered, or the one declared for a saved page), else the page's canonical href.
    """
    tree = parse_html(html)
    meta = read_meta(tree, url)
    lxml.etree.strip_elements(tree, "script", "style", "noscript", with_tail=False)
    reason = listing_reason(tree, meta)
    if reason:
        raise NotAnArticle(reason)
    marked = sort_marked_nodes(tree, meta.title)
    if not meta.title or (meta.published_at is None and default_published is None):
        fallback = extract_metadata(tree, url)  # trafilatura's (slower) metadata search
    else:
        fallback = None
    document = trafilatura.bare_extraction(
        tree, url=url, with_metadata=False, include_comments=False, include_tables=True,
        deduplicate=False,
    )
    text = getattr(document, "text", None) or ""
    title = meta.title or squash(getattr(fallback, "title", None) or "")
    if not title:
        raise NotAnArticle("not an article: the page has no headline")
    lead = marked.sapo
    paragraphs = [line for line in text.split("\n") if line.strip()]
    description = squash(meta.description)
    tag, bare_description = split_outlet_prefix(description)
    for index, line in enumerate(paragraphs[:4]):
        if not lead and description and fold_loose(split_outlet_prefix(squash(line))[1]) == fold_loose(bare_description):
            lead = squash(paragraphs.pop(index))
            break
    cleaned = clean(paragraphs, title=title, lead=lead, captions=marked.captions)
    body_chars = len(cleaned.lead) + sum(len(p) for p in cleaned.paragraphs)
    if body_chars < MIN_TEXT_CHARS:
        raise TooLittleText(f"too little text extracted ({body_chars} characters)")
    author = cleaned.author or marked.author or _clean_author(
        meta.author or getattr(fallback, "author", None), meta.site_name
    )
    published = cleaned.published_at or meta.published_at or default_published or parse_date(
        getattr(fallback, "date", None)
    )
    images = meta.images
    address = meta.canonical or url
    return ExtractedArticle(
        url=canonical_url(address) if address else None,
        link=reader_link(url or meta.canonical),
        title=title, lead=cleaned.lead, paragraphs=cleaned.paragraphs,
        author=author, published_at=published, source=cleaned.source or (outlet_name(tag) if tag else None),
        images=images,
    )


def _clean_author(author: str | None, site_name: str | None) -> str | None:
    """Authors that are really the outlet ("Dân Trí") are not authors."""
    if not author:
        return None
    names = [squash(name) for name in re.split(r"[;,|]", author) if squash(name)]
    outlet_keys = {fold_loose(key) for key in (*OUTLETS, *OUTLETS.values())}
    if site_name:
        outlet_keys.add(fold_loose(site_name))
    names = [name for name in names if fold_loose(name) not in outlet_keys and "http" not in name]
    return ", ".join(names) or None

