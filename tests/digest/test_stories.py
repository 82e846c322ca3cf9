"""Whose digest a grown story is an update for: a reader who got it, not a newcomer nor a reader
whose digest failed. (What a digest shows for a story, and that it comes back only when it grew,
marked "🔄 Cập nhật", is tested once at the engine: ``tests/bot/test_stories.py``.)"""

from __future__ import annotations

from datetime import timedelta

from tests.helpers.clock import hanoi
from tests.helpers.stories import FIRE_MOT_THE_GIOI, FIRE_TUOI_TRE, FIRE_VOV, save_all

READER = 601
NEWCOMER = 602


async def test_a_new_subscriber_gets_a_grown_story_as_new_not_as_an_update(digests):
    digests.subscribe(READER, "07:00")
    digests.clock.set(hanoi(27, 20, 0))
    save_all(digests.store, [FIRE_TUOI_TRE, FIRE_VOV], at=hanoi(27, 18, 0))
    await digests.run(hanoi(28, 7, 0))
    assert "chợ Vinh" in digests.to(READER)[0].visible

    digests.clock.set(hanoi(29, 12, 0))
    save_all(digests.store, [FIRE_MOT_THE_GIOI], at=hanoi(29, 11, 0) - timedelta(hours=6))
    digests.clock.set(hanoi(29, 13, 0))
    digests.subscribe(NEWCOMER, "07:00")
    await digests.run(hanoi(30, 7, 0))

    old_reader = digests.to(READER)[-1].visible
    [newcomer] = digests.to(NEWCOMER)
    assert "🔄 Cập nhật" in old_reader
    assert "chợ Vinh" in newcomer.visible and "Cập nhật" not in newcomer.visible
    assert "3 báo đưa tin: Tuổi Trẻ, VOV, Một Thế Giới" in newcomer.visible


async def test_a_story_whose_digest_failed_is_new_to_the_reader_when_it_grows(digests):
    digests.subscribe(READER, "07:00")
    digests.clock.set(hanoi(27, 20, 0))
    save_all(digests.store, [FIRE_TUOI_TRE, FIRE_VOV], at=hanoi(27, 18, 0))
    digests.server.fail("sendMessage", 400, "Bad Request: message is too long", chat_id=READER)
    await digests.run(hanoi(28, 7, 0))
    assert digests.to(READER) == [] and digests.deliveries(READER)[-1].status == "failed"

    digests.clock.set(hanoi(29, 12, 0))
    save_all(digests.store, [FIRE_MOT_THE_GIOI], at=hanoi(29, 11, 0) - timedelta(hours=6))
    await digests.run(hanoi(30, 7, 0))
    [digest] = digests.to(READER)
    assert "3 báo đưa tin: Tuổi Trẻ, VOV, Một Thế Giới" in digest.visible
    assert "Cập nhật" not in digest.visible
