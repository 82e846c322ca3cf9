"""Saved files, read without the network: a ``.txt`` scrape, an ``.html`` page or an
``.xml``/``.rss``/``.atom`` feed, told apart by the file's suffix."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from ingest.articles import finish
from ingest.errors import NotAnArticle
from ingest.extract import extract_html
from ingest.feeds import parse_feed
from ingest.fetch import decode
from ingest.items import file_url
from ingest.model import ExtractedArticle, Feed
from ingest.scrape import parse_scrape
from ingest.urls import canonical_url, reader_link

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
