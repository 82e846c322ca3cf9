"""What a page's markup labels inside and around the article, read before text extraction.

Photo captions (noted, left in place: a photo story's captions are its text), the lead
(sapo), the byline (also "X và 1 tác giả khác" and a closing right-aligned one such as
VnExpress's "Hà Thu (tổng hợp)"), and boxes that are never text: comments, share bars,
related articles, ads, tags, and paragraphs that are nothing but a link (related headlines).
Labels are read from class words shared across CMSs, never from one site's selectors; the main
block (``ingest.pagekind``) and anything inside a sentence are never cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.etree
import lxml.html

from bantin.text import fold_loose
from ingest.cleanup import clean_author, names_an_outlet
from ingest.textutil import squash

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
    root = tree.getroottree().getroot()
    for node in tree.xpath("//body//*[@class or @id] | //body//figcaption"):
        label = f"{node.get('class', '')} {node.get('id', '')}"
        if node.tag == "figcaption" or _CAPTION_CLASS.search(label):
            text = squash(node.text_content())
            if text and len(text) < 600 and text not in marked.captions:
                marked.captions.append(text)
            continue
        sapo_like = not marked.sapo and (
            _SAPO_CLASS.search(label) or _WEAK_SAPO_CLASS.search(label))
        author_like = marked.author is None and _AUTHOR_CLASS.search(label)
        if not (sapo_like or author_like or _JUNK_CLASS.search(label)):
            continue
        if node.getroottree().getroot() is not root:
            continue  # inside a box already cut
        if node in keep or _is_inline_or_in_paragraph(node):
            continue
        if sapo_like and (sapo := _is_sapo(node, label, description)):
            marked.sapo = sapo
            _remove(node)
        elif author_like:
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
        linked = len(" ".join(" ".join(_LINK_TEXTS(node)).split()))
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
