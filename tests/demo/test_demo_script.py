"""``bantin demo --script``: the real CLI, sample site, pipeline and console, end to end."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from bantin.config import Config
from bantin.demo import chat, demo_config, ingest_sample
from bantin.demo_server import SampleSite
from bot.transports.console import ScriptLines
from ingest.urls import canonical_url
from store import Store

ROOT = Path(__file__).resolve().parents[2]
SEED_TITLE = "Tiếp tục đẩy mạnh thực hiện quy chế dân chủ ở cơ sở trên địa bàn Hà Tĩnh"
SCRIPT = """\
# what a newcomer tries first
/latest
/search ha tinh
/subscribe 07:00
/feedback Bản tin rất hữu ích, cảm ơn!
/help
"""


def run_demo(cwd: Path, *args: str, script: str = SCRIPT,
             extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m bantin demo --script FILE`` in ``cwd``, as ``make demo`` runs it."""
    script_file = cwd / "commands.txt"
    script_file.write_text(script, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "BANTIN_CONFIG"}
    env.update({"PYTHONPATH": str(ROOT), **(extra_env or {})})
    return subprocess.run(
        [sys.executable, "-m", "bantin", "demo", "--script", str(script_file), *args],
        cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=90,
    )


def answers(transcript: str) -> dict[str, str]:
    """The transcript cut into the bot's answer to each echoed command."""
    found: dict[str, str] = {}
    command = None
    for line in transcript.splitlines():
        if line.startswith("› "):
            command = line[2:]
            found[command] = ""
        elif command is not None:
            found[command] += line + "\n"
    return found


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> tuple[subprocess.CompletedProcess[str], Path]:
    cwd = tmp_path_factory.mktemp("demo")
    return run_demo(cwd), cwd


def test_demo_ingests_the_sample_over_http_into_demo_db(demo_run) -> None:
    result, cwd = demo_run
    assert result.returncode == 0, result.stderr
    assert "Stored 6 articles" in result.stdout and "failed 0" in result.stdout
    store = Store(cwd / "demo.db")
    try:
        sources = store.sources.all()
        articles = store.articles.latest(limit=20)
    finally:
        store.close()
    assert len(articles) == 6
    assert len(sources) == 2 and all(s.feed.startswith("http://127.0.0.1:") for s in sources)
    site = "/".join(sources[0].feed.split("/")[:3])
    assert all(a.link.startswith(f"{site}/") for a in articles)  # the local site's own links
    assert all(a.url == canonical_url(a.link) for a in articles)  # keys normalised (https)
    assert all(a.summary for a in articles)


def test_search_finds_the_seed_with_its_summary(demo_run) -> None:
    result, cwd = demo_run
    store = Store(cwd / "demo.db")
    try:
        seed = next(a for a in store.articles.latest(limit=20) if a.title == SEED_TITLE)
    finally:
        store.close()
    answer = answers(result.stdout)["/search ha tinh"]
    assert SEED_TITLE in answer
    assert seed.summary in answer
    # The summary is the clean article: no outlet tag, no caption, no comment widget.
    for junk in ("Baohatinh.vn", "{name}", "bình luận", "Đại biểu dự hội nghị."):
        assert junk not in seed.summary
    assert "Báo Hà Tĩnh · 2 giờ trước" in answer  # publication times are set relative to now
    # Stored in feed order, so the article numbers are those of the README's transcript.
    assert "Báo Hà Tĩnh · 2 giờ trước · #6" in answer and seed.id == 6


def test_latest_shows_the_newest_first_with_relative_times(demo_run) -> None:
    result, _ = demo_run
    answer = answers(result.stdout)["/latest"]
    assert "(http://127.0.0.1:" in answer and "https://127.0.0.1" not in answer  # links open
    assert answer.index("Bão số 9 suy yếu") < answer.index(SEED_TITLE)
    assert "1 giờ trước" in answer
    assert "Xem thêm: gõ /latest 5 trang 2" in answer  # a button becomes what to type


def test_subscribe_and_feedback_are_confirmed_and_stored(demo_run) -> None:
    result, cwd = demo_run
    replies = answers(result.stdout)
    assert "Đã đăng ký" in replies["/subscribe 07:00"] and "07:00" in replies["/subscribe 07:00"]
    assert "Cảm ơn bạn" in replies["/feedback Bản tin rất hữu ích, cảm ơn!"]
    assert "/subscribe [HH:MM]" in replies["/help"]
    store = Store(cwd / "demo.db")
    try:
        subscription = store.subscriptions.get("console", "console")
        feedback = store.feedback.for_chat("console", "console")
    finally:
        store.close()
    assert subscription is not None and subscription.time == "07:00" and subscription.active
    assert [f.text for f in feedback] == ["Bản tin rất hữu ích, cảm ơn!"]


