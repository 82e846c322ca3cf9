"""Page extraction in a separate process, so that parsing never holds the bot's GIL.

trafilatura and lxml parse a page in C while holding the GIL: a long page kept the event loop
(every conversation of ``bantin run``) waiting 40–50 ms behind the ingest thread
(``bench/ingest.py``). A worker process has a GIL of its own. CPU work belongs in a worker
thread or process pool, never on the event loop; this is the pool, with ``[ingest] extract_processes`` workers
(0 keeps extraction in the ingest thread, as before).

The pool is started lazily with the ``forkserver`` method: forking ``bantin run`` itself, with
its threads and open sockets, is not safe. A worker that dies (a parser crash, the OOM killer)
costs the page it was on: the pool is rebuilt and the page is recorded failed with the reason.
A worker exits by itself when bantin dies, even by kill -9 (``watch_parent``), so no worker
outlives it holding 100 MB.
"""

from __future__ import annotations

import asyncio
import ctypes
import functools
import logging
import multiprocessing
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from ingest.errors import IngestError

log = logging.getLogger(__name__)
T = TypeVar("T")
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class ExtractorCrashed(IngestError):
    """The extraction process died on a page; the page is recorded failed."""


class Extractor:
    """Runs picklable module-level functions in the worker processes, or in ``fallback``."""

    def __init__(self, processes: int, fallback: Executor) -> None:
        self.processes = processes
        self.fallback = fallback
        self._pool: ProcessPoolExecutor | None = None
        self._starting = asyncio.Lock()

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        if not self.processes:
            return await loop.run_in_executor(self.fallback, functools.partial(function, *args))
        async with self._starting:
            if self._pool is None:  # starting processes blocks a while: not on the loop
                self._pool = await loop.run_in_executor(self.fallback, self._start)
            pool = self._pool
        try:
            return await loop.run_in_executor(pool, function, *args)
        except BrokenProcessPool as error:
            if self._pool is pool:  # the first to notice replaces it; the next run starts anew
                log.error("the extraction process died; a new one starts with the next page")
                self._pool = None
                pool.shutdown(wait=False, cancel_futures=True)
            raise ExtractorCrashed("the extraction process died on this page") from error

    def _start(self) -> ProcessPoolExecutor:
        """Start the workers and wait until they answer (in a thread, off the event loop)."""
        pool = ProcessPoolExecutor(max_workers=self.processes,
                                   mp_context=multiprocessing.get_context("forkserver"),
                                   initializer=watch_parent, initargs=(os.getpid(),))
        for future in [pool.submit(_ready) for _ in range(self.processes)]:
            future.result()
        return pool

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def watch_parent(parent_pid: int) -> None:
    """Exit this worker as soon as bantin (``parent_pid``) is gone, even after a kill -9.

    A worker is the forkserver's child, not bantin's, so the parent-death signal alone would
    wait for the forkserver; it is set too (Linux), and a thread waits on bantin itself
    through a pidfd (Linux 5.3+), else polls it once a second.
    """
    _set_parent_death_signal()
    threading.Thread(target=_exit_when_gone, args=(parent_pid,), name="watch-parent",
                     daemon=True).start()


def _set_parent_death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the watching thread still does the job
        log.debug("prctl(PR_SET_PDEATHSIG) unavailable")


def _exit_when_gone(parent_pid: int) -> None:
    try:
        pidfd = os.pidfd_open(parent_pid)
    except ProcessLookupError:
        os._exit(0)
    except (AttributeError, OSError):
        pidfd = None
    if pidfd is not None:
        select.select([pidfd], [], [])  # readable once the process has exited
        os._exit(0)
    while True:
        try:
            os.kill(parent_pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass
        time.sleep(1)


def _ready() -> bool:
    """A no-op a new worker runs, so that starting it happens before the first page."""
    return True
