"""``bantin summarize``: FILE mode and the JSONL batch mode with a malformed line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bantin.cli import cli
from summarizer import summarize


def run(args: list[str], input: str | None = None):
    return CliRunner().invoke(cli, args, input=input)


def test_file_mode_prints_the_summary(tmp_path: Path, article: str, title: str) -> None:
    path = tmp_path / "bai.txt"
    path.write_text(article, encoding="utf-8")
    result = run(["summarize", str(path), "--title", title])
    assert result.exit_code == 0, result.output
    headline, summary = result.output.strip().split("\n")
    assert headline == title
    assert summary == summarize(article, title=title).text


def test_batch_skips_a_malformed_line_and_exits_1(tmp_path: Path, article: str, title: str) -> None:
    source = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "title": title, "text": article}, ensure_ascii=False),
        "{this is not json",
        json.dumps({"id": "b", "text": "Chỉ có một câu khá dài ở đây thôi."}, ensure_ascii=False),
        json.dumps({"title": "no id", "text": "Câu này không có id nên bị bỏ qua."}),
        "",
        json.dumps({"id": 7, "text": ""}),
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run(["summarize", "--in", str(source), "--out", str(out), "--sentences", "1",
                  "--algorithm", "lexrank"])
    assert result.exit_code == 1
    assert "line 2: skipped: not JSON" in result.output
    assert 'line 4: skipped: no "id"' in result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a", "b", 7]
    expected = summarize(article, title=title, sentences=1, algorithm="lexrank")
    assert records[0] == {"id": "a", "summary": expected.text, "indices": expected.indices}
    assert records[1]["summary"] == "Chỉ có một câu khá dài ở đây thôi."
    assert records[2] == {"id": 7, "summary": "", "indices": []}


def test_batch_from_stdin_to_stdout_exits_0_when_all_lines_are_good(article: str) -> None:
    data = json.dumps({"id": 1, "text": article}, ensure_ascii=False) + "\n"
    result = run(["summarize", "--in", "-", "--out", "-"], input=data)
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["id"] == 1 and record["summary"] == summarize(article).text


def test_file_and_in_together_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("Xin chào các bạn thân mến.", encoding="utf-8")
    result = run(["summarize", str(path), "--in", str(path)])
    assert result.exit_code == 2
    assert "either FILE or --in" in result.output


def test_unknown_algorithm_is_refused() -> None:
    result = run(["summarize", "--in", "-", "--algorithm", "magic"], input="")
    assert result.exit_code == 2


# --- the files a user hands to ``bantin summarize`` ----------------------------------------

FIXTURES = Path(__file__).resolve().parent.parent / "ingest" / "fixtures"
SEED = FIXTURES / "seed_baohatinh.txt"  # the project's seed scrape: its headline repeats
SEED_TITLE = "Tiếp tục đẩy mạnh thực hiện quy chế dân chủ ở cơ sở trên địa bàn Hà Tĩnh"


def check_headline_once(output: str, title: str) -> str:
    """The headline is the first line and appears nowhere else; returns the summary."""
    headline, _, summary = output.strip().partition("\n")
    assert headline == title
    assert title not in summary and summary.strip()
    return summary


def test_the_seed_scrape_prints_its_headline_once_with_or_without_title() -> None:
    without = run(["summarize", str(SEED)])
    with_title = run(["summarize", str(SEED), "--title", SEED_TITLE])
    assert without.exit_code == with_title.exit_code == 0, without.output
    assert check_headline_once(without.output, SEED_TITLE) == check_headline_once(
        with_title.output, SEED_TITLE)


def test_a_saved_html_page_is_extracted_first(tmp_path: Path) -> None:
    result = run(["summarize", str(FIXTURES / "baohatinh_article.html")])
    assert result.exit_code == 0, result.output
    summary = check_headline_once(result.output, "Nông dân Hà Tĩnh ra quân sản xuất vụ xuân")
    assert "<" not in summary and "meta" not in summary


def test_a_jsonl_file_is_a_batch(tmp_path: Path, article: str, title: str) -> None:
    path = tmp_path / "bai.jsonl"
    path.write_text(json.dumps({"id": 9, "title": title, "text": article},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    result = run(["summarize", str(path)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["id"] == 9 and record["summary"] == summarize(article, title=title).text


def test_files_that_hold_no_text_get_one_line_and_exit_1(tmp_path: Path) -> None:
    binary = tmp_path / "anh.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    empty = tmp_path / "trong.txt"
    empty.write_bytes(b"\n  \n")
    feed = tmp_path / "feed.xml"
    feed.write_text('<rss version="2.0"><channel><title>T</title></channel></rss>',
                    encoding="utf-8")
    cases = {
        binary: f"error: {binary} is a binary file, not text, HTML or a feed",
        empty: f"error: {empty} is empty",
        tmp_path: f"error: {tmp_path} is a folder, not a file",
        tmp_path / "khong-co.txt": f"error: {tmp_path / 'khong-co.txt'} does not exist",
        feed: f"error: {feed}: this is a feed: use bantin ingest --file",
    }
    for path, message in cases.items():
        result = run(["summarize", str(path)])
        assert result.exit_code == 1, (path, result.output)
        assert result.stderr == message + "\n" and result.stdout == ""
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_length_comes_from_the_config_unless_the_options_say_otherwise(
        tmp_path: Path, article: str, title: str) -> None:
    """``[summarizer]`` as readers get it; ``--sentences`` and ``--max-chars`` (0: no limit)
    win over it, in FILE mode and in a batch."""
    path = tmp_path / "bai.txt"
    path.write_text(article, encoding="utf-8")
    config = tmp_path / "bantin.toml"
    config.write_text("[summarizer]\nsentences = 1\nmax_chars = 150\n", encoding="utf-8")
    configured = summarize(article, title=title, sentences=1, max_chars=150).text
    unlimited = summarize(article, title=title, sentences=3).text
    built_in = summarize(article, title=title, sentences=2, max_chars=400).text
    assert len({configured, unlimited, built_in}) == 3  # else this test could not fail

    def summary(*options: str, config_file: Path | None = config) -> str:
        chosen = ["--config", str(config_file)] if config_file else []
        result = run([*chosen, "summarize", str(path), "--title", title, *options])
        assert result.exit_code == 0, result.output
        return result.output.strip().split("\n", 1)[1]

    assert summary() == configured
    assert summary("--sentences", "3", "--max-chars", "0") == unlimited
    assert summary(config_file=None) == built_in  # no config file: the built-in [summarizer]
    batch = json.dumps({"id": 1, "title": title, "text": article}, ensure_ascii=False) + "\n"
    result = run(["--config", str(config), "summarize", "--in", "-"], input=batch)
    assert json.loads(result.output)["summary"] == configured
