"""Feedback whose post to the moderators' chat failed is posted later, once."""

from __future__ import annotations

from datetime import timedelta

from bot.features.moderation import QueueSweeper
from tests.bot.conftest import NOW
from tests.moderation.conftest import MOD_CHAT, READER


async def test_sweeper_posts_what_never_reached_the_moderators(mod):
    mod.server.fail("sendMessage", 502, "Bad Gateway", chat_id=MOD_CHAT, times=20)
    [ack] = await mod.say(READER, "/feedback Gửi lúc Telegram trục trặc")
    assert "Cảm ơn bạn" in ack.visible
    await mod.server.wait_for(lambda: len(mod.server.calls_to("sendMessage")) >= 5)
    await mod.settle()
    assert mod.queue() == []
    assert mod.store.feedback.get(1).queue_message_id is None
    mod.server.faults.clear()

    sweeper = QueueSweeper(mod.core, grace=timedelta(minutes=2))
    assert await sweeper.sweep(now=NOW + timedelta(minutes=1)) == 0  # may still be on its way
    assert await sweeper.sweep(now=NOW + timedelta(minutes=3)) == 1
    [posted] = mod.queue()
    assert "Gửi lúc Telegram trục trặc" in posted.visible and len(posted.buttons()) == 3
    assert mod.store.feedback.get(1).queue_message_id == str(posted.message_id)
    assert await sweeper.sweep(now=NOW + timedelta(minutes=10)) == 0


async def test_sweeper_runs_as_a_service_and_stops(mod):
    """Feedback stored while no moderators' chat was configured is posted after start-up."""
    mod.store.feedback.add("zalo", "z1", "Góp ý cũ", created_at=NOW - timedelta(hours=3))
    sweeper = QueueSweeper(mod.core, interval=0.05)
    await sweeper.start()
    try:
        [posted] = await mod.server.wait_messages(MOD_CHAT, 1)
    finally:
        await sweeper.stop()
    assert "Góp ý cũ" in posted.visible and "zalo" in posted.visible
    await mod.settle()
    assert len(mod.queue()) == 1  # later ticks found nothing left to post
