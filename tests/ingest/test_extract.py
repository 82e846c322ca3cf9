"""Article pages: trafilatura plus the Vietnamese clean-up; listings rejected."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingest import NotAnArticle
from ingest.cleanup import clean, split_outlet_prefix
from ingest.errors import TooLittleText
from ingest.extract import extract_html


@pytest.fixture
def page(fixtures):
    return extract_html((fixtures / "baohatinh_article.html").read_bytes())


def test_page_metadata(page):
    assert page.title == "Nông dân Hà Tĩnh ra quân sản xuất vụ xuân"
    assert page.published_at == datetime(2023, 2, 2, 0, 15, tzinfo=UTC)  # 07:15 in Hà Tĩnh
    assert page.author == "Thu Hà"
    assert page.source == "Báo Hà Tĩnh"
    assert page.url == "https://baohatinh.vn/nong-nghiep/nong-dan-ra-quan-san-xuat-vu-xuan/240101.htm"
    assert page.images == ["https://baohatinh.vn/media/news/2301/vu-xuan-1.jpg"]


def test_page_lead_and_body_are_clean(page):
    assert page.lead.startswith("Sáng nay, hàng nghìn nông dân")
    assert page.paragraphs[0].startswith("Từ sáng sớm")
    assert page.paragraphs[-1].startswith("Ngành nông nghiệp khuyến cáo")
    assert len(page.paragraphs) == 5  # the repeated paragraph is kept once
    text = page.text
    for junk in ("tranh thủ thời tiết", "Máy cấy được đưa", "Tin liên quan", "Trả lời",
                 "{name}", "bình luận", "chia sẻ", "Tắt [X]", "Thu Hà", "Cập nhật",
                 "Hà Tĩnh chuẩn bị giống", "Trang chủ"):
        assert junk not in text


def test_listing_page_is_rejected_with_a_reason(fixtures):
    with pytest.raises(NotAnArticle, match="listing page"):
        extract_html((fixtures / "listing.html").read_bytes())


def test_page_with_next_to_no_text_is_too_little():
    html = "<html><head><title>Ảnh</title></head><body><h1>Ảnh đẹp</h1><p>Một câu.</p></body></html>"
    with pytest.raises(TooLittleText):
        extract_html(html)


@pytest.mark.parametrize("lead, source, rest", [
    ("(Baohatinh.vn) - Sáng nay, trời mưa.", "Báo Hà Tĩnh", "Sáng nay, trời mưa."),
    ("(Dân trí) - Giá vàng giảm.", "Dân trí", "Giá vàng giảm."),
    ("TTO - Sáng 5/1, trời nắng.", "Tuổi Trẻ", "Sáng 5/1, trời nắng."),
    ("(Ảnh minh họa) - chưa phải tên báo", None, "(Ảnh minh họa) - chưa phải tên báo"),
])
def test_outlet_prefix(lead, source, rest):
    assert split_outlet_prefix(lead) == (source, rest)


def test_related_list_is_dropped_but_prose_after_it_kept():
    cleaned = clean([
        "Đoạn đầu tiên của bài viết, đủ dài để là một câu văn hoàn chỉnh.",
        "Tin liên quan",
        "Hà Tĩnh chuẩn bị giống cho vụ xuân",
        "Bảo đảm nước tưới cho lúa",
        "Đoạn sau danh sách tin liên quan vẫn là nội dung của bài viết này.",
        "Xem thêm: Một bài khác",
    ], title="Tiêu đề")
    assert cleaned.paragraphs == [
        "Đoạn đầu tiên của bài viết, đủ dài để là một câu văn hoàn chỉnh.",
        "Đoạn sau danh sách tin liên quan vẫn là nội dung của bài viết này.",
    ]


def test_link_is_the_address_that_answered_else_the_canonical_href(fixtures, page):
    """The reader's link: the page's own address as served (tracking removed); a saved page
    with no address given links to its canonical href. The dedup key follows the canonical."""
    html = (fixtures / "baohatinh_article.html").read_bytes()
    assert page.link == "https://baohatinh.vn/nong-nghiep/nong-dan-ra-quan-san-xuat-vu-xuan/240101.htm"
    served = extract_html(html, "http://www.baohatinh.vn/nong-nghiep/240101.htm?utm_source=zalo#top")
    assert served.link == "http://www.baohatinh.vn/nong-nghiep/240101.htm"
    assert served.url == page.url
