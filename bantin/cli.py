"""The ``bantin`` command line: a thin click layer over the library (as sqlite-utils does).

Known errors become one line on stderr and a non-zero exit: 2 for configuration, 1 otherwise.
"""

from __future__ import annotations

from typing import Any

import click

from bantin import __version__
from bantin.commands import admin, articles, demo, ingest, run, stories
from bantin.commands.summarize import summarize_command
from bantin.config import ConfigError, load
from bantin.context import AppContext
from store import StoreError


class BantinGroup(click.Group):
    """Turns bantin's named errors into one-line messages instead of tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as error:
            click.echo(str(error), err=True)
            ctx.exit(2)
        except StoreError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(1)


@click.group(cls=BantinGroup)
@click.version_option(__version__, prog_name="bantin")
@click.option(
    "--config", "config_path", envvar="BANTIN_CONFIG", type=click.Path(dir_okay=False),
    help="Config file (default: ./bantin.toml if present, else built-in defaults).",
)
@click.pass_context
def cli(ctx: click.Context, config_path: str | None) -> None:
    """bantin: Vietnamese news, summarised, on Telegram, Zalo and the console."""
    app = AppContext(load(config_path))
    ctx.obj = app
    ctx.call_on_close(app.close)


for command in (
    admin.init, articles.latest, articles.search, stories.stories, stories.regroup, admin.stats, admin.backup, ingest.ingest,
    ingest.extract, summarize_command, run.run, demo.demo,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="bantin")


if __name__ == "__main__":
    main()  # click exits with the command's status itself
