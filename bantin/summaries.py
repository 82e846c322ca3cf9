"""The one place bantin asks for summaries: an article's and a story's (``[summarizer]`` applied)."""

from __future__ import annotations

from collections.abc import Sequence

from bantin.config import SummarizerConfig
from store import Article
from summarizer import summarize
from summarizer.story import StoryDocument, summarize_story

STORY_SENTENCES = 3
STORY_SUMMARY_ARTICLES = 8  # a story's summary is drawn from its earliest articles

_SENTENCE_ENDS = (".", "!", "?", "…", '"', "”", ")")


def summarize_article(title: str, lead: str, text: str, config: SummarizerConfig) -> str:
    """The summary shown to readers; the lead counts as the article's first sentences."""
    # Sub-headings ("Giá chung cư vẫn tăng") are not sentences: keep paragraphs that end like one.
    paragraphs = [p.strip() for p in (lead + "\n\n" + text).split("\n") if p.strip()]
    prose = [p for p in paragraphs if p.endswith(_SENTENCE_ENDS)]
    body = "\n\n".join(prose or paragraphs)
    if not body:
        return ""
    return summarize(
        body, title=title or None, sentences=config.sentences, max_chars=config.max_chars
    ).text


def story_documents(articles: Sequence[Article]) -> list[StoryDocument]:
    """A story's articles (earliest first) as the story summariser reads them."""
    return [StoryDocument(a.title, "\n".join(p for p in (a.lead, a.text) if p), a.summary)
            for a in articles]


def story_summary(articles: Sequence[Article], config: SummarizerConfig | None = None) -> str:
    """The summary readers see for a story (its one article's summary if it has one)."""
    max_chars = config.max_chars if config else None
    return summarize_story(story_documents(articles), sentences=STORY_SENTENCES,
                           max_chars=max_chars and max_chars * 2)
