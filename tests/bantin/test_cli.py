"""The CLI through click's CliRunner: commands, JSON output, one-line errors."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bantin import __version__
from bantin.cli import cli
from store import Store
from tests.helpers.articles import make_article
from tests.helpers.cli import run

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def filled(config_file: Path) -> Path:
    store = Store(config_file.parent / "news.db")
    store.articles.save(make_article(1))
    store.articles.save(
        make_article(2, title="Đà Nẵng đón khách quốc tế", summary="Du lịch phục hồi mạnh.",
                     link="http://www.example.vn/tin/2.html")
    )
    store.close()
    return config_file


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_init_creates_the_database(config_file: Path) -> None:
    result = run("init", config=config_file)
    assert result.exit_code == 0
    assert (config_file.parent / "news.db").exists()


def test_latest_json_has_the_documented_fields(filled: Path) -> None:
    result = run("latest", "--json", config=filled)
    assert result.exit_code == 0
    articles = json.loads(result.output)
    assert [a["title"] for a in articles] == ["Đà Nẵng đón khách quốc tế", "Tin thứ 1 về giao thông"]
    assert set(articles[0]) == {
        "id", "url", "link", "source", "title", "lead", "text", "summary", "author", "published_at"
    }
    assert articles[0]["published_at"].endswith("+07:00")
    # url is the dedup key; link the publisher's own address (the key when none was stored)
    assert articles[0]["url"] == "https://example.vn/tin/2.html"
    assert articles[0]["link"] == "http://www.example.vn/tin/2.html"
    assert articles[1]["link"] == articles[1]["url"] == "https://example.vn/tin/1.html"


def test_latest_prints_the_publishers_link_and_none_for_a_scrape(filled: Path) -> None:
    store = Store(filled.parent / "news.db")
    store.articles.save(make_article(3, url="urn:bantin:0123456789abcdef0123"))
    store.close()
    text = run("latest", config=filled).output
    assert "https://example.vn/tin/2.html" not in text  # the key of the linked one is not shown
    assert "urn:bantin" not in text
    [scrape] = [a for a in json.loads(run("latest", "--json", config=filled).output) if a["id"] == 3]
    assert scrape["link"] is None and scrape["url"].startswith("urn:bantin:")


def test_search_without_diacritics_with_snippet(filled: Path) -> None:
    result = run("search", "da nang", "--json", config=filled)
    [hit] = json.loads(result.output)
    assert hit["title"] == "Đà Nẵng đón khách quốc tế"
    assert "snippet" in hit


def test_search_for_quote_star_is_just_empty(filled: Path) -> None:
    result = run("search", '"*', "--json", config=filled)
    assert result.exit_code == 0 and json.loads(result.output) == []


def test_search_ranks_the_typed_diacritics_first(filled: Path) -> None:
    store = Store(filled.parent / "news.db")
    for n, (title, day) in enumerate((("Bão số 3 đổ bộ", 1), ("Đồng bào vùng cao", 9),
                                      ("Nấm bào ngư", 8)), start=10):
        store.articles.save(make_article(n, title=title, published_at=datetime(2024, 6, day,
                                                                                tzinfo=UTC)))
    store.close()
    titles = [a["title"] for a in json.loads(run("search", "bão", "--json", config=filled).output)]
    assert titles == ["Bão số 3 đổ bộ", "Đồng bào vùng cao", "Nấm bào ngư"]
    human = run("search", "bão", config=filled).output
    assert human.index("Bão số 3 đổ bộ") < human.index("Đồng bào vùng cao")


def test_empty_search_query_exits_2_with_one_line(filled: Path) -> None:
    for query in ("", "   "):
        result = run("search", query, config=filled)
        assert result.exit_code == 2
        assert result.output.count("\n") == 1 and "query is empty" in result.output


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", "AND OR", "x" * 10_000, "🎆🌧️", "?!…;"])
def test_hostile_search_queries_get_an_answer(filled: Path, query: str) -> None:
    result = run("search", query, config=filled)
    assert result.exit_code == 0 and "No articles found" in result.output
    assert json.loads(run("search", query, "--json", config=filled).output) == []


def test_human_output_shows_titles_and_links(filled: Path) -> None:
    result = run("latest", "--limit", "1", config=filled)
    assert "Đà Nẵng đón khách quốc tế" in result.output
    assert "http://www.example.vn/tin/2.html" in result.output  # the publisher's link


def test_stats_counts_articles(filled: Path) -> None:
    result = run("stats", config=filled)
    assert re.search(r"^articles\s+2$", result.output, re.M)


def test_backup_then_refuse_overwrite(filled: Path, tmp_path: Path) -> None:
    target = tmp_path / "backup.db"
    assert run("backup", str(target), config=filled).exit_code == 0
    again = run("backup", str(target), config=filled)
    assert again.exit_code == 1
    assert again.output.strip().startswith("error:") and "Traceback" not in again.output


def test_config_error_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "bantin.toml"
    path.write_text('[digest]\ndefault_time = "25:00"\n', encoding="utf-8")
    result = run("stats", config=path)
    assert result.exit_code == 2
    assert result.output.strip() == (
        f'config error: {path}: [digest] default_time: "25:00" is not a time of day (HH:MM)'
    )


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    (tmp_path / "news.db").write_text("không phải cơ sở dữ liệu")
    path = tmp_path / "bantin.toml"
    path.write_text('[store]\npath = "news.db"\n', encoding="utf-8")
    result = run("stats", config=path)
    assert result.exit_code == 1 and "not a SQLite database" in result.output


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"`bantin {name}" in readme, f"bantin {name} is missing from README.md"
