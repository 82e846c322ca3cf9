"""How an article looks in a message, shared by /latest, /search and the digests."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from bot.messages import Paragraph, Span, bold, link
from bot.timefmt import relative_time
from store import Article

SUMMARY_FALLBACK_CHARS = 300


def article_paragraph(
    article: Article, now: datetime, tz: zoneinfo.ZoneInfo, *, number: int | None = None
) -> Paragraph:
    """Bold linked title, "source · time · #id", then the summary (or the search snippet)."""
    title = article.title or "(không có tiêu đề)"
    prefix: list[Span] = [bold(f"{number}. ")] if number is not None else []
    heading = link(title, article.url, bold=True) if article.has_link else bold(title)
    meta = " · ".join(
        part for part in (
            article.source, relative_time(article.sort_at, now, tz), f"#{article.id}"
        ) if part
    )
    body = article.summary or article.snippet or _shorten(article.lead or article.text)
    spans = [*prefix, heading, Span("\n"), Span(meta, italic=True)]
    if body:
        spans += [Span("\n"), Span(body)]
    return tuple(spans)


def _shorten(text: str, limit: int = SUMMARY_FALLBACK_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit] + "…"
