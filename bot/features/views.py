"""How an article, or a story, looks in a message, shared by /latest, /search and the digests."""

from __future__ import annotations

import zoneinfo
from dataclasses import replace
from datetime import datetime

from bot.engine.messages import Button, Buttons, Paragraph, Span, bold, link
from bot.engine.timefmt import relative_time
from bot.features.story_views import outlets_spans
from store import Article, Story

SUMMARY_FALLBACK_CHARS = 300


def article_paragraph(
    article: Article, now: datetime, tz: zoneinfo.ZoneInfo, *, number: int | None = None,
    comments: int = 0,
) -> Paragraph:
    """Bold linked title, "source · time · #id · 💬 N ý kiến", then the summary (or snippet).

    "#id" is the article number readers type in ``/comments`` and ``/feedback #id``.
    """
    title = article.title or "(không có tiêu đề)"
    prefix: list[Span] = [bold(f"{number}. ")] if number is not None else []
    url = article.reader_url
    heading = link(title, url, bold=True) if url is not None else bold(title)
    meta = " · ".join(
        part for part in (
            article.source, relative_time(article.sort_at, now, tz), f"#{article.id}",
            f"💬 {comments} ý kiến" if comments else "",
        ) if part
    )
    body = article.summary or article.snippet or shorten(article.lead or article.text)
    spans = [*prefix, heading, Span("\n"), Span(meta, italic=True)]
    if body:
        spans += [Span("\n"), Span(body)]
    return tuple(spans)


def story_paragraph(
    story: Story, now: datetime, tz: zoneinfo.ZoneInfo, *, number: int | None = None,
    comments: int = 0, found_in: str | None = None,
) -> Paragraph:
    """One story as one entry: its headline article shown as ``article_paragraph`` shows an
    article, with the story's headline and summary, then (for a search) "🔎 " and where the
    reader's words were found (``found_in``), then the outlets that carried it."""
    article = story.headline_article
    if article is None:
        return (Span(story.title),)
    shown = replace(article, title=story.title or article.title,
                    summary=story.reader_summary or article.summary)
    paragraph = article_paragraph(shown, now, tz, number=number, comments=comments)
    if found_in:
        paragraph = (*paragraph, Span("\n"), Span("🔎 " + found_in, italic=True))
    outlets = outlets_spans(story)
    return (*paragraph, Span("\n"), *outlets) if outlets else paragraph


def shorten(text: str, limit: int = SUMMARY_FALLBACK_CHARS) -> str:
    """``text`` on one line, cut at a word boundary before ``limit`` characters, with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit] + "…"


def comment_buttons(articles: list[Article], counts: dict[int, int], per_row: int = 2) -> Buttons:
    """One "💬 N ý kiến · #id" button per shown article with approved comments."""
    buttons = [
        Button(f"💬 {counts[a.id]} ý kiến · #{a.id}", data=f"/comments {a.id}")
        for a in articles if a.id is not None and counts.get(a.id)
    ]
    return tuple(tuple(buttons[i:i + per_row]) for i in range(0, len(buttons), per_row))
