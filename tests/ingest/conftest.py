"""Fixtures for ingest tests: the committed fixture files (the local HTTP server, ``server``,
comes from ``tests/conftest.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
