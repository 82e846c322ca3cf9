"""``bantin summarize``: one text file, or a JSONL batch, through the summariser.

A batch never stops at a bad line: the line is reported on stderr with its number and skipped,
the rest is summarised, and the exit code is 1 at the end so scripts notice.
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any

import click

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


@click.command("summarize")
@click.argument("file", required=False, type=click.File("r", encoding="utf-8"))
@click.option("--in", "source", type=click.File("r", encoding="utf-8"),
              help='JSONL input, one {"id", "title"?, "text"} per line ("-" for stdin).')
@click.option("--out", "sink", type=click.File("w", encoding="utf-8", lazy=True),
              help='JSONL output, one {"id", "summary", "indices"} per line ("-" for stdout).')
@click.option("--sentences", default=2, show_default=True, type=click.IntRange(1, 20),
              help="Sentences per summary.")
@click.option("--algorithm", default="default", show_default=True,
              type=click.Choice(ALGORITHMS), help="Which ranker chooses the sentences.")
@click.option("--max-chars", type=click.IntRange(1), default=None,
              help="Longest summary, in characters (default: no limit).")
@click.option("--title", default=None, help="The article's title (FILE mode), used by the ranker.")
def summarize_command(file: IO[str] | None, source: IO[str] | None, sink: IO[str] | None,
                      sentences: int, algorithm: str, max_chars: int | None,
                      title: str | None) -> None:
    """Summarise FILE (a text file), or a JSONL batch with --in/--out."""
    if (file is None) == (source is None):
        raise click.UsageError("give either FILE or --in IN.jsonl (not both)")
    if file is not None:
        if sink is not None:
            raise click.UsageError("--out is for batch mode (--in)")
        summary = summarize(file.read(), title=title, sentences=sentences, max_chars=max_chars,
                            algorithm=algorithm)
        if summary.text:
            click.echo(summary.text)
        return
    bad = run_batch(source, sink or click.get_text_stream("stdout"), sentences, algorithm, max_chars)
    if bad:
        click.echo(f"{bad} malformed line(s) skipped", err=True)
        sys.exit(1)
