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

from bantin.text import simhash
from ingest.errors import NotAnArticle
from ingest.extract import extract_html
from ingest.feeds import parse_feed
from ingest.fetch import Fetched
from ingest.files import SavedFile, read_saved_file
from ingest.items import file_url, from_description, from_feed_item, from_page
from ingest.model import ExtractedArticle, Feed, FeedItem
from ingest.naming import clean_outlet_name, host_outlet, page_outlet
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


def read_article(saved: SavedFile, url: str | None = None) -> ExtractedArticle:
    """The article of a decoded text scrape or HTML page as it reads (what ``bantin extract``
    shows). ``NotAnArticle`` for any other kind of file, with what to do instead."""
    if saved.kind == "text":
        article = parse_scrape(saved.text, url=canonical_url(url) if url else None)
        article.link = reader_link(url)
        return article
    if saved.kind == "html":
        article = extract_html(saved.text, url)
        article.url = file_url(url, article.url)
        return article
    if saved.kind == "feed":
        raise NotAnArticle("this is a feed: use bantin ingest --file")
    if saved.kind == "jsonl":
        raise NotAnArticle("this is a JSONL batch: use bantin summarize --in")
    raise NotAnArticle(saved.reason or f"not an article ({saved.kind})")


def read_article_file(path: Path, url: str | None = None) -> ExtractedArticle:
    """Read, decode and extract a saved ``.txt`` scrape or ``.html`` page (no network)."""
    return read_article(read_saved_file(path), url)


def outlet_of(saved: SavedFile, extracted: ExtractedArticle, url: str | None) -> str:
    """The outlet of a saved article: named in its text, by the page, else by its host."""
    return (extracted.source or (page_outlet(saved.text) if saved.kind == "html" else None)
            or host_outlet(url or extracted.link or extracted.url) or "")


def article_from_saved(saved: SavedFile, url: str | None = None,
                       source: str | None = None) -> ExtractedArticle:
    """The finished article of a saved scrape or page; ``source`` (``--source``) names the
    outlet, else the text, the page or the host does (``outlet_of``)."""
    extracted = read_article(saved, url)
    return finish(extracted, source=source or outlet_of(saved, extracted, url))


def feed_from_saved(saved: SavedFile, url: str | None = None,
                    source: str | None = None) -> tuple[Feed, str]:
    """The feed a saved file holds and the outlet its articles are stored under: ``source``,
    else the feed's cleaned title, the host, or the file's name."""
    feed = parse_feed(saved.text, url)
    name = (source or clean_outlet_name(feed.title)
            or host_outlet(url or (feed.items[0].link if feed.items else None))
            or saved.path.stem)
    return feed, name


def article_from_saved_item(item: FeedItem, source: str = "") -> ExtractedArticle:
    """The finished article of a saved feed's item, read from the feed alone (no page)."""
    return finish(from_feed_item(item), source=source)


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
