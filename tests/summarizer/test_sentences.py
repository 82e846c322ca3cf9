"""The sentence splitter on the cases Vietnamese news needs (issue 4, point 2)."""

from __future__ import annotations

import unicodedata

import pytest

from summarizer import split_sentences
from summarizer.sentences import sentence_spans
from summarizer.text import normalize_text

ONE_SENTENCE = [
    "Giá vàng tăng 2.000 đồng mỗi lượng trong phiên sáng nay.",
    "Lạm phát tháng này ở mức 6,5% so với cùng kỳ.",
    "Ngày 27/12, hội nghị tổng kết được tổ chức tại Hà Nội.",
    "Cuộc họp bắt đầu lúc 8h30 tại trụ sở UBND tỉnh.",
    "Người dân TP.HCM đổ ra đường đón năm mới.",
    "Người dân TP. HCM đổ ra đường đón năm mới.",
    "Cửa hàng nằm trên đường Lê Lợi, Q.1, gần chợ Bến Thành.",
    "Vụ việc xảy ra tại P.5, Q. Bình Thạnh vào tối qua.",
    "PGS.TS Nguyễn Văn Bình trình bày báo cáo tại hội thảo.",
    "ThS. BS. Trần Thị Mai khuyến cáo người dân tiêm vắc xin.",
    "Ông Nguyễn Văn T. cho biết sẽ hợp tác với cơ quan điều tra.",
    "Nạn nhân là anh Lê Hoài B. (28 tuổi, quê Kiên Giang).",
    "Ông nói: “Tôi sẽ về.”",
    "Bà hỏi: “Sao lại thế?” rồi bỏ đi.",
    "Anh ấy chờ mãi... rồi cũng về nhà.",
    "Họ bán rau, thịt, cá v.v. ở chợ mỗi sáng.",
    # A place after "TP." is not an opening word, even when a lower-case word follows it.
    "Anh ấy sống ở TP. Huế đã nhiều năm nay.",
    "Album Vol. 9 của nhóm đã bán hết sau một ngày.",
    "Gia đình anh chuyển về Tuy Hoà sinh sống từ năm ngoái.",
    # A middle initial before a foreign surname, which no Vietnamese sentence starts with.
    "Cựu tổng thống George W. Bush thăm Việt Nam năm 2006.",
    "Bác sĩ Eduardo D. Rodriguez chủ trì ca phẫu thuật.",
    # "Ngày" opens a sentence before a date; before a word it begins a name.
    "Bộ phim Ngày ấy mình đã yêu lên sóng tối nay.",
    # An opener directly followed by a comma is the end of a name.
    "Nhà ông ở đường Hải Thượng Lãn Ông, TP. Thanh Hoá.",
    "Anh sống ở phường Vĩnh Tuy, quận Hai Bà Trưng.",
]


@pytest.mark.parametrize("text", ONE_SENTENCE)
def test_one_sentence_stays_whole(text: str) -> None:
    assert split_sentences(text) == [text]


