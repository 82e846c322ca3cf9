"""``bantin run``: the bot, the scheduler and every configured transport in one process."""

from __future__ import annotations

import asyncio
import logging

import click

from bantin.app import NO_TOKEN, has_transport, serve
from bantin.config import Config
from bantin.context import AppContext, pass_app
from bot import redaction
from bot.errors import BotError


def hide_secrets(config: Config) -> None:
    """Register every configured token and webhook secret with the one redaction rule."""
    for platform in (config.telegram, config.zalo):
        redaction.register(platform.token, token=True)
        redaction.register(platform.webhook_secret, token=False)


@click.command()
@click.option("--log-level", default="INFO", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False))
@pass_app
def run(app: AppContext, log_level: str) -> None:
    """Run the bot until Ctrl-C (SIGINT) or SIGTERM."""
    if not has_transport(app.config):
        click.echo(NO_TOKEN, err=True)
        raise SystemExit(2)
    hide_secrets(app.config)
    logging.basicConfig(level=log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    redaction.install()  # on the root handlers: our loggers and every library's
    if log_level.upper() != "DEBUG":
        logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request is noise
    try:
        asyncio.run(serve(app.config, app.store))
    except KeyboardInterrupt:  # Ctrl-C before the signal handlers were in place
        pass
    except (BotError, OSError) as error:
        click.echo(f"error: {redaction.redact(str(error))}", err=True)
        raise SystemExit(1) from None
    click.echo("bantin stopped.")
