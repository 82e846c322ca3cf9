"""Which sentences may never be part of a summary: too short, a dateline, a byline, a caption,
a crosshead, page furniture.

News pages leave these in the text after extraction ("Hà Nội, 12/3/2024", "Theo VnExpress",
"Nguyễn Văn An", "Ảnh: TTXVN", "Giá chung cư vẫn tăng" between two paragraphs); a summary made
of them tells the reader nothing.
"""

from __future__ import annotations

import re

from summarizer.text import syllables

MIN_SYLLABLES = 4
_CREDIT = re.compile(
    r"^[(\[]?\s*(?:ảnh|video|clip|đồ hoạ|đồ họa|nguồn|bài|bài và ảnh|tin|tin và ảnh|tin, ảnh"
    r"|ảnh minh hoạ|ảnh minh họa|ảnh chụp màn hình|photo|source|xem thêm|xem tiếp|đọc thêm"
    r"|tham khảo|thực hiện|biên tập|tổng hợp)\s*[:|]",
    re.IGNORECASE,
)
_SOURCE = re.compile(r"^[(\[]?\s*(?:theo|nguồn)\s*:?\s+[^,;:!?]{1,40}?[)\]]?\s*\.?$", re.IGNORECASE)
_JUNK = re.compile(r"^(?:xem thêm|xem tiếp|đọc thêm|tin liên quan|quảng cáo)\b", re.IGNORECASE)
# Words a dateline may contain besides place names: weekdays, "ngày/tháng/năm", times, zones.
_DATE_WORDS = frozenset(
    "thứ hai ba tư năm sáu bảy chủ nhật ngày tháng giờ lúc sáng trưa chiều tối đêm cập "
    "đăng gmt utc ict am pm h g p".split()
)
_WORD = re.compile(r"[^\W\d_]+")
_HAS_DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}|\d{1,2}[:h]\d{2}|\b(?:19|20)\d{2}\b")
_PARENS = re.compile(r"\([^)]*\)")
LONG_SYLLABLES = 15  # from this many syllables on, only a credit prefix marks a sentence unworthy
# At least LONG_SYLLABLES runs of letters and digits, as ``text.syllables`` counts them. The
# possessive quantifiers never backtrack, which makes this a third faster than ``(?:\W*\w+\b){15}``.
_LONG = re.compile(r"\W*+(?:\w++\W++){%d}\w" % (LONG_SYLLABLES - 1))
# Page furniture that points the reader elsewhere on the page: "Xem video: …", "Dưới đây là
# một số hình ảnh …", "Mời bạn đọc xem …", "Bấm vào đây …". A summary has no "below" to show.
# A line that opens with "Video"/"Clip" (the ``player`` group) is furniture only when short: the
# title of an embedded player ("Video hiện trường vụ cháy.", "Clip người dân vật vã sau lũ."); a
# long one is a sentence about the video.
_FURNITURE = re.compile(
    r"[(\[]?\s*(?:(?P<player>video|clip)|xem video|xem clip|xem ảnh|xem chi tiết|xem toàn bộ"
    r"|dưới đây là|sau đây là|cùng xem"
    r"|mời (?:quý |các )?(?:bạn đọc |độc giả |bạn |vị |quý vị )?(?:xem|theo dõi|đón đọc|cùng)"
    r"|(?:bấm|nhấn|click)(?: vào)? (?:đây|link|xem))\b",
    re.IGNORECASE,
)
_FURNITURE_FIRST = frozenset("([vVcCxXdDsSmMbBnN")  # what a _FURNITURE match can start with
# _CREDIT or _JUNK in one pattern: one match per long sentence instead of two.
_CREDIT_OR_JUNK = re.compile(f"(?:{_CREDIT.pattern})|(?:{_JUNK.pattern})", re.IGNORECASE)


# A line of its own with fewer words than this that does not end as a statement ends is a
# crosshead: pages head the parts of an article with one ("Giá chung cư vẫn tăng", "Louis Phạm
# là ai?", "Khó ghi nhận giảm giá"). A statement ends with a full stop, "!", "…", a closing quote
# or bracket; a question or a colon alone on a short line heads what follows.
CROSSHEAD_WORDS = 15
_STATEMENT_END = (".", "!", "…", '"', "”", "»", "'", "’", ")", "]")


