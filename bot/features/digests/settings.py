"""``DigestSettings``: the ``[digest]`` part of the config and the fan-out's own knobs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bantin.timezones import DEFAULT_TIMEZONE


@dataclass(frozen=True)
class DigestSettings:
    """The ``[digest]`` part of the config, and the fan-out's own knobs.

    A field with a ``table`` in its metadata is a ``[digest]`` key, which ``bantin.config``
    checks (``check`` names the check) and builds this from; the others are fixed here, except
    two the wiring fills in: ``timezone`` (the key ``[digest] timezone`` is declared by
    ``bot.engine.context.BotSettings``, and ``bantin.config.Config`` copies it here) and
    ``rate_per_second`` (from the platforms' rate limits, ``bantin.scheduler``)."""

    max_articles: int = field(default=8, metadata={"table": "digest", "check": "positive"})
    """Most articles in one digest."""
    catch_up_hours: float = field(default=3, metadata={"table": "digest", "check": "not_negative"})
    """How late a digest that fell due while bantin was down is still sent (else missed)."""
    send_when_empty: bool = field(default=False, metadata={"table": "digest"})
    """With nothing new, send "Không có tin mới" instead of recording the day skipped."""
    timezone: str = DEFAULT_TIMEZONE  # the readers' time zone: see the class docstring
    concurrency: int = 16  # digests in flight at most
    first_window_hours: float = 24
    max_age_hours: float = 48
    claim_batch: int = 1000
    rate_per_second: float | None = None  # pace digest rounds (see the sender); None: no pacing
    round_seconds: float = 0.2  # a round holds rate × this many digests (see the sender)

    @property
    def catch_up(self) -> timedelta:
        """How late a digest may still be sent; later ones are recorded missed."""
        return timedelta(hours=self.catch_up_hours)


def hours(delta: timedelta) -> str:
    """A delay as the reasons stored with missed digests say it: "3.5 h"."""
    return f"{delta.total_seconds() / 3600:.1f} h"
