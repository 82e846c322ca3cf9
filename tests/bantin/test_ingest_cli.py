"""``bantin ingest`` and ``bantin extract`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bantin.cli import cli
from store import Store
from tests.fakes.http_server import Route

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


# --- saved files: several paths, feeds read from the file, names, links, exit codes --------


def invoke(tmp_path: Path, *args: str, extra: str = ""):
    return CliRunner().invoke(cli, ["--config", str(write_config(tmp_path, extra)), *args])


def open_store(tmp_path: Path) -> Store:
    return Store(tmp_path / "bantin.db")


PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'>"
    "<title>Hợp tác xã ở Hương Khê bán bưởi qua mạng</title>"
    "<meta property='og:site_name' content='Báo Núi Hồng - Tin tức'></head><body><article>"
    "<h1>Hợp tác xã ở Hương Khê bán bưởi qua mạng</h1>"
    "<p>Năm nay, hợp tác xã bưởi ở xã Hương Trà, huyện Hương Khê lần đầu bán sản phẩm qua sàn "
    "thương mại điện tử, được khách ở nhiều tỉnh thành đặt mua trước Tết.</p>"
    "<p>Ban giám đốc hợp tác xã cho biết mỗi ngày có hàng trăm đơn hàng, giá bán ổn định hơn "
    "so với bán cho thương lái như những năm trước.</p>"
    "<p>Huyện đang hướng dẫn thêm nhiều hợp tác xã khác làm theo cách này.</p>"
    "</article></body></html>"
)


def saved_feed(server) -> str:
    """A feed whose items carry their own content; their pages are on the local server."""
    body = "".join(
        f"<p>Đoạn thứ {n} của bài {i}: nội dung đầy đủ nằm sẵn trong tệp tin đã lưu.</p>"
        for n in range(1, 4) for i in [1])
    items = "".join(
        f"<item><title>Tin số {i} trong bản tin</title><link>{server.url(f'/tin/{i}.htm')}</link>"
        f"<description>Mô tả ngắn của tin số {i}.</description>"
        f"<content:encoded><![CDATA[{body.replace('bài 1', f'bài {i}')}]]></content:encoded>"
        "</item>" for i in (1, 2))
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>Tin mới nhất - VnExpress RSS</title>{items}</channel></rss>")


def test_several_paths_after_one_file_option_and_as_arguments(tmp_path):
    page = tmp_path / "trang.html"
    page.write_text(PAGE, encoding="utf-8")
    result = invoke(tmp_path, "ingest", "--file", str(SEED), str(page))
    assert result.exit_code == 0, result.output
    assert "new 2, updated 0, unchanged 0, rejected 0, failed 0" in result.output
    again = invoke(tmp_path, "ingest", str(SEED), str(page))
    assert again.exit_code == 0, again.output
    assert "new 0, updated 0, unchanged 2" in again.output


def test_a_saved_feed_is_read_from_the_file_without_the_network(tmp_path, server):
    feed = tmp_path / "feed.xml"
    feed.write_text(saved_feed(server), encoding="utf-8")
    result = invoke(tmp_path, "ingest", "--file", str(feed))
    assert result.exit_code == 0, result.output
    assert "new 2," in result.output
    assert server.requests == []  # not one page fetched
    store = open_store(tmp_path)
    try:
        articles = store.articles.latest(5)
        assert {a.source for a in articles} == {"VnExpress"}
        assert all("Đoạn thứ 3 của bài" in a.text for a in articles)
        assert {a.reader_url for a in articles} == {server.url("/tin/1.htm"),
                                                    server.url("/tin/2.htm")}
    finally:
        store.close()


def test_fetch_pages_opts_in_to_fetching_the_items_pages(tmp_path, server):
    server.routes["/tin/1.htm"] = Route(PAGE)
    server.routes["/tin/2.htm"] = Route("", statuses=[404])
    feed = tmp_path / "feed.xml"
    feed.write_text(saved_feed(server), encoding="utf-8")
    result = invoke(tmp_path, "ingest", "--file", str(feed), "--fetch-pages",
                    "--source", "Báo Núi Hồng",
                    extra=f'allow_private = ["{server.url("/")}"]\n')  # pages on 127.0.0.1
    assert result.exit_code == 0, result.output
    fetched = {path for path, _ in server.requests}
    assert {"/tin/1.htm", "/tin/2.htm"} <= fetched
    store = open_store(tmp_path)
    try:
        texts = [a.text for a in store.articles.latest(5)]
        assert any("sàn thương mại điện tử" in text for text in texts)  # from the page
        assert {a.source for a in store.articles.latest(5)} == {"Báo Núi Hồng"}
    finally:
        store.close()


def test_an_empty_feed_file_is_reported_stored_and_exits_1(tmp_path):
    feed = tmp_path / "empty.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Trống</title>'
                    "</channel></rss>", encoding="utf-8")
    result = invoke(tmp_path, "ingest", "--file", str(feed))
    assert result.exit_code == 1
    assert "rejected 1" in result.output and "the feed has no items" in result.output
    store = open_store(tmp_path)
    try:
        [failure] = store.failures.recent()
        assert failure.reason == "the feed has no items" and failure.url == str(feed)
    finally:
        store.close()


def test_a_run_where_every_file_is_rejected_or_failed_exits_1(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "anh.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    result = invoke(tmp_path, "ingest", str(empty), str(binary), str(tmp_path / "missing.txt"),
                    str(tmp_path))
    assert result.exit_code == 1
    assert "new 0, updated 0, unchanged 0, rejected 3, failed 1" in result.output
    assert f"{empty}: is empty" in result.output
    assert "is a binary file" in result.output and "does not exist" in result.output
    assert "is a folder, not a file" in result.output
    assert "Traceback" not in result.output
    # one good file among them: exit 0, the others still reported
    mixed = invoke(tmp_path, "ingest", str(empty), str(SEED))
    assert mixed.exit_code == 0 and "rejected 1" in mixed.output


def test_source_names_for_files(tmp_path):
    page = tmp_path / "trang.html"
    page.write_text(PAGE, encoding="utf-8")
    assert invoke(tmp_path, "ingest", str(page)).exit_code == 0
    other = tmp_path / "other"
    other.mkdir()
    named = invoke(other, "ingest", "--file", str(page), "--source", "Tòa soạn Hương Khê")
    assert named.exit_code == 0, named.output
    for folder, expected in ((tmp_path, "Báo Núi Hồng"), (other, "Tòa soạn Hương Khê")):
        store = open_store(folder)
        try:
            [article] = store.articles.latest(5)
            assert article.source == expected
        finally:
            store.close()


def test_a_later_url_fills_the_missing_link(tmp_path):
    page = tmp_path / "trang.html"
    page.write_text(PAGE, encoding="utf-8")
    assert invoke(tmp_path, "ingest", str(page)).exit_code == 0
    store = open_store(tmp_path)
    try:
        [before] = store.articles.latest(5)
        assert not before.has_link
    finally:
        store.close()
    address = "https://nuihong.example.vn/kinh-te/buoi-huong-khe-123.htm"
    result = invoke(tmp_path, "ingest", "--file", str(page), "--url", address)
    assert result.exit_code == 0
    assert "new 0, updated 1, unchanged 0" in result.output
    store = open_store(tmp_path)
    try:
        [after] = store.articles.latest(5)
        assert after.id == before.id
        assert after.reader_url == address and after.url == address
    finally:
        store.close()
    again = invoke(tmp_path, "ingest", "--file", str(page), "--url", address)
    assert "unchanged 1" in again.output


def test_extract_says_what_a_file_is_instead_of_guessing(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item>'
                    "<title>A</title><link>https://a.vn/1</link></item></channel></rss>",
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(feed)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{feed}: this is a feed: use bantin ingest --file"
    folder = CliRunner().invoke(cli, ["extract", str(tmp_path)])
    assert folder.exit_code == 1
    assert folder.stderr.strip() == f"error: {tmp_path} is a folder, not a file"
    missing = CliRunner().invoke(cli, ["extract", str(tmp_path / "nope.html")])
    assert missing.exit_code == 1 and "does not exist" in missing.stderr
    usage = CliRunner().invoke(cli, ["extract"])
    assert usage.exit_code == 2 and "PATH_OR_URL" in usage.output
    assert "PATH_OR_URL" in CliRunner().invoke(cli, ["extract", "--help"]).output


def test_extract_reads_a_late_declared_charset_like_the_network_does(tmp_path):
    page = tmp_path / "trang.html"
    late = PAGE.replace("<meta charset='utf-8'>", "").replace(
        "</head>", "<meta charset='utf-8'></head>")
    page.write_bytes(late.encode("utf-8"))
    result = CliRunner().invoke(cli, ["extract", str(page), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["title"] == "Hợp tác xã ở Hương Khê bán bưởi qua mạng"


def test_latest_on_an_empty_store_says_it_is_empty_and_how_to_fill_it(tmp_path):
    result = invoke(tmp_path, "latest")
    assert result.exit_code == 0
    assert "is empty" in result.stderr and "bantin ingest" in result.stderr
    assert result.stdout == ""
    assert json.loads(invoke(tmp_path, "latest", "--json").stdout) == []


def test_extract_of_a_feed_url_says_it_is_a_feed(server):
    server.routes["/rss"] = Route('<?xml version="1.0"?><rss version="2.0"><channel><title>T'
                                  "</title></channel></rss>", "application/rss+xml")
    result = CliRunner().invoke(cli, ["extract", server.url("/rss")])
    assert result.exit_code == 1
    assert "this is a feed: add it to [[sources]]" in result.stderr
