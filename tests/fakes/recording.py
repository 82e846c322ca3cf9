"""What the fake Bot API servers share: the record of calls and sent messages, and waiting on it.

A server using ``Recording`` keeps ``calls`` (each with ``.method``), ``sent`` (each with
``.chat_id``) and sets ``_changed`` whenever either grows.
"""

from __future__ import annotations

import asyncio
from typing import Any


class Recording:
    calls: list[Any]
    sent: list[Any]
    _changed: asyncio.Event
    poll_seconds = 0.2

    def calls_to(self, method: str) -> list[Any]:
        return [call for call in self.calls if call.method == method]

    def messages_to(self, chat_id: Any) -> list[Any]:
        return [m for m in self.sent if m.chat_id == chat_id]

    async def wait_for(self, predicate, timeout: float = 30.0):
        """Wait until ``predicate()`` returns something truthy; return it.

        The wait ends as soon as it holds; the timeout only bounds a bot that never does it, and
        is generous because a busy 2-core CI machine once took over 10 s for a reply."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise TimeoutError("the bot did not do what the test waited for")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), timeout=min(remaining, self.poll_seconds))
            except TimeoutError:
                pass

    async def wait_messages(self, chat_id: Any, count: int = 1, *, after: int = 0,
                            timeout: float = 30.0) -> list[Any]:
        """Wait until ``count`` messages were sent to ``chat_id`` beyond the first ``after``."""
        def ready():
            found = self.messages_to(chat_id)[after:]
            return found if len(found) >= count else None
        return await self.wait_for(ready, timeout)
