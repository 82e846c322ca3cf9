"""Stories: reading them with their articles, their summaries, grouping the store again.

Every article belongs to exactly one story; ``grouping`` decides which as each article is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bantin.text import nfc
from store import grouping
from store.articles import ARTICLE_COLUMNS, Article, row_to_article
from store.db import Database, stored_time, to_iso
from store.errors import NotFound


@dataclass
class Story:
    """A story as readers see it: headline, summary, times and its articles (oldest first)."""

    id: int
    title: str
    summary: str
    first_seen: datetime
    last_updated: datetime
    article_count: int
    summary_count: int = 0
    articles: list[Article] = field(default_factory=list)
    # A search's best-ranked article of the story (with its snippet): where the reader's words
    # are, when the headline and summary shown do not hold them. Only ``for_articles`` sets it.
    match: Article | None = field(default=None, compare=False)

    @property
    def sources(self) -> list[str]:
        """Outlets in the order they carried the story, each once."""
        seen: list[str] = []
        for article in self.articles:
            if article.source and article.source not in seen:
                seen.append(article.source)
        return seen

    @property
    def reader_summary(self) -> str:
        """The story's summary; a story of one article (or not summarised yet) shows the
        summary of its headline article."""
        if self.summary and self.article_count > 1:
            return self.summary
        article = self.headline_article
        return article.summary if article else ""

    @property
    def article_ids(self) -> list[int]:
        return [a.id for a in self.articles if a.id is not None]

    @property
    def headline_article(self) -> Article | None:
        """The article whose title is the story's headline (else the earliest)."""
        for article in self.articles:
            if article.title == self.title:
                return article
        return self.articles[0] if self.articles else None


STORY_COLUMNS = "id, title, summary, first_seen, last_updated, article_count, summary_count"


def _row_to_story(row: tuple) -> Story:
    id_, title, summary, first, last, count, summary_count = row
    return Story(id_, title, summary, stored_time(first), stored_time(last), count, summary_count)


class Stories:
    """Reading stories, setting their summaries, and grouping the whole store again."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def get(self, story_id: int, *, with_articles: bool = True) -> Story:
        row = self.database.execute(
            f"SELECT {STORY_COLUMNS} FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            raise NotFound(f"no story with id {story_id}")
        story = _row_to_story(row)
        if with_articles:
            story.articles = self.articles_of(story_id)
        return story

    def of_article(self, article_id: int, *, with_articles: bool = True) -> Story:
        row = self.database.execute(
            "SELECT story_id FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None or row[0] is None:
            raise NotFound(f"no story for article {article_id}")
        return self.get(row[0], with_articles=with_articles)

    def articles_of(self, story_id: int, limit: int = -1) -> list[Article]:
        """A story's articles, earliest first (the first ``limit`` of them if given)."""
        rows = self.database.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE story_id = ? ORDER BY sort_at, id "
            "LIMIT ?", (story_id, limit)).fetchall()
        return [row_to_article(row) for row in rows]

    def latest(self, limit: int = 5, offset: int = 0, *,
               since: datetime | None = None) -> list[Story]:
        """Stories newest first (by their latest article), with their articles."""
        where = "WHERE last_updated >= ?" if since else ""
        params: list[object] = [to_iso(since)] if since else []
        page = "LIMIT ? OFFSET ?" if limit > 0 else "LIMIT -1 OFFSET ?"
        params += [limit, offset] if limit > 0 else [offset]
        rows = self.database.execute(
            f"SELECT {STORY_COLUMNS} FROM stories {where} ORDER BY last_updated DESC, id DESC "
            f"{page}", params).fetchall()
        return self._with_articles([_row_to_story(row) for row in rows])

    def for_articles(self, articles: list[Article]) -> list[Story]:
        """The stories of ``articles``, in the order their first article comes, each once; each
        story's ``match`` is that first article (a search's best-ranked one)."""
        ids = [a.id for a in articles if a.id is not None]
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        story_of = dict(self.database.execute(
            f"SELECT id, story_id FROM articles WHERE id IN ({marks})", ids).fetchall())
        first: dict[int, Article] = {}  # story -> its first article, in the articles' order
        for article in articles:
            story_id = story_of.get(article.id)
            if story_id is not None:
                first.setdefault(story_id, article)
        if not first:
            return []
        marks = ", ".join("?" * len(first))
        rows = self.database.execute(
            f"SELECT {STORY_COLUMNS} FROM stories WHERE id IN ({marks})", list(first)).fetchall()
        by_id = {row[0]: _row_to_story(row) for row in rows}
        for story_id, story in by_id.items():
            story.match = first[story_id]
        return self._with_articles([by_id[i] for i in first if i in by_id])

    def _with_articles(self, stories: list[Story]) -> list[Story]:
        if not stories:
            return stories
        marks = ", ".join("?" * len(stories))
        rows = self.database.execute(
            f"SELECT {ARTICLE_COLUMNS}, story_id FROM articles WHERE story_id IN ({marks}) "
            "ORDER BY sort_at, id", [s.id for s in stories]).fetchall()
        by_id = {s.id: s for s in stories}
        for row in rows:
            by_id[row[-1]].articles.append(row_to_article(row))
        return stories

    def set_summary(self, story_id: int, summary: str, article_count: int) -> None:
        """Keep a story's summary and the number of articles it was made from."""
        self.database.execute(
            "UPDATE stories SET summary = ?, summary_count = ? WHERE id = ?",
            (nfc(summary).strip(), article_count, story_id))

    def ids_with_several_articles(self) -> list[int]:
        """Ids of the stories of more than one article (the ones with a summary of their own)."""
        rows = self.database.execute(
            "SELECT id FROM stories WHERE article_count > 1 ORDER BY id").fetchall()
        return [row[0] for row in rows]

    def count(self) -> int:
        return int(self.database.execute("SELECT count(*) FROM stories").fetchone()[0])

    def regroup(self) -> int:
        """Group every article again, oldest first, in one transaction; return the story count.

        Summaries are dropped (they belong to the old stories); the caller makes new ones.
        """
        with self.database.transaction() as conn:
            grouping.group_all(conn)
        return self.count()
