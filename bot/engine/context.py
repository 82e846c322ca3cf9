"""What a handler may use: the incoming message, the store, the settings, the clock, the router."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from bantin.timezones import DEFAULT_TIMEZONE
from bot.engine.messages import Incoming
from bot.engine.router import Router
from bot.engine.timefmt import zone
from store import Store


# The settings below are declared once, here: a field with a ``table`` in its metadata is a key
# of that table of the config file, which ``bantin.config`` checks (``check`` names the check)
# and builds these very objects from; the other fields are fixed here.


@dataclass(frozen=True)
class ModerationSettings:
    """Who moderates, where, and what readers are told (``[telegram]`` and ``[moderation]``).

    No ``moderator_chat_id`` (0) means no moderators' chat: feedback is stored and waits.
    """

    moderator_chat_id: int = field(default=0, metadata={"table": "telegram"})
    """The Telegram chat where moderators review feedback (a group id is negative); 0: none."""
    moderators: tuple[int, ...] = field(default=(), metadata={"table": "telegram"})
    """The Telegram user ids allowed to moderate."""
    feedback_per_hour: int = field(default=5, metadata={"table": "moderation", "check": "positive"})
    """Most feedback messages one reader may send in an hour."""
    max_feedback_chars: int = field(default=2000,
                                    metadata={"table": "moderation", "check": "positive"})
    """Longest feedback message in characters."""
    notify_approved: bool = field(default=True, metadata={"table": "moderation"})
    """Tell readers when their feedback is approved (it is then a public comment)."""
    notify_rejected: bool = field(default=False, metadata={"table": "moderation"})
    """Tell readers when their feedback is rejected."""
    platform: str = "telegram"  # where the moderators' chat is

    @property
    def chat_id(self) -> str:
        """The moderators' chat as messages name chats; empty when there is none."""
        return str(self.moderator_chat_id) if self.moderator_chat_id else ""

    @property
    def moderator_ids(self) -> frozenset[str]:
        """The moderators as messages name users."""
        return frozenset(str(user) for user in self.moderators)


@dataclass(frozen=True)
class BotSettings:
    """What the conversations need: the readers' defaults and the moderation settings."""

    timezone: str = field(default=DEFAULT_TIMEZONE,
                          metadata={"table": "digest", "check": "timezone"})
    """Readers' time zone unless they choose another (an IANA name)."""
    default_time: str = field(default="07:00", metadata={"table": "digest", "check": "time_of_day"})
    """The time offered when a reader subscribes without naming one (HH:MM, local time)."""
    moderation: ModerationSettings = ModerationSettings()
    page_size: int = 5
    max_latest: int = 20
    subscribe_times: tuple[str, ...] = ("06:00", "07:00", "12:00", "18:00", "21:00")


@dataclass
class Context:
    """Built for one incoming message; handlers run in a worker thread, so store calls are fine."""

    store: Store
    settings: BotSettings
    incoming: Incoming
    clock: Callable[[], datetime]
    router: Router = field(default_factory=Router)  # every command, for /help and guards
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
