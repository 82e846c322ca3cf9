"""A feed item and its page (or the lack of one) → the article to keep.

Pure functions, called in a worker thread by the caller: the page is extracted; when that
yields too little text or the page could not be fetched, the item's description stands in and
the article says so in ``note``. A page that is not an article at all is rejected.
"""

from __future__ import annotations

from ingest.cleanup import clean, split_outlet_prefix
from ingest.errors import NotAnArticle, TooLittleText
from ingest.extract import extract_html
from ingest.model import ExtractedArticle, FeedItem
from ingest.urls import canonical_url, reader_link


def from_description(item: FeedItem, note: str) -> ExtractedArticle:
    """The article as the feed describes it, with ``note`` saying why the page was not used."""
    if not item.description and not item.title:
        raise NotAnArticle(f"{note}; the feed item has no title or description")
    source, lead = split_outlet_prefix(item.description)
    return ExtractedArticle(
        url=item.url, link=reader_link(item.link or item.url), title=item.title, lead=lead,
        paragraphs=[], author=item.author,
        published_at=item.published_at, source=source, images=list(item.images),
        note=f"{note}; text from the feed description",
    )


def from_page(item: FeedItem, html: str, page_url: str | None = None) -> ExtractedArticle:
    """Extract the item's page; fall back to the description when it yields too little.

    ``NotAnArticle`` (other than too little text) propagates: the page is rejected. The
    reader's link is ``page_url``, the address that answered after redirects, else the item's.
    """
    link = reader_link(page_url or item.link or item.url)
    try:
        article = extract_html(html, page_url or item.link or item.url, default_published=item.published_at)
    except TooLittleText as error:
        article = from_description(item, str(error))
        article.link = link
        return article
    article.url = item.url
    article.link = link
    article.title = article.title or item.title
    article.published_at = article.published_at or item.published_at
    article.author = article.author or item.author
    if not article.lead and item.description:
        article.source = article.source or split_outlet_prefix(item.description)[0]
    article.images = article.images or list(item.images)
    return article


def file_url(declared: str | None, found: str | None) -> str | None:
    """The address of a saved page: the one given on the command line, else its canonical."""
    chosen = declared or found
    return canonical_url(chosen) if chosen else None


def from_feed_item(item: FeedItem) -> ExtractedArticle:
    """The article as a saved feed carries it, with no page fetched: the item's full content
    (``content:encoded``) when it has one, else its description."""
    if not item.paragraphs:
        return from_description(item, "read from the saved feed")
    source, lead = split_outlet_prefix(item.description)
    cleaned = clean(list(item.paragraphs), title=item.title, lead=lead)
    return ExtractedArticle(
        url=item.url, link=reader_link(item.link or item.url), title=item.title,
        lead=cleaned.lead, paragraphs=cleaned.paragraphs,
        author=item.author or cleaned.author,
        published_at=item.published_at or cleaned.published_at,
        source=cleaned.source or source, images=list(item.images),
        note="read from the saved feed; text from the feed's own content",
    )
