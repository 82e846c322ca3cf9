"""The webhook and Zalo config keys: checked, secrets never shown, environment honoured."""

from __future__ import annotations

from pathlib import Path

import pytest

from bantin.app import build
from bantin.config import ConfigError, load
from bot.transports.webhook import WebhookServer
from bot.transports.zalo import ZaloTransport
from store import Store


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "bantin.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("text, message", [
    ('[zalo]\nwebhook_url = "http://bantin.example.vn/zalo"\n',
     '[zalo] webhook_url: "http://bantin.example.vn/zalo" is not an https:// URL'),
    ('[telegram]\nwebhook_url = "https://x.vn/t"\n',
     "[telegram] webhook_secret: is required when webhook_url is set"),
    ('[telegram]\nwebhook_url = "https://x.vn/t"\nwebhook_secret = "có dấu"\n',
     "[telegram] webhook_secret: <hidden> must be 1-256 characters of A-Z"),
    ('[zalo]\nwebhook_url = "https://x.vn/z"\nwebhook_secret = "short"\n',
     "[zalo] webhook_secret: <hidden> must be 8-256 characters"),
    ('[zalo]\nwebhook_url = "https://x.vn/hook"\nwebhook_secret = "12345678"\n'
     '[telegram]\nwebhook_url = "https://y.vn/hook/"\nwebhook_secret = "abc"\n',
     "uses the same path as [telegram] webhook_url"),
    ("[webhook]\nport = 70000\n", "[webhook] port: 70000 is not a port number"),
    ("[webhook]\nmax_body_bytes = 0\n", "[webhook] max_body_bytes: 0 must be greater than 0"),
    ("[zalo]\nrate_limit_per_second = -1\n", "[zalo] rate_limit_per_second: -1.0 must be"),
    ("[webhook]\nsecret = 1\n", "[webhook] secret: unknown key"),
])
def test_bad_webhook_settings_are_named(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        load(write(tmp_path, text), environ={})
    assert message in str(error.value)
    assert "có dấu" not in str(error.value) and "short" not in str(error.value)


def test_secrets_from_the_environment(tmp_path: Path) -> None:
    path = write(tmp_path, '[zalo]\nwebhook_url = "https://x.vn/zalo"\n'
                           '[telegram]\nwebhook_url = "https://x.vn/telegram"\n')
    config = load(path, environ={"BANTIN_ZALO_WEBHOOK_SECRET": "zalo-secret",
                                 "BANTIN_TELEGRAM_WEBHOOK_SECRET": "tg_secret"})
    assert config.zalo.webhook_secret == "zalo-secret"
    assert config.telegram.webhook_secret == "tg_secret"
    assert "zalo-secret" not in repr(config) and "tg_secret" not in repr(config)


def test_build_adds_the_webhook_server_only_when_a_platform_uses_it(tmp_path: Path) -> None:
    store = Store(tmp_path / "bantin.db")
    try:
        polling = load(write(tmp_path, '[zalo]\ntoken = "1:x"\n'), environ={})
        core, services = build(polling, store)
        assert [type(s) for s in services] == [ZaloTransport]
        core.close()
        hooked = load(write(tmp_path, '[zalo]\ntoken = "1:x"\nwebhook_url = "https://x.vn/z"\n'
                                      'webhook_secret = "12345678"\n'), environ={})
        core, services = build(hooked, store)
        assert [type(s) for s in services] == [WebhookServer, ZaloTransport]
        assert list(services[0].endpoints) == ["/z"]
        core.close()
    finally:
        store.close()
