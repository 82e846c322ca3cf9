"""Summaries that read well to a person (issue 15): each fault class and the expected choice.

Every text here was written for these tests.
"""

from __future__ import annotations

import pytest

from summarizer import ALGORITHMS, choose_readable, split_sentences, summarize
from summarizer.readability import (
    contradicts, leans_back, quotes_balanced, repeats_headline, summary_faults,
)
from summarizer.text import syllables

# --- the checker, sentence by sentence -------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "Tuy nhiên, giá xăng vẫn chưa giảm.",
    "Theo đó, bị cáo phải bồi thường 200 triệu đồng.",
    "Do vậy “tú ông” 9X đã bị bắt.",
    "Bởi, thị trường nhà ở vẫn khan hiếm nguồn cung.",
    "Ngoài ra, lực lượng công an còn thu giữ 3 xe máy.",
    "Trong khi đó, giá vàng thế giới đứng yên.",
    "Sau đó, nhóm này bỏ trốn về quê.",
    "Số tiền này được chuyển cho gia đình nạn nhân.",
    "Vụ tai nạn nói trên khiến 2 người bị thương.",
    "Sáng cùng ngày, anh Luân đến công an trình báo.",
    "Ngay sau khi tiếp nhận được những thông tin này, công an đã vào cuộc.",
    "Ông cho biết sẽ kháng cáo.",
    "Họ đã được đưa đi cấp cứu kịp thời.",
    "“Tuy nhiên, chúng tôi vẫn chờ,” anh nói.",
    "Vụ việc đang được công an huyện điều tra làm rõ.",
    "Hoặc người dân có thể nộp hồ sơ qua bưu điện.",
    "Nói cách khác, giá nhà sẽ còn tăng.",
    "Một lúc sau, Thọ lái xe ô tô tông thẳng vào hai người.",
    "Cả 2 bắt đầu hoạt động mua bán trái phép chất ma tuý.",
    "Sau một thời gian vẫn chưa thấy tung tích, anh đến công an trình báo.",
    "Thực hiện âm mưu trên, Vân đưa cho V. một phong bì.",
    "Đến khoảng 18h cùng ngày, mẹ bé sang đưa cả hai về nhà.",
])
def test_sentences_that_point_back_are_found(sentence: str) -> None:
    assert leans_back(sentence)


@pytest.mark.parametrize("sentence", [
    "Sáng 12/3, UBND TP. Hà Nội tổ chức hội nghị về chống ngập.",
    "Ông Nguyễn Văn An, Giám đốc Sở Xây dựng, cho biết công trình sẽ xong trước tháng 6.",
    "Do mưa lớn kéo dài, nhiều tuyến phố bị ngập sâu.",
    "Bà con ở xã Tân Phú được hỗ trợ 10 kg gạo mỗi người.",
    "Theo ông Lê Văn Bình, giá vàng sẽ còn biến động.",
    "Năm 2023, công tác dân vận tiếp tục thực hiện theo 7 nhóm nhiệm vụ.",
    "Hay tin con trai bị tai nạn, bà Lan vội vã vào viện.",
    "Trên đường đi làm về, anh Nam phát hiện đám cháy.",
    "Ngày 12/3, trên tuyến quốc lộ 1A xảy ra tai nạn.",
])
def test_self_contained_sentences_are_not_flagged(sentence: str) -> None:
    assert not leans_back(sentence)


def test_quotation_balance_with_mixed_quote_marks() -> None:
    assert quotes_balanced(["Ông nói: “Tôi sẽ về.”"])
    assert quotes_balanced(['Ông nói: "Tôi sẽ về."'])
    assert quotes_balanced(["Ông nói: “Tôi sẽ về.", "Mai tôi đi.”"])
    assert not quotes_balanced(["Ông nói: “Tôi sẽ về."])
    assert not quotes_balanced(['chỉ có trận thắng 1-0", HLV Kim Pan Gon cho biết.'])
    assert not quotes_balanced(["Mai tôi đi.” Ông nói “thêm."])


