"""What hostile answers cost bantin's fetcher, against plain httpx (what ``main`` did) in the
same run.

    .venv/bin/python bench/hostile_input.py [--data ../shared/data] [--bomb-mib 256]

Everything is served by a thread in this process on 127.0.0.1. Each figure is measured in a
fresh subprocess, so peak RSS is that fetch's alone:

1. Peak memory: a normal page (a saved real article), then a ``Content-Encoding: gzip, gzip``
   bomb (``--bomb-mib`` MiB of zeros packed twice) and a 50 MB page without Content-Length.
   bantin's ``Fetcher`` against httpx's own decoding with the 5 MB cap checked after each
   chunk. Target: bantin's hostile peak within 100 MB of its normal peak.
2. A page dripping one byte every 0.5 s for 30 s, with a 2 s timeout: seconds until bantin's
   fetcher gives up (one overall deadline) against httpx's per-read timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import resource
import subprocess
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# bench/ holds an ingest.py: keep this folder off the path so ``import ingest`` finds the package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

import httpx  # noqa: E402

from ingest.addresses import trusted_origins  # noqa: E402
from ingest.errors import FetchError  # noqa: E402
from ingest.fetch import Fetcher, FetchPolicy  # noqa: E402

CAP = 5 * 1024 * 1024


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def double_gzip(mib: int) -> bytes:
    inner = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    parts = [inner.compress(block) for _ in range(mib)] + [inner.flush()]
    return gzip.compress(b"".join(parts), 9)


def serve(normal: bytes, bomb: bytes) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            try:
                if self.path == "/bomb":
                    self.send_header("Content-Encoding", "gzip, gzip")
                    self.send_header("Content-Length", str(len(bomb)))
                    self.end_headers()
                    self.wfile.write(bomb)
                elif self.path == "/big":
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for _ in range(50):
                        self.wfile.write(b"a" * (1 << 20))
                elif self.path == "/drip":
                    self.end_headers()
                    for _ in range(60):
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(0.5)
                else:
                    self.send_header("Content-Length", str(len(normal)))
                    self.end_headers()
                    self.wfile.write(normal)
            except OSError:
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


async def with_bantin(base: str, paths: list[str], timeout: float = 20) -> list[str]:
    policy = FetchPolicy(timeout=timeout, retries=0, respect_robots=False,
                         trusted=trusted_origins([base]))
    results = []
    async with Fetcher(policy) as fetcher:
        for path in paths:
            try:
                results.append(f"{len((await fetcher.get(base + path)).content)} bytes")
            except FetchError as error:
                results.append(str(error))
    return results


async def with_httpx(base: str, paths: list[str], timeout: float = 20) -> list[str]:
    """httpx's decoding, the cap checked after each decoded chunk (main before this change)."""
    results = []
    async with httpx.AsyncClient(timeout=timeout) as client:
        for path in paths:
            size = 0
            try:
                async with client.stream("GET", base + path) as response:
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > CAP:
                            raise FetchError("over the cap")
                results.append(f"{size} bytes")
            except (FetchError, httpx.HTTPError) as error:
                results.append(f"{type(error).__name__}: {error}")
    return results


def probe(kind: str, base: str, paths: list[str]) -> None:
    """Child process: fetch ``paths`` one way, print peak RSS and seconds."""
    fetch = with_bantin if kind == "bantin" else with_httpx
    started = time.monotonic()
    results = asyncio.run(fetch(base, paths, timeout=2 if paths == ["/drip"] else 20))
    print(json.dumps({"peak_mb": peak_mb(), "seconds": time.monotonic() - started,
                      "results": results}))


def child(kind: str, base: str, *paths: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--probe", kind, base, *paths],
                         capture_output=True, text=True, check=True, timeout=600)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--bomb-mib", type=int, default=256)
    parser.add_argument("--probe", nargs="+")
    args = parser.parse_args()
    if args.probe:
        probe(args.probe[0], args.probe[1], args.probe[2:])
        return
    pages = sorted((args.data / "html").glob("*.html"))
    normal = pages[0].read_bytes() if pages else "<p>Tin thường.</p>".encode() * 2000
    bomb = double_gzip(args.bomb_mib)
    server = serve(normal, bomb)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"normal page {len(normal)} bytes; bomb {len(bomb)} bytes on the wire, "
          f"{args.bomb_mib} MiB of zeros decoded; 50 MB page without Content-Length")
    print(f"{'fetcher':8} {'normal peak MB':>15} {'hostile peak MB':>16} {'difference':>11}")
    for kind in ("bantin", "httpx"):
        calm = child(kind, base, "/")
        hostile = child(kind, base, "/", "/bomb", "/big")
        print(f"{kind:8} {calm['peak_mb']:15.1f} {hostile['peak_mb']:16.1f} "
              f"{hostile['peak_mb'] - calm['peak_mb']:+11.1f}   {hostile['results'][1:]}")
    print("drip page (1 byte / 0.5 s for 30 s), timeout 2 s:")
    for kind in ("bantin", "httpx"):
        drip = child(kind, base, "/drip")
        print(f"{kind:8} gave up after {drip['seconds']:5.1f} s   {drip['results']}")
    server.shutdown()


if __name__ == "__main__":
    main()
