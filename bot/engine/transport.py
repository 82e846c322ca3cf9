"""The interface every transport (Telegram, Zalo, console) implements.

A transport turns its platform's updates into ``Incoming`` and hands them to
``BotCore.process``; the core calls back ``send`` for every ``Reply`` and ``answer`` for the
answer to a pressed button. ``send`` raises ``ChatUnreachable`` when the reader blocked the bot
and ``DeliveryFailed`` when its own retries are exhausted; it returns the ids of the messages it
sent (a long text may become several messages), and ``message_count`` says beforehand how many
that is, so a feature can fit a text to a number of messages (digests) without knowing how the
platform renders or where it splits.
"""

from __future__ import annotations

from typing import Protocol

from bot.engine.messages import Answer, Incoming, Reply


class Transport(Protocol):
    platform: str

    async def start(self) -> None:
        """Connect and begin receiving updates; returns once running."""

    async def stop(self) -> None:
        """Stop receiving, finish what is in flight, close connections."""

    async def send(self, chat_id: str, reply: Reply) -> list[str]:
        """Deliver ``reply`` (or the edit it describes) to ``chat_id``; return message ids."""

    async def answer(self, incoming: Incoming, answer: Answer) -> None:
        """Answer a pressed button (stop its spinner; show ``answer.text`` if any)."""

    def message_count(self, reply: Reply) -> int:
        """How many messages ``send`` would make of ``reply`` on this platform."""
