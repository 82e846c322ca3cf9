"""``summarize``: the API, output hygiene and bad input (issue 4, points 1, 5 and 6)."""

from __future__ import annotations

import unicodedata

import pytest

from summarizer import ALGORITHMS, Summary, UnknownAlgorithm, split_sentences, summarize
from summarizer.candidates import HORIZON, MAX_RANKED, prepare
from summarizer.hygiene import is_byline, is_dateline, is_summary_worthy, is_worthy_untokenized
from summarizer.readability import summary_faults
from summarizer.text import syllables


def test_two_sentences_in_article_order(article: str, title: str) -> None:
    summary = summarize(article, title=title)
    sentences = split_sentences(article)
    assert len(summary.sentences) == 2
    assert summary.indices == sorted(summary.indices)
    assert [sentences[i] for i in summary.indices] == summary.sentences
    assert summary.text == " ".join(summary.sentences)


def test_title_words_pull_their_sentence_in(article: str) -> None:
    without = summarize(article, sentences=1)
    with_title = summarize(article, title="Khuyến cáo người dân hạn chế ra đường khi mưa lớn",
                           sentences=1)
    assert "khuyến cáo" not in without.text
    assert "khuyến cáo" in with_title.text


def test_dateline_byline_and_caption_never_chosen(article: str) -> None:
    for algorithm in ALGORITHMS:
        summary = summarize(article, sentences=10, algorithm=algorithm)
        assert "Hà Nội, 12/3/2024" not in summary.sentences
        assert "Minh Anh" not in summary.sentences
        assert not any(s.startswith("Ảnh:") for s in summary.sentences)
        assert all(len(syllables(s)) >= 4 for s in summary.sentences)


@pytest.mark.parametrize("line", ["Hà Nội, 12/3/2024", "Thứ Hai, 12/03/2024 08:30 (GMT+7)",
                                  "TP. HCM, ngày 5 tháng 6 năm 2023"])
def test_datelines_are_recognised(line: str) -> None:
    assert is_dateline(line)


@pytest.mark.parametrize("line", ["Theo VnExpress", "(Theo Dân trí)", "Ảnh: TTXVN",
                                  "Nguyễn Văn An", "Mộc Miên (Tổng hợp)", "Xem thêm: Giá vàng hôm nay"])
def test_bylines_are_recognised(line: str) -> None:
    assert is_byline(line)


@pytest.mark.parametrize("sentence", ["Theo ông An, giá xăng sẽ còn giảm trong tuần tới.",
                                      "Ngày 12/3, thành phố họp bàn về chống ngập."])
def test_news_sentences_are_not_bylines_or_datelines(sentence: str) -> None:
    assert not is_byline(sentence) and not is_dateline(sentence)


def test_max_chars_passes_over_a_sentence_that_does_not_fit(article: str, title: str) -> None:
    full = summarize(article, title=title, sentences=3)
    limit = len(full.text) - 1
    short = summarize(article, title=title, sentences=3, max_chars=limit)
    assert len(short.text) <= limit
    assert short.indices != full.indices
    assert full.indices[0] in short.indices  # the best sentence stays
    assert len(short.sentences) == 3  # filled with shorter ones that still fit
    assert all(s in split_sentences(article) for s in short.sentences)


def test_single_over_long_sentence_is_cut_at_a_word_boundary(article: str) -> None:
    summary = summarize(article, sentences=1, max_chars=30)
    assert len(summary.text) <= 30
    assert summary.text.endswith("…")
    cut = summary.text[:-1]
    original = split_sentences(article)[summary.indices[0]]
    assert original.startswith(cut)
    assert original[len(cut)] in " ,"  # cut where a word ends


@pytest.mark.parametrize("text", ["", "   ", "\n\t\n", "\u200b\u00ad"])
def test_empty_or_blank_text_gives_an_empty_summary(text: str) -> None:
    summary = summarize(text)
    assert summary == Summary() and summary.text == "" and not summary


def test_one_sentence_gives_that_sentence() -> None:
    text = "Bộ Giáo dục công bố lịch thi tốt nghiệp trung học phổ thông năm nay."
    assert summarize(text, sentences=3).sentences == [text]


def test_no_punctuation_uses_lines_as_sentences() -> None:
    text = "Giá xăng giảm mạnh từ chiều nay\nHà Nội chuyển lạnh vào cuối tuần\nĐội tuyển thắng trận mở màn"
    summary = summarize(text, sentences=2)
    assert len(summary.sentences) == 2
    assert all(s in text.split("\n") for s in summary.sentences)


GOLD_TITLE = "Giá vàng giảm sau dấu hiệu khả quan của kinh tế Mỹ"
# Laid out as today's news pages are: paragraphs, with short crossheads between them.
GOLD_PAGE = """Giá vàng đi xuống khi kinh tế Mỹ tiếp tục cho thấy sự vững mạnh. Điều này có thể khiến Cục Dự trữ Liên bang Mỹ thắt chặt chính sách tiền tệ hơn.

Vàng thế giới trồi sụt quanh mốc 1.800 USD/ounce

Kết thúc ngày 23/12, các doanh nghiệp lớn tại Hà Nội niêm yết giá vàng miếng SJC tại 66,1-66,9 triệu đồng/lượng. So với giá mở cửa phiên hôm qua, mỗi lượng vàng đã tăng 200.000 đồng.

Vì sao vàng giảm?

Sáng nay, giá kim loại quý giao ngay trên Kitco ở mức 1.798,5 USD/ounce, mất mốc 1.800 USD lần thứ hai trong tuần.

Nhà đầu tư thận trọng

Các nhà phân tích cho rằng giá vàng thế giới sẽ còn chịu sức ép khi số liệu việc làm của Mỹ tốt hơn dự báo."""


