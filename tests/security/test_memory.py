"""Compression bombs and huge pages cost bounded memory: peak RSS of a hostile ingest pass in
a subprocess stays under 100 MB above a normal pass in the same process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.fakes.http_server import Route
from tests.fakes.hostile import ARTICLE, TITLE, double_gzip_bomb, feed

ROOT = Path(__file__).resolve().parents[2]


def test_a_double_gzip_bomb_and_a_50_mb_page_cost_bounded_memory(tmp_path, server):
    bomb = double_gzip_bomb(512 << 20)  # 512 MiB of zeros, a few KB on the wire
    assert len(bomb) < 64 * 1024
    server.routes["/tin/1.htm"] = Route(ARTICLE)
    server.routes["/bom.htm"] = Route(bomb, headers={"Content-Encoding": "gzip, gzip"})
    server.routes["/bom.xml"] = Route(bomb, "application/rss+xml",
                                      headers={"Content-Encoding": "gzip, gzip"})
    server.routes["/lon.htm"] = Route(b"<p>" + b"a" * (50 << 20), send_length=False)
    server.routes["/normal.xml"] = feed(server, [(TITLE, "/tin/1.htm")])
    server.routes["/hostile.xml"] = feed(server, [("Bom nén", "/bom.htm"),
                                                  ("Trang 50 MB", "/lon.htm")])
    result = subprocess.run(
        [sys.executable, "-m", "tests.security.memory_probe", server.base,
         str(tmp_path / "bantin.db")],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=True,
    )
    figures = json.loads(result.stdout)
    assert figures["hostile"]["Bom nén"].startswith("page not fetched: larger than 5 MB once")
    assert figures["hostile"]["Trang 50 MB"].startswith("page not fetched: larger than 5 MB")
    assert figures["hostile"]["/bom.xml"] == "larger than 5 MB once decoded"
    assert figures["hostile_mb"] - figures["normal_mb"] < 100, figures
