"""``bantin demo`` at a real terminal (a pseudo-terminal): bold titles, Ctrl-D and Ctrl-C."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pty = pytest.importorskip("pty")

ROOT = Path(__file__).resolve().parents[2]
SEED_TITLE = "Tiếp tục đẩy mạnh thực hiện quy chế dân chủ ở cơ sở trên địa bàn Hà Tĩnh"


class Session:
    """``python -m bantin demo`` with its stdin, stdout and stderr on a pseudo-terminal."""

    def __init__(self, cwd: Path) -> None:
        self.master, slave = pty.openpty()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm"}
        env.pop("NO_COLOR", None)
        env.pop("BANTIN_CONFIG", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bantin", "demo"], cwd=cwd, env=env,
            stdin=slave, stdout=slave, stderr=slave, close_fds=True,
        )
        os.close(slave)
        self.output = b""

    def read_until(self, marker: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        wanted = marker.encode()
        while wanted not in self.output:
            if time.monotonic() > deadline:
                raise AssertionError(f"{marker!r} never came; got {self.text()[-800:]!r}")
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:  # the child closed the terminal
                    break
        return self.text()

    def text(self) -> str:
        return self.output.decode("utf-8", errors="replace")

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> int:
        try:
            return self.process.wait(timeout=20)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            os.close(self.master)


def test_a_terminal_chat_shows_bold_titles_and_leaves_on_ctrl_d(tmp_path: Path) -> None:
    session = Session(tmp_path)
    try:
        session.read_until("Đăng ký bản tin: gõ /subscribe")
        session.type("/search ha tinh\r")
        session.read_until("Báo Hà Tĩnh · 2 giờ trước")
        session.type("\x04")  # Ctrl-D
        text = session.read_until("Tạm biệt")
    finally:
        code = session.close()
    assert code == 0
    assert "████████████████████████ 6/6" in text  # the progress bar reached the end
    assert f"\033[1m{SEED_TITLE}\033[22m" in text
    assert "Xin chào" in text  # the chat opens with /start, as on Telegram


def test_ctrl_c_leaves_cleanly(tmp_path: Path) -> None:
    session = Session(tmp_path)
    try:
        session.read_until("gõ /subscribe")
        session.process.send_signal(signal.SIGINT)
        text = session.read_until("Tạm biệt")
    finally:
        code = session.close()
    assert code == 0
    assert "Traceback" not in text
