"""The real Zalo transport against the fake Zalo Bot API (``tests.helpers.zalo_bot``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from store import Store
from tests.helpers.zalo_bot import Harness, zalo_bot


@pytest.fixture
async def zalo(fresh_store: Store) -> AsyncIterator[Harness]:
    async with zalo_bot(fresh_store) as running:
        yield running
