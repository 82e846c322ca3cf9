"""The real bot against the fake Bot API server (``tests.helpers.telegram_bot``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from store import Store
from tests.helpers.telegram_bot import Harness, telegram_bot


@pytest.fixture
async def harness(fresh_store: Store) -> AsyncIterator[Harness]:
    async with telegram_bot(fresh_store) as running:
        yield running
