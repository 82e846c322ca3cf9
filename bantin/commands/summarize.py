"""``bantin summarize``: one file (a text scrape, a saved page, a JSONL batch), or a JSONL batch
from ``--in``, through the summariser. The file's kind comes from ``ingest.files``, the same
detection ``ingest`` and ``extract`` use; a file that cannot be summarised is one line on
stderr and exit 1.

A batch never stops at a bad line: the line is reported on stderr with its number and skipped,
the rest is summarised, and the exit code is 1 at the end so scripts notice.

The summary's length is the config's ``[summarizer]`` (what readers get), unless
``--sentences`` or ``--max-chars`` say otherwise.
"""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass
from typing import IO, Any

import click

from ingest import NotAnArticle
from ingest.articles import read_article
from ingest.files import SavedFile, classify_bytes, read_saved_file
from ingest.scrape import parse_scrape
from bantin.context import AppContext, pass_app
from bantin.text import fold
from ingest.textutil import squash
from summarizer import ALGORITHMS, summarize


class BadLine(ValueError):
    """An input line that is not a JSON object with an ``id`` and a string ``text``."""


def parse_line(line: str) -> dict[str, Any]:
    """The article of one JSONL line, or ``BadLine`` saying what is wrong with it."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadLine(f"not JSON ({error.msg} at column {error.colno})") from error
    if not isinstance(data, dict):
        raise BadLine("not a JSON object")
    if "id" not in data or data["id"] is None:
        raise BadLine('no "id"')
    if not isinstance(data.get("text"), str):
        raise BadLine('"text" missing or not a string')
    title = data.get("title")
    if title is not None and not isinstance(title, str):
        raise BadLine('"title" is not a string')
    return data


def run_batch(source: IO[str], sink: IO[str], sentences: int, algorithm: str,
              max_chars: int | None) -> int:
    """Summarise every line of ``source`` into ``sink``; the number of bad lines."""
    bad = 0
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            article = parse_line(line)
        except BadLine as error:
            bad += 1
            click.echo(f"line {number}: skipped: {error}", err=True)
            continue
        summary = summarize(article["text"], title=article.get("title"), sentences=sentences,
                            max_chars=max_chars, algorithm=algorithm)
        record = {"id": article["id"], "summary": summary.text, "indices": summary.indices}
        sink.write(json.dumps(record, ensure_ascii=False) + "\n")
    sink.flush()
    return bad


@dataclass
class Document:
    """What FILE mode summarises: the headline (printed once, never summarised) and the body."""

    title: str | None
    body: str


def _folded_lines(text: str) -> list[str]:
    return [fold(squash(line)) for line in text.splitlines() if squash(line)]


def text_document(text: str, title: str | None) -> Document:
    """A plain text file: a scrape (headline repeated, lead, captions) read as ingest reads it,
    else prose taken as it is, without any line that repeats the headline."""
    try:
        scrape = parse_scrape(text)
    except NotAnArticle:
        scrape = None
    lines = _folded_lines(text)
    if scrape is not None and (lines.count(fold(scrape.title)) >= 2
                               or (title and fold(squash(title)) == fold(scrape.title))):
        return Document(title or scrape.title, "\n\n".join([scrape.lead, *scrape.paragraphs]))
    if title:
        key = fold(squash(title))
        text = "\n".join(line for line in text.splitlines() if fold(squash(line)) != key)
    return Document(title, text)


def read_document(saved: SavedFile, title: str | None) -> Document:
    """The document of a text file or saved page; ``click.ClickException`` for anything else."""
    if saved.kind == "text":
        return text_document(saved.text, title)
    if saved.kind == "html":
        try:
            article = read_article(saved)
        except NotAnArticle as error:
            raise FileProblem(f"{saved.path}: not an article: {error}") from None
        return Document(title or article.title, "\n\n".join([article.lead, *article.paragraphs]))
    if saved.kind == "feed":
        raise FileProblem(f"{saved.path}: this is a feed: use bantin ingest --file")
    raise FileProblem(f"{saved.path} {saved.reason}")


class FileProblem(click.ClickException):
    """A file summarize cannot use: one line on stderr, exit 1."""

    def show(self, file: IO[str] | None = None) -> None:
        click.echo(f"error: {self.message}", err=True)


@click.command("summarize")
@click.argument("file", required=False, type=click.Path(allow_dash=True))
@click.option("--in", "source", type=click.File("r", encoding="utf-8"),
              help='JSONL input, one {"id", "title"?, "text"} per line ("-" for stdin).')
@click.option("--out", "sink", type=click.File("w", encoding="utf-8", lazy=True),
              help='JSONL output, one {"id", "summary", "indices"} per line ("-" for stdout).')
@click.option("--sentences", default=None, type=click.IntRange(1, 20),
              help="Sentences per summary (default: [summarizer] sentences).")
@click.option("--algorithm", default="default", show_default=True,
              type=click.Choice(ALGORITHMS), help="Which ranker chooses the sentences.")
@click.option("--max-chars", type=click.IntRange(0), default=None,
              help="Longest summary, in characters; 0: no limit (default: [summarizer] max_chars).")
@click.option("--title", default=None, help="The article's headline (FILE mode).")
@pass_app
def summarize_command(app: AppContext, file: str | None, source: IO[str] | None,
                      sink: IO[str] | None, sentences: int | None, algorithm: str,
                      max_chars: int | None, title: str | None) -> None:
    """Summarise FILE (a text scrape, a saved HTML page or a JSONL batch), or --in IN.jsonl.

    A text or HTML FILE prints its headline once, then the summary. A JSONL FILE is a batch,
    as with --in. The length is the config's [summarizer] unless the options say otherwise.
    """
    configured = app.config.summarizer
    sentences = sentences or configured.sentences
    max_chars = configured.max_chars if max_chars is None else (max_chars or None)
    if (file is None) == (source is None):
        raise click.UsageError("give either FILE or --in IN.jsonl (not both)")
    if file is not None:
        saved = (classify_bytes(sys.stdin.buffer.read()) if file == "-"
                 else read_saved_file(file))
        if saved.kind == "jsonl":
            source = io.StringIO(saved.text)
        else:
            if sink is not None:
                raise click.UsageError("--out is for a JSONL batch (--in, or a .jsonl FILE)")
            document = read_document(saved, title)
            summary = summarize(document.body, title=document.title, sentences=sentences,
                                max_chars=max_chars, algorithm=algorithm)
            if document.title:
                click.echo(click.style(document.title, bold=True))
            if summary.text:
                click.echo(summary.text)
            return
    assert source is not None  # --in was given, or FILE is a JSONL batch (checked above)
    bad = run_batch(source, sink or sys.stdout, sentences, algorithm, max_chars)
    if bad:
        click.echo(f"{bad} malformed line(s) skipped", err=True)
        sys.exit(1)
