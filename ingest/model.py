"""The values ingest hands back: feed items and extracted articles (no I/O, no store)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any


@dataclass
class FeedItem:
    """One item of a feed. ``url`` is the dedup key (``canonical_url``), ``link`` the absolute
    address as the feed gave it: what gets fetched, and (cleaned) what readers open."""

    url: str
    title: str
    link: str = ""
    description: str = ""
    published_at: datetime | None = None
    guid: str | None = None
    author: str | None = None
    images: list[str] = field(default_factory=list)
    # The item's full text when the feed carries it (``content:encoded``, Atom ``content``):
    # what a saved feed is read from without fetching any page.
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Feed:
    """A parsed feed. ``problem`` says what was wrong when feedparser had to recover."""

    title: str
    items: list[FeedItem]
    problem: str | None = None
    duplicates: int = 0


@dataclass
class ExtractedArticle:
    """What extraction and clean-up produce from a page, a saved file or a feed item.

    ``source`` is the outlet named in the text (e.g. "Báo Hà Tĩnh" for a "(Baohatinh.vn) - "
    lead); ``note`` records anything a reader of the data should know (e.g. text taken from
    the feed description because the page could not be used). ``url`` is the dedup key
    (``canonical_url``); ``link`` the address readers open (``reader_link``): ``None`` for a
    ``.txt`` scrape with no address. ``site_name`` is the outlet the page declares
    (``og:site_name``, JSON-LD ``publisher``) or its host names ("VnExpress"), for pages.

    ``ingest.articles`` finishes an article for storing: ``url`` becomes the dedup key even
    without an address, and ``simhash`` (the near-duplicate fingerprint) is set.
    """

    url: str | None
    title: str
    lead: str = ""
    paragraphs: list[str] = field(default_factory=list)
    author: str | None = None
    published_at: datetime | None = None
    source: str | None = None
    images: list[str] = field(default_factory=list)
    note: str | None = None
    link: str | None = None
    site_name: str | None = None
    simhash: int | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    def as_json(self, tz: tzinfo | None = None) -> dict[str, Any]:
        """A JSON-ready dict; ``published_at`` shown in ``tz`` (UTC when not given)."""
        published = self.published_at.astimezone(tz) if self.published_at and tz else self.published_at
        return {
            "url": self.url,
            "link": self.link,
            "title": self.title,
            "published_at": published.isoformat() if published else None,
            "author": self.author,
            "source": self.source,
            "site_name": self.site_name,
            "lead": self.lead,
            "paragraphs": list(self.paragraphs),
            "images": list(self.images),
            "note": self.note,
        }