def is_crosshead(text: str, start: int, end: int) -> bool:
    """Whether the sentence ``text[start:end]`` is a crosshead: alone on its line, short, and not
    ending as a statement. Read as a summary sentence it is a fragment, and it repeats what the
    paragraphs after it say. Scraped text without line breaks has no crossheads to find; a text
    with no statement at all (lines without punctuation) is not a text with headings, and the
    caller only asks when the text has statements (``ends_as_statement``)."""
    if (start and text[start - 1] != "\n") or (end < len(text) and text[end] != "\n"):
        return False
    line = text[start:end].rstrip()
    return not ends_as_statement(line) and len(line.split()) < CROSSHEAD_WORDS


def ends_as_statement(sentence: str) -> bool:
    """Whether the sentence ends as a statement does (full stop, "!", "…", a closing mark)."""
    return sentence.rstrip().endswith(_STATEMENT_END)


def is_summary_worthy(sentence: str, tokens: list[str] | None = None) -> bool:
    """False for sentences a reader must never get as a summary.

    ``tokens`` (the sentence's syllables) may be passed when the caller already has them.
    """
    n = len(syllables(sentence) if tokens is None else tokens)
    if n < MIN_SYLLABLES:
        return False
    if n >= LONG_SYLLABLES:  # bylines and datelines are short; only a credit prefix marks a long one
        return _long_is_worthy(sentence)
    return not (is_byline(sentence, n) or is_dateline(sentence))


def is_worthy_untokenized(sentence: str) -> bool:
    """``is_summary_worthy`` without listing the syllables of a long sentence (most are long).

    For the candidates past the ones a ranker scores, whose syllables are then made only if they
    are ever needed.
    """
    if _LONG.match(sentence.lower()) is not None:
        return _long_is_worthy(sentence)
    return is_summary_worthy(sentence)


def _long_is_worthy(sentence: str) -> bool:
    return _CREDIT_OR_JUNK.match(sentence) is None


def is_byline(sentence: str, n_syllables: int | None = None) -> bool:
    """A credit, a source line or a bare name: "Theo Dân trí", "Ảnh: TTXVN", "Mộc Miên (Tổng hợp)"."""
    text = sentence.strip()
    if _CREDIT.match(text) or _JUNK.match(text):
        return True
    n = len(syllables(text)) if n_syllables is None else n_syllables
    if n <= 8 and _SOURCE.match(text):
        return True
    if n <= 7:
        words = [w for w in _PARENS.sub(" ", text).split() if any(c.isalpha() for c in w)]
        if words and all(w.lstrip("(\"“'-–")[:1].isupper() for w in words):
            return True
    return False


def is_dateline(sentence: str) -> bool:
    """Only a place and a date or time: "Hà Nội, thứ Hai, 12/3/2024 08:30 (GMT+7)"."""
    if not _HAS_DATE.search(sentence):
        return False
    others = [w for w in _WORD.findall(sentence) if w.lower() not in _DATE_WORDS]
    return len(others) <= 6 and not any(w[0].islower() for w in others)


def is_furniture(sentence: str) -> bool:
    """Page furniture: a sentence that points elsewhere on the page ("Dưới đây là …", "Mời bạn
    đọc xem …", "Xem video: …"), the title of an embedded player (fewer than ``LONG_SYLLABLES``,
    opening with "Video"/"Clip"), or one that ends in a colon and so introduces a list the
    summary would not show ("Mức án cụ thể như sau:").

    Checked by the selection (``selection.ReadableUnits``) on the few sentences it considers,
    not on every candidate as ``is_summary_worthy`` is: it is rare, and that keeps its cost to a
    few sentences an article. Sentences of the split carry no trailing space.
    """
    if sentence.endswith(":"):
        return True
    if sentence[:1] not in _FURNITURE_FIRST:
        return False  # most sentences: no pattern to run
    match = _FURNITURE.match(sentence)
    if match is None:
        return False
    return match.group("player") is None or _LONG.match(sentence.lower()) is None
