"""The ``bantin`` command line through click's ``CliRunner``, in the test's own process."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from bantin.cli import cli


def run(*args: str, config: Path | None = None) -> Result:
    """``bantin [--config CONFIG] ARGS…``; exceptions propagate, so a crash fails the test."""
    runner = CliRunner()
    prefix = ["--config", str(config)] if config else []
    return runner.invoke(cli, [*prefix, *args], catch_exceptions=False)
