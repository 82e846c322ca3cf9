"""Stories in the store: grouping at save, apart when different, stable, and the migration."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from store import SCHEMA_VERSION, Article, Store, grouping, story_window
from store.articles import Articles, content_hash
from store.migrations import MIGRATIONS
from store.story_match import OUTLET_AGAIN, SAME_EVENT, score, shares_figure, signature
from tests.helpers.stories import (
    CRASH, FIRE_MOT_THE_GIOI, FIRE_TUOI_TRE, FIRE_VOV, FLOOD, MORNING, OTHER_FIRE, RELIEF,
    article, crash_retold, flood_retold, fresh, three_outlets,
)


def story_ids(store: Store) -> dict[str, int]:
    rows = store.database.execute("SELECT source, story_id FROM articles").fetchall()
    return dict(rows)


def test_two_outlets_make_one_story_and_a_third_joins_later(fresh_store: Store) -> None:
    fresh_store.articles.save(fresh(FIRE_TUOI_TRE))
    fresh_store.articles.save(fresh(FIRE_VOV))
    [story] = fresh_store.stories.latest(10)
    assert story.sources == ["Tuổi Trẻ", "VOV"]
    fresh_store.articles.save(fresh(FIRE_MOT_THE_GIOI))
    [story] = fresh_store.stories.latest(10)
    assert story.sources == ["Tuổi Trẻ", "VOV", "Một Thế Giới"]
    assert story.article_count == 3
    assert story.first_seen == FIRE_TUOI_TRE.published_at
    assert story.last_updated == FIRE_MOT_THE_GIOI.published_at
    assert story.title in {a.title for a in three_outlets()}


def test_two_fires_of_the_same_day_stay_apart(fresh_store: Store) -> None:
    for template in (*three_outlets(), OTHER_FIRE):
        fresh_store.articles.save(fresh(template))
    ids = story_ids(fresh_store)
    assert ids["Dân Trí"] != ids["Tuổi Trẻ"] == ids["VOV"] == ids["Một Thế Giới"]
    assert fresh_store.stories.count() == 2


# One fire told two ways that share no wording, then an article telling both.
MARKET = article(11, "Tuổi Trẻ", "Cháy lớn tại chợ Vinh, hơn 200 ki-ốt bị thiêu rụi",
                 "Rạng sáng 2/3, đám cháy lớn bùng lên tại chợ Vinh thiêu rụi hơn 200 ki-ốt "
                 "của tiểu thương.", "")
TRADERS = article(12, "VOV", "Tiểu thương Nghệ An mất trắng sau hỏa hoạn",
                  "Hàng trăm hộ kinh doanh ở Nghệ An khóc ròng khi toàn bộ hàng hóa biến thành "
                  "tro, thiệt hại ước tính 15 tỷ đồng.", "", hours=1)
BOTH = article(13, "Một Thế Giới", "Cháy lớn tại chợ Vinh: tiểu thương Nghệ An mất trắng",
               MARKET.lead + " " + TRADERS.lead, "", hours=2)


def test_an_article_telling_two_stories_as_one_event_merges_them(fresh_store: Store) -> None:
    fresh_store.articles.save(fresh(MARKET))
    fresh_store.articles.save(fresh(TRADERS))
    first, second = sorted(s.id for s in fresh_store.stories.latest(10))
    fresh_store.articles.save(fresh(BOTH))
    [story] = fresh_store.stories.latest(10)
    assert story.id == first  # the older story keeps its id; the other is gone
    assert story.sources == ["Tuổi Trẻ", "VOV", "Một Thế Giới"] and story.article_count == 3
    assert fresh_store.stories.count() == 1


def test_two_stories_of_one_outlet_are_not_merged_by_an_article_telling_both(
        fresh_store: Store) -> None:
    # Tuổi Trẻ told the market fire and, in other words, the traders' loss: to Tuổi Trẻ these
    # are two events, so an article telling both joins one of them and merges nothing.
    fresh_store.articles.save(fresh(MARKET))
    fresh_store.articles.save(fresh(replace(TRADERS, source="Tuổi Trẻ",
                                            url="https://tuoitre.example.vn/tin/12.html")))
    assert fresh_store.stories.count() == 2
    fresh_store.articles.save(fresh(BOTH))
    stories = fresh_store.stories.latest(10)
    assert len(stories) == 2
    assert sorted(story.article_count for story in stories) == [1, 2]


def _sig(item):
    return signature(item.title, item.lead, item.text)


def test_an_outlets_weakly_matching_second_article_starts_its_own_story(
        fresh_store: Store, tmp_path: Path) -> None:
    hours = (RELIEF.published_at - FIRE_VOV.published_at).total_seconds() / 86400
    assert SAME_EVENT <= score(_sig(RELIEF), _sig(FIRE_VOV), hours) < OUTLET_AGAIN
    fresh_store.articles.save(fresh(FIRE_TUOI_TRE))
    fresh_store.articles.save(fresh(FIRE_VOV))
    fresh_store.articles.save(fresh(RELIEF))  # Tuổi Trẻ again: its report of the next event
    assert fresh_store.stories.count() == 2
    [fire] = [s for s in fresh_store.stories.latest(10) if s.article_count == 2]
    assert fire.sources == ["Tuổi Trẻ", "VOV"]
    # The same article from an outlet not yet in the story joins it.
    other = Store(tmp_path / "other.db")
    try:
        other.articles.save(fresh(FIRE_TUOI_TRE))
        other.articles.save(fresh(FIRE_VOV))
        other.articles.save(fresh(replace(RELIEF, source="Dân Trí",
                                          url="https://dantri.example.vn/tin/21.html")))
        [story] = other.stories.latest(10)
        assert story.sources == ["Tuổi Trẻ", "VOV", "Dân Trí"]
    finally:
        other.close()


def test_the_same_event_a_week_later_is_a_new_story(fresh_store: Store) -> None:
    fresh_store.articles.save(fresh(FIRE_TUOI_TRE))
    later = fresh(FIRE_VOV)
    later.published_at = later.fetched_at = FIRE_VOV.published_at + timedelta(days=7)
    fresh_store.articles.save(later)
    assert fresh_store.stories.count() == 2


def test_reports_quoting_the_same_figure_join_and_other_figures_stay_apart(
        fresh_store: Store, tmp_path: Path) -> None:
    fresh_store.articles.save(fresh(FLOOD))
    fresh_store.articles.save(flood_retold("14"))
    assert fresh_store.stories.count() == 1
    # The same words with another count of houses: they share the night's date (5/7), which
    # every event of that night shares, so it is not evidence; two stories.
    other = Store(tmp_path / "other.db")
    try:
        other.articles.save(fresh(FLOOD))
        other.articles.save(flood_retold("20"))
        assert other.stories.count() == 2
    finally:
        other.close()


def test_reports_whose_figures_all_differ_stay_apart(fresh_store: Store, tmp_path: Path) -> None:
    # Both name the road and the district and tell a crash in similar words; one agrees on the
    # 45 passengers, the other quotes 29 passengers and 17 injured against 45 and 12.
    fresh_store.articles.save(fresh(CRASH))
    fresh_store.articles.save(crash_retold("29", "17"))
    assert fresh_store.stories.count() == 2
    other = Store(tmp_path / "other.db")
    try:
        other.articles.save(fresh(CRASH))
        other.articles.save(crash_retold("45", "17"))
        assert other.stories.count() == 1
    finally:
        other.close()


def test_years_and_dates_are_not_figures() -> None:
    def sig(lead: str):
        return signature("Tin sáng", lead)
    assert shares_figure(sig("Thiệt hại 15 tỷ đồng."), sig("Mất 15 tỷ đồng."))
    assert not shares_figure(sig("Sáng 2/3/2026, năm 2026."), sig("Ngày 2/3/2026, năm 2026."))
    assert not shares_figure(sig("Chiều 19.5 tại đây."), sig("Sáng 19.5 ở đó."))


def test_a_weak_match_two_days_later_is_a_new_story_a_strong_one_joins(
        fresh_store: Store) -> None:
    fresh_store.articles.save(fresh(FLOOD))
    fresh_store.articles.save(flood_retold("14", hours=48))  # joins within hours (test above)
    assert fresh_store.stories.count() == 2
    # Two reports telling one fire in nearly the same words still join two days apart.
    fresh_store.articles.save(fresh(FIRE_TUOI_TRE))
    late = fresh(FIRE_VOV)
    late.published_at = late.fetched_at = FIRE_VOV.published_at + timedelta(days=2)
    fresh_store.articles.save(late)
    assert fresh_store.stories.count() == 3


def test_an_article_corrected_in_place_stays_in_its_story(fresh_store: Store) -> None:
    for template in three_outlets():
        fresh_store.articles.save(fresh(template))
    before = story_ids(fresh_store)["VOV"]
    corrected = fresh(FIRE_VOV)
    corrected.title = "Nghệ An: cháy chợ Vinh, nhiều tiểu thương trắng tay"
    corrected.text += " Chính quyền TP Vinh đã hỗ trợ tiểu thương ổn định cuộc sống."
    outcome, _ = fresh_store.articles.save(corrected)
    assert outcome == "updated"
    assert story_ids(fresh_store)["VOV"] == before
    assert fresh_store.stories.count() == 1


def test_grouping_is_deterministic(fresh_store: Store, tmp_path: Path) -> None:
    for template in (*three_outlets(), OTHER_FIRE):
        fresh_store.articles.save(fresh(template))
    first = story_ids(fresh_store)
    fresh_store.stories.regroup()
    assert story_ids(fresh_store).keys() == first.keys()
    again = story_ids(fresh_store)
    assert len(set(again.values())) == 2 and again["VOV"] == again["Tuổi Trẻ"]


@pytest.mark.parametrize("days_kept", [story_window.MAX_DAYS, 8])
def test_the_window_kept_in_memory_groups_as_the_database_does(
        fresh_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        days_kept: int) -> None:
    """Grouping keeps recent articles in memory between saves; the stories must be those made
    when every save reads them from the database again (over days, merges, an update, and an
    old page that makes the window drop days)."""
    monkeypatch.setattr(story_window, "MAX_DAYS", days_kept)

    def retold(template: Article, days: float) -> Article:
        """The template's event told again ``days`` later, at another address."""
        return replace(fresh(template, at=MORNING + timedelta(days=days)),
                       url=f"{template.url}?ngay={days}",
                       text=f"{template.text} Tin cập nhật sau {days} ngày.")

    templates = [*three_outlets(), OTHER_FIRE, FLOOD, flood_retold("120"), CRASH,
                 crash_retold("30", "5"), crash_retold("31", "6"),  # the last corrects the one before
                 retold(FIRE_VOV, 5), retold(FIRE_TUOI_TRE, 5.2),
                 retold(FLOOD, -40),  # an old page: the window drops days for it
                 retold(FIRE_MOT_THE_GIOI, 6)]
    warm = [fresh_store.articles.save(fresh(t))[1] for t in templates]
    fresh_store.articles.save(replace(fresh(FIRE_VOV), text=FIRE_VOV.text + " Cập nhật."))
    # Days dropped and read again leave each article once under each of its keys.
    window = story_window.window_for(fresh_store.database.conn)
    for _, ids in window._by_key.values():
        assert len(set(ids)) == len(ids) and set(ids) <= set(window.members)

    cold_store = Store(tmp_path / "cold.db")
    save = cold_store.articles.save
    monkeypatch.setattr(cold_store.articles, "save", lambda article: (
        story_window.forget(cold_store.database.conn), save(article))[1])
    try:
        cold = [cold_store.articles.save(fresh(t))[1] for t in templates]
        cold_store.articles.save(replace(fresh(FIRE_VOV), text=FIRE_VOV.text + " Cập nhật."))
        assert warm == cold
        stories = "SELECT id, story_id FROM articles ORDER BY id"
        grouped = fresh_store.database.execute(stories).fetchall()
        assert grouped == cold_store.database.execute(stories).fetchall()
        assert len({story for _, story in grouped}) < len(grouped)
        late_fire = [story for (_, story), t in zip(grouped[-4:], templates[-4:])
                     if t.source != "Lao Động"]
        assert len(set(late_fire)) == 1  # the fire told again days later: one new story
        assert late_fire[0] not in {story for _, story in grouped[:3]}
    finally:
        cold_store.close()


