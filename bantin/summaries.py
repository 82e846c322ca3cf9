"""The one place bantin asks for an article's summary.

Until the summariser lands, a summary is the article's first two sentences; once
``summarizer.summarize`` exists it is used instead (``sentences`` and ``max_chars`` from config).
"""

from __future__ import annotations

import logging
import re

from bantin.config import SummarizerConfig

log = logging.getLogger(__name__)

_BOUNDARY = re.compile(r"[.!?…]+[\"”’)]*(?=\s+[\"“‘(]?(\w))")


def first_sentences(text: str, count: int = 2) -> str:
    """The first ``count`` sentences of ``text`` (a stand-in summary).

    A sentence ends at . ! ? or … (with any closing quote) before a capital letter or a digit.
    """
    text = " ".join(text.split())
    found = 0
    for match in _BOUNDARY.finditer(text):
        following = match.group(1)
        if following.isupper() or following.isdigit():
            found += 1
            if found == count:
                return text[: match.end()]
    return text


def summarize_article(title: str, lead: str, text: str, config: SummarizerConfig) -> str:
    """The summary shown to readers; the lead counts as the article's first sentences."""
    # Sub-headings ("Giá chung cư vẫn tăng") are not sentences: keep paragraphs that end like one.
    paragraphs = [p.strip() for p in (lead + "\n\n" + text).split("\n") if p.strip()]
    prose = [p for p in paragraphs if p.endswith((".", "!", "?", "…", '"', "”", ")"))]
    body = "\n\n".join(prose or paragraphs)
    if not body.strip():
        return ""
    try:
        from summarizer import summarize  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        summary = first_sentences(body, config.sentences)
    else:
        summary = summarize(
            body, title=title or None, sentences=config.sentences, max_chars=config.max_chars
        ).text
    if len(summary) > config.max_chars:
        summary = summary[: config.max_chars].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return summary
