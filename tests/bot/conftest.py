"""Readers of tests/bot: the real bot against the fake Bot API server
(``tests.helpers.telegram_bot``), and readers talking to the engine itself
(``tests.helpers.conversation``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from store import Store
from tests.helpers.conversation import Reader, engine
from tests.helpers.telegram_bot import Harness, telegram_bot


@pytest.fixture
async def harness(fresh_store: Store) -> AsyncIterator[Harness]:
    async with telegram_bot(fresh_store) as running:
        yield running


@pytest.fixture
async def bot(fresh_store: Store) -> AsyncIterator[Reader]:
    """A reader who can reply to the bot's messages (as on Telegram)."""
    async with engine(fresh_store, can_reply=True) as reader:
        yield reader


@pytest.fixture
async def plain(fresh_store: Store) -> AsyncIterator[Reader]:
    """A reader whose platform has no replies to messages (as on Zalo and the console)."""
    async with engine(fresh_store, can_reply=False) as reader:
        yield reader
