"""Scraped text (a ``.txt`` saved by a scraper, like the project's seed) → a clean article.

A scrape is the page's visible text, one block per line. Images leave their alt text behind,
and on many Vietnamese sites that alt text is the headline itself: so after the article has
started, a repeated headline marks an image and the line after it is that image's caption.
Before the body starts (the page header: headline, lead, headline again), repeated headlines
and the repeated lead are simply dropped.
"""

from __future__ import annotations

from collections import Counter

from bantin.text import fold_loose
from ingest.cleanup import clean, is_furniture, split_outlet_prefix, updated_time
from ingest.errors import NotAnArticle
from ingest.model import ExtractedArticle
from ingest.textutil import squash

MIN_BODY_CHARS = 200


def _find_title(lines: list[str]) -> str:
    """The headline: the most repeated heading-like line, else the first heading-like line."""
    candidates = [
        line for line in lines
        if len(line) <= 250 and not line.endswith((".", "!", "?", ":", ";", "…"))
        and updated_time(line) is None and not is_furniture(line)
        and split_outlet_prefix(line)[0] is None
    ]
    if not candidates:
        raise NotAnArticle("no headline found in the text")
    counts = Counter(fold_loose(line) for line in candidates)
    best = max(candidates, key=lambda line: counts[fold_loose(line)])
    if counts[fold_loose(best)] >= 2:
        return best
    return candidates[0]


def parse_scrape(text: str, *, url: str | None = None) -> ExtractedArticle:
    """Turn a text scrape into an article; ``NotAnArticle`` when it holds no article."""
    lines = [squash(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise NotAnArticle("the file is empty")
    title = _find_title(lines)
    title_key = fold_loose(title)

    lead = ""
    source = None
    for line in lines:
        tag, rest = split_outlet_prefix(line)
        if tag:
            source, lead = tag, rest
            break
    lead_key = fold_loose(lead) if lead else None

    body: list[str] = []
    captions: set[str] = set()
    started = False
    caption_next = False
    for line in lines:
        key = fold_loose(split_outlet_prefix(line)[1])
        if key == title_key:
            caption_next = started  # in the body, a repeated headline is an image's alt text
            continue
        if key == lead_key or updated_time(line) is not None:
            body.append(line)  # the clean-up reads the time and drops the repeated lead
            continue
        if caption_next and not is_furniture(line):
            captions.add(line)
            caption_next = False
            continue
        caption_next = False
        started = True
        body.append(line)

    cleaned = clean(body, title=title, lead=lead, captions=captions)
    article = ExtractedArticle(
        url=url, title=title, lead=cleaned.lead, paragraphs=cleaned.paragraphs,
        author=cleaned.author, published_at=cleaned.published_at,
        source=cleaned.source or source,
    )
    if len(article.lead) + len(article.text) < MIN_BODY_CHARS:
        raise NotAnArticle(
            f"too little text for an article ({len(article.lead) + len(article.text)} characters)"
        )
    return article
