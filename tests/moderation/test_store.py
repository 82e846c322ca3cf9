"""The moderation tables: decisions apply once, even across connections and threads."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from store import NotFound, Store

AT = datetime(2024, 11, 28, 5, 0, tzinfo=UTC)


def test_racing_decisions_from_two_processes_apply_once(store_path):
    """Eight threads, each with its own Store (its own connection), decide at the same time."""
    setup = Store(store_path)
    feedback = setup.feedback.add("telegram", "1", "Cùng lúc", user_id="1")
    stores = [Store(store_path) for _ in range(8)]
    barrier = threading.Barrier(len(stores))
    outcomes: list = [None] * len(stores)

    def decide(index: int) -> None:
        barrier.wait()
        action = "approve" if index % 2 else "reject"
        outcomes[index] = stores[index].moderation.decide(feedback.id, action, str(index),
                                                          f"M{index}", AT)

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    applied = [o for o in outcomes if o.applied]
    assert len(applied) == 1
    final = setup.feedback.get(feedback.id)
    assert final.moderator_id == applied[0].feedback.moderator_id
    assert all(o.feedback.status == final.status for o in outcomes)
    [entry] = setup.moderation.history(feedback.id)
    assert entry.moderator_id == final.moderator_id
    for store in (setup, *stores):
        store.close()


def test_block_hides_the_senders_pending_feedback_but_not_others_in_the_group(fresh_store):
    group = "-500"
    mine = [fresh_store.feedback.add("telegram", group, f"a{n}", user_id="7") for n in range(2)]
    theirs = fresh_store.feedback.add("telegram", group, "b", user_id="8")
    outcome = fresh_store.moderation.decide(mine[0].id, "block", "99", "Minh", AT)
    assert outcome.applied and [f.id for f in outcome.also_blocked] == [mine[1].id]
    assert fresh_store.moderation.is_blocked("telegram", "7")
    assert not fresh_store.moderation.is_blocked("telegram", group)
    assert fresh_store.feedback.get(mine[1].id).status == "blocked"
    assert fresh_store.feedback.get(theirs.id).status == "pending"
    again = fresh_store.moderation.decide(mine[0].id, "approve", "98", "Hoà", AT)
    assert not again.applied and again.feedback.status == "blocked"


def test_unblock_by_id_on_every_platform_or_one(fresh_store):
    for platform in ("telegram", "zalo"):
        item = fresh_store.feedback.add(platform, "42", "x", user_id="42")
        fresh_store.moderation.decide(item.id, "block", "9", "Minh", AT)
    assert [b.platform for b in fresh_store.moderation.unblock("42", "zalo", "9", AT)] == ["zalo"]
    assert fresh_store.moderation.is_blocked("telegram", "42")
    assert [b.platform for b in fresh_store.moderation.unblock("42", None, "9", AT)] == ["telegram"]
    assert fresh_store.moderation.unblock("42", None, "9", AT) == []
    assert [e.action for e in fresh_store.moderation.history()] == ["block", "block", "unblock",
                                                                     "unblock"]


def test_queue_messages_and_replies(fresh_store):
    item = fresh_store.feedback.add("telegram", "5", "Hỏi")
    fresh_store.moderation.link_message("-1", "10", item.id, AT)
    fresh_store.moderation.link_message("-1", "20", item.id, AT + timedelta(minutes=1))
    assert fresh_store.feedback.get(item.id).queue_message_id == "10"  # the first post
    assert fresh_store.moderation.messages_for(item.id) == [("-1", "10"), ("-1", "20")]
    assert fresh_store.moderation.feedback_for_message("-1", "20") == item.id
    assert fresh_store.moderation.feedback_for_message("-2", "20") is None
    replied = fresh_store.moderation.record_reply(item.id, "Trả lời", "9", "Minh", AT)
    assert (replied.reply_text, replied.replied_by, replied.replied_by_name) == ("Trả lời", "9",
                                                                                 "Minh")
    assert fresh_store.outbox.state(1) is None  # stored by hand: nothing queued it


def test_counts_and_windows(fresh_store):
    from tests.helpers.articles import make_article

    _, article = fresh_store.articles.save(make_article(1))
    for status in ("approved", "approved", "pending", "rejected", "limited"):
        fresh_store.feedback.add("telegram", "3", status, user_id="3", article_id=article,
                                 status=status, created_at=AT)
    assert fresh_store.feedback.comment_counts([article, 999]) == {article: 2}
    assert [c.text for c in fresh_store.feedback.comments(article)] == ["approved", "approved"]
    recent = fresh_store.feedback.recent_from_reader("telegram", "3", "3", AT - timedelta(hours=1))
    assert len(recent) == 4  # "limited" does not count
    assert fresh_store.feedback.recent_from_reader("telegram", "3", "3", AT + timedelta(1)) == []


def test_migration_4_keeps_feedback_and_can_run_again(store_path):
    import sqlite3

    store = Store(store_path)
    kept = store.feedback.add("telegram", "1", "Giữ lại", user_id="1")
    store.moderation.decide(kept.id, "approve", "9", "Minh", AT)
    store.close()
    conn = sqlite3.connect(store_path)
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    again = Store(store_path)
    restored = again.feedback.get(kept.id)
    assert (restored.status, restored.moderator_name) == ("approved", "Minh")
    assert [e.action for e in again.moderation.history(kept.id)] == ["approve"]
    again.close()


def test_racing_take_downs_apply_once_and_keep_the_story(store_path):
    """Eight connections take the same approved comment down at once: one wins, one log row."""
    setup = Store(store_path)
    feedback = setup.feedback.add("telegram", "1", "Lỡ duyệt", user_id="1")
    setup.moderation.decide(feedback.id, "approve", "701", "Minh", AT)
    stores = [Store(store_path) for _ in range(8)]
    barrier = threading.Barrier(len(stores))
    outcomes: list = [None] * len(stores)
    later = AT + timedelta(minutes=5)

    def remove(index: int) -> None:
        barrier.wait()
        outcomes[index] = stores[index].moderation.remove(feedback.id, str(index), f"M{index}",
                                                          later, reason="người viết xin gỡ")

    threads = [threading.Thread(target=remove, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    [winner] = [o for o in outcomes if o.applied]
    final = setup.feedback.get(feedback.id)
    assert final.status == "removed" and all(o.feedback.status == "removed" for o in outcomes)
    assert (final.moderator_id, final.decided_at) == (winner.feedback.moderator_id, later)
    approve, remove_entry = setup.moderation.history(feedback.id)
    assert (approve.action, approve.moderator_id, approve.created_at) == ("approve", "701", AT)
    assert (remove_entry.action, remove_entry.moderator_id, remove_entry.created_at) == (
        "remove", final.moderator_id, later)
    assert "approved by Minh (701)" in remove_entry.detail
    assert "người viết xin gỡ" in remove_entry.detail
    for store in (setup, *stores):
        store.close()


def test_only_approved_feedback_can_be_taken_down(fresh_store):
    for status in ("pending", "rejected", "blocked", "limited"):
        item = fresh_store.feedback.add("telegram", "3", status, status=status)
        outcome = fresh_store.moderation.remove(item.id, "9", "Minh", AT)
        assert not outcome.applied and outcome.feedback.status == status
    with pytest.raises(NotFound):
        fresh_store.moderation.remove(999, "9", "Minh", AT)
    assert fresh_store.moderation.history() == []
    # A removed comment is no longer a decision anyone can make again.
    item = fresh_store.feedback.add("telegram", "3", "x", status="approved")
    assert fresh_store.moderation.remove(item.id, "9", "Minh", AT).applied
    assert not fresh_store.moderation.decide(item.id, "approve", "9", "Minh", AT).applied
    assert fresh_store.feedback.get(item.id).status == "removed"


def test_taken_down_comments_leave_counts_and_lists(fresh_store):
    from tests.helpers.articles import make_article

    _, article = fresh_store.articles.save(make_article(1))
    kept, gone = (fresh_store.feedback.add("telegram", "3", text, article_id=article,
                                           status="approved", created_at=AT)
                  for text in ("giữ", "gỡ"))
    assert fresh_store.feedback.comment_counts([article]) == {article: 2}
    fresh_store.moderation.remove(gone.id, "9", "Minh", AT)
    assert fresh_store.feedback.comment_counts([article]) == {article: 1}
    assert [c.text for c in fresh_store.feedback.comments(article)] == ["giữ"]
    fresh_store.moderation.remove(kept.id, "9", "Minh", AT)
    assert fresh_store.feedback.comment_counts([article]) == {}


def test_failed_answers_are_stored_with_their_reason(fresh_store):
    item = fresh_store.feedback.add("zalo", "zl-1", "Hỏi")
    fresh_store.moderation.record_reply(item.id, "Trả lời", "9", "Minh", AT)
    fresh_store.moderation.record_reply_failure(item.id, "9", "ChatUnreachable: blocked", AT)
    [failure] = fresh_store.moderation.reply_failures(item.id)
    assert (failure.moderator_id, failure.detail, failure.created_at) == (
        "9", "ChatUnreachable: blocked", AT)
    assert [e.action for e in fresh_store.moderation.history(item.id)] == ["reply",
                                                                           "reply_failed"]
