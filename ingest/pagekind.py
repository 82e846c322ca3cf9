"""Is this page an article? Decided from what the page declares and from its structure.

Link share alone misleads both ways: a 2025 article with large related-news blocks is mostly
links, while a section page whose teasers carry a sapo is not. What every article has, and a
home, section or error page lacks, is **one main block of running text**: several sibling
paragraphs (or photo captions, for a photo story) under one parent, made of real sentences
rather than link text. A page is an article when it has such a block; a page that does not
declare itself an article (``og:type``, JSON-LD, ``itemprop``) and is mostly headline links is
a listing even then. A page that declares itself an article but has no such block is a
section page when it carries many teaser links; otherwise (a video page) it is left to the
"too little text" check, so that a feed item's description can stand in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.etree
import lxml.html

from ingest.textutil import squash

# A block holds at least this much sentence text, in at least MIN_BLOCK_PARTS children (or
# one paragraph of SINGLE_PART_CHARS: a one-paragraph story).
MIN_BLOCK_CHARS = 250
MIN_BLOCK_PARTS = 2
SINGLE_PART_CHARS = 400
MIN_PART_CHARS = 30
LISTING_LINK_SHARE = 0.5
LISTING_HEADLINE_LINKS = 20
# A page that calls itself an article but has no main block and this many teaser-sized links
# is a section page of a CMS that labels every page an article.
SECTION_TEASER_LINKS = 10
TEASER_LINK_CHARS = 20
_CAPTION = re.compile(r"caption", re.IGNORECASE)

_TEXT_CHILDREN = {"p", "h2", "h3", "h4", "blockquote", "figure", "figcaption", "div", "section",
                  "table", "ul", "ol", "pre"}
_BLOCK_TAGS = {"p", "div", "section", "article", "ul", "ol", "li", "table", "figure",
               "figcaption", "h2", "h3", "h4", "blockquote", "header", "footer", "aside", "nav"}
_SENTENCE = re.compile(r"\w[^.!?…]*[.!?…:][\"”’)»]?(?:\s|$)")


@dataclass
class MainBlock:
    """The page's best run of sibling text blocks: where the article text is."""

    node: lxml.html.HtmlElement | None
    chars: int
    parts: int
    caption_chars: int = 0

    @property
    def photo_story(self) -> bool:
        """Captions carry most of the block's text: the captions are the story."""
        return self.caption_chars * 2 > self.chars

    def lines(self) -> list[str]:
        """The block's text parts in order (a photo story's text, read from the page)."""
        if self.node is None:
            return []
        return [squash(child.text_content()) for child in self.node
                if isinstance(child.tag, str) and _part_chars(child)]


_IS_BLOCK = " or ".join(f"self::{t}" for t in sorted(_BLOCK_TAGS))
_PHOTO_GROUP_TEST = (
    "count(descendant::figcaption) = 1 and not(descendant::*["
    + " or ".join(f"self::{t}" for t in sorted(_BLOCK_TAGS - {"figure", "figcaption", "p", "div"}))
    + "]) and not(descendant::p[not(ancestor::figcaption or ancestor::figure)])"
)
# Elements that can be a part of a block: paragraphs and their kin, leaf divs, photo groups
# (containers are never parts, so they are not even looked at).
_CANDIDATE_PARTS = lxml.etree.XPath(
    "//body//*[" + " or ".join(f"self::{t}" for t in sorted(_TEXT_CHILDREN - {"div", "section"}))
    + "] | //body//*[self::div or self::section][not(*[" + _IS_BLOCK + "])]"
)
_OWN_TEXT = lxml.etree.XPath("descendant-or-self::text()[not(ancestor::a)]")
_HAS_BLOCK = lxml.etree.XPath("boolean(descendant::*[" + _IS_BLOCK + "])")
_PHOTO_GROUP = lxml.etree.XPath(_PHOTO_GROUP_TEST)


def own_text(node: lxml.html.HtmlElement) -> str:
    """Text of ``node`` outside links: what a teaser list or a menu does not have."""
    return squash(" ".join(_OWN_TEXT(node)))


def _photo_group(node: lxml.html.HtmlElement) -> bool:
    """A ``div`` that holds only photos and their one caption (a photo story's unit)."""
    return bool(_PHOTO_GROUP(node))


