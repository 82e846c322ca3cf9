"""Building the running bot from the config: the router, the core, its transports, the services.

``build_router`` is the one place that says which features the bot has: each feature adds its
commands to the router here, so no module registers anything by being imported.

``bantin run`` runs every service in one asyncio loop. A service is anything with
``async start()`` and ``async stop()``: the webhook server (when a platform receives by
webhook), the transports, the moderators' outbox and the scheduler (ingest and digest jobs).

Services start independently, each in its own task: a Telegram outage (start-up retrying
until the Bot API answers) does not hold back Zalo, the digests or ingestion. Until its
transport runs, a webhook endpoint answers 503 so the platform delivers again later, and a
send to a platform that is not connected yet fails like any delivery (digests record it, the
outbox tries again).

SIGINT and SIGTERM set one ``bot.engine.stopping.Stopping``: every retry wait ends at once, start-ups
still in progress are cancelled, then every service is stopped in reverse order (also one
whose start-up failed or was cut short, so that every HTTP session is closed). A start-up that
fails for good (a rejected token, a webhook refused, a port in use) stops the rest the same
way and is reported.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Sequence
from typing import Protocol

from bantin.config import Config
from bot.engine.core import BotCore
from bot.engine.router import Router
from bot.engine.stopping import NEVER, Stopping
from bot.features import comments, feedback, moderation, reading, subscriptions
from bot.features.moderation_outbox import OutboxSender
from bot.transports.telegram import TelegramTransport
from bot.transports.webhook import WebhookServer
from bot.transports.zalo import ZaloTransport
from store import Store

log = logging.getLogger(__name__)

NO_TOKEN = (
    "No bot token configured. Get one from @BotFather on Telegram and set it as [telegram] "
    "token in bantin.toml, or in the environment variable BANTIN_TELEGRAM_TOKEN; for Zalo, "
    "create a bot with Zalo Bot Creator and set [zalo] token or BANTIN_ZALO_TOKEN. "
    "To try bantin without a token, run `bantin demo`."
)


class Service(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def build_router() -> Router:
    """Every feature's commands, in the order ``/help`` and the Telegram menu list them."""
    router = Router()
    reading.register(router)
    subscriptions.register(router)
    feedback.register(router)
    comments.register(router)
    moderation.register(router)  # the moderators' commands, hidden from /help and the menu
    return router


def has_transport(config: Config) -> bool:
    return bool(config.telegram.token or config.zalo.token)


def build(config: Config, store: Store, stopping: Stopping = NEVER
          ) -> tuple[BotCore, list[Service]]:
    """The core, the webhook server if any platform uses one, one transport per platform, and
    the moderators' outbox when there is a moderators' chat. Each is given its settings as
    the config loader built them."""
    core = BotCore(store, config.bot, router=build_router())
    services: list[Service] = []
    webhook: WebhookServer | None = None
    if (config.telegram.token and config.telegram.webhook_url) or (
            config.zalo.token and config.zalo.webhook_url):
        webhook = WebhookServer(config.webhook)
        services.append(webhook)
    if config.telegram.token:
        services.append(TelegramTransport(core, config.telegram, webhook, stopping))
    if config.zalo.token:
        services.append(ZaloTransport(core, config.zalo, webhook, stopping))
    if config.telegram.token and config.moderation.chat_id:
        services.append(OutboxSender(core))  # stopped before the transports it posts through
    elif config.telegram.token or config.zalo.token:
        log.warning("no [telegram] moderator_chat_id: readers' feedback is stored but nobody "
                    "is asked to moderate it")
    return core, services


async def _start(service: Service) -> None:
    try:
        await service.start()
    except asyncio.CancelledError:  # stopping while it was still starting: not a failure
        log.info("%s: start-up cut short by the stop", type(service).__name__)


async def run_services(services: Sequence[Service], stopping: Stopping) -> None:
    """Start every service at once (each on its own), run until ``stopping`` is set or a
    start-up fails for good, then stop every service in reverse order."""
    starting = [asyncio.create_task(_start(service), name=f"start {type(service).__name__}")
                for service in services]
    stop_requested = asyncio.create_task(stopping.wait())
    failure: BaseException | None = None
    try:
        pending = set(starting)
        while pending and failure is None and not stopping.requested:
            done, pending = await asyncio.wait(pending | {stop_requested},
                                               return_when=asyncio.FIRST_COMPLETED)
            pending.discard(stop_requested)
            for task in done - {stop_requested}:
                if task.exception() is not None:
                    failure = task.exception()
        if failure is None and not stopping.requested:
            log.info("bantin is running; Ctrl-C stops it")
            await stopping.wait()
    finally:
        stopping.set()  # a failed start-up or an error here stops the rest the same way
        stop_requested.cancel()
        for task in starting:
            task.cancel()
        await asyncio.gather(*starting, return_exceptions=True)
        for service in reversed(services):
            try:
                await service.stop()
            except Exception:  # one service failing to stop must not keep the others running
                log.exception("stopping %s failed", type(service).__name__)
    if failure is not None:
        raise failure


async def serve(config: Config, store: Store, extra_services: Sequence[Service] = ()) -> None:
    """Run the bot until SIGINT or SIGTERM."""
    from bantin.scheduler import SchedulerService  # here: the scheduler pulls in ingest

    stopping = Stopping()
    core, transports = build(config, store, stopping)
    scheduler = SchedulerService(config, store, core, stopping)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, _on_signal, stopping, signum)
    services = [*extra_services, *transports, scheduler]
    log.info("starting %s", ", ".join(type(service).__name__ for service in services))
    try:
        await run_services(services, stopping)
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(Exception):
                loop.remove_signal_handler(signum)
        core.close()


def _on_signal(stopping: Stopping, signum: int) -> None:
    if not stopping.requested:
        log.info("%s received: stopping", signal.Signals(signum).name)
    stopping.set()
