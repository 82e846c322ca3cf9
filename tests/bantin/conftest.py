"""Fixtures for the CLI tests: a configuration file whose store sits beside it."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "bantin.toml"
    path.write_text('[store]\npath = "news.db"\n', encoding="utf-8")
    return path
