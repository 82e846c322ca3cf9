"""The one place bantin asks for an article's summary (``[summarizer]`` settings applied)."""

from __future__ import annotations

from bantin.config import SummarizerConfig
from summarizer import summarize

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
