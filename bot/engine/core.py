"""``BotCore``: runs handlers off the event loop and delivers their replies through transports.

One ``BotCore`` serves every transport. Handlers and store calls run in a small thread pool
(SQLite is blocking; the loop must never stall), messages of one chat are handled in order, and
a failing handler gets the reader a polite apology instead of silence.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any, TypeVar

from bot.engine.context import BotSettings, Context
from bot.engine.errors import BotError, ChatUnreachable
from bot.engine.lru import LRU
from bot.engine.messages import Address, Answer, Incoming, Outgoing, Reply, Rich
from bot.engine.render import render_plain
from bot.engine.router import Router
from bot.engine.transport import Transport
from store import Store, utcnow

T = TypeVar("T")
log = logging.getLogger(__name__)

SEEN_CACHE_SIZE = 50_000
SORRY = "Xin lỗi, mình gặp trục trặc khi xử lý yêu cầu này. Bạn thử lại sau ít phút nhé."


class BotCore:
    """The conversation engine shared by all transports, digests and moderation.

    ``router`` holds the features' handlers; it is built where the app is wired
    (``bantin.app.build_router``), so the engine itself knows no feature.
    """

    def __init__(
        self,
        store: Store,
        settings: BotSettings | None = None,
        *,
        router: Router,
        clock: Callable[[], datetime] = utcnow,
        workers: int = 8,
    ) -> None:
        self.store = store
        self.settings = settings or BotSettings()
        self.router = router
        self.clock = clock
        self.transports: dict[str, Transport] = {}
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bot")
        self._locks: dict[tuple[str, str], list] = {}  # chat → [lock, users]
        self._seen: LRU[tuple[str, str], bool] = LRU(SEEN_CACHE_SIZE)

    def add_transport(self, transport: Transport) -> None:
        self.transports[transport.platform] = transport

    def disconnected(self) -> list[str]:
        """Platforms whose transport is still starting (or stopping): not to be sent to now.

        A transport without a ``connected`` flag (the console) is always connected."""
        return [platform for platform, transport in self.transports.items()
                if not getattr(transport, "connected", True)]

    async def run_sync(self, function: Callable[..., T], *args: Any) -> T:
        """Run blocking work (store calls) in the bot's thread pool."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)

    # --- handling -----------------------------------------------------------------------------

    def respond(self, incoming: Incoming) -> list[Outgoing]:
        """What to send for ``incoming`` (blocking: call it from a worker thread)."""
        try:
            self._note_seen(incoming)
            return self.router.dispatch(
                Context(self.store, self.settings, incoming, self.clock, self.router)
            )
        except Exception:  # a handler bug must cost one apology, not the bot
            log.exception("handler failed on %s chat %s: %r", incoming.platform,
                          incoming.chat_id, (incoming.text or incoming.button or "")[:200])
            replies: list[Outgoing] = [Reply(Rich.of(SORRY))]
            if incoming.button is not None:
                replies.insert(0, Answer())
            return replies

    async def process(self, incoming: Incoming) -> list[str]:
        """Handle one update from a transport and deliver the replies; return sent ids."""
        key = (incoming.platform, incoming.chat_id)
        entry = self._locks.setdefault(key, [asyncio.Lock(), 0])
        entry[1] += 1
        try:
            async with entry[0]:
                replies = await self.run_sync(self.respond, incoming)
                return await self._deliver_all(incoming, replies)
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                self._locks.pop(key, None)

    async def _deliver_all(self, incoming: Incoming, replies: list[Outgoing]) -> list[str]:
        transport = self.transports[incoming.platform]
        answers = [r for r in replies if isinstance(r, Answer)]
        if incoming.button is not None:
            try:
                await transport.answer(incoming, answers[0] if answers else Answer())
            except BotError as error:
                log.warning("could not answer a button press in %s: %s", incoming.chat_id, error)
        sent: list[str] = []
        for reply in replies:
            if isinstance(reply, Reply):
                sent += await self._deliver(incoming, reply)
        return sent

    async def _deliver(self, incoming: Incoming, reply: Reply) -> list[str]:
        """Send one handler reply, then what its ``then`` makes of the outcome."""
        address = reply.to or incoming.address
        sent: list[str] = []
        failure: BotError | None = None
        try:
            sent = await self.send(address, reply)
        except BotError as error:
            failure = error
            log.warning("reply to %s %s not delivered: %s", address.platform, address.chat_id,
                        error)
        if reply.then is None:
            return sent
        try:
            followups = await self.run_sync(reply.then, failure)
        except Exception:  # the reply itself is settled; a broken follow-up must not stop the rest
            log.exception("follow-up of a reply to %s %s failed", address.platform,
                          address.chat_id)
            return sent
        for followup in followups:
            sent += await self._deliver(incoming, followup)
        return sent

    # --- sending (also for digests and moderation) --------------------------------------------

    async def send(self, address: Address, reply: Reply) -> list[str]:
        """Send ``reply`` to any chat on any configured platform, keeping the store in step.

        Raises ``ChatUnreachable`` (after marking the chat inactive) or ``DeliveryFailed``.
        """
        transport = self.transports.get(address.platform)
        if transport is None:
            raise BotError(f"no transport for platform {address.platform!r}")
        try:
            ids = await transport.send(address.chat_id, reply)
        except ChatUnreachable as error:
            await self.run_sync(self.mark_unreachable, address, str(error))
            raise
        if reply.article_ids and ids:
            await self.run_sync(self._record_articles, address, ids, reply.article_ids)
        if reply.on_sent is not None and ids:
            try:
                await self.run_sync(reply.on_sent, ids)
            except Exception:  # the message is out; losing the note must not lose the rest
                log.exception("recording sent message %s in %s failed", ids, address.chat_id)
        return ids

    def message_count(self, platform: str, rich: Rich) -> int:
        """How many messages ``rich`` becomes on ``platform``, as its transport says (plain
        text when no transport serves that platform: nothing will be sent there anyway)."""
        transport = self.transports.get(platform)
        if transport is None:
            return len(render_plain(rich))
        return transport.message_count(Reply(rich))

    def mark_unreachable(self, address: Address, reason: str) -> None:
        log.info("chat %s %s is unreachable (%s): marked inactive", address.platform,
                 address.chat_id, reason)
        self._seen.pop((address.platform, address.chat_id))
        self.store.chats.mark_inactive(address.platform, address.chat_id, reason)

    def _record_articles(self, address: Address, ids: list[str], articles: tuple[int, ...]) -> None:
        # A long list may be split into several messages; each is tied to every article shown,
        # except that a single message keeps the exact list (the usual case).
        for message_id in ids:
            self.store.sent_messages.record(address.platform, address.chat_id, message_id,
                                            articles)

    def _note_seen(self, incoming: Incoming) -> None:
        """Create or re-activate the chat; skip the write when it was seen active recently."""
        key = (incoming.platform, incoming.chat_id)
        if self._seen.get(key):
            return
        self.store.chats.seen(
            incoming.platform, incoming.chat_id, user_id=incoming.user_id,
            display_name=incoming.display_name or None, chat_type=incoming.chat_type,
        )
        self._seen.put(key, True)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
