"""``bantin run`` as a real process: refuses to start without a token, serves, stops on SIGTERM."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.fakes.telegram_server import FakeTelegramServer
from tests.helpers.processes import environment, start_run, stop_run


async def test_run_without_a_token_explains_how_to_configure(tmp_path: Path):
    config = tmp_path / "bantin.toml"
    config.write_text('[store]\npath = "news.db"\n', encoding="utf-8")
    process = await start_run(config, environment())
    _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    message = err.decode()
    assert "BANTIN_TELEGRAM_TOKEN" in message and "bantin demo" in message


async def test_run_serves_readers_and_stops_cleanly_on_sigterm(tmp_path: Path):
    async with FakeTelegramServer() as server:
        config = tmp_path / "bantin.toml"
        config.write_text(
            f'[store]\npath = "news.db"\n[telegram]\nbase_url = "{server.base_url}"\n',
            encoding="utf-8")
        env = environment() | {"BANTIN_TELEGRAM_TOKEN": server.token}
        process = await start_run(config, env)
        try:
            await server.wait_for(lambda: server.calls_to("getUpdates"), timeout=60)
            server.user_sends(31, "/help")
            [reply] = await server.wait_messages(31, timeout=30)
            assert "Các lệnh" in reply.visible
        finally:
            out, err = await stop_run(process)
        assert process.returncode == 0, err[-2000:]
        assert "bantin stopped." in out
        assert "Traceback" not in err
