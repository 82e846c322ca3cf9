"""``bantin demo``: the whole product on one machine, offline, in a few seconds.

1. recreate the demo store (``demo.db``);
2. start the sample news site on 127.0.0.1 (``bantin.demo_server``);
3. run the real pipeline against it over HTTP: fetch, extract, clean up, summarise, store;
4. open a console chat (``bot.transports.console``) served by the same ``BotCore`` that serves
   Telegram and Zalo, or play a script of commands and print the transcript.
"""

from __future__ import annotations

import asyncio
import dataclasses
import signal
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from bantin.app import build_router
from bantin.config import Config, SourceConfig, StoreConfig
from bantin.demo_server import SampleSite
from bantin.pipeline import Outcome, Pipeline, Report
from bot.transports.console import ConsoleTransport, LineSource, ScriptLines, TerminalLines
from bot.engine.core import BotCore
from bot.transports.telegram import TelegramSettings
from bot.transports.zalo import ZaloSettings
from store import Store
from store.db import application_id

DEFAULT_DB = "demo.db"
DEMO_APPLICATION_ID = int.from_bytes(b"bNdm", "big")  # "bantin demo", in the SQLite header
BAR_WIDTH = 24
INTRO = (
    "Console chat: what a Telegram reader sees, rendered for a terminal.\n"
    "Try /latest, /search ha tinh, /subscribe 07:00, /feedback <your words>, /help.\n"
    "/quit or Ctrl-D leaves."
)


class DemoError(Exception):
    """The demo refuses to run (the message says why and what to do): exit code 2."""


def demo_marked(path: Path) -> bool:
    """Whether the SQLite file at ``path`` was created by the demo (its ``application_id``)."""
    return application_id(path) == DEMO_APPLICATION_ID


def reset_database(path: Path) -> None:
    """Delete the previous demo store and its WAL files, so every run starts fresh.

    Only a store the demo created (marked by ``mark_demo_store``) may be deleted: anything else
    at ``path`` (a real store, any other file) is refused, and left exactly as it was.
    """
    if path.is_dir():
        raise DemoError(f"{path} is a folder; give --db a file name")
    if path.exists() and path.stat().st_size:
        try:
            marked = demo_marked(path)
        except OSError as error:
            raise DemoError(f"{path} cannot be read ({error.strerror}); "
                            "choose another --db path") from None
        if not marked:
            raise DemoError(f"{path} holds data the demo did not create, and the demo deletes "
                            "its store on every run: choose another --db path (or delete the "
                            "file yourself if it is an old demo store)")
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        candidate.unlink(missing_ok=True)


def mark_demo_store(store: Store) -> None:
    """Mark a new store as the demo's, so that the next run may recreate it (and only it).

    SQLite's ``application_id`` lives in the file header: no table, no migration.
    """
    store.database.set_application_id(DEMO_APPLICATION_ID)


def demo_config(config: Config, db: Path, site: SampleSite) -> Config:
    """The user's config with the demo's store and sources, and no bot tokens (offline)."""
    return dataclasses.replace(
        config,
        store=StoreConfig(path=str(db)),
        sources=[SourceConfig(name=name, feed=url) for name, url in site.feeds],
        telegram=TelegramSettings(),
        zalo=ZaloSettings(),
    )


class ProgressBar:
    """Articles done out of the sample's total, as a live bar when ``out`` is a terminal."""

    def __init__(self, total: int, out: TextIO) -> None:
        self.total = total
        self.out = out
        self.done = 0
        self.live = bool(getattr(out, "isatty", None) and out.isatty())

    def __call__(self, outcome: Outcome) -> None:
        self.done += 1
        if self.live:
            self.out.write("\r" + self.line(outcome.title) + "\033[K")
            self.out.flush()

    def line(self, title: str = "") -> str:
        filled = BAR_WIDTH * min(self.done, self.total) // max(1, self.total)
        bar = "█" * filled + "░" * (BAR_WIDTH - filled)
        title = title if len(title) <= 40 else title[:39] + "…"
        return f"{bar} {self.done}/{self.total} {title}".rstrip()

    def finish(self) -> None:
        if self.live:
            self.out.write("\r" + self.line() + "\033[K\n")
            self.out.flush()


def describe(report: Report, db: Path, seconds: float) -> list[str]:
    """What the ingest pass did, one line, then every problem with its reason."""
    counts = report.counts()
    stored = counts["new"] + counts["updated"]
    lines = [f"Stored {stored} articles in {db} in {seconds:.1f} s ({report.summary_line()})."]
    for outcome in report.problems():
        lines.append(f"  {outcome.kind}: {outcome.url or outcome.source}: {outcome.reason}")
    return lines


async def ingest_sample(store: Store, config: Config, site: SampleSite, out: TextIO) -> Report:
    """Run the real pipeline over HTTP against the sample site, with a progress bar."""
    progress = ProgressBar(len(site.pages), out)
    async with Pipeline(store, config, progress=progress, ordered=True) as pipeline:
        report = await pipeline.run_sources(respect_backoff=False)
    progress.finish()
    return report


async def chat(store: Store, config: Config, lines: LineSource, out: TextIO) -> None:
    """The console chat over the demo store until the lines end, /quit, or Ctrl-C."""
    core = BotCore(store, config.bot, router=build_router())
    console = ConsoleTransport(core, out, display_name="")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGINT, stop.set)
        handles_sigint = True
    except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or Windows
        handles_sigint = False
    try:
        await console.start()
        await console.run(lines, stop)
        await console.stop()
    finally:
        if handles_sigint:
            loop.remove_signal_handler(signal.SIGINT)
        core.close()


def run_demo(config: Config, db: Path, script: Iterable[str] | None,
             out: TextIO | None = None, err: TextIO | None = None) -> int:
    """The whole demo; returns the exit code. ``script`` lines replace the terminal."""
    out = out or sys.stdout
    err = err or sys.stderr
    if db.resolve() == Path(config.store.path).resolve():
        raise DemoError(f"{db} is the store in your config ({config.origin}); the demo deletes "
                        "its store on every run, so give --db another file")
    reset_database(db)
    with SampleSite() as site:
        config = demo_config(config, db, site)
        store = Store(db)
        try:
            mark_demo_store(store)
            return asyncio.run(_demo(store, config, site, db, script, out, err))
        finally:
            store.close()


async def _demo(store: Store, config: Config, site: SampleSite, db: Path,
                script: Iterable[str] | None, out: TextIO, err: TextIO) -> int:
    out.write(f"Sample news site on {site.base} ({len(site.pages)} articles in "
              f"{len(site.feeds)} feeds).\n")
    out.write("Ingesting: fetch → extract → clean up → summarise → store\n")
    out.flush()
    started = time.perf_counter()
    report = await ingest_sample(store, config, site, err)
    for line in describe(report, db, time.perf_counter() - started):
        out.write(line + "\n")
    if not report.counts()["new"] + report.counts()["updated"]:
        err.write("error: no article was stored; see the reasons above\n")
        return 1
    out.write("\n" + INTRO + "\n\n")
    out.flush()
    lines: LineSource
    if script is not None:
        lines = ScriptLines(script, out)
    else:
        # A Telegram reader's chat opens with /start: the console's does too.
        lines = _Chain(ScriptLines(["/start"], out), TerminalLines())
    await chat(store, config, lines, out)
    return 0


class _Chain:
    """Lines from one source, then from the next."""

    def __init__(self, *sources: LineSource) -> None:
        self.sources = list(sources)

    async def read(self) -> str | None:
        while self.sources:
            line = await self.sources[0].read()
            if line is not None:
                return line
            self.sources.pop(0)
        return None