TWO_SENTENCES = [
    ("Họ bán rau, thịt, cá v.v.", "Chợ mở cửa từ 5h sáng."),
    ("Anh ấy chờ mãi...", "Cuối cùng xe cũng đến."),
    ("Anh ấy chờ mãi…", "Cuối cùng xe cũng đến."),
    ("Ai sẽ chịu trách nhiệm?", "Đến nay vẫn chưa có câu trả lời."),
    ("Thật không thể tin được!", "Đội tuyển đã thắng 3-0."),
    ("Ông nói: “Tôi sẽ về.”", "Sau đó ông rời cuộc họp."),
    ('Ông nói: "Tôi sẽ về."', "Sau đó ông rời cuộc họp."),
    ('" Mố cầu bị sập dài 6 m. "', "Nước sông đang rút."),
    ("Tiền phạt lên tới 2.000.000 đồng.", "30 người đã bị xử lý."),
    ("Sự việc xảy ra tại TP. HCM.", "Cơ quan chức năng đang điều tra."),
    ("Kẻ gian cướp tiền của ông M.", "Ông M. hô hoán mọi người."),
    # Like the VNDS reference, a quotation of several sentences is split; each keeps its quote.
    ("Ông nói: “Tôi sẽ về.", "Mai tôi đi.”"),
    # An abbreviation can end a sentence when an opening word and a lower-case word follow.
    ("Kết quả phải được báo cáo lên UBND TP.", "Ngoài ra, sở sẽ kiểm tra lại."),
    # A one-letter name after a title ends its sentence, even a letter that abbreviates a unit.
    ("Kẻ gian đã giật túi xách của chị H.", "Công an đang truy tìm đối tượng."),
    # A straight quote followed by a full stop closes the quotation and the sentence.
    ('Cô chỉ nói rằng mình " rất vui... ".', "Buổi họp kết thúc lúc 10h."),
    # A spaced straight quote followed by a comma closes a quotation whose opening quote is lost,
    # so the quote after the next full stop opens a new one.
    ('Chúng ta đã thắng ", ông viết.', '" Trận sau sẽ khó hơn. "'),
    # A curly closing quote closes a quotation opened with a straight one, so the spaced quote
    # after the next full stop opens a new quotation.
    ('Ông viết: " Tôi sẽ về”, rồi rời đi.', '" Tôi rất vui. "'),
]


@pytest.mark.parametrize(("first", "second"), TWO_SENTENCES)
def test_boundary_is_found(first: str, second: str) -> None:
    assert split_sentences(f"{first} {second}") == [first, second]


def test_lines_are_sentences_when_there_is_no_punctuation() -> None:
    text = "Tin nóng trong ngày\nGiá xăng giảm mạnh\nThời tiết Hà Nội chuyển lạnh"
    assert split_sentences(text) == text.split("\n")


def test_soft_wrapped_lines_are_joined() -> None:
    text = "Ủy ban nhân dân tỉnh đã\nhọp khẩn về tình hình lũ lụt.\n\nSáng nay trời tạnh."
    assert split_sentences(text) == [
        "Ủy ban nhân dân tỉnh đã họp khẩn về tình hình lũ lụt.",
        "Sáng nay trời tạnh.",
    ]


def test_nfd_input_gives_nfc_sentences() -> None:
    text = "Hà Nội mưa to. Đường phố ngập sâu."
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    assert split_sentences(nfd) == ["Hà Nội mưa to.", "Đường phố ngập sâu."]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t", "\u200b"])
def test_blank_text_has_no_sentences(text: str) -> None:
    assert split_sentences(text) == []


def test_white_space_is_tidied() -> None:
    assert split_sentences("  Xin   chào\u00a0bạn.\t Hẹn gặp lại.  ") == ["Xin chào bạn.", "Hẹn gặp lại."]


def test_lost_line_break_before_a_sentence_opener() -> None:
    text = "Lũ cuốn trôi cầu treo Theo người dân, cầu đã xuống cấp từ lâu."
    assert split_sentences(text) == ["Lũ cuốn trôi cầu treo", "Theo người dân, cầu đã xuống cấp từ lâu."]


