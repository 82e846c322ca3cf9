"""``bantin ingest`` and ``bantin extract`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bantin.cli import cli
from store import Store
from tests.httpfixture import Route, server  # noqa: F401  (fixture)

FIXTURES = Path(__file__).resolve().parent.parent / "ingest" / "fixtures"
SEED = FIXTURES / "seed_baohatinh.txt"


def write_config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "bantin.toml"
    path.write_text(f'[store]\npath = "bantin.db"\n[ingest]\ntimeout_seconds = 2\n{extra}',
                    encoding="utf-8")
    return path


def test_extract_json_of_the_seed():
    result = CliRunner().invoke(cli, ["extract", str(SEED), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["title"] == "Tiếp tục đẩy mạnh thực hiện quy chế dân chủ ở cơ sở trên địa bàn Hà Tĩnh"
    assert data["published_at"] == "2022-12-27T11:42:00+07:00"
    assert (data["author"], data["source"]) == ("Thu Hà", "Báo Hà Tĩnh")
    assert data["paragraphs"][0].startswith("Sáng 27/12")


def test_extract_of_a_listing_says_why_and_fails():
    result = CliRunner().invoke(cli, ["extract", str(FIXTURES / "listing.html")])
    assert result.exit_code == 1
    assert "not an article: a listing page" in result.stderr
    assert result.stdout == ""


def test_extract_a_url(server):
    server.routes["/bai.htm"] = Route((FIXTURES / "baohatinh_article.html").read_bytes())
    result = CliRunner().invoke(cli, ["extract", server.url("/bai.htm")])
    assert result.exit_code == 0, result.output
    assert "Nông dân Hà Tĩnh ra quân sản xuất vụ xuân" in result.output
    assert "author:    Thu Hà" in result.output


def test_ingest_files_reports_and_stores_nothing_twice(tmp_path):
    config = write_config(tmp_path)
    args = ["--config", str(config), "ingest", "--file", str(SEED),
            "--file", str(FIXTURES / "listing.html")]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert "new 1, updated 0, unchanged 0, rejected 1, failed 0" in first.output
    assert "listing page" in first.output
    second = CliRunner().invoke(cli, args)
    assert "new 0, updated 0, unchanged 1, rejected 1" in second.output
    store = Store(tmp_path / "bantin.db")
    try:
        [article] = store.articles.latest(5)
        assert article.url.startswith("urn:bantin:") and article.summary
        assert store.failures.count() == 2
    finally:
        store.close()


def test_ingest_sources_from_config(tmp_path, server):
    server.routes["/bai.htm"] = Route((FIXTURES / "baohatinh_article.html").read_bytes())
    server.routes["/rss.xml"] = Route(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item>'
        "<title>Nông dân Hà Tĩnh ra quân sản xuất vụ xuân</title><link>/bai.htm</link></item>"
        "</channel></rss>", "application/rss+xml")
    server.routes["/down.xml"] = Route("", statuses=[500])
    config = write_config(tmp_path, f'[[sources]]\nname = "Báo Hà Tĩnh"\nfeed = "{server.url("/rss.xml")}"\n'
                                    f'[[sources]]\nname = "Hỏng"\nfeed = "{server.url("/down.xml")}"\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "ingest"])
    assert result.exit_code == 0, result.output
    assert "new 1, updated 0, unchanged 0, rejected 0, failed 1" in result.output
    assert "HTTP 500" in result.output


def test_url_needs_exactly_one_file(tmp_path):
    result = CliRunner().invoke(cli, ["--config", str(write_config(tmp_path)), "ingest",
                                      "--file", str(SEED), "--file", str(SEED),
                                      "--url", "https://baohatinh.vn/a.htm"])
    assert result.exit_code == 2 and "--url goes with exactly one file" in result.output
