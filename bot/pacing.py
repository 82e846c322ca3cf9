"""One pacer: calls or rounds spaced evenly at a rate per second, with no burst.

Used by the digest dispatcher (to space rounds before they are marked ``sending``) and by the
Zalo transport (to stay under its per-second limit). Time is the event loop's clock.
"""

from __future__ import annotations

import asyncio


class Pacer:
    """Spaces calls at ``rate`` per second; ``None`` or a rate ≤ 0 means no pacing."""

    def __init__(self, rate: float | None) -> None:
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.next_at = 0.0

    async def wait(self) -> None:
        """Until the next turn, without taking it (``spend`` says how much was sent)."""
        delay = self.next_at - asyncio.get_running_loop().time()
        if self.interval and delay > 0:
            await asyncio.sleep(delay)

    def spend(self, calls: int = 1) -> None:
        """``calls`` leave now: the next turn comes ``calls`` intervals later."""
        now = asyncio.get_running_loop().time()
        self.next_at = max(now, self.next_at) + calls * self.interval

    async def take(self) -> None:
        """Take the next turn for one call and wait for it; callers sharing the pacer queue up.

        The turn is reserved before sleeping (no await in between), so concurrent callers get
        successive turns.
        """
        if not self.interval:
            return
        delay = self.next_at - asyncio.get_running_loop().time()
        self.spend(1)
        if delay > 0:
            await asyncio.sleep(delay)
