"""Blind spots of the readable choice found by reading summaries (follow-up to issue 15): a
demonstrative closing a longer subject, "Chúng …", a bare "trên" ("the above"), page furniture
and a given name alone. Each rule with a sentence it catches and one it must leave alone, and
the summary that avoids the sentence. Every text here was written for these tests."""

from __future__ import annotations

import pytest

from summarizer import split_sentences, summarize
from summarizer.hygiene import is_furniture
from summarizer.names import expand_short_names, given_full_name
from summarizer.readability import leans_back, stands_alone, summary_faults


@pytest.mark.parametrize("sentence", [
    # a demonstrative past the first five syllables, closing a longer subject or object
    "Không ít doanh nghiệp lĩnh vực này đã phải thu hẹp sản xuất.",
    "Các doanh nghiệp trong ngành này đều báo lãi giảm mạnh.",
    "Huawei nhiều lần phủ nhận cáo buộc này.",
    # "Chúng" for things or animals named before
    "Chúng được điều khiển từ xa và chỉ có thể tránh đạn.",
    "“Chúng đang dần chết đói”, nhà nghiên cứu nói.",
    # a bare "trên": "the above"
    "Thông tin trên được Sở Y tế xác nhận chiều nay.",
    "Số tiền trên là khoản bồi thường cho gia đình nạn nhân.",
    "Vụ việc trên đang được công an huyện điều tra.",
    "Bảo tàng khảo cổ nêu trên vẫn đang trong quá trình thi công.",
])
def test_sentences_that_point_back_are_found(sentence: str) -> None:
    assert leans_back(sentence)


@pytest.mark.parametrize("sentence", [
    # writer and reader: "Chúng tôi", "Chúng ta" stand alone
    "Chúng tôi sẽ rà soát và khắc phục các điểm ùn tắc giao thông trong năm nay.",
    "“Chúng ta cần minh bạch”, ông Toàn nói.",
    # "trên" as a place: "on the network", "in the air"
    "Thông tin trên mạng xã hội khiến nhiều phụ huynh lo lắng.",
    "Hoả lực trên không cũng tham gia yểm trợ các đơn vị mặt đất.",
    "Số tiền trên tài khoản của anh bị rút hết trong một đêm.",
    # a late demonstrative that means "there", "then" or "now", not "the one named before"
    "Một người dân đang làm rẫy gần đó nghe tiếng kêu cứu.",
    "Tổng thống Mỹ Barack Obama khi đó đang ra ngoài đánh golf.",
    "Khách mời trong liveshow của nữ ca sĩ lần này là hai nam ca sĩ trẻ.",
])
def test_sentences_that_stand_alone_are_not_flagged(sentence: str) -> None:
    assert not leans_back(sentence)


@pytest.mark.parametrize("sentence", [
    "Dưới đây là một số hình ảnh từ hiện trường vụ việc.",
    "Sau đây là 3 điều thú vị về nữ ca sĩ.",
    "Mời bạn đọc xem thêm hình ảnh về lễ hội.",
    "Xem video: Sở hữu ngoại hình ưa nhìn cùng giọng ca trong trẻo, nữ ca sĩ nhanh chóng được "
    "khán giả yêu mến khi mới vào nghề.",
    "Video hiện trường vụ cháy xưởng gỗ ở Bình Dương.",
    "Clip người dân vật vã sau lũ.",
    "Mức án cụ thể với từng bị cáo như sau:",
    "Liên minh châu Á vì động vật cùng nhiều tổ chức bảo tồn khác trong khu vực đề nghị:",
])
def test_page_furniture_is_known(sentence: str) -> None:
    assert is_furniture(sentence)
    assert summary_faults([sentence], [4]) == ["furniture"]
    assert not stands_alone(sentence)  # never a story summary's sentence either


@pytest.mark.parametrize("sentence", [
    "Video được đăng tải trên mạng xã hội ghi lại cảnh nạp đạn tự động từ trong khoang lái xe tăng.",
    "Ảnh hưởng của không khí lạnh, hai ngày qua Hà Tĩnh có mưa lớn.",
    "Mời chuyên gia vào cuộc vụ lùi xe trên cao tốc, toà nhận định tài xế không chú ý quan sát.",
    "Xem xét, thi hành kỷ luật cán bộ vi phạm là việc làm thường xuyên.",
    "Ông nói: “Chúng tôi sẽ làm rõ.”",
])
def test_sentences_that_merely_start_alike_are_not_furniture(sentence: str) -> None:
    assert not is_furniture(sentence)


def test_checker_counts_the_new_faults_and_pairs_still_read_well() -> None:
    lead = "Số ca mắc sốt xuất huyết ở Hà Nội tăng gấp đôi so với cùng kỳ năm ngoái."
    back = "Thông tin trên được Sở Y tế xác nhận chiều nay."
    assert summary_faults([back], [3]) == ["leans_back"]
    assert summary_faults([lead, back], [2, 3]) == []


# --- a given name alone ----------------------------------------------------------------------

INTRO = "Trưa 5/6, Nguyễn Văn Thọ (32 tuổi, trú xã Cẩm Phúc) cãi nhau với hàng xóm vì con chó."
LATER = "Thọ lái xe ô tô tông thẳng vào hai người đang đứng trước cổng nhà."


