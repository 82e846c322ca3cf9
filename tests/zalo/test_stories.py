"""Zalo readers see one entry per story, each outlet's address written out, within 2,000."""

from __future__ import annotations

from datetime import timedelta

from bot.transports.zalo import TEXT_LIMIT
from tests.stories.fixtures import OTHER_FIRE, save_all, three_outlets
from tests.helpers.articles import NOW


async def test_latest_writes_each_outlets_address_within_the_limit(zalo):
    save_all(zalo.store, [*three_outlets(), OTHER_FIRE], at=NOW - timedelta(hours=9))
    messages = await zalo.say("u1", "/latest")
    text = "".join(m.text for m in messages)
    assert all(len(m.text) <= TEXT_LIMIT for m in messages)
    assert ("3 báo đưa tin: Tuổi Trẻ (https://tuoitre.example.vn/tin/1.html), "
            "VOV (https://vov.example.vn/tin/2.html), "
            "Một Thế Giới (https://motthegioi.example.vn/tin/3.html)") in text
    assert text.count("báo đưa tin") == 1 and "Bình Dương" in text
