"""``bantin init``, ``stats`` and ``backup``: looking after the database."""

from __future__ import annotations

import click

from bantin.context import AppContext, pass_app


@click.command()
@pass_app
def init(app: AppContext) -> None:
    """Create the database (or bring its schema up to date)."""
    store = app.store
    click.echo(f"Database ready: {store.path}")


@click.command()
@pass_app
def stats(app: AppContext) -> None:
    """Count articles, sources, failures, readers and pending feedback."""
    for name, value in app.store.stats().items():
        click.echo(f"{name:<22}{value}")


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@pass_app
def backup(app: AppContext, path: str) -> None:
    """Copy the database to PATH, safely, even while the bot is running."""
    app.store.backup(path)
    click.echo(f"Backup written: {path}")