@pytest.mark.parametrize(
    ("heading", "sentence"),
    [
        ("Giá xăng giảm lần thứ ba", "Tuy nhiên, giá dầu vẫn tăng nhẹ."),
        ("Bắt nghi phạm cướp tiệm vàng", "Sáng 13/9, công an đã khám xét nơi ở của y."),
        ("Phát hiện mỏ đá trái phép", "Trả lời phóng viên, ông Nam cho biết sẽ xử lý."),
        # A headline that ends in a quotation or a number.
        ('Nỗi lo mang tên "tín dụng đen"', "Theo công an, nhiều người đã mắc bẫy."),
        ("Số ca mắc tăng lên 120", "Trong đó, trẻ em chiếm phần lớn."),
    ],
)
def test_lost_line_break_before_an_opener_that_needs_a_lower_case_word(
    heading: str, sentence: str
) -> None:
    assert split_sentences(f"{heading} {sentence}") == [heading, sentence]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # A one-word foreign photo credit ends its caption when a Vietnamese word follows.
        (
            "Hai nhà lãnh đạo bắt tay. Ảnh: Reuters Bộ trưởng cho biết cuộc gặp tốt đẹp.",
            ["Hai nhà lãnh đạo bắt tay.", "Ảnh: Reuters", "Bộ trưởng cho biết cuộc gặp tốt đẹp."],
        ),
        # A Vietnamese credit can be several words: never cut.
        ("Toàn cảnh buổi lễ. Ảnh: Quang Minh", ["Toàn cảnh buổi lễ.", "Ảnh: Quang Minh"]),
        # Each dash like the first one of a list opens an item, up to the list's full stop.
        (
            "Danh sách gồm: - Nguyễn Văn An, sinh năm 1980 - Trần Văn Bình, sinh năm 1985.",
            ["Danh sách gồm:", "- Nguyễn Văn An, sinh năm 1980", "- Trần Văn Bình, sinh năm 1985."],
        ),
        (
            "Tuyến gồm: - Đoạn 1 dài 5 km. Cao tốc Hà Nội - Hải Phòng thông xe năm 2015.",
            ["Tuyến gồm:", "- Đoạn 1 dài 5 km.", "Cao tốc Hà Nội - Hải Phòng thông xe năm 2015."],
        ),
        # A star set off by spaces opens a list item.
        (
            "Các đại biểu đồng tình với đề xuất * Nhiều ý kiến lo ngại về chi phí",
            ["Các đại biểu đồng tình với đề xuất", "* Nhiều ý kiến lo ngại về chi phí"],
        ),
    ],
)
def test_boundaries_without_punctuation(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(
    ("text", "byline"),
    [
        ("Mưa lớn kéo dài suốt đêm qua. Nhiều tuyến phố bị ngập sâu Minh Anh", "Minh Anh"),
        (
            "Mưa suốt đêm qua. Xem thêm: Bão mạnh đổ bộ vào Biển Đông Quốc Vinh (Theo Tuổi Trẻ)",
            "Quốc Vinh (Theo Tuổi Trẻ)",
        ),
        ("Xe phát nổ. Xem thêm: Bom nổ ở thủ đô Kabul Đ. V (Tổng hợp)", "Đ. V (Tổng hợp)"),
    ],
)
def test_byline_glued_to_the_end_of_the_text(text: str, byline: str) -> None:
    sentences = split_sentences(text)
    assert sentences[-1] == byline
    assert " ".join(sentences) == text


@pytest.mark.parametrize(
    "text",
    [
        # After a word that needs an object, the capitalised words are that object.
        "Mưa lớn kéo dài suốt đêm qua. Nước dâng cao ở Biển Đông",
        # A foreign name is not a Vietnamese pen name.
        "Mưa lớn kéo dài suốt đêm qua. Tàu cá neo đậu ngoài khơi Kuala Lumpur",
        # A line without a sentence before it is a heading, not an article with a byline.
        "Bão số 3 đổ bộ Quảng Ninh",
        # Only the end of the text has a byline.
        "Mưa lớn kéo dài suốt đêm qua. Đội tuyển thắng Hoàng Anh\nTrận đấu kết thúc lúc 21h.",
    ],
)
def test_no_byline(text: str) -> None:
    assert all(len(sentence.split()) > 2 for sentence in split_sentences(text))


@pytest.mark.parametrize(
    "text",
    [
        "Ông Nguyễn Văn A. cho biết: \"Tôi sẽ về.\" Sau đó, TP. HCM mưa to. Giá tăng 6,5% trong năm.",
        "  Dòng một có khoảng trắng.  \n\n Dòng hai… Dòng ba? Hết\nTin: Quốc Vinh",
        "Bão số 3 đổ bộ Quảng Ninh Theo người dân, nước dâng cao. Ảnh: Reuters Bộ trưởng nói.",
    ],
)
def test_sentence_spans_locate_the_sentences(text: str) -> None:
    normalized, spans = sentence_spans(text)
    assert normalized == normalize_text(text)
    assert [normalized[start:end] for start, end in spans] == split_sentences(text)
    assert all(start < end for start, end in spans)
