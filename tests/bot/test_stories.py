"""The story conversation, once, at the engine: what /latest, /search and the digest show for
an event several outlets carried.

One entry per story: the story's headline (linked to its headline article) and summary, the
headline article's number (the one /comments and /feedback take), then "3 báo đưa tin: …" with
each outlet linked to its own article; a story sent in a digest comes back only when it grew,
marked "🔄 Cập nhật". How a transport shows those links (HTML on Telegram, addresses written out
on Zalo and the console, within each platform's length limit) is the transports' contract
(``tests/transports/test_contract.py``).
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.engine.messages import Reply
from bot.features.digests.sender import DigestSender
from bot.features.moderation import ACK_FEEDBACK
from store import Store, Story
from tests.helpers.articles import NOW
from tests.helpers.clock import Clock, hanoi
from tests.helpers.conversation import PLATFORM, READER, engine, labels, links, shown
from tests.helpers.stories import (FIRE_MOT_THE_GIOI, FIRE_TUOI_TRE, FIRE_VOV, OTHER_FIRE,
                                   OUTLETS, save_all, three_outlets)

HEADLINE = "Cháy lớn tại chợ Vinh, hơn 200 ki-ốt bị thiêu rụi"
STORY_SUMMARY = ("Hơn 200 ki-ốt chợ Vinh cháy rạng sáng 2/3, thiệt hại khoảng 15 tỷ đồng; "
                 "12 xe chữa cháy khống chế đám cháy lúc 7h, không ai bị thương.")




def fire_story(store: Store) -> Story:
    [story] = [s for s in store.stories.latest(limit=10) if len(s.article_ids) > 1]
    return story


def summarise(store: Store) -> None:
    """What the pipeline does after grouping: the story gets a summary of its own."""
    story = fire_story(store)
    store.stories.set_summary(story.id, STORY_SUMMARY, len(story.article_ids))


def article_numbers(reply: Reply) -> list[str]:
    """The "#id" of each entry, in order."""
    return re.findall(r" · #(\d+)", shown(reply))


def assert_the_fire_story_reads_right(reply: Reply, outlets=OUTLETS) -> None:
    """The story's headline and summary, once, and each outlet linked to its own article."""
    text = shown(reply)
    assert text.count(HEADLINE) == 1 and STORY_SUMMARY in text
    assert FIRE_TUOI_TRE.lead not in text  # the story's summary, not its headline article's
    assert FIRE_VOV.title not in text and FIRE_MOT_THE_GIOI.title not in text
    names = ", ".join(name for name, _ in outlets)
    assert f"{len(outlets)} báo đưa tin: {names}" in text and text.count("báo đưa tin") == 1
    assert (HEADLINE, OUTLETS[0][1]) in links(reply)
    for outlet in outlets:
        assert outlet in links(reply), outlet


async def test_latest_shows_one_entry_per_story_with_every_outlet(bot):
    ids = save_all(bot.store, [*three_outlets(), OTHER_FIRE], at=NOW - timedelta(hours=9))
    summarise(bot.store)
    [latest] = await bot.say("/latest")
    assert_the_fire_story_reads_right(latest)
    text = shown(latest)
    assert "1. Cháy xưởng gỗ ở Bình Dương" in text and "2. " + HEADLINE in text
    assert "3. " not in text
    assert "Dân Trí · 1 giờ trước" in text  # the other fire: its own entry, its own outlet
    assert ("Cháy xưởng gỗ ở Bình Dương, thiệt hại hàng tỷ đồng",
            "https://dantri.example.vn/tin/4.html") in links(latest)
    assert article_numbers(latest) == [str(ids[3]), str(ids[0])]  # the headline's number


async def test_search_finds_a_story_by_any_of_its_articles_and_shows_it_once(bot):
    save_all(bot.store, [*three_outlets(), OTHER_FIRE], at=NOW - timedelta(hours=9))
    summarise(bot.store)
    [found] = await bot.say("/search chay")
    assert_the_fire_story_reads_right(found)
    assert "Bình Dương" in shown(found) and "3. " not in shown(found)
    # Words only VOV's article has find the whole story, told by its headline.
    [by_vov] = await bot.say("/search thanh tro")
    text = shown(by_vov)
    assert text.count(HEADLINE) == 1 and STORY_SUMMARY in text and "Bình Dương" not in text
    assert "3 báo đưa tin: Tuổi Trẻ, VOV, Một Thế Giới" in text