def _database_at_schema_6(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for number, migration in enumerate(MIGRATIONS[:6], start=1):
        conn.execute("BEGIN")
        migration(conn)
        conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")
    return conn


def test_a_database_at_schema_6_is_grouped_once_and_loses_nothing(store_path: Path) -> None:
    conn = _database_at_schema_6(store_path)
    for n, a in enumerate((*three_outlets(), OTHER_FIRE), start=1):
        when = a.published_at.isoformat()
        conn.execute(
            "INSERT INTO articles (url, source, title, lead, text, summary, published_at, "
            "fetched_at, updated_at, sort_at, content_hash, link) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (a.url, a.source, a.title, a.lead, a.text, a.summary, when, when, when, when,
             content_hash(a.title, a.lead, a.text), a.url))
    conn.close()
    store = Store(store_path)
    try:
        assert store.articles.count() == 4
        ids = story_ids(store)
        assert None not in ids.values()
        assert ids["Dân Trí"] != ids["Tuổi Trẻ"] == ids["VOV"] == ids["Một Thế Giới"]
        assert [a.title for a in store.stories.get(ids["VOV"]).articles] == [
            a.title for a in three_outlets()]
        # A new copy of a stored article still dedups, and stays in its story.
        assert store.articles.save(replace(fresh(FIRE_VOV)))[0] == "unchanged"
    finally:
        store.close()
    assert sqlite3.connect(store_path).execute(
        "PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_database_at_schema_11_loses_its_key_table_and_keeps_its_stories(
        store_path: Path) -> None:
    store = Store(store_path)
    for template in three_outlets():
        store.articles.save(fresh(template))
    before_stories = story_ids(store)
    store.close()
    # Put back the key table schema 11 had (grouping kept its index keys there).
    conn = sqlite3.connect(store_path, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute("CREATE TABLE story_keys (key TEXT NOT NULL, at INTEGER NOT NULL, "
                 "article_id INTEGER NOT NULL, PRIMARY KEY (key, at, article_id)) WITHOUT ROWID")
    conn.execute("CREATE INDEX story_keys_article ON story_keys (article_id)")
    conn.execute("INSERT INTO story_keys SELECT 'n:vinh', 0, id FROM articles")
    conn.execute("PRAGMA user_version = 11")
    conn.execute("COMMIT")
    conn.close()

    store = Store(store_path)
    try:
        assert store.database.execute(
            "SELECT count(*) FROM sqlite_master WHERE name LIKE 'story_keys%'").fetchone()[0] == 0
        assert story_ids(store) == before_stories
        # The stories are still found: a fourth outlet's article joins them.
        late = fresh(FIRE_VOV)
        late.url, late.source = "https://vnexpress.example.vn/tin/5.html", "VnExpress"
        late.title = "Cháy chợ Vinh: 200 ki-ốt bị thiêu rụi, thiệt hại 15 tỷ đồng"
        late.published_at = late.fetched_at = FIRE_MOT_THE_GIOI.published_at + timedelta(hours=1)
        store.articles.save(late)
        assert len(set(story_ids(store).values())) == 1
        [story] = store.stories.latest(10)
        assert story.sources == ["Tuổi Trẻ", "VOV", "Một Thế Giới", "VnExpress"]
    finally:
        store.close()


def test_a_save_by_another_connection_is_seen_by_grouping(store_path: Path) -> None:
    """Grouping keeps recent articles in memory per connection; another writer's article (a
    second process, another thread's connection) must still be found."""
    first, second = Store(store_path), Store(store_path)
    try:
        tuoi_tre, vov, mot_the_gioi = three_outlets()
        first.articles.save(fresh(tuoi_tre))  # warms the first store's window
        second.articles.save(fresh(vov))
        first.articles.save(fresh(mot_the_gioi))
        assert len(set(story_ids(first).values())) == 1
    finally:
        first.close()
        second.close()


def test_other_writes_keep_the_window_of_recent_articles(store_path: Path) -> None:
    """The bot writes all the time (chats, deliveries, sent messages); only grouping's own
    writes through another connection make a connection read its recent articles again."""
    saver, bot = Store(store_path), Store(store_path)
    try:
        tuoi_tre, vov, _ = three_outlets()
        saver.articles.save(fresh(tuoi_tre))
        kept = story_window.window_for(saver.database.conn)
        bot.database.execute("INSERT INTO sent_messages (platform, chat_id, message_id, "
                             "position, article_id, created_at) "
                             "VALUES ('telegram', '1', '1', 0, 1, '')")
        assert story_window.window_for(saver.database.conn) is kept
        bot.articles.save(fresh(vov))
        assert story_window.window_for(saver.database.conn) is not kept
    finally:
        saver.close()
        bot.close()


def _second_call_fails(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, except that its second call fails as a full disk would."""
    calls = 0

    def wrapped(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise sqlite3.OperationalError("disk I/O error")
        return function(*args)
    return wrapped


def test_a_batch_rolled_back_leaves_no_trace_in_grouping(
        fresh_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch that fails is rolled back whole: its first article, grouped before the failure,
    must not be there for the next article to join."""
    tuoi_tre, vov, mot_the_gioi = three_outlets()
    monkeypatch.setattr(Articles, "_index", staticmethod(_second_call_fails(Articles._index)))
    with pytest.raises(sqlite3.OperationalError):
        fresh_store.articles.save_many([fresh(tuoi_tre), fresh(mot_the_gioi)])
    monkeypatch.undo()
    assert fresh_store.articles.count() == 0
    fresh_store.articles.save(fresh(vov))
    [story] = fresh_store.stories.latest(10)
    assert story.sources == ["VOV"]
    assert story.article_count == 1


def test_a_regroup_rolled_back_leaves_no_trace_in_grouping(
        fresh_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    tuoi_tre, vov, mot_the_gioi = three_outlets()
    for template in (tuoi_tre, vov):
        fresh_store.articles.save(fresh(template))
    monkeypatch.setattr(grouping, "assign", _second_call_fails(grouping.assign))
    with pytest.raises(sqlite3.OperationalError):
        fresh_store.stories.regroup()
    monkeypatch.undo()
    fresh_store.articles.save(fresh(mot_the_gioi))
    [story] = fresh_store.stories.latest(10)
    assert story.sources == ["Tuổi Trẻ", "VOV", "Một Thế Giới"]
