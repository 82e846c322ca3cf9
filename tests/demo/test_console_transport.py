"""What only the console transport does: ANSI or plain rendering, buttons as lines, scripts,
stopping, and that no handler knows it. The checks every transport shares (the console among
them) are in ``tests/transports/test_contract.py``."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bantin.app import build_router
from bot.transports.console import ConsoleTransport, ScriptLines, TerminalRenderer, wants_ansi
from bot.engine.core import BotCore
from bot.engine.messages import Button, Reply, Rich, Span, bold, italic, link
from store import Store
from tests.helpers.articles import make_article

NOW = datetime(2024, 11, 28, 5, 0, tzinfo=UTC)  # 12:00 in Hà Nội
ROOT = Path(__file__).resolve().parents[2]


class Terminal(io.StringIO):
    """An output stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def filled_store(fresh_store: Store) -> Store:
    for n in range(1, 8):
        fresh_store.articles.save(make_article(
            n, published_at=NOW - timedelta(hours=n), summary=f"Tóm tắt của tin số {n}.",
        ))
    return fresh_store


@pytest.fixture
def console(filled_store: Store):
    core = BotCore(filled_store, router=build_router(), clock=lambda: NOW)
    out = io.StringIO()
    transport = ConsoleTransport(core, out, ansi=False)
    yield transport, out
    core.close()


def test_plain_renderer_writes_links_as_text_and_no_codes() -> None:
    rich = Rich.of([link("Tiêu đề", "https://example.vn/a", bold=True), Span(" "), italic("2 giờ")])
    assert TerminalRenderer(ansi=False).render(rich) == ["Tiêu đề (https://example.vn/a) 2 giờ"]


def test_ansi_renderer_makes_titles_bold() -> None:
    rendered = TerminalRenderer(ansi=True).render(Rich.of([bold("Tin mới"), Span(" thường")]))[0]
    assert rendered == "\033[1mTin mới\033[22m thường"


def test_ansi_only_on_a_terminal_and_never_with_no_color(monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert wants_ansi(Terminal()) and not wants_ansi(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_ansi(Terminal())


async def test_ansi_console_makes_article_titles_bold(filled_store: Store) -> None:
    core = BotCore(filled_store, router=build_router(), clock=lambda: NOW)
    out = Terminal()
    try:
        ConsoleTransport(core, out, ansi=True)
        await core.transports["console"].say("/search giao thong")
    finally:
        core.close()
    assert "\033[1mTin thứ 1 về giao thông\033[22m" in out.getvalue()


async def test_edit_without_text_prints_nothing_and_buttons_become_lines(console) -> None:
    transport, out = console
    assert await transport.send("console", Reply(None, edit="3")) == []
    assert out.getvalue() == ""
    buttons = ((Button("06:00", data="/subscribe 06:00"), Button("Trang", url="https://x.vn")),)
    await transport.send("console", Reply(Rich.of("Chọn giờ"), buttons=buttons))
    assert out.getvalue() == "Chọn giờ\n\n06:00: gõ /subscribe 06:00\nTrang: https://x.vn\n\n"


async def test_script_stops_at_quit_and_echoes_each_command(console) -> None:
    transport, out = console
    await transport.run(ScriptLines(["", "# a comment", "/settings", "/quit", "/latest"], out))
    text = out.getvalue()
    assert text.startswith("› /settings\nBạn chưa đăng ký bản tin hằng ngày.")
    assert "› /quit" in text and "/latest" not in text and text.endswith("Tạm biệt! 👋\n\n")


async def test_stop_event_ends_a_chat_waiting_for_input(console) -> None:
    transport, out = console

    class Silent:
        async def read(self) -> str | None:
            await asyncio.Event().wait()  # a reader who never types
            return None

    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(0.05, stop.set)
    await asyncio.wait_for(transport.run(Silent(), stop), timeout=5)
    assert out.getvalue().endswith("Tạm biệt! 👋\n\n")


def test_no_handler_knows_the_console() -> None:
    """Handlers are written once: only the transport and the composition root name it."""
    features = sorted((ROOT / "bot" / "features").rglob("*.py"))
    assert len(features) > 5
    for path in [*features, ROOT / "bot" / "engine" / "router.py"]:
        source = path.read_text(encoding="utf-8")
        assert "console" not in source.lower(), path.name

