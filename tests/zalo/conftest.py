"""The real Zalo transport against the fake Zalo Bot API (``tests.helpers.zalo_bot``), by
long polling (``zalo``) or by webhook beside Telegram (``both``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from store import Store
from tests.helpers.webhooks import Running, webhook_bots
from tests.helpers.zalo_bot import Harness, zalo_bot


@pytest.fixture
async def zalo(fresh_store: Store) -> AsyncIterator[Harness]:
    async with zalo_bot(fresh_store) as running:
        yield running


@pytest.fixture
async def both(fresh_store: Store) -> AsyncIterator[Running]:
    """Zalo and Telegram by webhook on one server (``tests.helpers.webhooks``)."""
    async with webhook_bots(fresh_store) as running:
        yield running
