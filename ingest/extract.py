"""An article page (HTML) → a clean article, or ``NotAnArticle`` with the reason.

The stages, in order (one parsed tree is passed down, as trafilatura's own ``core`` does):

1. parse the page once with lxml;
2. read what the page declares about itself (``ingest.pagemeta``): headline, time, author,
   outlet, canonical address, images, and whether it calls itself an article;
3. reject pages that are not articles (``ingest.pagekind``): no main block of running text,
   or an undeclared page that is mostly headline links;
4. note photo captions, the lead (sapo) and the byline the markup labels, and cut related
   headlines and labelled comment/share/related boxes out of the tree;
5. extract the main text with trafilatura (tables left out: fact boxes and caption grids);
6. run the Vietnamese clean-up (``ingest.cleanup``); captions are removed from the text unless
   they are the text (a photo story).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import lxml.etree
import lxml.html
import trafilatura
from trafilatura.metadata import extract_metadata

from bantin.text import fold_loose
from ingest.cleanup import (
    clean, clean_author, names_an_outlet, outlet_name, split_outlet_prefix,
)
from ingest.dates import parse_date
from ingest.errors import NotAnArticle, TooLittleText
from ingest.model import ExtractedArticle
from ingest.pagekind import main_block, not_article_reason
from ingest.pagemeta import read_meta
from ingest.textutil import squash
from ingest.urls import canonical_url, reader_link

MIN_TEXT_CHARS = 250
# Lines at the edges of the text shorter than this, and not in the main block, are furniture.
EDGE_LINE_CHARS = 120
# A paragraph or list item whose text is this much link text is a related headline.
RELATED_LINK_SHARE = 0.9

_CAPTION_CLASS = re.compile(r"caption", re.IGNORECASE)
_SAPO_CLASS = re.compile(r"sapo|article-summary|cms-desc|(?:^|[\s_-])lead(?:$|[\s_-])", re.I)
# Class words that name a lead only when the text agrees with the declared description.
_WEAK_SAPO_CLASS = re.compile(
    r"(?:^|[\s_-])(?:description|desc|summary|excerpt|intro|chapeau|teaser)(?:$|[\s_-])", re.I
)
_OTHER_AUTHORS = re.compile(r"\bvà\s+\d+\s+tác giả khác\b", re.IGNORECASE)
_AUTHOR_CLASS = re.compile(r"(?:^|[\s_-])(?:author|author-name|byline)(?:$|[\s_-])", re.I)
_JUNK_CLASS = re.compile(
    r"(?:^|[\s_-])(?:comments?|box-comment|article-comment|commentbox|share|sharing|social|"
    r"relate[ds]?|article-relate|tinlienquan|related-news|news-related|advert\w*|ads?|"
    r"banner|sda_\w+|notebox|tags?|breadcrumbs?|newsletter|popup)(?:$|[\s_-])",
    re.IGNORECASE,
)
_INLINE = {"a", "span", "strong", "b", "em", "i", "u", "small", "sup", "sub", "mark", "font",
           "time", "abbr", "cite", "code", "img", "br"}
_RIGHT_ALIGNED = re.compile(r"text-align\s*:\s*right", re.IGNORECASE)


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


def _remove(node: lxml.html.HtmlElement) -> None:
    parent = node.getparent()
    if parent is not None:
        node.drop_tree()


@dataclass
class Marked:
    """What the page's markup labels: captions, the lead (sapo) and the byline."""

    captions: list[str] = field(default_factory=list)
    sapo: str = ""
    author: str | None = None


def _is_inline_or_in_paragraph(node: lxml.html.HtmlElement) -> bool:
    """Inline elements and anything inside a paragraph are part of a sentence: never cut."""
    return node.tag in _INLINE or any(a.tag in {"p", "h2", "h3", "h4", "li"}
                                      for a in node.iterancestors())


def _agrees(text: str, description: str) -> bool:
    """Half the words of the declared description are in ``text``."""
    words = fold_loose(description).split()
    have = set(fold_loose(text).split())
    return bool(words) and sum(w in have for w in words) >= len(words) / 2


def _is_sapo(node: lxml.html.HtmlElement, label: str, description: str) -> str:
    """The node's text when it is the lead: labelled so, short, not a container of paragraphs."""
    strong = _SAPO_CLASS.search(label)
    if not strong and not _WEAK_SAPO_CLASS.search(label):
        return ""
    text = squash(node.text_content())
    if not 40 <= len(text) <= 1000 or node.xpath(".//p[string-length(normalize-space()) > 40]"):
        return ""
    return text if strong or _agrees(text, description) else ""