def _photo_groups(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The ``div``s around a caption that hold only photos and that caption."""
    groups = []
    for caption in tree.iterfind(".//body//figcaption"):
        for ancestor in list(caption.iterancestors())[:3]:
            if ancestor.tag in {"div", "section"} and _photo_group(ancestor):
                groups.append(ancestor)
                break
    return groups


def _part_chars(child: lxml.html.HtmlElement) -> int:
    """Sentence text a child brings to its parent's block (0 if it is not a text part)."""
    if child.tag not in _TEXT_CHILDREN or len(child.text_content()) < MIN_PART_CHARS:
        return 0
    if child.tag in {"div", "section"} and _HAS_BLOCK(child) and not _photo_group(child):
        return 0  # a container, not a paragraph: it is scored as a parent itself
    text = own_text(child)
    if len(text) < MIN_PART_CHARS or not _SENTENCE.search(text) and not _is_caption(child) \
            and child.tag not in {"h2", "h3", "h4"}:
        return 0
    return len(text)


def _is_caption(child: lxml.html.HtmlElement) -> bool:
    label = f"{child.get('class', '')} {child.get('id', '')}"
    return child.tag in {"figure", "figcaption"} or bool(_CAPTION.search(label)) or (
        child.tag in {"div", "section"} and _photo_group(child))


_COMMENTS = re.compile(r"comment|binh-?luan|reply|replies", re.IGNORECASE)


def _in_comments(node: lxml.html.HtmlElement) -> bool:
    """Inside a readers' comment thread: many sentences, but not the article."""
    return any(_COMMENTS.search(f"{n.get('class', '')} {n.get('id', '')}")
               for n in (node, *node.iterancestors()))


def main_block(tree: lxml.html.HtmlElement) -> MainBlock:
    """The element whose children carry the most sentence text (see the module docstring)."""
    best = MainBlock(None, 0, 0)
    if tree.find("body") is None:
        return best
    # Only elements that can be a part are scored, each added to its parent's total.
    totals: dict[lxml.html.HtmlElement, list[int]] = {}
    for child in [*_CANDIDATE_PARTS(tree), *_photo_groups(tree)]:
        parent = child.getparent()
        if parent is None or parent.tag in {"a", "p", "li", "span", "ul", "ol"}:
            continue
        size = _part_chars(child)
        if size:
            total = totals.setdefault(parent, [0, 0, 0])
            total[0] += size
            total[1] += 1
            total[2] += size if _is_caption(child) else 0
    for parent, (chars, parts, captions) in totals.items():
        enough = parts >= MIN_BLOCK_PARTS or chars - captions >= SINGLE_PART_CHARS
        if enough and chars > best.chars and not _in_comments(parent):
            best = MainBlock(parent, chars, parts, captions)
    return best


def link_share(tree: lxml.html.HtmlElement) -> tuple[float, int]:
    """Share of the body's text inside links, and the number of headline-sized links."""
    body = tree.find("body")
    if body is None:
        return 1.0, 0
    total = len(" ".join(body.text_content().split()))
    linked = headline_links = 0
    for anchor in body.iter("a"):
        length = len(" ".join(anchor.text_content().split()))
        linked += length
        if length >= 40:
            headline_links += 1
    return (linked / total if total else 1.0), headline_links


def not_article_reason(tree: lxml.html.HtmlElement, declared_article: bool,
                       block: MainBlock | None = None) -> str | None:
    """Why this page is not an article (a home, section or error page), or ``None``.

    A page with next to no text at all, or one that declares itself an article but has no
    main block (a video page), is left to the caller's "too little text" check: for a feed
    item, the feed's description can then stand in. ``block`` is the page's ``main_block``
    when the caller has it already.
    """
    body = tree.find("body")
    if body is None:
        return "not an article: the page has no body"
    if len(squash(body.text_content())) < MIN_BLOCK_CHARS:
        return None
    if not declared_article:
        share, headline_links = link_share(tree)
        if share >= LISTING_LINK_SHARE and headline_links >= LISTING_HEADLINE_LINKS:
            return (f"not an article: a listing page ({share:.0%} of its text is links, "
                    f"{headline_links} headline links)")
    block = block or main_block(tree)
    if block.chars >= MIN_BLOCK_CHARS:
        return None
    teasers = sum(len(squash(a.text_content())) >= TEASER_LINK_CHARS for a in body.iter("a"))
    if not declared_article or teasers >= SECTION_TEASER_LINKS:
        return ("not an article: no main block of running text (a home, section or error page; "
                f"best block {block.chars} characters in {block.parts} paragraphs, "
                f"{teasers} teaser links)")
    return None
