"""The moderators' outbox: what waits survives a crash and an upgrade, decided items are not
posted, and a failed post waits for the next try."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from store import SCHEMA_VERSION, Store
from store.migrations import migrate
from tests.helpers.moderation import MOD_CHAT, READER

AT = datetime(2024, 11, 28, 9, 0, tzinfo=UTC)


def test_a_crash_mid_post_puts_the_item_back_and_nothing_is_claimed_twice(fresh_store: Store):
    ids = [fresh_store.feedback.add("telegram", str(n), f"Ý kiến {n}", created_at=AT).id
           for n in range(3)]
    for feedback_id in ids:
        fresh_store.outbox.add(feedback_id, AT)
        fresh_store.outbox.add(feedback_id, AT)  # queued once
    assert fresh_store.outbox.claim(2) == ids[:2]
    assert fresh_store.outbox.claim(5) == ids[2:]  # claimed rows are not handed out again
    fresh_store.outbox.finish([ids[0]], "posted")
    assert fresh_store.outbox.recover() == 2  # the crash: two were "sending"
    assert fresh_store.outbox.claim(5) == ids[1:]


def test_upgrading_queues_pending_feedback_that_never_reached_the_moderators(store_path):
    store = Store(store_path)
    posted = store.feedback.add("telegram", "1", "Đã lên nhóm", created_at=AT)
    store.moderation.link_message(str(MOD_CHAT), "10", posted.id, AT)
    waiting = store.feedback.add("zalo", "z2", "Chưa lên nhóm", created_at=AT)
    store.feedback.add("telegram", "3", "Bị chặn", status="blocked", created_at=AT)
    store.close()
    conn = sqlite3.connect(store_path)
    conn.execute("DROP TABLE moderators_outbox")
    conn.execute("PRAGMA user_version = 8")
    conn.commit()
    assert migrate(conn) == SCHEMA_VERSION - 8  # 9 and any later ones
    rows = conn.execute("SELECT feedback_id, state FROM moderators_outbox").fetchall()
    conn.close()
    assert rows == [(waiting.id, "queued")]


async def test_feedback_decided_before_its_turn_is_not_posted(mod):
    mod.server.fail("sendMessage", 502, "Bad Gateway", chat_id=MOD_CHAT, times=10_000)
    [ack] = await mod.say(READER, "/feedback Góp ý lúc nhóm trục trặc")
    assert "Cảm ơn bạn" in ack.visible
    await mod.server.wait_for(lambda: mod.store.outbox.state(1) == "queued"
                              and mod.server.calls_to("sendMessage")[-1].status == 502)
    mod.store.moderation.decide(1, "reject", "701", "Minh", AT)
    mod.server.faults.clear()
    await mod.server.wait_for(lambda: mod.store.outbox.state(1) == "skipped")
    assert mod.queue() == []
