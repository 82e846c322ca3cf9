"""The one wait every retry loop uses, so that a stop request ends it at once.

``bantin run`` makes one ``Stopping`` and sets it on SIGINT/SIGTERM. A back-off in a retry loop
(start-up ``getMe``, polling after a failure, ``setWebhook``, a send retry, a fetch retry) calls
``stopping.sleep(delay)`` instead of ``asyncio.sleep``: the wait ends early when a stop is
requested and raises ``Stopped``. A request in flight (a server that never answers) is ended
by ``guard``, which cancels it when the stop comes first.

``Stopped`` is a kind of ``asyncio.CancelledError`` on purpose: code that catches
``Exception`` to keep a loop alive lets it through, and the task ends as cancelled, which is
what a stop is.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


class Stopped(asyncio.CancelledError):
    """A wait or a request was cut short because bantin is stopping."""


class Stopping:
    """Set once, when the process is asked to stop; waits through it end at once then."""

    def __init__(self) -> None:
        # Not an asyncio.Event: that binds to the first loop that waits on it, and NEVER is
        # shared by every loop a test suite runs.
        self._set = False
        self._waiters: set[asyncio.Future[None]] = set()

    def set(self) -> None:
        self._set = True
        for waiter in list(self._waiters):
            if not waiter.done():
                waiter.set_result(None)

    @property
    def requested(self) -> bool:
        return self._set

    async def wait(self) -> None:
        """Until a stop is requested."""
        if self._set:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            await waiter
        finally:
            self._waiters.discard(waiter)

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds``; raise ``Stopped`` as soon as a stop is requested (or already was)."""
        if self._set:
            raise Stopped
        if seconds <= 0:
            return
        try:
            await asyncio.wait_for(self.wait(), seconds)
        except TimeoutError:
            return
        raise Stopped

    async def guard(self, awaitable: Awaitable[T]) -> T:
        """The result of ``awaitable``, unless a stop comes first: then it is cancelled and
        ``Stopped`` raised."""
        if self._set:
            if asyncio.iscoroutine(awaitable):
                awaitable.close()
            raise Stopped
        work = asyncio.ensure_future(awaitable)
        stop = asyncio.ensure_future(self.wait())
        try:
            await asyncio.wait({work, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
            if not work.done():
                work.cancel()
                await asyncio.gather(work, return_exceptions=True)
        if work.cancelled():
            raise Stopped
        return work.result()


NEVER = Stopping()  # for code run without a stop signal (tests, one-off commands): never set
