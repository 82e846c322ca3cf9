"""``bantin run`` with Zalo: alone, together with Telegram, and receiving by webhook."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import httpx

from tests.helpers.processes import environment, start_run, stop_run
from tests.fakes.telegram_server import FakeTelegramServer
from tests.fakes.zalo_server import FakeZaloServer

READER = "e4ea2cd5189df1c3a88c"


async def test_run_serves_zalo_alone(tmp_path: Path):
    async with FakeZaloServer() as zalo:
        config = tmp_path / "bantin.toml"
        config.write_text(f'[store]\npath = "news.db"\n[zalo]\nbase_url = "{zalo.base_url}"\n',
                          encoding="utf-8")
        process = await start_run(config, environment() | {"BANTIN_ZALO_TOKEN": zalo.token})
        try:
            await zalo.wait_for(lambda: zalo.calls_to("getUpdates"), timeout=60)
            zalo.user_sends(READER, "/help")
            [reply] = await zalo.wait_messages(READER, timeout=30)
            assert "Các lệnh" in reply.text
        finally:
            out, err = await stop_run(process)
        assert process.returncode == 0, err[-2000:]
        assert "bantin stopped." in out and "Traceback" not in err, (out[-1000:], err[-3000:])
        assert zalo.token not in err and zalo.token.split(":")[1] not in err


async def test_run_serves_zalo_and_telegram_together(tmp_path: Path):
    async with FakeZaloServer() as zalo, FakeTelegramServer() as telegram:
        config = tmp_path / "bantin.toml"
        config.write_text(
            f'[store]\npath = "news.db"\n[zalo]\nbase_url = "{zalo.base_url}"\n'
            f'[telegram]\nbase_url = "{telegram.base_url}"\n', encoding="utf-8")
        env = environment() | {"BANTIN_ZALO_TOKEN": zalo.token,
                                "BANTIN_TELEGRAM_TOKEN": telegram.token}
        process = await start_run(config, env)
        try:
            await zalo.wait_for(lambda: zalo.calls_to("getUpdates"), timeout=60)
            await telegram.wait_for(lambda: telegram.calls_to("getUpdates"), timeout=60)
            zalo.user_sends(READER, "/subscribe 18:00")
            telegram.user_sends(31, "/subscribe 07:00")
            [on_zalo] = await zalo.wait_messages(READER, timeout=30)
            [on_telegram] = await telegram.wait_messages(31, timeout=30)
            assert "18:00" in on_zalo.text and "07:00" in on_telegram.visible
        finally:
            out, err = await stop_run(process)
        assert process.returncode == 0, err[-2000:]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_run_receives_zalo_by_webhook(tmp_path: Path):
    port = _free_port()
    async with FakeZaloServer() as zalo:
        config = tmp_path / "bantin.toml"
        config.write_text(
            f'[store]\npath = "news.db"\n[zalo]\nbase_url = "{zalo.base_url}"\n'
            'webhook_url = "https://bantin.example.vn/zalo"\n'
            f'[webhook]\nport = {port}\n', encoding="utf-8")
        env = environment() | {"BANTIN_ZALO_TOKEN": zalo.token,
                                "BANTIN_ZALO_WEBHOOK_SECRET": "s3cret-from-the-environment"}
        process = await start_run(config, env)
        try:
            await zalo.wait_for(lambda: zalo.calls_to("setWebhook"), timeout=60)
            assert zalo.webhook_secret == "s3cret-from-the-environment"
            local = f"http://127.0.0.1:{port}/zalo"
            for _ in range(100):  # the endpoint answers 503 until the transport runs
                response = await zalo.deliver_webhook(zalo.update(READER, "/help"), to=local)
                if response.status_code == 200:
                    break
                await asyncio.sleep(0.1)
            assert response.status_code == 200
            [reply] = await zalo.wait_messages(READER, timeout=30)
            assert "Các lệnh" in reply.text
            async with httpx.AsyncClient() as client:
                refused = await client.post(local, json={"ok": True})
            assert refused.status_code == 401
            assert not zalo.calls_to("getUpdates")
        finally:
            out, err = await stop_run(process)
        assert process.returncode == 0, err[-2000:]
        assert "s3cret-from-the-environment" not in err


async def test_run_without_a_webhook_secret_names_the_key(tmp_path: Path):
    config = tmp_path / "bantin.toml"
    config.write_text('[zalo]\ntoken = "1:x"\nwebhook_url = "https://bantin.example.vn/zalo"\n',
                      encoding="utf-8")
    process = await start_run(config, environment())
    _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    assert "[zalo] webhook_secret: is required" in err.decode()