async def test_a_search_result_says_where_the_words_are_when_its_summary_does_not(bot):
    save_all(bot.store, [*three_outlets(), OTHER_FIRE], at=NOW - timedelta(hours=9))
    summarise(bot.store)
    # The headline and summary of each story show "cháy": nothing more to say.
    [found] = await bot.say("/search chay")
    assert found_lines(found) == []
    # Only VOV's title holds these words: that title, with its outlet.
    [by_title] = await bot.say("/search thanh tro")
    assert found_lines(by_title) == ["🔎 VOV: Nghệ An: Chợ Vinh cháy dữ dội, 200 ki-ốt thành tro"]
    # Only the texts hold these: the snippet around them, with their real diacritics.
    [by_text] = await bot.say("/search khu hang vai")
    [line] = found_lines(by_text)
    assert "khu hàng vải" in line and line.startswith(tuple(f"🔎 {n}: " for n, _ in OUTLETS))
    assert_the_fire_story_reads_right(by_text)
    # Typed with other diacritics ("vài" for "vải"), found folded: the line shows what is there.
    [typed] = await bot.say("/search hàng vài")
    [line] = found_lines(typed)
    assert "khu hàng vải" in line


def found_lines(reply: Reply) -> list[str]:
    """The "🔎 where the words are" lines of a search's entries (the heading aside)."""
    return [line for line in shown(reply).splitlines()[1:] if line.startswith("🔎")]


async def test_comments_and_feedback_take_the_number_a_story_shows(bot, plain):
    ids = save_all(bot.store, [*three_outlets(), OTHER_FIRE], at=NOW - timedelta(hours=9))
    headline = ids[0]
    bot.store.feedback.add("zalo", "u9", "Tiểu thương cần được hỗ trợ sớm", user_id="u9",
                           article_id=headline, status="approved", created_at=NOW)
    [latest] = await bot.say("/latest")
    assert f"#{headline} · 💬 1 ý kiến" in shown(latest)
    assert labels(latest) == [f"💬 1 ý kiến · #{headline}"]
    [*_, comments] = await bot.press(latest, f"💬 1 ý kiến · #{headline}")
    assert "Tiểu thương cần được hỗ trợ sớm" in shown(comments)
    [typed] = await plain.say(f"/comments {headline}")
    assert "Tiểu thương cần được hỗ trợ sớm" in shown(typed)

    [ack] = await plain.say(f"/feedback #{headline} Số ki-ốt bị cháy chưa khớp giữa các báo")
    assert shown(ack) == ACK_FEEDBACK
    [stored] = plain.store.feedback.for_chat(PLATFORM, READER)
    assert stored.article_id == headline
    assert stored.text == "Số ki-ốt bị cháy chưa khớp giữa các báo"


async def test_a_digest_shows_the_story_once_and_again_only_when_it_grew(fresh_store):
    clock = Clock(hanoi(27, 20, 0))
    async with engine(fresh_store, clock=clock) as reader:
        await reader.say("/subscribe 07:00")
        sender = DigestSender(reader.core, clock=clock)
        await sender.start()

        async def digest_at(at) -> list[Reply]:
            before = len(reader.transport.sent)
            clock.set(at)
            await sender.tick()
            await sender.drain()
            return [reply for chat, reply in reader.transport.sent[before:] if chat == READER]

        try:
            save_all(fresh_store, [FIRE_TUOI_TRE, FIRE_VOV], at=hanoi(27, 18, 0))
            summarise(fresh_store)
            [first] = await digest_at(hanoi(28, 7, 0))
            assert_the_fire_story_reads_right(first, OUTLETS[:2])
            assert "Cập nhật" not in shown(first)

            # Nothing new about it: not told again.
            assert all("chợ Vinh" not in shown(r) for r in await digest_at(hanoi(29, 7, 0)))

            clock.set(hanoi(29, 12, 0))
            save_all(fresh_store, [FIRE_MOT_THE_GIOI], at=hanoi(29, 11, 0) - timedelta(hours=6))
            summarise(fresh_store)
            [grown] = await digest_at(hanoi(30, 7, 0))
            assert_the_fire_story_reads_right(grown)
            assert f"1. {HEADLINE}\n🔄 Cập nhật · " in shown(grown)
        finally:
            await sender.stop()
