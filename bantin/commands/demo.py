"""``bantin demo``: the sample news site, the real pipeline and a console chat, offline."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import IO

import click

from bantin.context import AppContext, pass_app
from bantin.demo import DEFAULT_DB, DemoError, run_demo


@click.command()
@click.option("--script", "script", type=click.File("r", encoding="utf-8"), default=None,
              help="Play the commands in FILE (one a line; '-' reads stdin) and print the "
                   "transcript instead of opening a chat.")
@click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_DB, show_default=True,
              help="The demo store; recreated on every run. A file the demo did not create "
                   "is refused (exit 2) and left unchanged.")
@pass_app
def demo(app: AppContext, script: IO[str] | None, db: Path) -> None:
    """Try bantin offline: ingest a bundled sample over HTTP, then chat with the bot."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if script is None and not sys.stdin.isatty():
        script = sys.stdin  # piped commands: play them as a script, echoing each one
    try:
        code = run_demo(app.config, db, script.readlines() if script is not None else None)
    except DemoError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    sys.exit(code)
