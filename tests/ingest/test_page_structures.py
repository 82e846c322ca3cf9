"""One self-made page per structure that extraction used to get wrong, each with its clean
result: photo stories, list articles, related headlines, mobile headers, site suffixes,
bylines, section and error pages, modern articles with large related-news blocks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingest import NotAnArticle
from ingest.errors import TooLittleText
from ingest.extract import extract_html
from ingest.pagemeta import strip_site_suffix


@pytest.fixture
def page(fixtures):
    def load(name: str, url: str | None = None):
        return extract_html((fixtures / "pages" / f"{name}.html").read_bytes(), url)
    return load


def test_photo_story_keeps_its_captions_as_the_text(page):
    article = page("photo_story")
    assert article.title == "Cận cảnh làng hoa Sa Đéc ngày giáp Tết"
    assert article.lead == "Những ngày giáp Tết, làng hoa Sa Đéc rộn ràng người mua kẻ bán."
    assert len(article.paragraphs) == 5
    assert article.paragraphs[0].startswith("Từ sáng sớm, nông dân làng hoa")
    assert article.paragraphs[-1].startswith("Người dân cho biết năm nay")
    assert "Trang chủ" not in article.text and "Giấy phép" not in article.text
    assert article.author == "Lê Văn Phúc"
    assert article.site_name == "Báo Ảnh Miền Tây"


def test_photo_story_with_captions_in_divs_keeps_them_as_the_text(page):
    """Photos and captions in plain ``div``s, the caption named only by its class."""
    article = page("photo_story_divs")
    assert article.lead == "Hàng nghìn người dân Đà Nẵng cùng nhau làm sạch bãi biển Mỹ Khê."
    assert [p[:20] for p in article.paragraphs] == [
        "Sáng 12/3, hàng trăm", "Rác thải nhựa chiếm ", "Các em học sinh tiểu",
        "Sau ba giờ, bãi biển", "Ban tổ chức cho biết"]
    assert article.author == "Trần Minh"


def test_list_article_keeps_its_sub_headings(page):
    article = page("list_article")
    # The page's own h1 (in the article's own <header>), not the differently worded
    # JSON-LD headline.
    assert article.title == "Top 5 ngôi sao được yêu thích nhất năm"
    for heading in ("1. Ca sĩ Minh An", "2. Diễn viên Thu Trang", "3. Rapper Khánh Duy",
                    "4. Người mẫu Lan Vy", "5. MC Quốc Bảo"):
        assert heading in article.paragraphs
    assert article.paragraphs.index("1. Ca sĩ Minh An") < article.paragraphs.index(
        "5. MC Quốc Bảo")
    assert article.author == "Mai Chi"
    assert article.published_at == datetime(2026, 3, 2, 13, 15, tzinfo=UTC)
    assert article.site_name == "Báo Giải Trí"
    assert "Bản quyền" not in article.text


def test_related_headlines_labels_and_credits_are_not_text(page):
    """Related headlines in and after the body, a section label and a kicker above the
    headline, an outlet credit and a masthead line after the body: none of it is text."""
    article = page("related_blocks")
    assert article.paragraphs == [
        "Chỉ số VN-Index đóng cửa tăng hơn 12 điểm, đánh dấu phiên tăng thứ ba liên tiếp với "
        "thanh khoản cải thiện rõ rệt.",
        "Nhóm cổ phiếu ngân hàng dẫn dắt thị trường, trong đó nhiều mã tăng trần ngay từ đầu "
        "phiên chiều.",
        "Giới phân tích cho rằng dòng tiền đang quay lại nhờ kỳ vọng lãi suất tiếp tục ở mức "
        "thấp trong quý tới.",
    ]
    assert article.lead == ""
    assert article.author is None  # "Theo Nhịp Sống Kinh Tế" credits an outlet, not a person


def test_mobile_h1_is_not_the_headline_and_the_visible_time_counts(page):
    article = page("mobile_h1")
    assert article.title == "Hà Nội mở thêm ba tuyến buýt điện"
    assert article.published_at == datetime(2022, 3, 7, 0, 50, tzinfo=UTC)  # 07:50 in Hà Nội
    assert article.author == "Nguyên Minh"
    assert "Nguyên Minh" not in article.text
    assert article.site_name == "VietNamNet"  # from the host: the page names no outlet


def test_site_suffix_is_cut_and_a_date_only_declaration_yields_to_the_visible_time(page, fixtures):
    article = page("site_suffix")
    assert article.title == "Giá lúa tăng mạnh đầu vụ hè thu"
    assert article.published_at == datetime(2026, 6, 1, 1, 30, tzinfo=UTC)  # 08:30 local
    assert article.site_name == "Báo Nông Thôn Ngày Nay"
    html = (fixtures / "pages" / "site_suffix.html").read_text(encoding="utf-8")
    midnight = html.replace('content="2026-06-01"', 'content="2026-06-01T00:00:00+07:00"')
    assert extract_html(midnight).published_at == datetime(2026, 6, 1, 1, 30, tzinfo=UTC)
    declared = html.replace('content="2026-06-01"', 'content="2026-06-01T08:29:00+07:00"')
    assert extract_html(declared).published_at == datetime(2026, 6, 1, 1, 29, tzinfo=UTC)


def test_byline_with_time_and_author_link_is_just_the_name(page):
    article = page("byline_time")
    assert article.author == "Nguyên Minh"
    assert article.published_at == datetime(2026, 4, 25, 2, 12, tzinfo=UTC)
    assert "Xem các bài viết" not in article.text


def test_byline_with_other_authors_names_them_all(page, fixtures):
    article = page("byline_others")
    assert article.author == "NHẬT XUÂN, NGHI VŨ"
    assert "tác giả khác" not in article.text
    html = (fixtures / "pages" / "byline_others.html").read_text(encoding="utf-8")
    html = html.replace("và 1 tác giả khác", "và 2 tác giả khác").replace(
        "<span>NGHI VŨ</span>", "<span>NGHI VŨ</span> <span>HOÀI THƯƠNG</span>")
    assert extract_html(html).author == "NHẬT XUÂN, NGHI VŨ, HOÀI THƯƠNG"


def test_closing_right_aligned_byline_is_the_author(page):
    article = page("closing_byline")
    assert article.title == "Nhật Bản thử nghiệm tàu chạy bằng hydro"
    assert article.author == "Hà Thu (tổng hợp)"
    # The lead is labelled only "description", and agrees with the declared description.
    assert article.lead.startswith("Tàu chạy bằng pin nhiên liệu hydro đầu tiên")
    assert not any(p.startswith("Tàu chạy bằng pin") for p in article.paragraphs)
    assert article.paragraphs[-1].startswith("Nếu chạy thử thành công")
    assert all("Hà Thu" not in p for p in article.paragraphs)
    assert article.published_at == datetime(2026, 8, 9, 3, 5, tzinfo=UTC)


def test_old_table_layout_page_keeps_its_text_time_and_headline(page):
    """A 2015 page laid out in tables, declaring nothing (no Open Graph, no JSON-LD)."""
    article = page("table_layout")
    assert article.title == "Khánh thành cầu Nhật Tân sau ba năm thi công"
    assert [p[:25] for p in article.paragraphs] == [
        "Sáng nay, cầu Nhật Tân bắ", "Cây cầu dài gần 9 km, có ", "Người dân hai bờ sông Hồn"]
    assert article.published_at == datetime(2015, 1, 4, 1, 30, tzinfo=UTC)  # 08:30 GMT+7
    assert "Tin đọc nhiều" not in article.text and "Giá vàng" not in article.text


@pytest.mark.parametrize("og_type", ["website", "article"])
def test_section_page_with_teasers_is_rejected_even_if_it_says_article(fixtures, og_type):
    """Its teasers carry a sapo each, so links are far from half its text: the link-share
    rule misses it. It has no main block of running text."""
    html = (fixtures / "pages" / "section_page.html").read_text(encoding="utf-8")
    html = html.replace('content="website"', f'content="{og_type}"')
    with pytest.raises(NotAnArticle) as error:
        extract_html(html)
    assert not isinstance(error.value, TooLittleText)
    assert "not an article" in str(error.value)


def test_error_page_is_rejected_with_a_reason(page):
    with pytest.raises(NotAnArticle, match="not an article"):
        page("error_page")


def test_modern_article_with_large_related_blocks_is_accepted(page):
    article = page("modern_article")
    assert article.title == "Giá căn hộ chung cư tiếp tục tăng ở Hà Nội"
    assert article.lead.startswith("Giá căn hộ chung cư tại Hà Nội tiếp tục tăng")
    assert len(article.paragraphs) == 3
    assert "Tin liên quan" not in article.text and "Chuyên mục" not in article.text
    assert article.author == "Hoàng Lan"
    assert article.published_at == datetime(2026, 9, 9, 22, 45, tzinfo=UTC)


@pytest.mark.parametrize("title, names, expected", [
    ("Hà Nội mở thêm tuyến buýt - VietNamNet", ["vietnamnet.vn"], "Hà Nội mở thêm tuyến buýt"),
    ("Giá vàng giảm sâu | Báo Dân trí", [], "Giá vàng giảm sâu"),
    ("Giá vàng giảm sâu - Báo điện tử Dân Trí", ["Báo điện tử Dân Trí"], "Giá vàng giảm sâu"),
    ("VnExpress - Xe điện giá rẻ về Việt Nam", ["VnExpress"], "Xe điện giá rẻ về Việt Nam"),
    # A headline that merely contains a dash keeps both halves.
    ("Việt Nam - Thái Lan: chờ trận chung kết lượt về", ["vietnamnet.vn"],
     "Việt Nam - Thái Lan: chờ trận chung kết lượt về"),
    ("Báo chí cách mạng - 100 năm đồng hành cùng dân tộc", ["nhandan.vn"],
     "Báo chí cách mạng - 100 năm đồng hành cùng dân tộc"),
])
def test_site_suffix_rules(title, names, expected):
    assert strip_site_suffix(title, names) == expected


def test_site_name_comes_from_a_title_segment_only_when_it_is_the_host():
    page = ('<html><head><title>Việt Nam - Thái Lan: chờ trận chung kết lượt về</title>'
            '<link rel="canonical" href="https://vietnamnet.vn/viet-nam-thai-lan-123.html">'
            '</head><body><article><h1>Việt Nam - Thái Lan: chờ trận chung kết lượt về</h1>'
            + "".join(f"<p>Đoạn thứ {i} của bài tường thuật, đủ dài để thành một câu văn.</p>"
                      for i in range(8))
            + "</article></body></html>")
    article = extract_html(page)
    assert article.title == "Việt Nam - Thái Lan: chờ trận chung kết lượt về"
    assert article.site_name == "Vietnamnet.vn"  # from the host, not "Việt Nam"


def test_a_long_comment_thread_is_not_the_article(page, fixtures):
    html = (fixtures / "pages" / "byline_time.html").read_text(encoding="utf-8")
    comments = "".join(
        f"<p>Bạn đọc {i}: Tôi thấy ngành đường sắt nên mở thêm nhiều chuyến tàu hơn nữa vào "
        "dịp lễ, vì vé lúc nào cũng hết rất nhanh.</p>" for i in range(12))
    html = html.replace("</article>", f'</article><div id="box-comment">{comments}</div>')
    article = extract_html(html)
    assert article.paragraphs[0].startswith("Ngành đường sắt tăng cường")
    assert "Bạn đọc" not in article.text
