"""Config keys, app wiring and rendering that the moderation flow relies on."""

from __future__ import annotations

import pytest

from bantin.app import build
from bantin.config import ConfigError, from_mapping
from bot.engine.messages import Rich, Span
from bot.features.moderation_outbox import OutboxSender
from bot.engine.render import render_plain, render_telegram
from bot.transports.telegram import TelegramTransport, html_to_plain


def test_moderation_config_reaches_the_bot():
    config = from_mapping({
        "telegram": {"moderator_chat_id": -1001234, "moderators": [11, 12]},
        "moderation": {"feedback_per_hour": 2, "notify_approved": False,
                       "notify_rejected": True},
    }, "test.toml")
    settings = config.bot.moderation
    assert settings.chat_id == "-1001234" and settings.moderator_ids == {"11", "12"}
    assert (settings.feedback_per_hour, settings.notify_approved, settings.notify_rejected) == (
        2, False, True)
    assert from_mapping({}, "none").bot.moderation.chat_id == ""


def test_notify_keys_are_checked():
    message = r"\[moderation\] notify_rejected: 'yes' is not true or false"
    with pytest.raises(ConfigError, match=message):
        from_mapping({"moderation": {"notify_rejected": "yes"}}, "test.toml")


def test_the_moderators_outbox_runs_only_with_a_moderators_chat(fresh_store):
    with_chat = from_mapping({"telegram": {"token": "1:x", "moderator_chat_id": -5}}, "t")
    core, services = build(with_chat, fresh_store)
    assert [type(s) for s in services] == [TelegramTransport, OutboxSender]
    core.close()
    without = from_mapping({"telegram": {"token": "1:x"}}, "t")
    core, services = build(without, fresh_store)
    assert [type(s) for s in services] == [TelegramTransport]
    core.close()


def test_code_spans_are_verbatim_everywhere():
    rich = Rich.of([Span("Bạn đọc viết: "), Span("<a href='x'>/pending</a> & ok", code=True)])
    [html] = render_telegram(rich)
    assert html == "Bạn đọc viết: <code>&lt;a href='x'&gt;/pending&lt;/a&gt; &amp; ok</code>"
    assert html_to_plain(html) == "Bạn đọc viết: <a href='x'>/pending</a> & ok"
    assert render_plain(rich) == ["Bạn đọc viết: <a href='x'>/pending</a> & ok"]
