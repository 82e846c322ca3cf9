"""``bantin latest`` and ``bantin search``: read articles from the store."""

from __future__ import annotations

import json
import zoneinfo
from typing import Any

import click

from bantin.context import AppContext, pass_app
from store import Article
from store.search import query_terms


def article_json(article: Article, tz: zoneinfo.ZoneInfo) -> dict[str, Any]:
    """The documented JSON shape of an article (times with their offset, in ``tz``).

    ``url`` is the dedup key; ``link`` the publisher's address to open (``null`` when there is
    none, as for a ``.txt`` scrape).
    """
    data: dict[str, Any] = {
        "id": article.id,
        "url": article.url,
        "link": article.reader_url,
        "source": article.source,
        "title": article.title,
        "lead": article.lead,
        "text": article.text,
        "summary": article.summary,
        "author": article.author,
        "published_at": (
            article.published_at.astimezone(tz).isoformat() if article.published_at else None
        ),
    }
    if article.snippet is not None:
        data["snippet"] = article.snippet
    return data


def _print_articles(articles: list[Article], app: AppContext, as_json: bool) -> None:
    tz = app.timezone
    if as_json:
        click.echo(json.dumps([article_json(a, tz) for a in articles], ensure_ascii=False, indent=2))
        return
    for article in articles:
        when = article.sort_at.astimezone(tz).strftime("%d/%m/%Y %H:%M")
        click.echo(f"{article.id:>6}  {when}  {article.source}  {click.style(article.title, bold=True)}")
        if article.snippet:
            click.echo(f"        {article.snippet}")
        elif article.summary:
            click.echo(f"        {article.summary}")
        if article.has_link:
            click.echo(f"        {article.reader_url}")


@click.command()
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of articles.")
@pass_app
def latest(app: AppContext, limit: int, as_json: bool) -> None:
    """Show the newest articles."""
    articles = app.store.articles.latest(limit)
    if not articles and not as_json:
        click.echo(f"The store {app.store.path} is empty: no articles yet. Fill it with "
                   "`bantin ingest` (the [[sources]] in the config) or "
                   "`bantin ingest --file PATH...` (saved pages, scrapes or feeds).", err=True)
    _print_articles(articles, app, as_json)


@click.command()
@click.argument("query")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list with snippets.")
@pass_app
def search(app: AppContext, query: str, limit: int, as_json: bool) -> None:
    """Search articles; typing without diacritics works ("da nang" finds "Đà Nẵng").

    Words typed with diacritics ("bão") rank articles holding them as typed first; the query
    as a phrase ranks above its words scattered. An empty query is a usage error (exit 2).
    """
    if not query.strip():
        click.echo('error: the search query is empty; try: bantin search "da nang"', err=True)
        raise SystemExit(2)
    articles = app.store.search.search(query, limit=limit)
    if not articles and not as_json:
        if query_terms(query):
            click.echo("No articles found.", err=True)
        else:
            click.echo("No articles found: the query holds no letters or digits to search for.",
                       err=True)
    _print_articles(articles, app, as_json)
