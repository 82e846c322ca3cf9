"""A clock the test moves (no sleeping), and moments given in Hà Nội time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """An injectable clock: ``clock()`` is now, ``clock.set(...)`` / ``advance(...)`` move it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: datetime) -> None:
        self.now = now

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)


def hanoi(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """A moment given in Hà Nội time (2024), as UTC."""
    return datetime(2024, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)