def byline_names(node: lxml.html.HtmlElement) -> str | None:
    """The byline of an author element. "NHẬT XUÂN và 1 tác giả khác" with the list of names
    in its children gives every name once."""
    text = squash(node.text_content())
    if _OTHER_AUTHORS.search(text):
        names: list[str] = []
        for leaf in node.iter():
            name = squash(leaf.text or "") if isinstance(leaf.tag, str) else ""
            if name and not _OTHER_AUTHORS.search(name) and name not in names:
                names.append(name)
        if len(names) >= 2:
            return clean_author(", ".join(names))
    return clean_author(text) if 2 <= len(text) <= 120 else None


def sort_marked_nodes(tree: lxml.html.HtmlElement, main: lxml.html.HtmlElement | None,
                      description: str = "") -> Marked:
    """Stage 4, in one pass over the elements that carry a class or id: note the caption
    texts (left in place: a photo story's captions are its text), take out the sapo and the
    byline, and cut labelled comment, share and related boxes (never the main block, nor an
    inline element inside a sentence).
    """
    marked = Marked()
    keep = set(main.iterancestors()) | {main} if main is not None else set()
    for node in tree.xpath("//body//*[@class or @id] | //body//figcaption"):
        if not node.xpath("ancestor::body"):
            continue  # inside a box already cut
        label = f"{node.get('class', '')} {node.get('id', '')}"
        if node.tag == "figcaption" or _CAPTION_CLASS.search(label):
            text = squash(node.text_content())
            if text and len(text) < 600 and text not in marked.captions:
                marked.captions.append(text)
        elif node in keep or _is_inline_or_in_paragraph(node):
            continue
        elif not marked.sapo and (sapo := _is_sapo(node, label, description)):
            marked.sapo = sapo
            _remove(node)
        elif marked.author is None and _AUTHOR_CLASS.search(label):
            name = byline_names(node)
            if name:
                marked.author = name
                _remove(node)
        elif _JUNK_CLASS.search(label) and not node.xpath(".//h1"):
            _remove(node)
    return marked


_TEXT_CHARS = lxml.etree.XPath("string-length(normalize-space(.))")
_LINK_TEXTS = lxml.etree.XPath(".//a//text()")


def drop_related_headlines(tree: lxml.html.HtmlElement) -> None:
    """Cut paragraphs and list items that are nothing but a link: related headlines."""
    for node in list(tree.xpath("//body//p[.//a] | //body//li[.//a]")):
        if node.getparent() is None:
            continue
        chars = _TEXT_CHARS(node)
        if chars < 15:
            continue
        linked = sum(len(" ".join(text.split())) for text in _LINK_TEXTS(node))
        if linked >= RELATED_LINK_SHARE * chars:
            _remove(node)


def closing_byline(main: lxml.html.HtmlElement | None) -> str | None:
    """A right-aligned short paragraph closing the body ("Hà Thu (tổng hợp)"), taken out."""
    if main is None:
        return None
    paragraphs = [c for c in main if isinstance(c.tag, str) and c.tag in {"p", "div"}
                  and squash(c.text_content())]
    for node in reversed(paragraphs[-3:]):
        text = squash(node.text_content())
        style = f"{node.get('style', '')} {node.get('align', '')} {node.get('class', '')}"
        if len(text) <= 60 and (_RIGHT_ALIGNED.search(style) or "right" in style.lower()):
            _remove(node)
            name = clean_author(text)
            return None if not name or names_an_outlet(name) else name
    return None


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
    inside = fold_loose(squash(main.text_content()))
    start, end = 0, len(lines)
    while start < end and len(lines[start]) < EDGE_LINE_CHARS and fold_loose(squash(lines[start])) not in inside:
        start += 1
    while end > start and len(lines[end - 1]) < EDGE_LINE_CHARS and fold_loose(squash(lines[end - 1])) not in inside:
        end -= 1
    return lines[start:end]


def _without_captions(lines: list[str], captions: list[str], lead: str) -> list[str] | None:
    """The lines with captions removed, or ``None`` when the captions carry most of the text:
    then they are the text (a photo story)."""
    keys = {fold_loose(squash(c)) for c in captions}
    rest = [line for line in lines if fold_loose(squash(line)) not in keys]
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
    for index, line in enumerate(paragraphs[:4]):
        if not lead and description and fold_loose(split_outlet_prefix(squash(line))[1]) == fold_loose(bare_description):
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
    author = closing or marked.author or clean_author(cleaned.author) or meta.author or clean_author(
        getattr(fallback, "author", None), [meta.site_name or ""]
    )
    published = meta.published_at or cleaned.published_at or default_published or parse_date(
        getattr(fallback, "date", None)
    )
    return ExtractedArticle(
        url=canonical_url(meta.canonical or url) if (meta.canonical or url) else None,
        link=reader_link(url or meta.canonical),
        title=title, lead=cleaned.lead, paragraphs=cleaned.paragraphs,
        author=author, published_at=published,
        source=cleaned.source or (outlet_name(tag) if tag else None),
        images=meta.images, site_name=meta.site_name,
    )
