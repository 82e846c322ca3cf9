"""``chat``: one reader's private chat through a real transport, once per transport (a test
narrows the list with ``@pytest.mark.parametrize("chat", [...], indirect=True)``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from store import Store
from tests.helpers.chats import PLATFORMS, Chat, chat_on


@pytest.fixture(params=PLATFORMS)
async def chat(request: pytest.FixtureRequest, fresh_store: Store) -> AsyncIterator[Chat]:
    async with chat_on(request.param, fresh_store) as running:
        yield running