def test_headline_repeated_or_run_in_is_found() -> None:
    title = syllables("Hà Nội chi 2.000 tỷ đồng chống ngập")
    assert repeats_headline(syllables("Hà Nội chi 2.000 tỷ đồng chống ngập."), title)
    assert repeats_headline(syllables("Hà Nội chi 2.000 tỷ đồng chống ngập Sáng 12/3, ..."), title)
    assert not repeats_headline(
        syllables("Sáng 12/3, thành phố quyết định chi 2.000 tỷ đồng cải tạo hệ thống thoát nước "
                  "tại các quận nội thành để chống ngập trong mùa mưa năm nay."), title)


def test_opposite_movements_of_the_same_thing_contradict() -> None:
    down = syllables("Sáng nay, giá vàng SJC đi xuống ở cả hai chiều mua bán.")
    up = syllables("Giá vàng SJC tại Hà Nội đã tăng 200.000 đồng mỗi lượng.")
    other = syllables("Lượng khách đến Đà Nẵng tăng mạnh trong dịp lễ.")
    assert contradicts(down, up)
    assert not contradicts(down, other)


def test_what_moves_makes_a_contradiction_when_little_else_is_shared() -> None:
    down = syllables("Giá vàng đi xuống khi kinh tế Mỹ tiếp tục cho thấy sự vững mạnh.")
    up = syllables("So với giá mở cửa phiên hôm qua, mỗi lượng vàng đã tăng 200.000 đồng.")
    tourists = syllables("Cùng lúc, lượng khách du lịch đến Đà Nẵng tăng mạnh.")
    assert contradicts(down, up) and contradicts(up, down)
    assert not contradicts(down, tourists)


def test_an_unbroken_run_explains_its_own_turn() -> None:
    turn = ["Sáng nay, giá vàng SJC đi xuống ở cả hai chiều mua bán.",
            "Tuy nhiên, đến trưa giá vàng đảo chiều.",
            "Giá vàng SJC tại Hà Nội đã tăng 200.000 đồng mỗi lượng."]
    assert summary_faults(turn, [1, 2, 3], None) == []
    assert summary_faults([turn[0], turn[2]], [1, 3], None) == ["contradiction"]


def test_summary_faults_names_each_class() -> None:
    title = "Giá vàng SJC đảo chiều"
    assert summary_faults(["Tuy nhiên, giá vàng vẫn cao."], [4], title) == ["leans_back"]
    assert summary_faults(["Giá vàng mở cửa ở mức 70 triệu.", "Tuy nhiên, giá vàng vẫn cao."],
                          [3, 4], title) == []
    assert summary_faults(["Ông Hải nói: “Giá sẽ còn lên."], [2], title) == ["quote"]
    assert summary_faults(["Giá vàng SJC đảo chiều"], [0], title) == ["headline"]
    same = "Giá vàng SJC sáng nay được niêm yết ở mức 70 triệu đồng mỗi lượng."
    assert summary_faults([same, "Sáng nay giá vàng SJC được niêm yết 70 triệu đồng mỗi lượng."],
                          [1, 5], None) == ["redundant"]
    assert summary_faults(["Sáng nay, giá vàng SJC đi xuống ở cả hai chiều.",
                           "Giá vàng SJC tại Hà Nội đã tăng 200.000 đồng mỗi lượng."],
                          [1, 6], None) == ["contradiction"]


# --- the choice ------------------------------------------------------------------------------

PASSAGE = [
    "Giá xăng RON 95 giảm 500 đồng mỗi lít từ 15h chiều nay.",          # 0
    "Bộ Công Thương cho biết giá dầu thế giới đã giảm ba tuần liền.",    # 1
    "Tuy nhiên, giá xăng trong nước vẫn cao hơn các nước trong khu vực.",  # 2 leans on 1
    "Nhiều doanh nghiệp vận tải mong giá còn giảm thêm.",                # 3
]


def test_a_sentence_that_leans_back_comes_with_its_antecedent() -> None:
    assert choose_readable(PASSAGE, [2, 0, 3, 1], count=2) == [1, 2]


def test_a_sentence_that_leans_back_without_its_antecedent_is_not_chosen() -> None:
    # Sentence 2 does not follow sentence 1 here (another article's sentence was in between).
    adjacent = [False, True, False, True]
    assert choose_readable(PASSAGE, [2, 0, 3, 1], count=2, adjacent=adjacent) == [0, 3]
    # Asked for one sentence, the pair does not fit: the next best unit is taken.
    assert choose_readable(PASSAGE, [2, 0, 3, 1], count=1) == [0]


