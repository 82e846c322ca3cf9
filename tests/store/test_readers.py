"""Chats, subscriptions, feedback and sent messages in the store."""

from __future__ import annotations

from tests.helpers.articles import make_article


def test_chat_becomes_inactive_and_active_again(fresh_store):
    chats = fresh_store.chats
    chats.seen("telegram", "1", user_id="1", display_name="Lan", chat_type="private")
    chats.mark_inactive("telegram", "1", "forbidden: bot was blocked by the user")
    assert not chats.get("telegram", "1").active
    chat = chats.seen("telegram", "1")
    assert chat.active and chat.inactive_reason is None and chat.display_name == "Lan"


def test_subscription_is_kept_when_unsubscribed(fresh_store):
    subs = fresh_store.subscriptions
    assert subs.get("zalo", "9") is None
    assert subs.unsubscribe("zalo", "9") is False
    first = subs.subscribe("zalo", "9", "07:00", "Asia/Ho_Chi_Minh")
    assert subs.unsubscribe("zalo", "9") is True
    assert not subs.get("zalo", "9").active
    again = subs.subscribe("zalo", "9", "18:30", "Asia/Ho_Chi_Minh")
    assert again.id == first.id and again.time == "18:30" and again.active


def test_feedback_is_stored_pending_as_written(fresh_store):
    _, article_id = fresh_store.articles.save(make_article(1))
    stored = fresh_store.feedback.add("telegram", "5", "Hay <b>quá</b> &", user_id="5",
                                      article_id=article_id)
    assert stored.status == "pending" and stored.text == "Hay <b>quá</b> &"
    assert fresh_store.stats()["pending_feedback"] == 1


def test_sent_messages_map_to_articles_in_order(fresh_store):
    fresh_store.sent_messages.record("telegram", "5", "10", [3, 1, 2])
    assert fresh_store.sent_messages.articles("telegram", "5", "10") == [3, 1, 2]
    assert fresh_store.sent_messages.articles("telegram", "6", "10") == []
