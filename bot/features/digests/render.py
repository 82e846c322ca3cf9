"""What a digest says: which articles, in what order, and how it fits in two messages.

Ranking is recency with diversity: newest first, at most ``PER_SOURCE`` stories led by one
outlet, so one busy feed cannot fill a reader's morning. A digest shows stories as the store
grouped them (one entry per event, every outlet that carried it linked to its own article).
A story already sent to a chat comes back in a later digest only when it has new articles
since, marked "🔄 Cập nhật" (``for_reader``, from the chat's record in ``store.digest_stories``).
A digest never takes more than ``MAX_MESSAGES`` messages: the lowest-ranked stories are dropped
until it fits.
How many messages a text becomes is the reader's transport's to say
(``Transport.message_count``): Telegram splits HTML at 4,096 UTF-16 units, Zalo plain text at
2,000 characters.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from bantin.text import fold
from bot.engine.messages import Rich, Span, bold, italic, link
from bot.features.schedule import period_of_day
from bot.features.story_views import outlet_articles, outlets_line
from bot.features.views import shorten
from store import Article
from store import Story as StoredStory

PER_SOURCE = 3
MAX_MESSAGES = 2
EMPTY_TEXT = "Không có tin mới kể từ bản tin trước."
UPDATED = "🔄 Cập nhật"


@dataclass
class Story:
    """One story of a digest: the article shown, every outlet that carried it (each linked to
    its own article), the story's headline and summary, and whether it is an update."""

    article: Article
    sources: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    words: frozenset[str] = frozenset()
    title: str = ""
    summary: str = ""
    outlets: list[Article] = field(default_factory=list)
    updated: bool = False
    story_id: int | None = None
    article_count: int = 0

    @classmethod
    def of(cls, article: Article) -> Story:
        return cls(article, [article.source] if article.source else [],
                   [article.id] if article.id is not None else [], _title_words(article.title))

    @classmethod
    def from_store(cls, story: StoredStory) -> Story | None:
        """A stored story as a digest entry (not an update: ``for_reader`` decides that)."""
        article = story.headline_article
        if article is None:
            return None
        return cls(article, story.sources, story.article_ids, _title_words(story.title),
                   story.title, story.reader_summary, outlet_articles(story),
                   story_id=story.id, article_count=len(story.article_ids))


def for_reader(stories: list[Story], seen: Mapping[int, int]) -> list[Story]:
    """The stories a chat should get, given ``seen`` (story id → article count it had when the
    chat last received it): never-sent ones as they are, grown ones marked updated, the rest
    left out so a reader is not told the same story twice."""
    chosen: list[Story] = []
    for story in stories:
        before = seen.get(story.story_id) if story.story_id is not None else None
        if before is None:
            chosen.append(story)
        elif story.article_count > before:
            chosen.append(replace(story, updated=True))
    return chosen


def _title_words(title: str) -> frozenset[str]:
    return frozenset(word for word in fold(title).split() if len(word) > 1 or word.isdigit())


def pick(stories: list[Story], limit: int, per_source: int = PER_SOURCE) -> list[Story]:
    """Up to ``limit`` stories (given newest first), at most ``per_source`` led by one outlet."""
    chosen: list[Story] = []
    per: dict[str, int] = {}
    for story in stories:
        source = story.article.source
        if len(chosen) >= limit:
            break
        if per.get(source, 0) >= per_source:
            continue
        per[source] = per.get(source, 0) + 1
        chosen.append(story)
    return chosen


def heading(due_local: datetime) -> str:
    """"📰 Bản tin sáng 28/11" from the local time the digest was due."""
    return f"📰 Bản tin {period_of_day(due_local.hour)} {due_local:%d/%m}"


def _when(article: Article, day: date, tz: zoneinfo.ZoneInfo) -> str:
    """Publication time in the reader's zone: "06:15", or "21:30 27/11" on another day.

    Absolute rather than "2 giờ trước": one digest is built for many readers and may be sent
    late, and a relative time would be wrong by then.
    """
    local = article.sort_at.astimezone(tz)
    return f"{local:%H:%M}" if local.date() == day else f"{local:%H:%M %d/%m}"


def story_paragraph(number: int, story: Story, day: date, tz: zoneinfo.ZoneInfo) -> tuple:
    """"1. Headline", "[🔄 Cập nhật · ]outlets · time · #id", the summary, then "N báo đưa tin:"
    with each outlet linked to its own article when more than one carried the story."""
    article = story.article
    title = story.title or article.title or "(không có tiêu đề)"
    url = article.reader_url
    heading_span = link(title, url, bold=True) if url is not None else bold(title)
    several = len(story.outlets) > 1
    meta = " · ".join(part for part in (
        UPDATED if story.updated else "",
        "" if several else ", ".join(story.sources), _when(article, day, tz),
        f"#{article.id}") if part)
    spans: list[Span] = [bold(f"{number}. "), heading_span, Span("\n"), italic(meta)]
    body = story.summary or article.summary or shorten(article.lead or article.text)
    if body:
        spans += [Span("\n"), Span(body)]
    if several:
        spans += [Span("\n"), *outlets_line(story.outlets)]
    return tuple(spans)


FOOTER = "Đổi giờ, ngày hay chủ đề: /subscribe · Xem cài đặt: /settings · Huỷ: /unsubscribe"


def compose(stories: list[Story], due_local: datetime, tz: zoneinfo.ZoneInfo,
            message_count: Callable[[Rich], int]) -> tuple[Rich, list[Story]]:
    """The digest text and the stories it kept, within ``MAX_MESSAGES`` messages as
    ``message_count`` (the reader's transport) counts them."""
    kept = list(stories)
    while True:
        rich = Rich.of(
            bold(heading(due_local)),
            *(story_paragraph(n, s, due_local.date(), tz) for n, s in enumerate(kept, 1)),
            italic(FOOTER),
        )
        if len(kept) <= 1 or message_count(rich) <= MAX_MESSAGES:
            return rich, kept
        kept.pop()


def empty(due_local: datetime) -> Rich:
    """What ``[digest] send_when_empty`` sends when nothing is new."""
    return Rich.of(bold(heading(due_local)), EMPTY_TEXT)
