"""An article page (HTML) → a clean article, or ``NotAnArticle`` with the reason.

The stages, in order (one parsed tree is passed down, as trafilatura's own ``core`` does):

1. parse the page once with lxml;
2. read what the page declares about itself (``ingest.pagemeta``): headline, time, author,
   outlet, canonical address, images, and whether it calls itself an article;
3. reject pages that are not articles (``ingest.pagekind``): no main block of running text,
   or an undeclared page that is mostly headline links;
4. note photo captions, the lead (sapo) and the byline the markup labels, and cut related
   headlines and labelled comment/share/related boxes out of the tree (``ingest.pagemarks``);
5. extract the main text with trafilatura (tables left out: fact boxes and caption grids);
6. run the Vietnamese clean-up (``ingest.cleanup``); captions are removed from the text unless
   they are the text (a photo story).
"""

from __future__ import annotations

import re
from datetime import datetime

import lxml.etree
import lxml.html
import trafilatura
from trafilatura.metadata import extract_metadata

from bantin.text import fold_loose
from ingest.cleanup import clean, clean_author, outlet_name, split_outlet_prefix
from ingest.dates import parse_date
from ingest.errors import NotAnArticle, TooLittleText
from ingest.model import ExtractedArticle
from ingest.pagekind import main_block, not_article_reason
from ingest.pagemarks import closing_byline, drop_related_headlines, sort_marked_nodes
from ingest.pagemeta import read_meta
from ingest.textutil import squash
from ingest.urls import canonical_url, reader_link

MIN_TEXT_CHARS = 250
# Lines at the edges of the text shorter than this, and not in the main block, are furniture.
EDGE_LINE_CHARS = 120

def parse_html(html: str | bytes) -> lxml.html.HtmlElement:
    """Parse a page; ``NotAnArticle`` when there is no document at all."""
    if isinstance(html, str):
        # lxml refuses str input that declares an encoding; the text is decoded already.
        html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    if not html or not html.strip():
        raise NotAnArticle("the page is empty")
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError) as error:
        raise NotAnArticle(f"the page cannot be parsed as HTML ({error})") from None


def body_lines(tree: lxml.html.HtmlElement, url: str | None) -> list[str]:
    """Stage 5: trafilatura's main text as lines (tables left out: fact boxes, photo grids)."""
    document = trafilatura.bare_extraction(
        tree, url=url, with_metadata=False, include_comments=False, include_tables=False,
        deduplicate=False,
    )
    text = getattr(document, "text", None) or ""
    return [line for line in text.split("\n") if line.strip()]


def trim_outside_block(lines: list[str], main: lxml.html.HtmlElement | None) -> list[str]:
    """Drop short lines at the start and end of the text that the main block does not hold:
    section labels, mastheads, source labels and footers trafilatura let through."""
    if main is None:
        return lines
    inside: list[str] = []  # the block's folded text, made only when a short edge line asks

    def furniture(line: str) -> bool:
        if len(line) >= EDGE_LINE_CHARS:
            return False
        if not inside:
            inside.append(fold_loose(squash(main.text_content())))
        return fold_loose(squash(line)) not in inside[0]

    start, end = 0, len(lines)
    while start < end and furniture(lines[start]):
        start += 1
    while end > start and furniture(lines[end - 1]):
        end -= 1
    return lines[start:end]


def _without_captions(lines: list[str], captions: list[str], lead: str) -> list[str] | None:
    """The lines with captions removed, or ``None`` when the captions carry most of the text:
    then they are the text (a photo story)."""
    keys = {fold_loose(squash(c)) for c in captions}
    rest = [line for line in lines if fold_loose(squash(line)) not in keys] if keys else lines
    rest_chars = len(lead) + sum(len(line) for line in rest)
    caption_chars = sum(len(line) for line in lines) - sum(len(line) for line in rest)
    return None if caption_chars > rest_chars or rest_chars < MIN_TEXT_CHARS else rest


def extract_html(
    html: str | bytes, url: str | None = None, *, default_published: datetime | None = None,
) -> ExtractedArticle:
    """Extract and clean the article of a page (see the module docstring for the stages).

    ``default_published`` (the feed item's date) is used when the page states no time of its
    own, before trafilatura's date-only guess. The reader's link is ``url`` (the address that
    answered, or the one declared for a saved page), else the page's canonical href.
    """
    tree = parse_html(html)
    meta = read_meta(tree, url)
    lxml.etree.strip_elements(tree, "script", "style", "noscript", "template", with_tail=False)
    block = main_block(tree)
    reason = not_article_reason(tree, meta.declared_article, block)
    if reason:
        raise NotAnArticle(reason)
    main = block.node
    marked = sort_marked_nodes(tree, main, squash(meta.description))
    closing = closing_byline(main)
    drop_related_headlines(tree)
    fallback = None
    if not meta.title or (meta.published_at is None and default_published is None):
        fallback = extract_metadata(tree, url)  # trafilatura's (slower) metadata search
    title = meta.title or squash(getattr(fallback, "title", None) or "")
    if not title:
        raise NotAnArticle("not an article: the page has no headline")
    paragraphs = body_lines(tree, url)
    lead = marked.sapo
    description = squash(meta.description)
    tag, bare_description = split_outlet_prefix(description)
    wanted = fold_loose(bare_description)
    for index, line in enumerate(paragraphs[:4]):
        if not lead and description and fold_loose(split_outlet_prefix(squash(line))[1]) == wanted:
            lead = squash(paragraphs.pop(index))
            break
    text_lines = _without_captions(paragraphs, marked.captions, lead)
    if block.photo_story or text_lines is None:
        # The captions are the text; trafilatura may run them together, the block does not.
        text_lines = block.lines() if block.photo_story else paragraphs
        captions: set[str] = set()
    else:
        captions = set(marked.captions)
        text_lines = trim_outside_block(text_lines, main)
    cleaned = clean(text_lines, title=title, lead=lead, captions=captions)
    body_chars = len(cleaned.lead) + sum(len(p) for p in cleaned.paragraphs)
    if body_chars < MIN_TEXT_CHARS:
        raise TooLittleText(f"too little text extracted ({body_chars} characters)")
    author = (closing or marked.author or clean_author(cleaned.author) or meta.author
              or clean_author(getattr(fallback, "author", None), [meta.site_name or ""]))
    published = meta.published_at or cleaned.published_at or default_published or parse_date(
        getattr(fallback, "date", None)
    )
    address = meta.canonical or url
    return ExtractedArticle(
        url=canonical_url(address) if address else None,
        link=reader_link(url or meta.canonical),
        title=title, lead=cleaned.lead, paragraphs=cleaned.paragraphs,
        author=author, published_at=published,
        source=cleaned.source or (outlet_name(tag) if tag else None),
        images=meta.images, site_name=meta.site_name,
    )
