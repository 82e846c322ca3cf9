"""Zalo and Telegram receiving by webhook, for the tests of hostile webhook bodies."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from store import Store
from tests.helpers.webhooks import Running, webhook_bots


@pytest.fixture
async def both(fresh_store: Store) -> AsyncIterator[Running]:
    """Zalo and Telegram by webhook on one server (``tests.helpers.webhooks``)."""
    async with webhook_bots(fresh_store) as running:
        yield running