def test_script_output_has_no_terminal_codes(demo_run) -> None:
    result, _ = demo_run
    assert "\033[" not in result.stdout
    assert result.stdout.rstrip().endswith("Tạm biệt! 👋")


def test_demo_runs_twice_in_a_row_from_a_fresh_store(tmp_path: Path) -> None:
    script = "/feedback lần một\n/settings\n"
    for _ in range(2):
        result = run_demo(tmp_path, "--db", "my.db", script=script)
        assert result.returncode == 0, result.stderr
        assert "Stored 6 articles" in result.stdout
        # Recreated: no subscription left over from /subscribe of an earlier run.
        assert "Bạn chưa đăng ký bản tin" in answers(result.stdout)["/settings"]
    store = Store(tmp_path / "my.db")
    try:
        assert len(store.feedback.for_chat("console", "console")) == 1
        assert len(store.articles.latest(limit=20)) == 6
    finally:
        store.close()


def test_quit_ends_the_chat_before_the_rest_of_the_script(tmp_path: Path) -> None:
    result = run_demo(tmp_path, script="/quit\n/latest\n")
    assert result.returncode == 0, result.stderr
    assert "› /latest" not in result.stdout and "Tạm biệt" in result.stdout


def test_demo_refuses_to_delete_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    precious = tmp_path / "notes.db"
    precious.write_text("my notes", encoding="utf-8")
    result = run_demo(tmp_path, "--db", str(precious))
    assert result.returncode == 2
    assert "holds data the demo did not create" in result.stderr
    assert precious.read_text(encoding="utf-8") == "my notes"


def test_demo_refuses_a_real_store_and_leaves_it_byte_for_byte(tmp_path: Path) -> None:
    """A real store at --db (not the configured one) is refused: exit 2, the reason on one
    line, every byte unchanged, no WAL files created beside it."""
    real = tmp_path / "news.db"
    store = Store(real)
    store.feedback.add("telegram", "1", "a reader's words")
    store.close()
    before = real.read_bytes()
    result = run_demo(tmp_path, "--db", str(real))
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "holds data the demo did not create" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert real.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["commands.txt", "news.db"]


def test_demo_never_deletes_the_configured_store(tmp_path: Path) -> None:
    (tmp_path / "bantin.toml").write_text('[store]\npath = "news.db"\n', encoding="utf-8")
    store = Store(tmp_path / "news.db")
    store.feedback.add("telegram", "1", "a reader's words")
    store.close()
    result = run_demo(tmp_path, "--db", "news.db",
                      extra_env={"BANTIN_CONFIG": str(tmp_path / "bantin.toml")})
    assert result.returncode == 2 and "the store in your config" in result.stderr
    store = Store(tmp_path / "news.db")
    try:
        assert len(store.feedback.for_chat("telegram", "1")) == 1
    finally:
        store.close()


def test_demo_stays_off_a_proxy_set_in_the_environment(tmp_path: Path) -> None:
    """Behind a proxy (here one that does not exist) the local site is still reached directly:
    the fetcher takes no proxy from the environment (``trust_env=False``)."""
    dead_proxy = "http://127.0.0.1:9"
    result = run_demo(tmp_path, script="/search ha tinh\n", extra_env={
        "HTTP_PROXY": dead_proxy, "HTTPS_PROXY": dead_proxy, "ALL_PROXY": dead_proxy,
        "NO_PROXY": "", "no_proxy": "",
    })
    assert result.returncode == 0, result.stderr
    assert "Stored 6 articles" in result.stdout and SEED_TITLE in result.stdout


async def test_every_link_a_reader_is_shown_opens_the_article(tmp_path: Path) -> None:
    """The demo's pipeline and chat in-process, with the sample site still up to click on."""
    out = io.StringIO()
    with SampleSite() as site:
        config = demo_config(Config(), tmp_path / "demo.db", site)
        store = Store(tmp_path / "demo.db")
        try:
            await ingest_sample(store, config, site, io.StringIO())
            await chat(store, config, ScriptLines(["/latest 10"], out), out)
        finally:
            store.close()
        shown = re.findall(r"^\d+\. (.+) \((\S+)\)$", out.getvalue(), re.MULTILINE)
        assert len(shown) == len(site.pages)
        async with httpx.AsyncClient(trust_env=False) as client:
            for title, link in shown:
                assert link.startswith(site.base + "/")
                page = await client.get(link)
                assert page.status_code == 200 and title in page.text
