"""Run in a subprocess by test_memory.py: a normal ingest pass, then a hostile one, printing
the process's peak RSS after each as JSON. A separate process, so the figure is only ours."""

from __future__ import annotations

import asyncio
import json
import resource
import sys

from bantin.config import Config, IngestConfig, SourceConfig
from bantin.pipeline import Pipeline
from ingest.fetch import FetchPolicy
from store import Store


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


async def one_pass(store: Store, base: str, feeds: list[str]) -> dict[str, str | None]:
    config = Config(ingest=IngestConfig(extract_processes=0),
                    sources=[SourceConfig(name=path, feed=base + path) for path in feeds])
    policy = FetchPolicy(timeout=20, retries=0, user_agent="bantin-test")
    async with Pipeline(store, config, policy=policy) as pipeline:
        report = await pipeline.run_sources()
    return {o.title or o.source: o.reason for o in report.outcomes}


async def main(base: str, db: str) -> None:
    store = Store(db)
    normal = await one_pass(store, base, ["/normal.xml"])
    after_normal = peak_mb()
    hostile = await one_pass(store, base, ["/hostile.xml", "/bom.xml"])
    after_hostile = peak_mb()
    store.close()
    print(json.dumps({"normal_mb": after_normal, "hostile_mb": after_hostile,
                      "normal": normal, "hostile": hostile}, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