def test_a_given_name_alone_gets_the_full_name_the_article_gave() -> None:
    assert given_full_name(INTRO, "Thọ") == "Nguyễn Văn Thọ"
    assert given_full_name("Bị can Lê Văn Chiến bị bắt.", "Chiến") == "Lê Văn Chiến"
    assert given_full_name("Tỉnh Cao Bằng có mưa.", "Bằng") is None  # "Tỉnh" is no family name
    earlier = [INTRO, "Hai người hàng xóm thấy Thọ chửi bới thì ra can ngăn."]
    assert expand_short_names([LATER], [earlier]) == [
        "Nguyễn Văn Thọ lái xe ô tô tông thẳng vào hai người đang đứng trước cổng nhà."]


def test_a_word_that_only_shares_a_name_is_left_alone() -> None:
    # The article never calls him "Hậu" alone: "Hậu quả" is a word here, not a name.
    earlier = ["Trần Thanh Hậu (25 tuổi) dùng dao đâm hai người sau khi cãi nhau."]
    assert expand_short_names(["Hậu quả, hai người bị thương nặng."], [earlier]) == [
        "Hậu quả, hai người bị thương nặng."]
    # A given name that is also a number opens a sentence that counts: "Hai người …".
    earlier = ["Nạn nhân là ông Trần Văn Hai (SN 1970).", "Sau đó, Hai được đưa đi cấp cứu."]
    assert expand_short_names(["Hai người bị thương nặng."], [earlier]) == [
        "Hai người bị thương nặng."]
    # A given name that opens a word of two syllables ("Bình thường, …") is that word.
    earlier = ["Nạn nhân là anh Lê Văn Bình (SN 1990).", "Sau đó, Bình đi làm."]
    assert expand_short_names(["Bình thường, anh vẫn đi làm."], [earlier]) == [
        "Bình thường, anh vẫn đi làm."]
    assert expand_short_names(["Bình đi làm từ sáng."], [earlier]) == [
        "Lê Văn Bình đi làm từ sáng."]
    # Met already in the headline or the summary: left as it is.
    earlier = [INTRO, "Hai người hàng xóm thấy Thọ chửi bới thì ra can ngăn."]
    assert expand_short_names([LATER], [earlier], title="Thọ lái ô tô tông hàng xóm") == [LATER]


def test_the_summary_names_in_full_whom_it_names_alone() -> None:
    intro = "Trưa 5/6, Nguyễn Văn Thọ (32 tuổi, trú xã Cẩm Phúc) cãi nhau với hàng xóm vì con chó."
    later = ("Thọ lái xe ô tô tông thẳng vào hai người hàng xóm đang đứng trước cổng nhà khiến "
             "cả hai bị thương nặng.")
    text = " ".join([
        "Chiều 5/6, tại xã Cẩm Phúc, huyện Cẩm Xuyên đã xảy ra một vụ việc nghiêm trọng.", intro,
        "Hai người hàng xóm thấy Thọ chửi bới thì ra can ngăn rồi bỏ về.", later,
        "Hai nạn nhân được người dân đưa đi cấp cứu tại bệnh viện huyện Cẩm Xuyên.",
    ])
    title = "Lái ô tô tông hai hàng xóm bị thương nặng trước cổng nhà"
    article = split_sentences(text)
    assert summary_faults([later], [3], title, article) == ["short_name"]  # alone, it is a fault
    for count in (1, 2):
        summary = summarize(text, title=title, sentences=count)
        assert 3 in summary.indices and 1 not in summary.indices
        assert "Nguyễn Văn Thọ lái xe ô tô tông thẳng" in summary.text
        assert summary_faults(summary.sentences, summary.indices, title, article) == []


HOSPITALS_TITLE = "Hà Nội: số ca sốt xuất huyết tăng gấp đôi, bệnh viện quá tải"
HOSPITALS = [
    "Sáng 10/9, Sở Y tế Hà Nội họp giao ban về công tác phòng chống dịch bệnh mùa mưa.",
    "Cuộc họp có sự tham dự của đại diện các bệnh viện tuyến thành phố và 30 quận, huyện.",
    "Thông tin trên cho thấy số ca sốt xuất huyết tăng gấp đôi và các bệnh viện đang quá tải.",
    "Chúng sinh sản mạnh trong mùa mưa, nên số ca sốt xuất huyết tăng gấp đôi so với cùng kỳ.",
    "Dưới đây là số ca sốt xuất huyết tại các bệnh viện quá tải ở Hà Nội.",
    "Các bệnh viện trong nhóm quá tải này đều phải kê thêm giường cho bệnh nhân sốt xuất huyết.",
    "Người dân được khuyến cáo diệt bọ gậy và ngủ màn để phòng bệnh.",
]


def test_the_summary_avoids_sentences_that_lean_on_one_left_out() -> None:
    text = " ".join(HOSPITALS)
    # The sentences that repeat the headline's words most are the ones that lean back: each,
    # shown without the sentence before it, is a fault the checker counts.
    for k in (2, 3, 5):
        assert "leans_back" in summary_faults([HOSPITALS[k]], [k], HOSPITALS_TITLE)
    for count in (1, 2):
        summary = summarize(text, title=HOSPITALS_TITLE, sentences=count)
        assert summary.sentences and 4 not in summary.indices  # never the page's "below"
        assert summary_faults(summary.sentences, summary.indices, HOSPITALS_TITLE) == []
        for k in summary.indices:
            if k in (2, 3, 5):
                assert k - 1 in summary.indices
