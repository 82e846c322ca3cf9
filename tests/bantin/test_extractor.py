"""Page extraction in a worker process: off the bot's GIL, and a crash costs one page."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from bantin.extractor import Extractor, ExtractorCrashed


def _double(value: int) -> int:
    return 2 * value


def _die(_: int) -> int:
    os._exit(1)  # what a parser crash or the OOM killer looks like from outside


async def test_work_runs_in_another_process_and_a_dead_worker_is_replaced():
    with ThreadPoolExecutor(1) as thread:
        extractor = Extractor(1, thread)
        try:
            assert await extractor.run(os.getpid) != os.getpid()
            assert await extractor.run(_double, 2) == 4
            with pytest.raises(ExtractorCrashed, match="died"):
                await extractor.run(_die, 0)
            assert await extractor.run(_double, 3) == 6  # a new worker took over
        finally:
            extractor.close()


async def test_zero_processes_extracts_in_the_ingest_thread():
    with ThreadPoolExecutor(1) as thread:
        extractor = Extractor(0, thread)
        assert await extractor.run(os.getpid) == os.getpid()
        assert await extractor.run(_double, 5) == 10
        extractor.close()
