"""The summariser's shortcuts give what the general code gives (the general code is the oracle).

Each shortcut exists only for speed: the splitter's pattern for lines whose only terminal mark is
the full stop, the opening-clause check that reuses a sentence's syllables, and the headline
check that reuses its content words. A difference would change summaries without a word about it.
"""

from __future__ import annotations

from unittest import mock

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from summarizer import sentences as splitter
from summarizer import split_sentences
from summarizer.readability import content_set, leans_back, repeats_headline
from summarizer.text import syllables

# Full stops in every role the splitter reads (abbreviations, initials, numbers, quotations),
# and none of the other terminal marks.
DOT_WORDS = ["Hà", "Nội", "mưa", "to", "TP.", "HCM", "2.000", "ông", "Văn", "T.", "Ph.", "Q.",
             "v.v.", "..", "...", "về...", "“Tôi", "về.”", '"', "về.", '".', "đồng.", "Theo",
             "Ngày", "George", "W.", "Bush", "(SN", "1980).", ":", "-", "Sau", "đó,", "Ảnh:",
             "Reuters", "chị"]
dotted_line = st.lists(st.sampled_from(DOT_WORDS), max_size=60).map(" ".join)
# Openings that point back and openings that do not: connectives, demonstratives, "trên",
# "cùng ngày", pronouns, commas near the start and far from it.
FIRST_WORDS = ["Tuy", "Theo", "Sáng", "Ông", "Nguyễn", "Hà", "Sau", "Do", "Do,", "Với", "Họ",
               "“Tôi", "Vụ", "Ngay", "Đến", "Cả", "Trong", "Giá", "Thực"]
LATER_WORDS = ["nhiên,", "đó", "đó,", "này", "này,", "ấy", "trên", "trên,", "nói", "cùng", "ngày",
               "ngày,", "ông", "anh", "Nội,", "giá", "vàng", "tăng", "khi", "mức", "việc", "thông",
               "tin", "khoảng", "18h", "2", "hiện", "âm", "mưu"]
opening = st.tuples(st.sampled_from(FIRST_WORDS),
                    st.lists(st.sampled_from(LATER_WORDS), max_size=15)).map(
    lambda words: " ".join([words[0], *words[1]]) + ".")
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(text=st.lists(dotted_line, min_size=1, max_size=3).map("\n".join))
@example(text="Ông về... Sau đó mưa to.... Hà Nội ngập.")
def test_full_stop_lines_split_as_the_general_pattern_splits_them(text: str) -> None:
    fast = split_sentences(text)
    with mock.patch.object(splitter, "_DOT_CANDIDATE", splitter._CANDIDATE):
        general = split_sentences(text)
    assert fast == general


@SETTINGS
@given(sentence=opening)
@example(sentence="Với mức giá trên, nhiều người bỏ đi.")
@example(sentence="Với trên, nhiều người bỏ đi.")
@example(sentence="Đến khoảng 18h cùng ngày, anh về.")
@example(sentence="Ngay sau khi tiếp nhận được những thông tin này, công an đã vào cuộc.")
def test_leans_back_reads_the_same_with_and_without_the_syllables(sentence: str) -> None:
    assert leans_back(sentence, syllables(sentence)) == leans_back(sentence)


@SETTINGS
@given(sentence=opening, title=opening)
def test_headline_check_reads_the_same_with_the_content_words_given(sentence: str,
                                                                    title: str) -> None:
    tokens, title_tokens = syllables(sentence), syllables(title)
    given_words = repeats_headline(tokens, title_tokens, content_set(title_tokens),
                                   content_set(tokens))
    assert given_words == repeats_headline(tokens, title_tokens)
