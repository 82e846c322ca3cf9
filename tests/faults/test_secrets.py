"""No token or webhook secret in any output, at DEBUG, across the runs an operator gets wrong:
a rejected token, an unreachable base_url, and webhooks probed with a wrong secret. At most a
token's bot id (before the colon) is shown."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import aiohttp
import pytest

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


SECRETS = {
    "telegram": ("5150:AAreprTokenPart", "reprHookSecret_1"),
    "zalo": ("6160:zaloReprTokenPart", "zaloReprHookSecret"),
}


def _config_with_secrets(**more: dict) -> dict:
    tables: dict = {platform: {"token": token, "webhook_secret": secret,
                               "webhook_url": f"https://bantin.example.vn/hook/{platform}"}
                    for platform, (token, secret) in SECRETS.items()}
    for platform, keys in more.items():
        tables[platform].update(keys)
    return tables


@pytest.mark.parametrize("platform", sorted(SECRETS))
def test_a_transport_built_from_the_config_shows_no_secret(platform: str, tmp_path: Path):
    """The settings, the transport and its webhook endpoint, as ``bantin run`` builds them."""
    from bantin.app import build
    from bantin.config import from_mapping
    from store import Store

    config = from_mapping(_config_with_secrets(), "test.toml")
    settings = getattr(config, platform)
    assert settings.token == SECRETS[platform][0]  # there, only not shown
    store = Store(tmp_path / "bantin.db")
    try:
        core, services = build(config, store)
        [transport] = [s for s in services if getattr(s, "platform", None) == platform]
        [webhook] = [s for s in services if type(s).__name__ == "WebhookServer"]
        endpoint = webhook.endpoints[f"/hook/{platform}"]
        assert endpoint.secret == SECRETS[platform][1]
        shown = " ".join(f(item) for f in (repr, str) for item in (
            config, settings, transport, webhook.endpoints, endpoint))
        _assert_nothing_shown(shown, *SECRETS[platform])
        core.close()
    finally:
        store.close()


@pytest.mark.parametrize("platform", sorted(SECRETS))
@pytest.mark.parametrize("mistake", [
    {"token": ["5150:AAreprTokenPart", "6160:zaloReprTokenPart"]},  # a token of the wrong type
    {"webhook_secret": ["reprHookSecret_1", "zaloReprHookSecret"]},
    {"webhook_secret": "bad sec"},  # a secret either platform refuses
    {"rate_limit_per_second": 0},  # another key wrong, in a table holding the secrets
])
def test_a_config_error_shows_no_secret(platform: str, mistake: dict, tmp_path: Path):
    from bantin.config import ConfigError, load

    tables = _config_with_secrets(**{platform: mistake})
    lines = []
    for name, keys in tables.items():
        lines.append(f"[{name}]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in keys.items()]
    path = tmp_path / "bantin.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load(str(path), environ={})
    assert f"[{platform}] {next(iter(mistake))}:" in str(error.value)
    _assert_nothing_shown(str(error.value), *SECRETS["telegram"], *SECRETS["zalo"], "bad sec")
