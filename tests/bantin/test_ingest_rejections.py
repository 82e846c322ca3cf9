"""A page that stops being an article: rejected with its reason, stored as an ingest failure,
and the article stored before is left exactly as it was."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from bantin.cli import cli
from store import Store
from tests.fakes.http_server import Route

PAGES = Path(__file__).resolve().parent.parent / "ingest" / "fixtures" / "pages"


def _feed(title: str) -> str:
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Báo Giải Trí</title><item>'
            f"<title>{title}</title><link>/bai.htm</link></item></channel></rss>")


def test_a_page_turned_section_page_is_rejected_and_the_stored_article_kept(tmp_path, server):
    config = tmp_path / "bantin.toml"
    config.write_text(
        '[store]\npath = "bantin.db"\n[ingest]\ntimeout_seconds = 2\n'
        f'[[sources]]\nname = "Báo Giải Trí"\nfeed = "{server.url("/rss.xml")}"\n',
        encoding="utf-8",
    )
    server.routes["/bai.htm"] = Route((PAGES / "list_article.html").read_bytes())
    server.routes["/rss.xml"] = Route(_feed("Top 5 ngôi sao được yêu thích nhất năm"),
                                      "application/rss+xml")
    first = CliRunner().invoke(cli, ["--config", str(config), "ingest"])
    assert "new 1," in first.output, first.output
    store = Store(tmp_path / "bantin.db")
    try:
        [before] = store.articles.latest(5)
    finally:
        store.close()

    # The outlet now answers the article's address with a section page (and a new title).
    server.routes["/bai.htm"] = Route((PAGES / "section_page.html").read_bytes())
    server.routes["/rss.xml"] = Route(_feed("Top 5 ngôi sao (cập nhật)"), "application/rss+xml")
    second = CliRunner().invoke(cli, ["--config", str(config), "ingest"])
    assert second.exit_code == 1, second.output  # something rejected, nothing stored
    assert "new 0, updated 0, unchanged 0, rejected 1" in second.output
    assert "no main block of running text" in second.output

    store = Store(tmp_path / "bantin.db")
    try:
        [after] = store.articles.latest(5)
        [failure] = store.failures.recent()
        assert failure.url == before.url and "not an article" in failure.reason
        assert (after.title, after.lead, after.text, after.summary, after.author) == (
            before.title, before.lead, before.text, before.summary, before.author)
        assert "Ca sĩ Minh An" in after.text  # the list article's sub-headings were stored
    finally:
        store.close()
