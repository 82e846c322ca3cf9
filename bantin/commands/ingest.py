"""``bantin ingest`` and ``bantin extract``: fetch and store articles, or just look at one."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from typing import Any

import click

from bantin.context import AppContext, pass_app
from bantin.pipeline import Outcome, Pipeline, Report, fetch_policy
from ingest import FetchError, NotAnArticle
from ingest.articles import read_article
from ingest.extract import extract_html
from ingest.fetch import Fetcher
from ingest.files import read_saved_file, text_kind


class ProgressLine:
    """A one-line live tally on stderr, only when stderr is a terminal."""

    def __init__(self, total_sources: int, enabled: bool) -> None:
        self.total = total_sources
        self.enabled = enabled
        self.counts: dict[str, int] = {}
        self.sources: set[str] = set()

    def __call__(self, outcome: Outcome) -> None:
        self.counts[outcome.kind] = self.counts.get(outcome.kind, 0) + 1
        self.sources.add(outcome.source)
        if not self.enabled:
            return
        done = sum(self.counts.values())
        width = 24
        filled = width if not self.total else min(width, width * len(self.sources) // self.total)
        bar = "█" * filled + "░" * (width - filled)
        tally = " ".join(f"{k} {v}" for k, v in sorted(self.counts.items()))
        click.echo(f"\r{bar} {done} articles · {tally}\033[K", err=True, nl=False)

    def finish(self) -> None:
        if self.enabled and self.counts:
            click.echo("", err=True)


def print_report(report: Report) -> None:
    """The final report: counts, then each rejection and failure with its reason."""
    click.echo("Ingest finished: " + report.summary_line())
    for name in report.not_modified:
        click.echo(f"  not modified: {name}")
    for line in report.skipped + report.notes:
        click.echo(f"  note: {line}")
    for outcome in report.problems():
        where = outcome.url or outcome.source
        click.echo(f"  {outcome.kind}: {where}: {outcome.reason}")
    for outcome in report.outcomes:
        if outcome.kind in ("new", "updated") and outcome.reason:
            click.echo(f"  note: {outcome.url}: {outcome.reason}")


class PathsAfterOption(click.Option):
    """``--file a b c``: an option that takes every path after it, as the synopsis promises.

    click gives an option a fixed number of values; this one also claims the plain arguments
    that follow it (up to the next option), which click would otherwise refuse as "unexpected
    extra arguments".
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["multiple"] = True
        super().__init__(*args, **kwargs)

    # click's parser and its state are private classes (renamed in click 8.2): typed Any.
    def add_to_parser(self, parser: Any, ctx: click.Context) -> None:
        super().add_to_parser(parser, ctx)
        for name in self.opts:
            option = parser._long_opt.get(name) or parser._short_opt.get(name)
            if option is None:
                continue
            original = option.process

            def process(value: Any, state: Any,
                        original: Callable[[Any, Any], None] = original) -> None:
                original(value, state)
                while state.rargs and not state.rargs[0].startswith("-"):
                    original(state.rargs.pop(0), state)

            option.process = process


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(), metavar="[FILE]...")
@click.option("--file", "files", cls=PathsAfterOption, type=click.Path(), metavar="PATH...",
              help="Saved files to ingest: text scrapes, HTML pages, RSS/Atom feeds "
                   "(--file a b c; the same as giving them as arguments).")
@click.option("--url", default=None, help="The web address of the single file given.")
@click.option("--source", "source", default=None,
              help="The outlet's name for the files (default: from the page, feed or host).")
@click.option("--fetch-pages", is_flag=True,
              help="For a saved feed, fetch each item's page (default: read the feed only).")
@pass_app
def ingest(app: AppContext, paths: tuple[str, ...], files: tuple[str, ...], url: str | None,
           source: str | None, fetch_pages: bool) -> None:
    """Fetch every configured source now, or ingest saved files, and store new articles.

    Exit 1 when every file or source was rejected or failed.
    """
    files = (*files, *paths)
    if url and len(files) != 1:
        raise click.UsageError("--url goes with exactly one file")
    if (source or fetch_pages) and not files:
        raise click.UsageError("--source and --fetch-pages go with saved files (--file PATH...)")
    progress = ProgressLine(len(files) or len(app.config.sources), sys.stderr.isatty())

    async def run() -> Report:
        async with Pipeline(app.store, app.config, progress=progress) as pipeline:
            if files:
                return await pipeline.run_files(files, url, source=source,
                                                fetch_pages=fetch_pages)
            return await pipeline.run_sources(respect_backoff=False)

    if not files and not app.config.sources:
        click.echo("No sources configured: add [[sources]] to the config, or pass --file.",
                   err=True)
    report = asyncio.run(run())
    progress.finish()
    print_report(report)
    counts = report.counts()
    stored = counts["new"] + counts["updated"] + counts["unchanged"]
    if not stored and (counts["failed"] or counts["rejected"]):
        sys.exit(1)


async def _fetch_page(app: AppContext, url: str) -> tuple[str, str]:
    # The address typed on the command line is the operator's own choice: its origin may be
    # private; a redirect elsewhere is checked like any other.
    async with Fetcher(fetch_policy(app.config, url)) as fetcher:
        fetched = await fetcher.get(url)
    return fetched.text, fetched.final_url


def _not_an_article(reason: str) -> str:
    return reason if reason.startswith(("not an article", "this is")) else f"not an article: {reason}"


@click.command()
@click.argument("target", metavar="PATH_OR_URL")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_app
def extract(app: AppContext, target: str, as_json: bool) -> None:
    """Show what extraction and clean-up make of a saved page, scrape or URL (stores nothing)."""
    try:
        if target.startswith(("http://", "https://")):
            content, final_url = asyncio.run(_fetch_page(app, target))
            if text_kind(content) == "feed":
                raise NotAnArticle("this is a feed: add it to [[sources]], or save it and use "
                                   "bantin ingest --file")
            article = extract_html(content, final_url)
        else:
            saved = read_saved_file(target)
            if not saved.readable:
                click.echo(f"error: {target} {saved.reason}", err=True)
                sys.exit(1)
            article = read_article(saved)
    except NotAnArticle as error:
        click.echo(f"{target}: {_not_an_article(str(error))}", err=True)
        sys.exit(1)
    except FetchError as error:
        click.echo(f"error: {target}: {error}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(article.as_json(app.timezone), ensure_ascii=False, indent=2))
        return
    tz = app.timezone
    click.echo(click.style(article.title, bold=True))
    when = article.published_at.astimezone(tz).isoformat() if article.published_at else "unknown"
    click.echo(f"published: {when}")
    click.echo(f"author:    {article.author or '-'}")
    click.echo(f"source:    {article.source or '-'}")
    if article.link:
        click.echo(f"link:      {article.link}")
    if article.url:
        click.echo(f"url:       {article.url}")
    if article.note:
        click.echo(f"note:      {article.note}")
    click.echo("")
    if article.lead:
        click.echo(article.lead)
        click.echo("")
    for paragraph in article.paragraphs:
        click.echo(paragraph)
        click.echo("")
