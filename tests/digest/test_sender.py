"""The digest sender end to end: the real Telegram transport, the fake Bot API, a moved clock."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from bot.features.digests.sender import DigestSettings
from bot.engine.messages import Incoming
from store.deliveries import INTERRUPTED
from tests.helpers.clock import hanoi

READER, OTHER, THIRD = 501, 502, 503


async def test_on_time_once_a_day_with_heading_titles_sources_and_summaries(digests):
    digests.subscribe(READER, "07:00")
    digests.add(1, source="Báo Hà Tĩnh")
    digests.add(2, source="VnExpress", hours_ago=2)
    await digests.run(hanoi(28, 6, 59))
    assert digests.to(READER) == []
    await digests.run(hanoi(28, 7, 0))
    [message] = digests.to(READER)
    assert message.visible.startswith("📰 Bản tin sáng 28/11")
    assert '<b><a href="https://example.vn/tin/1.html">' in message.text or \
        '<a href="https://example.vn/tin/1.html"><b>' in message.text
    assert "Báo Hà Tĩnh" in message.visible and "VnExpress" in message.visible
    assert "Tóm tắt tin số 1." in message.visible
    assert message.visible.index("Tin thứ 1") < message.visible.index("Tin thứ 2")  # newest first
    [row] = digests.deliveries(READER)
    assert (row.local_date, row.status) == ("2024-11-28", "sent")
    assert sorted(row.article_ids) == [1, 2]
    for minute in (1, 2, 30):  # later ticks the same day send nothing more
        await digests.run(hanoi(28, 7, minute))
    await digests.run(hanoi(28, 23, 59))
    assert len(digests.to(READER)) == 1


async def test_second_digest_has_only_what_arrived_since_the_first(digests):
    digests.subscribe(READER, "07:00")
    digests.add(1)
    await digests.run(hanoi(28, 7, 0))
    digests.clock.set(hanoi(28, 15, 0))
    digests.add(2)
    await digests.run(hanoi(29, 7, 0))
    second = digests.to(READER)[1].visible
    assert second.startswith("📰 Bản tin sáng 29/11")
    assert "Tin thứ 2" in second and "Tin thứ 1 " not in second


async def test_a_new_subscription_waits_for_the_next_occurrence(digests):
    digests.clock.set(hanoi(28, 9, 0))
    answer = digests.subscribe(READER, "07:30")
    assert "Bản tin tiếp theo: 07:30 thứ Sáu 29/11" in answer
    digests.add(1)
    await digests.run(hanoi(28, 9, 1))
    await digests.run(hanoi(28, 12, 0))
    assert digests.to(READER) == []
    await digests.run(hanoi(29, 7, 30))
    assert len(digests.to(READER)) == 1


async def test_late_within_catch_up_is_sent_beyond_it_is_missed(digests):
    digests.subscribe(READER, "07:00")
    digests.subscribe(OTHER, "06:00")
    digests.add(1)
    # bantin was down from 05:00 until 09:30: 07:00 is 2.5 h late (sent), 06:00 3.5 h (missed).
    counts = await digests.run(hanoi(28, 9, 30))
    assert counts["missed"] == 1 and counts["pending"] == 1
    assert len(digests.to(READER)) == 1 and digests.to(OTHER) == []
    [missed] = digests.deliveries(OTHER)
    assert missed.status == "missed" and "catch_up_hours" in missed.reason
    digests.add(2)
    await digests.run(hanoi(29, 6, 0))
    assert len(digests.to(OTHER)) == 1  # the next day is normal again


async def test_days_of_downtime_are_each_recorded_missed(digests):
    digests.subscribe(READER, "07:00")
    digests.clock.set(hanoi(1, 6, 0, month=12))
    digests.add(1)
    await digests.run(hanoi(1, 8, 0, month=12))  # down from Thursday to Sunday 08:00
    rows = digests.deliveries(READER)
    assert [(r.local_date, r.status) for r in rows] == [
        ("2024-11-28", "missed"), ("2024-11-29", "missed"), ("2024-11-30", "missed"),
        ("2024-12-01", "sent")]


async def test_weekdays_only(digests):
    digests.subscribe(READER, "07:00 t2-t6")
    digests.add(1)
    for day in (28, 29, 30):
        await digests.run(hanoi(day, 7, 0))
    await digests.run(hanoi(1, 7, 0, month=12))
    digests.add(2)
    await digests.run(hanoi(2, 7, 0, month=12))
    dates = [r.local_date for r in digests.deliveries(READER)]
    assert dates == ["2024-11-28", "2024-11-29", "2024-12-02"]  # not Saturday 30, Sunday 1


async def test_readers_in_other_time_zones_get_their_own_morning(digests):
    digests.subscribe(READER, "07:00")
    digests.core.respond(Incoming("telegram", str(OTHER), text="/start"))
    digests.store.chats.set_timezone("telegram", str(OTHER), "Europe/London")
    digests.subscribe(OTHER, "07:00")
    digests.add(1)
    await digests.run(hanoi(28, 7, 0))  # 00:00 in London
    assert len(digests.to(READER)) == 1 and digests.to(OTHER) == []
    digests.clock.set(hanoi(28, 13, 58))
    digests.add(2)
    await digests.run(hanoi(28, 14, 0))  # 07:00 in London
    [london] = digests.to(OTHER)
    assert london.visible.startswith("📰 Bản tin sáng 28/11")


async def test_ranking_diversity_and_one_story_from_two_outlets(digests):
    digests.subscribe(READER, "07:00")
    simhashes = [random.Random(n).getrandbits(63) for n in range(10)]
    for n in range(1, 6):
        digests.add(n, source="Báo A", hours_ago=n, simhash=simhashes[n])
    digests.add(6, source="Báo B", hours_ago=6.5, simhash=simhashes[6])
    # The same story as article 1 in another outlet: two bits differ.
    digests.add(7, source="Báo C", hours_ago=1.5, simhash=simhashes[1] ^ 0b11,
                title="Cùng một sự kiện từ báo khác")
    digests.add(8, source="Báo D", hours_ago=60)  # published too long ago
    await digests.run(hanoi(28, 7, 0))
    text = digests.to(READER)[0].visible
    assert text.count("Báo A ·") == 3  # at most three stories led by one outlet
    # One entry for the story of articles 1 and 7, naming both outlets, earliest first.
    assert "2 báo đưa tin: Báo C, Báo A" in text
    assert ("Cùng một sự kiện" in text) != ("Tin thứ 1 về" in text)
    assert "Tin thứ 6" in text and "Tin thứ 8" not in text
    [row] = digests.deliveries(READER)
    assert 7 in row.article_ids and 8 not in row.article_ids


async def test_a_long_digest_keeps_to_two_messages_dropping_the_lowest_ranked(digests):
    digests.sender.settings = DigestSettings(max_articles=40)
    digests.subscribe(READER, "07:00")
    for n in range(1, 41):
        digests.add(n, source=f"Báo {n % 14}", hours_ago=n / 2,
                    summary=f"Tóm tắt dài số {n}: " + "chữ & <thẻ> " * 40)
    await digests.run(hanoi(28, 7, 0))
    messages = digests.to(READER)
    assert len(messages) == 2
    assert all(m.parse_mode == "HTML" for m in messages)
    shown = digests.deliveries(READER)[0].article_ids
    assert 1 in shown and 40 not in shown and len(shown) < 40


async def test_topics_filter_by_category_or_source(digests):
    digests.add(1, category="Thể thao", source="Báo A")
    digests.add(2, category="Kinh doanh", source="Báo A")
    digests.add(3, category="Thời sự", source="VnExpress")
    answer = digests.subscribe(READER, "07:00 t2-t6 the thao, vnexpress")
    assert "Chủ đề: Thể thao, VnExpress" in answer and "từ thứ Hai đến thứ Sáu" in answer
    await digests.run(hanoi(28, 7, 0))
    text = digests.to(READER)[0].visible
    assert "Tin thứ 1" in text and "Tin thứ 3" in text and "Tin thứ 2" not in text


async def test_nothing_new_is_recorded_skipped_and_sends_nothing(digests):
    digests.subscribe(READER, "07:00")
    await digests.run(hanoi(28, 7, 0))
    assert digests.to(READER) == []
    [row] = digests.deliveries(READER)
    assert row.status == "skipped"


@pytest.mark.parametrize("digest_settings", [{"send_when_empty": True}])
async def test_send_when_empty_says_there_is_no_news(digests):
    digests.subscribe(READER, "18:30")
    await digests.run(hanoi(28, 18, 30))
    [message] = digests.to(READER)
    assert message.visible.startswith("📰 Bản tin tối 28/11")
    assert "Không có tin mới" in message.visible


async def test_a_reader_who_blocked_the_bot_is_recorded_and_kept(digests):
    for chat in (READER, OTHER, THIRD):
        digests.subscribe(chat, "07:00")
    digests.add(1)
    digests.server.block(OTHER)
    await digests.run(hanoi(28, 7, 0))
    assert len(digests.to(READER)) == 1 and len(digests.to(THIRD)) == 1
    [row] = digests.deliveries(OTHER)
    assert row.status == "blocked" and "blocked" in row.reason
    assert not digests.store.chats.get("telegram", str(OTHER)).active
    subscription = digests.store.subscriptions.get("telegram", str(OTHER))
    assert subscription.active and subscription.time == "07:00"
    calls = len(digests.server.calls_to("sendMessage"))
    digests.add(2)
    await digests.run(hanoi(29, 7, 0))  # inactive chat: recorded blocked, no request at all
    assert [c.params["chat_id"] for c in digests.server.calls_to("sendMessage")[calls:]] \
        .count(str(OTHER)) == 0
    assert digests.deliveries(OTHER)[1].status == "blocked"
    digests.server.unblock(OTHER)
    digests.core.respond(Incoming("telegram", str(OTHER), text="/settings"))  # reader returns
    digests.clock.set(hanoi(30, 6, 0))
    digests.add(3)
    await digests.run(hanoi(30, 7, 0))
    [message] = digests.to(OTHER)
    assert message.visible.startswith("📰 Bản tin sáng 30/11")


async def test_a_429_storm_is_waited_out_and_everyone_gets_exactly_one(digests):
    readers = range(600, 640)
    for chat in readers:
        digests.subscribe(chat, "07:00")
    digests.add(1)
    digests.server.fail("sendMessage", 429, "Too Many Requests: retry after 1",
                        retry_after=1, times=6)
    await digests.run(hanoi(28, 7, 0))
    assert sum(c.status == 429 for c in digests.server.calls_to("sendMessage")) == 6
    for chat in readers:
        assert len(digests.to(chat)) == 1, chat
    assert digests.store.deliveries.counts() == {"sent": 40}


# Rounds of 2 (4 a second × 0.5 s): wide enough apart that no second round can start before
# the first round's requests reach the server, however loaded the machine.
@pytest.mark.parametrize("digest_settings", [{"rate_per_second": 4, "round_seconds": 0.5}])
async def test_only_the_round_on_the_wire_is_sending_the_rest_wait_pending(digests,
                                                                         monkeypatch):
    """What a crash can cost: digests waiting their turn are still ``pending`` (sent after a
    restart), only the round whose requests are leaving is ``sending``."""
    readers = range(700, 710)
    for chat in readers:
        digests.subscribe(chat, "07:00")
    digests.add(1)
    seen: list[dict[str, int]] = []
    real = digests.server._api_sendMessage

    async def send_message(params):
        seen.append(digests.store.deliveries.counts())
        return await real(params)

    monkeypatch.setattr(digests.server, "_api_sendMessage", send_message)
    await digests.run(hanoi(28, 7, 0))
    assert seen[0] == {"sending": 2, "pending": 8}
    assert all(counts.get("sending", 0) <= 4 for counts in seen)  # this round, the last one's
    for chat in readers:
        assert len(digests.to(chat)) == 1, chat
    assert digests.store.deliveries.counts() == {"sent": 10}


async def test_network_errors_are_retried_then_recorded_failed_without_stopping_others(digests):
    for chat in (READER, OTHER, THIRD):
        digests.subscribe(chat, "07:00")
    digests.add(1)
    digests.server.fail("sendMessage", 502, "Bad Gateway", chat_id=READER, times=2)
    digests.server.fail("sendMessage", 502, "Bad Gateway", chat_id=OTHER, times=50)
    await digests.run(hanoi(28, 7, 0))
    assert len(digests.to(READER)) == 1 and len(digests.to(THIRD)) == 1
    assert digests.to(OTHER) == []
    [row] = digests.deliveries(OTHER)
    assert row.status == "failed" and "Bad Gateway" in row.reason


async def test_a_parse_error_is_resent_once_as_plain_text(digests):
    digests.subscribe(READER, "07:00")
    digests.add(1)
    digests.server.fail("sendMessage", 400, "Bad Request: can't parse entities: bad tag",
                        chat_id=READER)
    await digests.run(hanoi(28, 7, 0))
    [message] = digests.to(READER)
    assert message.parse_mode is None and "Bản tin sáng" in message.visible
    assert digests.deliveries(READER)[0].status == "sent"


async def test_a_bug_for_one_reader_does_not_stop_the_others(digests, monkeypatch):
    for chat in (READER, OTHER):
        digests.subscribe(chat, "07:00")
    digests.add(1)
    real_send = digests.core.send

    async def send(address, reply):
        if address.chat_id == str(READER):
            raise RuntimeError("something broke")
        return await real_send(address, reply)

    monkeypatch.setattr(digests.core, "send", send)
    await digests.run(hanoi(28, 7, 0))
    assert len(digests.to(OTHER)) == 1
    [row] = digests.deliveries(READER)
    assert row.status == "failed" and "something broke" in row.reason


async def test_after_a_restart_pending_is_sent_and_sending_is_never_resent(digests):
    for chat in (READER, OTHER):
        digests.subscribe(chat, "07:00")
    digests.add(1)
    await digests.sender.stop()  # no workers: the tick only claims
    digests.clock.set(hanoi(28, 7, 0))
    await digests.sender.tick()
    pending = {r.status for chat in (READER, OTHER) for r in digests.deliveries(chat)}
    assert pending == {"pending"}
    # The previous process had started sending to READER when it died.
    [row] = digests.deliveries(READER)
    assert digests.store.deliveries.start_sending(row.id, [1], digests.clock())
    digests.clock.advance(minutes=5)
    await digests.sender.start()  # the restart
    await digests.sender.drain()
    assert digests.to(READER) == [] and len(digests.to(OTHER)) == 1
    [lost] = digests.deliveries(READER)
    assert lost.status == "failed" and lost.reason == INTERRUPTED
    await digests.run(hanoi(28, 8, 0))
    assert digests.to(READER) == []  # never resent the same day


async def test_pending_rows_older_than_the_catch_up_window_become_missed(digests):
    digests.subscribe(READER, "07:00")
    digests.add(1)
    await digests.sender.stop()
    digests.clock.set(hanoi(28, 7, 0))
    await digests.sender.tick()
    digests.clock.set(hanoi(28, 7, 0) + timedelta(hours=4))
    await digests.sender.start()
    await digests.sender.drain()
    assert digests.to(READER) == []
    assert digests.deliveries(READER)[0].status == "missed"



async def test_the_digest_message_remembers_its_articles_for_replies(digests):
    digests.subscribe(READER, "07:00")
    first, second = digests.add(1), digests.add(2, hours_ago=2)
    await digests.run(hanoi(28, 7, 0))
    [message] = digests.to(READER)
    shown = digests.store.sent_messages.articles("telegram", str(READER), str(message.message_id))
    assert shown == [first, second]
    [row] = digests.deliveries(READER)
    assert row.status == "sent" and row.article_ids == [first, second]
