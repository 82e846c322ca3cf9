"""The moderators' chat and readers on the real bot (``tests.helpers.moderation``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from store import Store
from tests.helpers.moderation import ModHarness, running


@pytest.fixture
async def mod(fresh_store: Store) -> AsyncIterator[ModHarness]:
    async with running(fresh_store) as harness:
        yield harness
