"""What a digest says: which articles, in what order, and how it fits in two messages.

Ranking is recency with diversity: newest first, at most ``PER_SOURCE`` stories from one
outlet, so one busy feed cannot fill a reader's morning. The same story from two outlets is
shown once and names both: articles whose SimHashes (``articles.simhash``, 64-bit, of the folded
text) differ in at most ``SAME_STORY_BITS`` bits, or whose folded titles share at least 80% of their
words (syllables, numbers included), are one story. A digest never takes more than ``MAX_MESSAGES`` messages: the
lowest-ranked stories are dropped until it fits.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime

from bantin.text import fold, hamming
from bot.messages import Rich, Span, bold, italic, link
from bot.render import PLAIN, TELEGRAM_HTML, Renderer
from bot.schedule import period_of_day
from bot.views import shorten
from store import Article

PER_SOURCE = 3
SAME_STORY_BITS = 3
SAME_TITLE_SHARE = 0.8
SAME_TITLE_MIN_WORDS = 6
MAX_MESSAGES = 2
EMPTY_TEXT = "Không có tin mới kể từ bản tin trước."
RENDERERS: dict[str, Renderer] = {"telegram": TELEGRAM_HTML}


@dataclass
class Story:
    """One story: the article shown, and every outlet that carried it."""

    article: Article
    sources: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    words: frozenset[str] = frozenset()

    @classmethod
    def of(cls, article: Article) -> Story:
        return cls(article, [article.source] if article.source else [],
                   [article.id] if article.id is not None else [], _title_words(article.title))

    def absorb(self, article: Article) -> None:
        if article.source and article.source not in self.sources:
            self.sources.append(article.source)
        if article.id is not None:
            self.article_ids.append(article.id)


def _title_words(title: str) -> frozenset[str]:
    return frozenset(word for word in fold(title).split() if len(word) > 1 or word.isdigit())


def same_story(story: Story, article: Article) -> bool:
    if story.article.simhash and article.simhash and \
            hamming(story.article.simhash, article.simhash) <= SAME_STORY_BITS:
        return True
    words = _title_words(article.title)
    if len(words) < SAME_TITLE_MIN_WORDS or len(story.words) < SAME_TITLE_MIN_WORDS:
        return False
    return len(words & story.words) / len(words | story.words) >= SAME_TITLE_SHARE


def pick(articles: list[Article], limit: int, per_source: int = PER_SOURCE) -> list[Story]:
    """Up to ``limit`` stories from ``articles`` (newest first), merged and diversified."""
    stories: list[Story] = []
    per: dict[str, int] = {}
    for article in articles:
        match = next((s for s in stories if same_story(s, article)), None)
        if match is not None:
            match.absorb(article)
            continue
        if len(stories) >= limit or per.get(article.source, 0) >= per_source:
            continue  # still read on: a later article may be another outlet's copy of a story
        per[article.source] = per.get(article.source, 0) + 1
        stories.append(Story.of(article))
    return stories


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
    article = story.article
    title = article.title or "(không có tiêu đề)"
    url = article.reader_url
    heading_span = link(title, url, bold=True) if url is not None else bold(title)
    meta = " · ".join(part for part in (", ".join(story.sources), _when(article, day, tz),
                                        f"#{article.id}") if part)
    spans: list[Span] = [bold(f"{number}. "), heading_span, Span("\n"), italic(meta)]
    body = article.summary or shorten(article.lead or article.text)
    if body:
        spans += [Span("\n"), Span(body)]
    return tuple(spans)


FOOTER = "Đổi giờ, ngày hay chủ đề: /subscribe · Xem cài đặt: /settings · Huỷ: /unsubscribe"


def compose(stories: list[Story], due_local: datetime, tz: zoneinfo.ZoneInfo,
            platform: str) -> tuple[Rich, list[Story]]:
    """The digest text and the stories it kept, within ``MAX_MESSAGES`` messages."""
    renderer = RENDERERS.get(platform, PLAIN)
    kept = list(stories)
    while True:
        rich = Rich.of(
            bold(heading(due_local)),
            *(story_paragraph(n, s, due_local.date(), tz) for n, s in enumerate(kept, 1)),
            italic(FOOTER),
        )
        if len(kept) <= 1 or len(renderer.render(rich)) <= MAX_MESSAGES:
            return rich, kept
        kept.pop()


def empty(due_local: datetime) -> Rich:
    """What ``[digest] send_when_empty`` sends when nothing is new."""
    return Rich.of(bold(heading(due_local)), EMPTY_TEXT)
