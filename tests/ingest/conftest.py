"""Fixtures for ingest tests: the local HTTP server and the committed fixture files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.httpfixture import server  # noqa: F401  (re-exported fixture)

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
