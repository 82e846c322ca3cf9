"""Story summaries: from all articles, no repeats, readable, earliest facts first."""

from __future__ import annotations

from summarizer.readability import leans_back, quotes_balanced, stands_alone
from summarizer.sentences import split_sentences
from summarizer.story import StoryDocument, summarize_story
from tests.helpers.stories import three_outlets


def _documents() -> list[StoryDocument]:
    return [StoryDocument(a.title, a.lead + "\n" + a.text, a.summary) for a in three_outlets()]


def test_a_story_of_one_article_keeps_its_summary() -> None:
    [one] = _documents()[:1]
    assert summarize_story([one]) == one.summary


def test_up_to_three_sentences_from_several_articles_none_repeated_or_leaning() -> None:
    documents = _documents()
    summary = summarize_story(documents)
    sentences = split_sentences(summary)
    assert 2 <= len(sentences) <= 3
    assert all(stands_alone(s) for s in sentences)
    sources = [next(i for i, d in enumerate(documents) if s in d.text) for s in sentences]
    assert sources == sorted(sources)  # earliest article's facts first
    words = [set(s.lower().split()) for s in sentences]
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            assert len(a & b) / min(len(a), len(b)) < 0.6  # no two say the same thing


def test_a_sentence_pointing_back_or_holding_half_a_quote_is_not_readable() -> None:
    assert leans_back("Tuy nhiên, nguyên nhân vẫn chưa rõ.")
    assert leans_back("Ông này cho biết sẽ hợp tác.")
    assert not leans_back("Cảnh sát PCCC Nghệ An điều 12 xe chữa cháy.")
    assert not quotes_balanced(["Ông Hùng nói: “Chúng tôi đã cố gắng hết sức."])
    assert quotes_balanced(["Ông Hùng nói: “Chúng tôi đã cố gắng hết sức”."])
    assert not stands_alone("Theo đó, bị cáo bị phạt 5 năm tù.")
    assert not stands_alone('"…chỉ có trận thắng 1-0", HLV Kim Pan Gon cho biết.')
    assert stands_alone("Cảnh sát PCCC Nghệ An điều 12 xe chữa cháy.")
    assert summarize_story([]) == ""


def _truck_story() -> list[StoryDocument]:
    """Two outlets on one crash; the first names the driver in full only in a short sentence
    (too short to be chosen) and by his initial in the sentence the story summary takes."""
    crash = ("xe tải chở 20 tấn gạo bị lật trên quốc lộ 1A đoạn qua xã Kỳ Phong, huyện Kỳ Anh, "
             "tỉnh Hà Tĩnh khiến quốc lộ ùn tắc hơn 3 giờ")
    first = StoryDocument(
        "Xe tải chở gạo lật trên quốc lộ 1A",
        "Tài xế là anh Nguyễn Văn H. (SN 1990).\n"
        f"Sáng 9/8, anh H. điều khiển {crash}.\n"
        "Lực lượng chức năng đã có mặt tại hiện trường để điều tiết giao thông.", "")
    second = StoryDocument(
        "Lật xe tải trên quốc lộ 1A qua Hà Tĩnh",
        f"Sáng 9/8, một {crash}, rất may không có thương vong về người.\n"
        "Nguyên nhân vụ tai nạn đang được cơ quan chức năng làm rõ.", "")
    return [first, second]


def test_a_person_named_by_an_initial_is_written_in_full_as_their_article_gave_it() -> None:
    summary = summarize_story(_truck_story())
    assert "anh Nguyễn Văn H. điều khiển xe tải" in summary
    assert "anh H." not in summary


def test_the_full_name_is_not_written_in_past_the_length_limit() -> None:
    documents = _truck_story()
    short = split_sentences(documents[0].text)[1]
    assert short.startswith("Sáng 9/8, anh H. điều khiển")
    # Room for the sentence as written, not for "Nguyễn Văn " more: it keeps the initial.
    assert summarize_story(documents, sentences=1, max_chars=len(short) + 5) == short
