"""Saved files: one detection of what a file is, and one decoding, before lxml sees a byte.

Each fixture is written here, in the encoding and with the charset declaration (late, missing,
a byte-order mark) that garbled real saved pages; the assertions are on the clean Vietnamese.
"""

from __future__ import annotations

import json
import socket
import unicodedata
from pathlib import Path

import pytest

from ingest.articles import read_article_file
from ingest.charset import decode
from ingest.files import read_saved_file

TITLE = "Hà Tĩnh đẩy mạnh chuyển đổi số trong nông nghiệp"
BODY = [
    "Sáng 3/12, Sở Nông nghiệp Hà Tĩnh tổ chức hội nghị đánh giá kết quả chuyển đổi số trong "
    "sản xuất nông nghiệp năm nay và bàn giải pháp cho những năm tới.",
    "Theo báo cáo, đã có hơn 1.200 hộ dân dùng ứng dụng điện thoại để theo dõi thời tiết, "
    "lịch thời vụ và giá nông sản; nhiều hợp tác xã bán hàng qua sàn thương mại điện tử.",
    "Ông Nguyễn Văn Hùng, Giám đốc Sở, đề nghị các địa phương tiếp tục hướng dẫn người dân "
    "ứng dụng công nghệ, nhất là ở những xã vùng sâu, vùng xa còn gặp nhiều khó khăn.",
]


TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """``text`` as windows-1258 writes Vietnamese: base letters precomposed, tones combining."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out += (base + "".join(c for c in parts if c in TONES)).encode("cp1258")
    return bytes(out)


def page(meta: str = "", *, before_title: str = "", padding: int = 0) -> str:
    """An article page; ``meta`` goes after the Vietnamese <title> (a late declaration)."""
    filler = f"<script>var x = '{'a' * padding}';</script>" if padding else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    return (f"<!DOCTYPE html><html><head>{before_title}<title>{TITLE} - Báo Hà Tĩnh</title>"
            f"{filler}{meta}<meta property='og:title' content='{TITLE}'></head><body>"
            f"<article><h1>{TITLE}</h1>{paragraphs}</article></body></html>")


def check_clean(path: Path) -> None:
    article = read_article_file(path)
    assert article.title == TITLE
    assert article.paragraphs == BODY


@pytest.mark.parametrize("name, content", [
    # <meta charset> after the Vietnamese title and past the first 4 KB of the head
    ("late-1258", cp1258(page("<meta charset='windows-1258'>", padding=6000))),
    ("late-utf8", page('<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
                       padding=6000).encode("utf-8")),
    ("undeclared-utf8", page().encode("utf-8")),
    ("bom-utf8", b"\xef\xbb\xbf" + page().encode("utf-8")),
    ("bom-utf16", page().encode("utf-16")),  # Python writes the BOM
    ("latin1-declared-but-utf8", page("<meta charset='iso-8859-1'>").encode("utf-8")),
])
def test_saved_pages_decode_to_clean_vietnamese(tmp_path, name, content):
    path = tmp_path / f"{name}.html"
    path.write_bytes(content)
    saved = read_saved_file(path)
    assert saved.kind == "html"
    check_clean(path)


def test_decoding_gives_nfc_text():
    decomposed = cp1258("Hà Tĩnh")
    text = decode(b"<html><head><meta charset=windows-1258></head><body>" + decomposed)
    assert "Hà Tĩnh" in text and "\u0300" not in text


def feed_text() -> str:
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            "<title>Tin mới nhất - VnExpress RSS</title><item><title>Tin một</title>"
            "<link>https://vnexpress.net/tin-mot-1.html</link></item></channel></rss>")


@pytest.mark.parametrize("name, content, kind", [
    ("page.txt", page().encode(), "html"),           # the content decides, not the name
    ("feed.html", feed_text().encode(), "feed"),
    ("atom.xml", b'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title></feed>', "feed"),
    ("batch.txt", (json.dumps({"id": 1, "text": "Câu một."}) + "\n").encode(), "jsonl"),
    ("scrape.html", "Tiêu đề bài\n\nĐoạn văn thứ nhất.".encode(), "text"),
    ("image.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
    ("nul.txt", b"abc\x00\x00def" * 50, "binary"),
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n \t", "empty"),
])
def test_file_kinds_come_from_the_content(tmp_path, name, content, kind):
    path = tmp_path / name
    path.write_bytes(content)
    assert read_saved_file(path).kind == kind


def test_folders_missing_and_unreadable_files_say_why(tmp_path):
    assert read_saved_file(tmp_path).reason == "is a folder, not a file"
    assert read_saved_file(tmp_path / "nope.html").reason == "does not exist"
    sock_path = tmp_path / "a.sock"  # a real file no one can read() (even as root)
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        saved = read_saved_file(sock_path)
    assert saved.kind == "unreadable" and saved.reason.startswith("cannot be read")
