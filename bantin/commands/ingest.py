"""``bantin ingest`` and ``bantin extract``: fetch and store articles, or just look at one."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import click

from bantin.context import AppContext, pass_app
from bantin.pipeline import Outcome, Pipeline, Report, fetch_policy
from ingest import FetchError, NotAnArticle
from ingest.extract import extract_html
from ingest.fetch import Fetcher
from ingest.articles import read_article_file


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


@click.command()
@click.option("--file", "files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A saved .txt scrape, .html page or .xml/.rss feed; repeatable.")
@click.option("--url", default=None, help="The web address of the single --file given.")
@pass_app
def ingest(app: AppContext, files: tuple[str, ...], url: str | None) -> None:
    """Fetch every configured source now (or the given files) and store new articles."""
    if url and len(files) != 1:
        raise click.UsageError("--url goes with exactly one --file")
    progress = ProgressLine(len(files) or len(app.config.sources), sys.stderr.isatty())

    async def run() -> Report:
        async with Pipeline(app.store, app.config, progress=progress) as pipeline:
            if files:
                return await pipeline.run_files(files, url)
            return await pipeline.run_sources(respect_backoff=False)

    if not files and not app.config.sources:
        click.echo("No sources configured: add [[sources]] to the config, or pass --file.",
                   err=True)
    report = asyncio.run(run())
    progress.finish()
    print_report(report)
    if report.counts()["failed"] and not any(
        report.counts()[kind] for kind in ("new", "updated", "unchanged")
    ):
        sys.exit(1)


async def _fetch_page(app: AppContext, url: str) -> tuple[str, str]:
    # The address typed on the command line is the operator's own choice: its origin may be
    # private; a redirect elsewhere is checked like any other.
    async with Fetcher(fetch_policy(app.config, url)) as fetcher:
        fetched = await fetcher.get(url)
    return fetched.text, fetched.final_url


@click.command()
@click.argument("target")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_app
def extract(app: AppContext, target: str, as_json: bool) -> None:
    """Show what extraction and clean-up make of a file or URL, without storing anything."""
    try:
        if target.startswith(("http://", "https://")):
            content, final_url = asyncio.run(_fetch_page(app, target))
            article = extract_html(content, final_url)
        else:
            path = Path(target)
            if not path.is_file():
                raise click.BadParameter(f"no such file: {target}", param_hint="PATH_OR_URL")
            article = read_article_file(path)
    except NotAnArticle as error:
        reason = str(error)
        click.echo(reason if reason.startswith("not an article") else f"not an article: {reason}",
                   err=True)
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
