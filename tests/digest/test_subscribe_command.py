"""``/subscribe`` with days and topics, and ``/settings`` reading them back."""

from __future__ import annotations

from bot.engine.messages import Incoming
from tests.digest.conftest import hanoi

READER = 701


async def test_days_are_stored_and_read_back(digests):
    answer = digests.subscribe(READER, "7h cn")
    assert "07:00 mỗi Chủ nhật" in answer
    assert "Bản tin tiếp theo: 07:00 Chủ nhật 01/12" in answer
    assert digests.store.subscriptions.get("telegram", str(READER)).days == "6"
    answer = digests.subscribe(READER, "18:00 t2,t4,t6")
    assert "thứ Hai, thứ Tư và thứ Sáu" in answer
    answer = digests.subscribe(READER, "6h30 hằng ngày")
    assert digests.store.subscriptions.get("telegram", str(READER)).days == "0123456"
    [settings] = digests.core.respond(Incoming("telegram", str(READER), text="/settings"))
    text = settings.text.plain_text()
    assert "06:30 mỗi ngày" in text and "Bản tin tiếp theo: 06:30 thứ Năm 28/11" in text


async def test_unknown_topics_are_named_with_what_exists(digests):
    digests.add(1, category="Thể thao", source="Báo A")
    answer = digests.subscribe(READER, "07:00 bóng chày")
    assert "chưa có nguồn hay chuyên mục “bóng chày”" in answer
    assert "Báo A" in answer and "Thể thao" in answer
    assert digests.store.subscriptions.get("telegram", str(READER)) is None
    answer = digests.subscribe(READER, "thể thao")  # no time: the default time, that topic
    assert "07:00" in answer and "Chủ đề: Thể thao" in answer


async def test_changing_the_time_after_todays_digest_never_sends_a_second_one(digests):
    digests.subscribe(READER, "07:00")
    digests.add(1)
    await digests.run(hanoi(28, 7, 0))
    digests.clock.set(hanoi(28, 9, 0))
    digests.add(2)
    answer = digests.subscribe(READER, "18:00")
    assert "Bản tin tiếp theo: 18:00 thứ Sáu 29/11" in answer  # not today again
    await digests.run(hanoi(28, 18, 0))
    assert len(digests.to(READER)) == 1
    await digests.run(hanoi(29, 18, 0))
    assert len(digests.to(READER)) == 2
