"""``DigestSettings``: the ``[digest]`` part of the config and the fan-out's own knobs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bantin.timezones import DEFAULT_TIMEZONE


@dataclass(frozen=True)
class DigestSettings:
    """The ``[digest]`` part of the config, and the fan-out's own knobs."""

    timezone: str = DEFAULT_TIMEZONE
    max_articles: int = 8
    catch_up_hours: float = 3
    send_when_empty: bool = False
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
