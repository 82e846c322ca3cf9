"""``bantin stories`` and ``bantin regroup``: the same event from many outlets."""

from __future__ import annotations

import json
import zoneinfo
from datetime import datetime, time, timedelta
from typing import Any

import click

from bantin.context import AppContext, pass_app
from bantin.summaries import STORY_SUMMARY_ARTICLES, story_summary
from store import Story, utcnow

DEFAULT_HOURS = 48


def story_json(story: Story, tz: zoneinfo.ZoneInfo) -> dict[str, Any]:
    """The documented JSON shape of a story (times with their offset, in ``tz``)."""
    def when(moment: datetime | None) -> str | None:
        return moment.astimezone(tz).isoformat() if moment else None

    return {
        "id": story.id,
        "title": story.title,
        "summary": story.reader_summary,
        "first_seen": when(story.first_seen),
        "last_updated": when(story.last_updated),
        "sources": story.sources,
        "articles": [
            {"id": a.id, "url": a.url, "link": a.reader_url, "source": a.source,
             "title": a.title, "published_at": when(a.published_at)}
            for a in story.articles
        ],
    }


@click.command()
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Stories updated since this day (default: the last 48 hours).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0, None),
              help="How many stories; 0 means all.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of stories.")
@pass_app
def stories(app: AppContext, since: datetime | None, limit: int, as_json: bool) -> None:
    """Show stories (one event, every outlet that carried it), newest first."""
    tz = app.timezone
    start = (datetime.combine(since.date(), time(), tzinfo=tz) if since
             else utcnow() - timedelta(hours=DEFAULT_HOURS))
    found = app.store.stories.latest(limit, since=start)
    if as_json:
        click.echo(json.dumps([story_json(s, tz) for s in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("No stories in that period.", err=True)
    for story in found:
        when = story.last_updated.astimezone(tz).strftime("%d/%m/%Y %H:%M")
        click.echo(f"{story.id:>6}  {when}  {click.style(story.title, bold=True)}")
        click.echo(f"        {len(story.sources)} outlets: {', '.join(story.sources)}")
        if story.reader_summary:
            click.echo(f"        {story.reader_summary}")
        for article in story.articles:
            click.echo(f"        #{article.id} {article.source}: {article.reader_url or article.url}")


@click.command()
@pass_app
def regroup(app: AppContext) -> None:
    """Group every stored article into stories again (and summarise the stories anew)."""
    store = app.store
    count = store.stories.regroup()
    summarised = 0
    for story_id in store.stories.ids_with_several_articles():  # one story in memory at a time
        articles = store.stories.articles_of(story_id, limit=STORY_SUMMARY_ARTICLES)
        store.stories.set_summary(
            story_id, story_summary(articles, app.config.summarizer), len(articles))
        summarised += 1
    click.echo(f"{store.articles.count()} articles in {count} stories "
               f"({summarised} with more than one article, summarised).")
