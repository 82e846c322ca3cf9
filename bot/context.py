"""What a handler may use: the incoming message, the store, the settings, the clock."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from bantin.timezones import DEFAULT_TIMEZONE
from bot.messages import Incoming
from bot.timefmt import zone
from store import Store


@dataclass(frozen=True)
class ModerationSettings:
    """Who moderates, where, and what readers are told (``[telegram]`` and ``[moderation]``).

    ``chat_id`` empty means no moderators' chat: feedback is stored and waits.
    """

    chat_id: str = ""
    moderators: frozenset[str] = frozenset()
    platform: str = "telegram"
    feedback_per_hour: int = 5
    notify_approved: bool = True
    notify_rejected: bool = False


@dataclass(frozen=True)
class BotSettings:
    """The part of bantin's config the conversations need (``bantin.app`` fills it in)."""

    timezone: str = DEFAULT_TIMEZONE
    default_time: str = "07:00"
    page_size: int = 5
    max_latest: int = 20
    max_feedback_chars: int = 2000
    subscribe_times: tuple[str, ...] = ("06:00", "07:00", "12:00", "18:00", "21:00")
    moderation: ModerationSettings = ModerationSettings()


@dataclass
class Context:
    """Built for one incoming message; handlers run in a worker thread, so store calls are fine."""

    store: Store
    settings: BotSettings
    incoming: Incoming
    clock: Callable[[], datetime]
    now: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.now = self.clock()

    @cached_property
    def timezone_name(self) -> str:
        chat = self.store.chats.get(self.incoming.platform, self.incoming.chat_id)
        return (chat.timezone if chat and chat.timezone else None) or self.settings.timezone

    @cached_property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zone(self.timezone_name, self.settings.timezone)
