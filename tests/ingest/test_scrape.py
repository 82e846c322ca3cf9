"""The project's seed (a Báo Hà Tĩnh scrape) comes out exactly as issue 3 lists."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ingest import NotAnArticle
from ingest.scrape import parse_scrape

TITLE = "Tiếp tục đẩy mạnh thực hiện quy chế dân chủ ở cơ sở trên địa bàn Hà Tĩnh"
CAPTIONS = [
    "Phó Bí thư Thường trực Tỉnh ủy Trần Thế Dũng và các đại biểu dự hội nghị.",
    "Đại biểu dự hội nghị.",
    "Lãnh đạo Ban Dân vận Tỉnh ủy trao giấy khen cho các tập thể xuất sắc.",
    "Phó Trưởng ban Dân vận Tỉnh ủy Ngô Văn Huỳnh báo cáo kết quả năm 2022.",
]
WIDGETS = ["{name}", "{time}", "{body}", "Trả lời", "0 bình luận", "Ý kiến của bạn",
           "Các tin đã đưa", "Hãy chia sẻ với bạn bè", "Tắt [X]", "Cập nhật"]


@pytest.fixture
def seed(fixtures):
    return parse_scrape((fixtures / "seed_baohatinh.txt").read_text(encoding="utf-8"))


def test_seed_metadata(seed):
    assert seed.title == TITLE
    assert seed.published_at == datetime(2022, 12, 27, 11, 42, tzinfo=timezone(timedelta(hours=7)))
    assert seed.author == "Thu Hà"
    assert seed.source == "Báo Hà Tĩnh"
    assert seed.url is None


def test_seed_lead_once_without_outlet_prefix(seed):
    assert seed.lead.startswith("Phó Bí thư Thường trực Tỉnh ủy Trần Thế Dũng đề nghị thời gian tới")
    assert "Baohatinh.vn" not in seed.lead
    assert all("đề nghị thời gian tới, cấp ủy đảng, chính quyền, các cơ quan, đơn vị toàn tỉnh"
               not in p for p in seed.paragraphs)


def test_seed_body_in_order_each_once(seed):
    body = seed.paragraphs
    assert body[0].startswith("Sáng 27/12, Ban Dân vận Tỉnh ủy Hà Tĩnh tổ chức hội nghị")
    assert body[-1].startswith("Tại hội nghị, các đồng chí lãnh đạo tỉnh trao bằng khen")
    assert len(body) == len(set(body)) == 18
    assert body[1] == "Phó Bí thư Thường trực Tỉnh ủy Trần Thế Dũng dự và phát biểu chỉ đạo tại hội nghị."


def test_seed_has_no_headline_captions_byline_or_widgets(seed):
    text = seed.text
    assert TITLE not in text
    for caption in CAPTIONS:
        assert caption not in seed.paragraphs
    assert "Thu Hà" not in seed.paragraphs
    for widget in WIDGETS:
        assert widget not in text


def test_an_empty_or_tiny_scrape_is_not_an_article():
    with pytest.raises(NotAnArticle):
        parse_scrape("")
    with pytest.raises(NotAnArticle):
        parse_scrape("Tiêu đề ngắn\nMột dòng.\n")
