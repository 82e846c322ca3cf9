"""Telegram readers see one entry per story, every outlet linked to its own article."""

from __future__ import annotations

from datetime import timedelta

from tests.helpers.articles import NOW
from tests.stories.fixtures import OTHER_FIRE, save_all, three_outlets

READER = 4242


async def test_latest_shows_one_entry_per_story_with_linked_outlets(harness):
    ids = save_all(harness.store, [*three_outlets(), OTHER_FIRE], at=NOW - timedelta(hours=9))
    [latest] = await harness.say(READER, "/latest")
    visible = latest.visible
    assert "1. " in visible and "2. " in visible and "3. " not in visible
    assert "3 báo đưa tin: Tuổi Trẻ, VOV, Một Thế Giới" in visible
    for name, address in (("Tuổi Trẻ", "https://tuoitre.example.vn/tin/1.html"),
                          ("VOV", "https://vov.example.vn/tin/2.html"),
                          ("Một Thế Giới", "https://motthegioi.example.vn/tin/3.html")):
        assert f'<a href="{address}">{name}</a>' in latest.text
    assert "Cháy xưởng gỗ ở Bình Dương" in visible  # the other fire: its own entry
    # /comments keeps working on the article numbers shown.
    shown = [n for n in ids if f"#{n}" in visible]
    assert shown and all(n in ids for n in shown)
    [comments] = await harness.say(READER, f"/comments {shown[0]}")
    assert "ý kiến" in comments.visible or "bình luận" in comments.visible.lower()


async def test_search_groups_results_by_story(harness):
    save_all(harness.store, [*three_outlets(), OTHER_FIRE], at=NOW - timedelta(hours=9))
    [found] = await harness.say(READER, "/search chay")
    assert found.visible.count("báo đưa tin") == 1
    assert found.visible.count("\n1. ") + found.visible.startswith("1. ") <= 1
    assert "Bình Dương" in found.visible and "3 báo đưa tin" in found.visible
