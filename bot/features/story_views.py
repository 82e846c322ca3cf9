"""How a story looks in a message: its headline, its summary, and every outlet that carried it.

"3 báo đưa tin: Tuổi Trẻ, VOV, Một Thế Giới" names each outlet once, linked to its own article
(Telegram shows linked names; plain-text platforms write each address out after the name, and
their renderers split messages within the platform's length limit). The "#id" shown is the
headline article's number, the one ``/comments`` and ``/feedback`` take.
"""

from __future__ import annotations

from bot.engine.messages import Span, link
from store import Article, Story
from store.search import Query, holds


def outlet_articles(story: Story) -> list[Article]:
    """The first article of each outlet, in the order the outlets carried the story."""
    seen: dict[str, Article] = {}
    for article in story.articles:
        seen.setdefault(article.source or "", article)
    return [a for source, a in seen.items() if source]


def outlets_spans(story: Story) -> list[Span]:
    """"3 báo đưa tin: " then each outlet's name linked to its article; nothing for one outlet."""
    articles = outlet_articles(story)
    return outlets_line(articles) if len(articles) > 1 else []


def outlets_line(articles: list[Article]) -> list[Span]:
    """"N báo đưa tin: " and each outlet's name, linked to its own article where it has an
    address (a saved scrape has none): the one rendering of a story's outlets, for /latest,
    search and digests alike."""
    spans: list[Span] = [Span(f"{len(articles)} báo đưa tin: ", italic=True)]
    for index, article in enumerate(articles):
        if index:
            spans.append(Span(", "))
        url = article.reader_url
        spans.append(link(article.source, url) if url is not None else Span(article.source))
    return spans


def where_found(story: Story, query: Query) -> str | None:
    """Where a search found ``story``, when its headline and summary do not show the reader's
    words: "VOV: <that article's title>" when the title holds them, else the snippet of its
    text centred on them (folded matches count: they are why a result was found); nothing when
    the entry already shows the words as typed."""
    article = story.match
    if article is None or holds(story.title + "\n" + story.reader_summary, query):
        return None
    folded = Query(query.folded, query.folded)  # found as typed is found folded too
    for place in (article.title, article.snippet or ""):
        if holds(place, folded):
            return f"{article.source}: {place}" if article.source else place
    return None