def test_crossheads_are_never_chosen() -> None:
    for count in (1, 2, 3):
        summary = summarize(GOLD_PAGE, title=GOLD_TITLE, sentences=count)
        assert len(summary.sentences) == count
        for heading in ("Vàng thế giới trồi sụt", "Vì sao vàng giảm?", "Nhà đầu tư thận trọng"):
            assert all(heading not in sentence for sentence in summary.sentences), summary
        assert summary_faults(summary.sentences, summary.indices, GOLD_TITLE) == []
        assert not any("đã tăng 200.000" in sentence for sentence in summary.sentences)


def test_a_short_line_ending_as_a_statement_is_no_crosshead() -> None:
    text = GOLD_PAGE.replace("Nhà đầu tư thận trọng", "Nhà đầu tư thận trọng chờ tin.")
    assert "Nhà đầu tư thận trọng chờ tin." in prepare(text).sentences
    assert "Nhà đầu tư thận trọng" not in prepare(GOLD_PAGE).sentences


def test_nfd_input_gives_the_same_summary_as_nfc(article: str, title: str) -> None:
    nfd = unicodedata.normalize("NFD", article)
    assert nfd != article
    assert summarize(nfd, title=unicodedata.normalize("NFD", title)) == summarize(article, title=title)


def test_non_vietnamese_text_works() -> None:
    text = ("The city council met on Monday to discuss the flood plan. It approved a budget of two "
            "million dollars for new drains. Work will start next month and finish before the rainy "
            "season. Residents welcomed the decision.")
    summary = summarize(text, title="Council approves flood budget")
    assert len(summary.sentences) == 2
    assert all(s in split_sentences(text) for s in summary.sentences)


def test_a_megabyte_of_text_ranks_only_the_head(article: str) -> None:
    huge = "\n".join([article] * (1_000_000 // len(article) + 1))
    assert len(huge.encode("utf-8")) > 1_000_000
    for algorithm in ("default", "lexrank"):
        summary = summarize(huge, sentences=2, algorithm=algorithm)
        assert len(summary.sentences) == 2
        assert all(i < MAX_RANKED for i in summary.indices)


def test_unknown_algorithm_is_a_named_error(article: str) -> None:
    with pytest.raises(UnknownAlgorithm, match="choose one of"):
        summarize(article, algorithm="magic")
    with pytest.raises(UnknownAlgorithm):
        summarize("", algorithm="magic")


def test_zero_sentences_gives_an_empty_summary(article: str) -> None:
    assert summarize(article, sentences=0) == Summary()


@pytest.mark.parametrize("sentence", [
    "Theo VnExpress",
    "Ảnh: TTXVN",
    "Hà Nội, 12/3/2024",
    "Mưa lớn kéo dài.",
    "Ảnh: Người dân xếp hàng từ sáng sớm để mua vé xem trận chung kết tại sân vận động Mỹ Đình.",
    "Giá xăng tăng 2.000 đồng/lít từ 15h chiều nay, mức tăng mạnh nhất trong ba tháng qua.",
    "Một hai ba bốn năm sáu bảy tám chín mười mười một mười hai mười ba mười bốn",
    "Một hai ba bốn năm sáu bảy tám chín mười mười một mười hai mười ba mười bốn mười lăm",
    "snake_case_name và 1.000.000 đồng, ...  -- ! ? một hai ba bốn năm sáu bảy tám chín",
])
def test_long_sentences_are_judged_alike_without_their_syllables(sentence: str) -> None:
    assert is_worthy_untokenized(sentence) == is_summary_worthy(sentence)


def test_candidates_past_the_ranked_ones_get_their_syllables_when_read() -> None:
    text = " ".join(f"Câu thứ {n} nói về cây cầu mới bắc qua sông ở huyện miền núi." for n in
                    range(HORIZON + 10))
    candidates = prepare(text, "Cây cầu mới")
    assert len(candidates) == HORIZON + 10
    assert candidates.tokens[-1] == syllables(candidates.sentences[-1])
    assert list(candidates.tokens) == [syllables(s) for s in candidates.sentences]
    assert candidates.tokens[HORIZON - 2:HORIZON + 2] == [
        syllables(s) for s in candidates.sentences[HORIZON - 2:HORIZON + 2]]


@pytest.mark.parametrize(
    "text",
    [
        "Giá xăng tăng 6,5% từ 15h chiều nay. Người dân (ở TP.HCM) xếp hàng dài & chờ đợi.",
        "Công ty ABC_XYZ công bố lợi nhuận quý 3. Cổ phiếu tăng mạnh trong phiên sáng nay.",
        # Lower-casing these changes the length (İ) or depends on the next letter (Σ): the
        # syllables are then made sentence by sentence, and must be the same.
        "İZMİR và İstanbul đón khách Việt Nam hôm qua. Đoàn gồm 20 doanh nghiệp lớn ở phía Nam.",
        "Nhóm ΟΔΥΣΣΕΥΣ biểu diễn ở Hà Nội tối qua. Khán giả kín hội trường suốt buổi diễn.",
    ],
)
def test_candidates_tokens_are_each_sentences_syllables(text: str) -> None:
    # prepare tokenises slices of the whole text; they must be what syllables() gives each one.
    candidates = prepare(text)
    assert len(candidates) == 2
    assert [candidates.tokens[k] for k in range(2)] == [syllables(s) for s in candidates.sentences]
