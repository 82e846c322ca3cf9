"""No token or webhook secret in any output, at DEBUG, across the runs an operator gets wrong:
a rejected token, an unreachable base_url, and webhooks probed with a wrong secret. At most a
token's bot id (before the colon) is shown."""

from __future__ import annotations

import signal
from pathlib import Path

import aiohttp

from bot.engine import redaction
from tests.fakes.failing_servers import closed_port
from tests.helpers.processes import bantin_run, environment
from tests.fakes.telegram_server import FakeTelegramServer
from tests.fakes.zalo_server import FakeZaloServer

WRONG_TOKEN = "999999:AAwrongTokenPart_9f8e7d"


def _hidden_parts(*secrets: str) -> list[str]:
    """What must never be printed: a token's part after the colon, a secret whole."""
    return [s.split(":", 1)[1] if ":" in s else s for s in secrets]


def _assert_nothing_shown(output: str, *secrets: str) -> None:
    for part in _hidden_parts(*secrets):
        assert part not in output, f"{part!r} was printed"


async def test_a_rejected_token_is_named_by_its_bot_id_only(tmp_path: Path):
    async with FakeTelegramServer() as server:
        config = f'[store]\npath = "news.db"\n[telegram]\nbase_url = "{server.base_url}"\n'
        env = environment(BANTIN_TELEGRAM_TOKEN=WRONG_TOKEN)
        async with bantin_run(config, tmp_path, env, "--log-level", "DEBUG") as run:
            assert await run.finish(within=60) == 1
    output = run.out + run.err
    assert "error: telegram rejected the token (999999:<hidden>)" in run.err
    _assert_nothing_shown(output, WRONG_TOKEN)
    assert "Unclosed" not in output and "Traceback" not in output


async def test_debug_logs_of_an_unreachable_base_url_hide_the_token(tmp_path: Path):
    config = (f'[store]\npath = "news.db"\n'
              f'[telegram]\nbase_url = "http://127.0.0.1:{closed_port()}/bot"\n')
    env = environment(BANTIN_TELEGRAM_TOKEN=WRONG_TOKEN)
    async with bantin_run(config, tmp_path, env, "--log-level", "DEBUG") as run:
        await run.wait_for_line("retrying")
        assert await run.stop(signal.SIGTERM) == 0, run.err[-3000:]
    run.assert_clean_exit()
    assert "DEBUG" in run.err and "999999:<hidden>" in run.err  # the library's own URL line
    _assert_nothing_shown(run.out + run.err, WRONG_TOKEN)


async def test_webhooks_probed_with_a_wrong_secret_show_no_secret(tmp_path: Path):
    telegram_secret, zalo_secret = "TgHookSecret_0123456789", "zalo-hook-secret-abcdef"
    wrong = "WrongGuess_5551234"
    port = closed_port()
    async with FakeTelegramServer() as telegram, FakeZaloServer() as zalo:
        config = (f'[store]\npath = "news.db"\n'
                  f'[webhook]\nlisten = "127.0.0.1"\nport = {port}\n'
                  f'[telegram]\nbase_url = "{telegram.base_url}"\n'
                  f'webhook_url = "https://bantin.example.vn/hook/telegram"\n'
                  f'[zalo]\nbase_url = "{zalo.base_url}"\n'
                  f'webhook_url = "https://bantin.example.vn/hook/zalo"\n')
        env = environment(BANTIN_TELEGRAM_TOKEN=telegram.token, BANTIN_ZALO_TOKEN=zalo.token,
                          BANTIN_TELEGRAM_WEBHOOK_SECRET=telegram_secret,
                          BANTIN_ZALO_WEBHOOK_SECRET=zalo_secret)
        async with bantin_run(config, tmp_path, env, "--log-level", "DEBUG") as run:
            await run.wait_for_line("bantin is running")
            async with aiohttp.ClientSession() as session:
                for path, header in (("/hook/telegram", "X-Telegram-Bot-Api-Secret-Token"),
                                     ("/hook/zalo", "X-Bot-Api-Secret-Token")):
                    async with session.post(f"http://127.0.0.1:{port}{path}", json={},
                                            headers={header: wrong}) as response:
                        assert response.status in (401, 403)
            await run.wait_for_line("wrong secret")
            assert await run.stop(signal.SIGTERM) == 0, run.err[-3000:]
    run.assert_clean_exit()
    assert telegram.calls_to("setWebhook") and zalo.calls_to("setWebhook")
    _assert_nothing_shown(run.out + run.err, telegram.token, zalo.token, telegram_secret,
                          zalo_secret, wrong)


def test_the_rule_hides_registered_secrets_and_token_shaped_url_parts():
    redaction.register("4242:registered-token-value")
    redaction.register("hook-secret-value-1", token=False)
    text = redaction.redact("POST https://api.telegram.org/bot4242:registered-token-value/getMe "
                            "secret_token='hook-secret-value-1' and /bot55:unknownTokenXyz/send "
                            "The token `1:abc` was rejected")
    assert text == ("POST https://api.telegram.org/bot4242:<hidden>/getMe "
                    "secret_token='<hidden>' and /bot55:<hidden>/send "
                    "The token `1:<hidden>` was rejected")
    assert redaction.redact("Hôm nay 12:30, lúc 07:00 sáng") == "Hôm nay 12:30, lúc 07:00 sáng"


def test_settings_objects_do_not_show_secrets_in_their_repr():
    from bantin.app import telegram_settings, zalo_settings
    from bantin.config import from_mapping

    config = from_mapping({
        "telegram": {"token": "5150:AAreprTokenPart", "webhook_secret": "reprHookSecret_1",
                     "webhook_url": "https://bantin.example.vn/hook/telegram"},
        "zalo": {"token": "6160:zaloReprTokenPart", "webhook_secret": "zaloReprHookSecret",
                 "webhook_url": "https://bantin.example.vn/hook/zalo"},
    }, "test.toml")
    shown = " ".join(repr(item) for item in (config, telegram_settings(config),
                                             zalo_settings(config)))
    _assert_nothing_shown(shown, "5150:AAreprTokenPart", "reprHookSecret_1",
                          "6160:zaloReprTokenPart", "zaloReprHookSecret")
