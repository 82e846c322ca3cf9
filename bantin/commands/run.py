"""``bantin run``: the bot, the scheduler and every configured transport in one process."""

from __future__ import annotations

import asyncio
import logging

import click

from bantin.app import NO_TOKEN, has_transport, serve
from bantin.context import AppContext, pass_app
from bot.engine.errors import BotError


@click.command()
@click.option("--log-level", default="INFO", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False))
@pass_app
def run(app: AppContext, log_level: str) -> None:
    """Run the bot until Ctrl-C (SIGINT) or SIGTERM."""
    if not has_transport(app.config):
        click.echo(NO_TOKEN, err=True)
        raise SystemExit(2)
    logging.basicConfig(level=log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request is noise
    try:
        asyncio.run(serve(app.config, app.store))
    except BotError as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(1) from None
    click.echo("bantin stopped.")
