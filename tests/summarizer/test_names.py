"""A person the summary names by a short form ("anh H.") is named in full where the article
introduced them in a sentence the summary left out (issue 15: a sentence must not lean on one
left out). Every text here was written for these tests."""

from __future__ import annotations

from summarizer import split_sentences, summarize
from summarizer.names import expand_short_names, full_name, short_names
from summarizer.readability import summary_faults

INTRO = "Tối 12/3, anh Phạm Văn T. (SN 1991, trú xã Nghi Vạn) đi xe máy về nhà thì bị chặn lại."


def test_short_forms_are_found_and_full_names_are_not_short() -> None:
    assert short_names("Đèn xe máy của anh T. chiếu vào mặt của Minh.") == ["T."]
    assert short_names("Ông Đ. cho biết sẽ trả nợ.") == ["Đ."]
    assert short_names(INTRO) == []  # named in full: no short form to explain
    assert short_names("Anh Phạm Văn T. kể, rồi anh T. bỏ đi.") == []
    assert short_names("Bà con xã Kỳ Phong đã đến.") == []


def test_the_full_name_is_the_run_of_capitalised_syllables_before_the_short_form() -> None:
    assert full_name(INTRO, "T.") == "Phạm Văn T."
    assert full_name("Chủ tịch UBND Nguyễn Văn H. cho biết.", "H.") == "Nguyễn Văn H."
    assert full_name("Anh T. nói.", "T.") is None  # a word of address is not a name


def test_the_first_short_form_gets_the_full_name_once() -> None:
    later = "Do chưa kịp tắt máy nên đèn xe của anh T. chiếu vào mặt Minh, anh T. bực tức."
    [named] = expand_short_names([later], [[INTRO, "Hai bên cãi nhau."]])
    assert named == ("Do chưa kịp tắt máy nên đèn xe của anh Phạm Văn T. chiếu vào mặt Minh, "
                     "anh T. bực tức.")
    # Already named in the summary, in the headline, or nowhere in the article: left as it is.
    assert expand_short_names([INTRO, later], [[], [INTRO]]) == [INTRO, later]
    assert expand_short_names([later], [[INTRO]], title="Anh T. bị đánh trọng thương") == [later]
    assert expand_short_names([later], [["Hai bên cãi nhau."]]) == [later]


ARTICLE = " ".join([
    "Công an huyện Nghi Lộc đang điều tra vụ hỗn chiến khiến một người bị thương nặng.",
    INTRO,
    "Nhóm của Minh gồm 5 người ngồi uống rượu bên đường.",
    "Do dừng xe chưa kịp tắt máy, đèn xe của anh T. chiếu thẳng vào mặt Minh khiến nhóm này "
    "bực tức, lao vào đánh anh T. bằng gậy gỗ.",
    "Anh T. bị thương nặng ở đầu, được người dân đưa đi cấp cứu tại bệnh viện huyện.",
])


def test_a_summary_never_names_someone_the_reader_has_not_met() -> None:
    article = split_sentences(ARTICLE)
    title = "Bị đánh vì đèn xe máy chiếu vào mặt nhóm thanh niên đang nhậu"
    for count in (1, 2):
        summary = summarize(ARTICLE, title=title, sentences=count)
        assert 3 in summary.indices and 1 not in summary.indices  # the sentence with "anh T."
        assert "đèn xe của anh Phạm Văn T. chiếu thẳng" in " ".join(summary.sentences)
        assert summary_faults(summary.sentences, summary.indices, title, article) == []
    # Within max_chars only: a full name that would not fit is not written in.
    summary = summarize(ARTICLE, title=title, sentences=1, max_chars=len(article[3]))
    assert summary.sentences == [article[3]]
    # The checker does see the fault: the fourth sentence alone names "anh T." unintroduced.
    assert summary_faults([article[3]], [3], None, article) == ["short_name"]
    assert summary_faults([article[1], article[3]], [1, 3], None, article) == []
