"""``bantin stories`` and ``bantin regroup`` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from store import Store
from tests.helpers.cli import run
from tests.helpers.stories import MORNING, OTHER_FIRE, save_all, three_outlets


def _filled(config_file: Path) -> Path:
    store = Store(config_file.parent / "news.db")
    save_all(store, [*three_outlets(), OTHER_FIRE], at=MORNING)
    store.close()
    return config_file


def test_stories_json_has_the_documented_shape(config_file: Path) -> None:
    result = run("stories", "--since", "2026-03-01", "--limit", "0", "--json",
                 config=_filled(config_file))
    assert result.exit_code == 0, result.output
    stories = json.loads(result.output)
    assert len(stories) == 2
    assert all(set(s) == {"id", "title", "summary", "first_seen", "last_updated", "sources",
                          "articles"} for s in stories)
    fire = next(s for s in stories if len(s["articles"]) == 3)
    assert fire["sources"] == ["Tuổi Trẻ", "VOV", "Một Thế Giới"]
    assert fire["first_seen"] == "2026-03-02T08:00:00+07:00"
    assert fire["last_updated"] == "2026-03-02T14:00:00+07:00"
    assert stories[0]["last_updated"] >= stories[1]["last_updated"]  # newest first
    for article in fire["articles"]:
        assert set(article) == {"id", "url", "link", "source", "title", "published_at"}
    assert fire["articles"][1]["link"] == "https://vov.example.vn/tin/2.html"


def test_stories_default_to_the_last_48_hours_and_limit_counts(config_file: Path) -> None:
    filled = _filled(config_file)
    assert json.loads(run("stories", "--json", config=filled).output) == []  # March 2026 is old
    one = json.loads(run("stories", "--since", "2026-03-01", "--limit", "1", "--json",
                         config=filled).output)
    assert len(one) == 1


def test_regroup_keeps_every_article_and_the_same_stories(config_file: Path) -> None:
    filled = _filled(config_file)
    before = run("stories", "--since", "2026-03-01", "--json", config=filled).output
    result = run("regroup", config=filled)
    assert "4 articles in 2 stories" in result.output
    after = json.loads(run("stories", "--since", "2026-03-01", "--json", config=filled).output)
    assert sorted(len(s["articles"]) for s in after) == sorted(
        len(s["articles"]) for s in json.loads(before))
