"""``/subscribe`` with days and topics, and ``/settings`` reading them back."""

from __future__ import annotations

from bot.engine.messages import Incoming
from tests.helpers.clock import hanoi

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


async def test_everyday_vietnamese_times_subscribe(digests):
    for typed, expected in [
        ("7 giờ tối", "19:00"), ("7h tối", "19:00"), ("7:00 sáng", "07:00"), ("19 giờ", "19:00"),
        ("tối 7 giờ", "19:00"), ("7g tối", "19:00"), ("7 giờ rưỡi tối", "19:30"),
        ("6h rưỡi sáng", "06:30"), ("12 giờ trưa", "12:00"), ("2 giờ chiều", "14:00"),
        ("10 giờ đêm", "22:00"), ("12 giờ đêm", "00:00"), ("7 giờ 15 tối", "19:15"),
    ]:
        answer = digests.subscribe(READER, typed)
        assert f"Đã đăng ký! Bạn sẽ nhận bản tin lúc {expected}" in answer, (typed, answer)
        assert digests.store.subscriptions.get("telegram", str(READER)).time == expected


async def test_a_time_with_days_and_topics_after_it(digests):
    digests.add(1, category="Thể thao", source="Báo A")
    answer = digests.subscribe(READER, "7 giờ tối t2-t6 thể thao")
    assert "19:00" in answer and "Chủ đề: Thể thao" in answer
    subscription = digests.store.subscriptions.get("telegram", str(READER))
    assert subscription.days == "01234" and subscription.topics == ["Thể thao"]


async def test_ambiguous_and_impossible_times_are_explained_and_nothing_is_stored(digests):
    for typed, says in [
        ("12 giờ sáng", "có thể là 12 giờ trưa hoặc 0 giờ đêm"),
        ("19 giờ sáng", "buổi sáng là từ 0 giờ đến 11 giờ"),
        ("3 giờ tối", "buổi tối là từ 6 giờ đến 11 giờ"),
        ("sáng 7 giờ tối", "là buổi nào?"),
        ("25 giờ", "giờ từ 0 đến 23, phút từ 0 đến 59"),
        ("7:75 tối", "giờ từ 0 đến 23, phút từ 0 đến 59"),
    ]:
        answer = digests.subscribe(READER, typed)
        assert says in answer, (typed, answer)
        assert "chuyên mục" not in answer  # never mistaken for a topic name
    assert digests.store.subscriptions.get("telegram", str(READER)) is None