QUOTED = [
    "Đội tuyển nữ Việt Nam thua 0-2 trước Nhật Bản tối qua.",                       # 0
    "HLV Mai Đức Chung nói: “Chúng tôi đã chơi hết sức.",                            # 1 opens
    "Các cầu thủ cần thêm thời gian để hồi phục.”",                                  # 2 closes
    '"Chúng tôi đã cố gắng.',                                                          # 3 opens
    'Nhưng cuối cùng chỉ có trận thắng 1-0", HLV Kim Pan Gon cho biết.',             # 4 closes
    "Trận tiếp theo diễn ra vào ngày 20/9 tại sân Mỹ Đình.",                         # 5
]


def test_a_quotation_is_taken_whole_or_not_at_all() -> None:
    assert choose_readable(QUOTED, [1, 0, 5], count=2) == [1, 2]
    assert choose_readable(QUOTED, [2, 0, 5], count=2) == [1, 2]
    assert choose_readable(QUOTED, [4, 0, 5], count=2) == [3, 4]
    # Only one sentence wanted: no half quotation, the next best sentence instead.
    assert choose_readable(QUOTED, [1, 4, 5, 0], count=1) == [5]


def test_the_headline_is_never_chosen() -> None:
    title = "Giá xăng RON 95 giảm 500 đồng mỗi lít"
    sentences = [title, "Giá xăng RON 95 giảm 500 đồng mỗi lít Từ 15h chiều nay, các cửa hàng "
                 "đã bán theo giá mới.", *PASSAGE[1:]]
    assert choose_readable(sentences, [0, 1, 3, 2], count=2, title=title) == [2, 3]


def test_two_sentences_that_say_the_same_are_not_both_chosen() -> None:
    sentences = [
        "Giá xăng RON 95 giảm 500 đồng mỗi lít từ 15h chiều nay.",
        "Từ 15h chiều nay, giá xăng RON 95 giảm 500 đồng mỗi lít.",
        "Nhiều doanh nghiệp vận tải mong giá còn giảm thêm.",
    ]
    assert choose_readable(sentences, [0, 1, 2], count=2) == [0, 2]


def test_opposite_movements_out_of_context_are_not_both_chosen() -> None:
    sentences = [
        "Sáng nay, giá vàng SJC đi xuống ở cả hai chiều mua bán.",
        "Các cửa hàng vàng ở Hà Nội vắng khách.",
        "Người dân chủ yếu đến để hỏi giá.",
        "Giá vàng SJC tại Hà Nội đã tăng 200.000 đồng mỗi lượng.",
    ]
    assert choose_readable(sentences, [0, 3, 1], count=2) == [0, 1]


def test_the_summary_is_filled_up_to_count_within_max_chars() -> None:
    sentences = [
        "Giá xăng RON 95 giảm 500 đồng mỗi lít từ 15h chiều nay.",
        "Bộ Công Thương cho biết quyết định giảm giá được đưa ra sau khi giá dầu thế giới giảm "
        "ba tuần liền và quỹ bình ổn giá vẫn còn dư hơn 5.000 tỷ đồng.",
        "Nhiều doanh nghiệp vận tải mong giá còn giảm thêm.",
    ]
    limit = len(sentences[0]) + 1 + len(sentences[2])
    assert choose_readable(sentences, [0, 1, 2], count=2, max_chars=limit) == [0, 2]


# --- through summarize: every algorithm, and the seed article -------------------------------

