"""kill -9 of a running ``bantin ingest`` leaves no process behind (extraction workers,
forkserver, resource tracker): a worker watches its parent and exits when it dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from tests.fakes.http_server import Route
from tests.fakes.hostile import drip

FIXTURES = Path(__file__).resolve().parent.parent / "ingest" / "fixtures"


def _wait_for(condition, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_kill_9_of_ingest_leaves_no_process_behind(tmp_path, server):
    server.routes["/bai.htm"] = Route((FIXTURES / "baohatinh_article.html").read_bytes())
    server.routes["/cham.htm"] = Route(handler=drip(60, every=0.5))
    server.routes["/rss.xml"] = Route(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>Nông dân Hà Tĩnh ra quân sản xuất vụ xuân</title><link>/bai.htm</link></item>"
        "<item><title>Bài chậm</title><link>/cham.htm</link></item>"
        "</channel></rss>", "application/rss+xml")
    config = tmp_path / "bantin.toml"
    config.write_text(
        f'[store]\npath = "{tmp_path / "bantin.db"}"\n[ingest]\ntimeout_seconds = 60\n'
        f'extract_processes = 1\n[[sources]]\nname = "Báo"\nfeed = "{server.url("/rss.xml")}"\n',
        encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "bantin", "--config", str(config), "ingest"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    parent = psutil.Process(process.pid)
    try:
        # Busy: the slow page is being read and the fast one went through the worker.
        started = _wait_for(lambda: server.hits["/cham.htm"] >= 1
                            and len(parent.children(recursive=True)) >= 2, 60)
        assert started, "ingest never started its worker"
        children = parent.children(recursive=True)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
        gone, alive = psutil.wait_procs(children, timeout=15)
        assert not alive, [(p.pid, p.cmdline()) for p in alive]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
