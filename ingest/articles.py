"""What the pipeline asks ingest for: a fetched feed read, and articles finished for storing,
from a fetched page, a feed's description or a saved file.

A finished article has everything the store keeps but its summary: ``url`` is the dedup key
(the canonical address the feed or page gave, else a ``urn:bantin:`` identifier from title,
outlet and date), the names a reader sees carry no invisible controls, and ``simhash`` is set.
Choosing the key and fingerprint here, once, keeps the pipeline to sequencing fetches and
saves. Every function is a pure module-level one, so the pipeline can run it in the
extraction process (pages) or a worker thread (the rest).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Literal

from bantin.text import simhash
from ingest.errors import NotAnArticle
from ingest.extract import extract_html
from ingest.feeds import parse_feed
from ingest.fetch import Fetched, decode
from ingest.items import file_url, from_description, from_page
from ingest.model import ExtractedArticle, Feed, FeedItem
from ingest.scrape import parse_scrape
from ingest.textutil import strip_invisible
from ingest.urls import canonical_url, content_identifier, reader_link


def feed_from_answer(fetched: Fetched) -> Feed:
    """The feed a fetched answer holds; relative links resolve against the final address."""
    return parse_feed(fetched.text, fetched.final_url)


def article_from_page(item: FeedItem, page: Fetched, source: str = "") -> ExtractedArticle:
    """The finished article of a feed item whose page was fetched (the description stands in
    when the page has too little text). ``NotAnArticle`` when the page is no article."""
    return finish(from_page(item, page.text, page.final_url), source=source)


def article_from_description(item: FeedItem, note: str, source: str = "") -> ExtractedArticle:
    """The finished article of a feed item whose page could not be fetched (``note`` says why)."""
    return finish(from_description(item, note), source=source)


# -- saved files (no network) -------------------------------------------------------------

FileKind = Literal["text", "html", "feed"]


def file_kind(path: Path) -> FileKind:
    """What a saved file holds, by its suffix; ``NotAnArticle`` for any other suffix."""
    suffix = path.suffix.lower()
    if suffix in (".txt", ".text"):
        return "text"
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if suffix in (".xml", ".rss", ".atom"):
        return "feed"
    raise NotAnArticle(f"unknown kind of file {path.name!r} (expected .txt, .html, .xml or .rss)")


def read_article_file(path: Path, url: str | None = None) -> ExtractedArticle:
    """Extract a saved ``.txt`` or ``.html`` file as it reads (what ``bantin extract`` shows);
    ``url`` is the address it was saved from, if known."""
    content = path.read_bytes()
    if file_kind(path) == "text":
        article = parse_scrape(decode(content), url=canonical_url(url) if url else None)
        article.link = reader_link(url)
    else:
        article = extract_html(content, url)
        article.url = file_url(url, article.url)
    return article


def article_from_file(path: Path, url: str | None = None) -> ExtractedArticle:
    """The finished article of a saved ``.txt`` or ``.html`` file, ready to store."""
    return finish(read_article_file(path, url))


def read_feed_file(path: Path, url: str | None = None) -> Feed:
    """The feed a saved ``.xml``/``.rss``/``.atom`` file holds; ``url`` its address, if known."""
    return parse_feed(path.read_bytes(), url)


# -- finishing -------------------------------------------------------------------------------


def finish(article: ExtractedArticle, *, source: str = "") -> ExtractedArticle:
    """``article`` ready to store: dedup key, outlet, clean names and SimHash.

    ``source`` is the configured source's name, which wins over the outlet found in the text.
    The key of an article with no address comes from its title, outlet and date (or lead),
    so a re-scrape of the same ``.txt`` maps to the same row.
    """
    outlet = source or article.source or ""
    published = article.published_at
    key = article.url or content_identifier(
        article.title, outlet, published.isoformat() if published else article.lead[:200]
    )
    title = strip_invisible(article.title)
    return dataclasses.replace(
        article, url=key, title=title, source=strip_invisible(outlet),
        author=strip_invisible(article.author) if article.author else article.author,
        simhash=simhash(" ".join((title, article.lead, article.text))),
    )