FAULTY_ARTICLE = (
    "Giá vàng SJC đảo chiều tăng mạnh\n"
    "Sáng nay, giá vàng SJC đi xuống ở cả hai chiều mua bán tại các cửa hàng lớn. "
    "Tuy nhiên, đến trưa giá vàng SJC đảo chiều tăng trở lại. "
    "Theo đó, giá vàng SJC tại Hà Nội đã tăng 200.000 đồng mỗi lượng so với hôm qua. "
    "Ông Nguyễn Văn Hải, chủ một cửa hàng vàng trên phố Trần Nhân Tông, nói: “Khách đến hỏi giá "
    "nhiều hơn mua. "
    "Giá vàng SJC biến động quá mạnh nên người dân còn chờ.” "
    "Giá vàng SJC đảo chiều tăng mạnh. "
    "Các chuyên gia khuyên người dân không nên mua vàng SJC theo phong trào khi giá biến động. "
    "Ngoài ra, giá vàng nhẫn cũng tăng 150.000 đồng mỗi lượng."
)
FAULTY_TITLE = "Giá vàng SJC đảo chiều tăng mạnh"


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("count", [1, 2, 3])
def test_no_algorithm_gives_a_faulty_summary(algorithm: str, count: int) -> None:
    summary = summarize(FAULTY_ARTICLE, title=FAULTY_TITLE, sentences=count, algorithm=algorithm)
    assert summary.sentences
    assert summary_faults(summary.sentences, summary.indices, FAULTY_TITLE) == []
    # Up to two readable units always fit here; a third may be left out when every unit that
    # is left would repeat, contradict or need more sentences than remain.
    assert len(summary.sentences) >= min(count, 2)


def test_the_lead_without_readability_would_have_faults() -> None:
    """The fixture does exercise the checker: its plain first sentences are faulty."""
    sentences = split_sentences(FAULTY_ARTICLE)
    assert summary_faults(sentences[:1], [0], FAULTY_TITLE) == ["headline"]
    assert sentences[2].startswith("Tuy nhiên")
    assert summary_faults([sentences[2]], [2], FAULTY_TITLE) == ["leans_back"]


HEADLINE = "Đẩy mạnh chuyển đổi số trong các trường học ở Quảng Bình"
# Laid out as a scraper returns a regional news page: update time, sapo, the headline repeated
# as photo captions, the sapo again, a long lead, short captions, byline and comment widgets.
SEED_LIKE = f"""Cập nhật: 09:15 14/03/2024
(Baoquangbinh.vn) - Sở Giáo dục và Đào tạo tỉnh Quảng Bình yêu cầu các trường học trên địa bàn tiếp tục đẩy mạnh chuyển đổi số trong dạy học, quản lý và kiểm tra đánh giá, bảo đảm mỗi giáo viên đều sử dụng thành thạo hệ thống học liệu số, hồ sơ điện tử và sổ điểm điện tử trong năm học tới.

{HEADLINE}

Sở Giáo dục và Đào tạo tỉnh Quảng Bình yêu cầu các trường học trên địa bàn tiếp tục đẩy mạnh chuyển đổi số trong dạy học, quản lý và kiểm tra đánh giá, bảo đảm mỗi giáo viên đều sử dụng thành thạo hệ thống học liệu số, hồ sơ điện tử và sổ điểm điện tử trong năm học tới.

{HEADLINE}

Sáng 14/3, Sở Giáo dục và Đào tạo Quảng Bình tổ chức hội nghị sơ kết công tác chuyển đổi số học kỳ I.

Lãnh đạo Sở phát biểu tại hội nghị.

{HEADLINE}

Trong học kỳ I, toàn tỉnh có 412 trường sử dụng sổ điểm điện tử, tăng 96 trường so với cùng kỳ.

Tuy nhiên, nhiều trường vùng núi vẫn thiếu thiết bị và đường truyền ổn định.

Năm 2024, ngành giáo dục tỉnh sẽ đầu tư thêm 1.200 máy tính cho các trường vùng khó khăn.

{HEADLINE}

Thanh Hà

 {{name}} - {{time}}

0 bình luận
"""


@pytest.mark.parametrize("title", [HEADLINE, None])
def test_the_seed_like_page_gives_two_sentences_without_the_headline(title: str | None) -> None:
    summary = summarize(SEED_LIKE, title=title, sentences=2, max_chars=400)
    assert len(summary.sentences) == 2
    assert len(summary.text) <= 400
    assert HEADLINE not in summary.text
    assert summary_faults(summary.sentences, summary.indices, HEADLINE) == []


def test_the_pipeline_summary_of_the_seed_like_page_has_two_sentences() -> None:
    """What readers get with the default ``[summarizer]`` settings (2 sentences, 400 chars)."""
    from bantin.config import SummarizerConfig
    from bantin.summaries import summarize_article

    text = summarize_article(HEADLINE, "", SEED_LIKE, SummarizerConfig())
    assert 0 < len(text) <= 400
    assert HEADLINE not in text
    assert len(split_sentences(text)) == 2
