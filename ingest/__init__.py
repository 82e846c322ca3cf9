"""Bytes from the world → clean Vietnamese articles (see docs/architecture.md).

Feeds (``feeds``), polite HTTP (``fetch``), main text of pages (``extract``), scraped text
files (``scrape``), the Vietnamese clean-up they share (``cleanup``), dates (``dates``) and
canonical URLs (``urls``). ingest returns values; it never saves or summarises.
"""

from ingest.errors import FeedError, FetchError, IngestError, NotAnArticle, TooLittleText
from ingest.model import ExtractedArticle, Feed, FeedItem

__all__ = [
    "ExtractedArticle", "Feed", "FeedError", "FeedItem", "FetchError", "IngestError",
    "NotAnArticle", "TooLittleText",
]
