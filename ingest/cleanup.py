"""Vietnamese news clean-up: what scrapers and extractors drag along with an article.

Works on a list of paragraphs, whatever produced them (trafilatura on a page, a ``.txt``
scrape, a feed description), in this order:

1. the "Cập nhật: 11:42 27/12/2022" line goes, read as the publication time;
2. the outlet prefix of the lead ("(Baohatinh.vn) - ", "(Dân trí) - ", "TTO - ") goes, kept
   as the source;
3. comment and share widgets and their un-rendered templates go ("{name} - {time}",
   "Trả lời", "0 bình luận"...), and so do related-article lists after their header;
4. the byline at the end goes, kept as the author;
5. the headline and the lead repeated in the body go, and a paragraph seen twice is kept once.

Captions are removed by the callers, which know where they are (``extract`` from the page's
markup, ``scrape`` from the repeated headline that marks an image in a scrape).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from bantin.text import fold_loose
from ingest.dates import parse_vietnamese_date
from ingest.textutil import squash

# Outlet tags as they open a lead, and the outlet's name shown to readers.
OUTLETS = {
    "baohatinh.vn": "Báo Hà Tĩnh",
    "báo hà tĩnh": "Báo Hà Tĩnh",
    "dân trí": "Dân trí",
    "dantri": "Dân trí",
    "tto": "Tuổi Trẻ",
    "tuổi trẻ": "Tuổi Trẻ",
    "nlđo": "Người Lao Động",
    "plo": "Pháp Luật TP.HCM",
    "vtc news": "VTC News",
    "vov.vn": "VOV",
    "vtv.vn": "VTV",
    "zing": "Zing",
    "znews": "Zing",
    "vnexpress": "VnExpress",
    "sggp": "Sài Gòn Giải Phóng",
    "sggpo": "Sài Gòn Giải Phóng",
    "gdvn": "Giáo dục Việt Nam",
    "baoquocte.vn": "Báo Quốc tế",
    "nhandan.vn": "Nhân Dân",
    "qđnd": "Quân đội nhân dân",
    "antđ": "An ninh Thủ đô",
    "ngày nay": "Ngày Nay",
    "kinhtedothi": "Kinh tế & Đô thị",
}

_PAREN_PREFIX = re.compile(r"^\(\s*(?P<tag>[^()]{2,40}?)\s*\)\s*[-–—:]\s*")
_BARE_PREFIX = re.compile(
    r"^(?P<tag>TTO|NLĐO|PLO|SGGPO?|GDVN|QĐND|ANTĐ|VOV\.VN|VTV\.vn|Dân trí|Zing)\s*[-–—]\s*"
)
_UPDATED = re.compile(
    r"^(?:Cập nhật|Cập nhật lúc|Đăng lúc|Ngày đăng|Thời gian đăng|Xuất bản|Đăng ngày)"
    r"\s*:?\s*(?P<when>.*\d{1,2}/\d{1,2}/\d{4}.*)$",
    re.IGNORECASE,
)
_TEMPLATE = re.compile(r"\{\s*[a-zA-Z_]+\s*\}")
_FURNITURE = re.compile(
    r"^(?:trả lời|thích|báo vi phạm|gửi|gửi bình luận|xem thêm bình luận|"
    r"\d+\s+bình luận|bình luận(?:\s*\(\d+\))?|viết bình luận|ý kiến(?:\s*\(\d+\))?|"
    r"ý kiến của bạn|ý kiến của bạn sẽ được biên tập.*|\*?\s*ý kiến của bạn sẽ được biên tập.*|"
    r"vui lòng gõ tiếng việt có dấu.*|xin vui lòng gõ tiếng việt có dấu.*|"
    r"hãy chia sẻ với bạn bè!?|chia sẻ(?: bài viết)?:?|chia sẻ với bạn bè|share|like|"
    r"facebook|twitter|zalo|email|in bài|bản in|lưu|lưu bài|quay lại|về đầu trang|"
    r"tắt \[x\]|tắt|đóng|đóng lại|\[x\]|x|quảng cáo|advertisement|"
    r"từ khóa:?.*|tags?:.*|chủ đề:?|theo dõi .{0,40} trên google news|"
    r"(?:xem|đọc) thêm\s*[:>»].+|>>.+)$",
    re.IGNORECASE,
)
_RELATED_HEADER = re.compile(
    r"^(?:tin liên quan|các tin đã đưa|tin cùng chuyên mục|bài liên quan|tin khác|"
    r"đọc thêm|xem thêm|đọc tiếp|có thể bạn quan tâm|tin mới(?: nhất)?|tin nổi bật|"
    r"tin đọc nhiều|đọc nhiều|xem nhiều|tin tiêu điểm|bài viết liên quan|các tin khác|"
    r"tin mới cập nhật|cùng chuyên mục)\s*:?$",
    re.IGNORECASE,
)
_BYLINE_LABEL = re.compile(
    r"^(?:bài(?:\s*(?:và|,)\s*ảnh)?|ảnh|tin(?:\s*(?:và|,)\s*ảnh)?|nhóm pv|pv|phóng viên|"
    r"tác giả|thực hiện)\s*:\s*(?P<name>.+)$",
    re.IGNORECASE,
)
_CREDIT = re.compile(r"^(?:theo|nguồn)\s*:?\s+(?P<name>[^.!?]{2,60})$", re.IGNORECASE)
# Words of outlet names, never of people's: "Theo Nhịp Sống Kinh Tế" credits an outlet.
_OUTLET_WORDS = re.compile(
    r"\b(?:báo|tạp chí|thời báo|tin tức|kinh tế|đời sống|pháp luật|xã hội|nhịp sống|thanh niên|"
    r"tuổi trẻ|người lao động|dân trí|tiền phong|lao động|nhân dân|thông tấn|truyền hình|"
    r"phát thanh|điện tử|online|news|times|post|daily|press|reuters|bloomberg|xinhua)\b|\.\w{2,3}\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)\]»]$")


@dataclass
class Cleaned:
    """The clean paragraphs and what was learnt while cleaning them."""

    paragraphs: list[str]
    lead: str = ""
    source: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    removed: list[str] = field(default_factory=list)


_AUTHOR_NOISE = re.compile(
    r"\s*(?:xem (?:tất cả )?(?:các )?bài viết(?: của tác giả)?|theo dõi(?: tác giả)?|"
    r"liên hệ tác giả|gửi email)\s*$",
    re.IGNORECASE,
)
_AUTHOR_TIME = re.compile(
    r"\s*[-–|,•]?\s*(?:(?:thứ\s+\w+|chủ nhật)\s*,?\s*)?"
    r"(?:\d{1,2}[:h]\d{2}\s*(?:,|-)?\s*)?\d{1,2}/\d{1,2}/\d{2,4}.*$",
    re.IGNORECASE,
)
_OTHER_AUTHORS = re.compile(r"^(?P<first>.+?)\s+và\s+\d+\s+tác giả khác\b\s*(?P<rest>.*)$",
                            re.IGNORECASE)


def clean_author(author: str | None, outlet_names: list[str] | tuple[str, ...] = ()) -> str | None:
    """A byline as readers should see it: the names only.

    Dates and times ("Nguyên Minh - 07/03/2026 08:47"), link labels ("Xem các bài viết của
    tác giả"), a leading "Theo" and outlet names posing as authors ("Dân Trí") go; "NHẬT XUÂN
    và 1 tác giả khác NHẬT XUÂN NGHI VŨ" (a collapsed list that repeats the first name) becomes
    "NHẬT XUÂN, NGHI VŨ".
    """
    if not author:
        return None
    text = squash(author)
    text = _AUTHOR_TIME.sub("", text)
    text = _AUTHOR_NOISE.sub("", text).strip(" -–|,:")
    text = re.sub(r"^(?:theo|tác giả|bài|pv)\s*:?\s+", "", text, flags=re.IGNORECASE)
    others = _OTHER_AUTHORS.match(text)
    if others:
        first, rest = squash(others.group("first")), squash(others.group("rest"))
        if rest.lower().startswith(first.lower()):
            rest = rest[len(first):].strip()
        text = ", ".join(n for n in (first, rest) if n)
    outlet_keys = {fold_loose(key) for key in (*OUTLETS, *OUTLETS.values())}
    outlet_keys |= {fold_loose(squash(n)) for n in outlet_names if n}
    names = [squash(n) for n in re.split(r"[;|]|,(?!\s*(?:tổng hợp|theo)\b)", text) if squash(n)]
    names = [n for n in names if fold_loose(n) not in outlet_keys and "http" not in n
             and not re.match(r"(?:báo|tạp chí|đài)\s", n.lower())
             and not re.search(r"\b(?:vccorp|copyright|cong ty)\b", fold_loose(n))
             and not any(fold_loose(n).startswith(k) and len(k) > 8 for k in outlet_keys)]
    result = ", ".join(names)
    return result if 2 <= len(result) <= 80 else None


def outlet_name(tag: str) -> str:
    """The outlet's name for a lead tag ("Baohatinh.vn" → "Báo Hà Tĩnh")."""
    return OUTLETS.get(tag.strip().lower(), tag.strip())


def split_outlet_prefix(text: str) -> tuple[str | None, str]:
    """``("Báo Hà Tĩnh", lead)`` for "(Baohatinh.vn) - lead"; ``(None, text)`` otherwise."""
    match = _PAREN_PREFIX.match(text) or _BARE_PREFIX.match(text)
    if not match:
        return None, text
    tag = match.group("tag")
    # "(Ảnh minh họa) - ..." or a long parenthesis is not an outlet tag.
    if len(tag.split()) > 4 or tag.lower() not in OUTLETS and not re.search(r"\.|[A-Z]{2}", tag):
        return None, text
    return outlet_name(tag), text[match.end():].strip()


def updated_time(line: str) -> datetime | None:
    """The time of a "Cập nhật: 11:42 27/12/2022" line, ``None`` for any other line."""
    match = _UPDATED.match(line)
    return parse_vietnamese_date(match.group("when")) if match else None


def is_furniture(line: str) -> bool:
    """Comment/share widgets, their templates, ads and tag lists: never article text."""
    return bool(_TEMPLATE.search(line) or _FURNITURE.match(line.strip()))


def is_related_header(line: str) -> bool:
    return bool(_RELATED_HEADER.match(line.strip()))


def looks_like_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line)) and len(line) >= 40


def looks_like_name(line: str) -> bool:
    """A short line of capitalised words, as a byline ("Thu Hà", "Nguyễn Văn A - Trần B")."""
    words = [w for w in re.split(r"\s+|\s*[-–,&]\s*", line) if w]
    if not 1 <= len(words) <= 8 or len(line) > 60 or any(ch.isdigit() for ch in line):
        return False
    return all(word[0].isupper() or word.lower() in {"và"} for word in words)


def drop_furniture(paragraphs: list[str], removed: list[str]) -> list[str]:
    """Remove widget lines and related-article lists (a header and the headlines after it)."""
    kept: list[str] = []
    in_related = False
    for line in paragraphs:
        if is_related_header(line):
            in_related = True
            removed.append(line)
            continue
        if in_related and not looks_like_sentence(line):
            removed.append(line)
            continue
        in_related = False
        if is_furniture(line):
            removed.append(line)
            continue
        kept.append(line)
    return kept


def names_an_outlet(name: str) -> bool:
    """"Nhịp Sống Kinh Tế", "TTXVN", "VnExpress.net": an outlet, not a person. What is in
    parentheses does not count: "Phùng Anh (VTV Online)" is a person of an outlet."""
    name = re.sub(r"\([^)]*\)", "", name).strip()
    words = name.split()
    return bool(_OUTLET_WORDS.search(name)) or fold_loose(name) in {fold_loose(k) for k in OUTLETS} or (
        len(words) == 1 and len(name) >= 3 and name.isupper())


def take_byline(paragraphs: list[str], removed: list[str]) -> tuple[list[str], str | None]:
    """Strip the byline and source-credit lines at the end; return the author they name
    (a credit to an outlet, "Theo Nhịp Sống Kinh Tế", names no author)."""
    author: str | None = None
    while paragraphs:
        last = paragraphs[-1]
        labelled = _BYLINE_LABEL.match(last)
        credit = _CREDIT.match(last)
        if credit and names_an_outlet(credit.group("name")):
            removed.append(paragraphs.pop())
            continue
        if credit:
            name = credit.group("name").strip()
        elif labelled and len(last) <= 80:
            name = labelled.group("name").strip()
        elif looks_like_name(last) and len(paragraphs) > 1:
            name = last
        else:
            break
        removed.append(paragraphs.pop())
        author = name  # the topmost byline line wins; repeated bylines name the same person
    return paragraphs, author


def dedupe(paragraphs: list[str], seen: set[str], removed: list[str]) -> list[str]:
    """Keep each paragraph once (compared folded), skipping what ``seen`` already holds."""
    kept = []
    for line in paragraphs:
        key = fold_loose(line)
        if key in seen:
            removed.append(line)
            continue
        seen.add(key)
        kept.append(line)
    return kept


def clean(
    paragraphs: list[str], *, title: str, lead: str = "", captions: set[str] | None = None,
) -> Cleaned:
    """Run the clean-up stages over ``paragraphs`` (see the module docstring)."""
    removed: list[str] = []
    published: datetime | None = None
    source: str | None = None
    lines = []
    for raw in paragraphs:
        line = squash(raw)
        if not line:
            continue
        when = updated_time(line)
        if when is not None:
            published = published or when
            removed.append(line)
            continue
        lines.append(line)

    lead = squash(lead)
    if lead:
        source, lead = split_outlet_prefix(lead)
    else:
        # The lead is the first early paragraph that opens with an outlet tag.
        for index, line in enumerate(lines[:4]):
            tag, rest = split_outlet_prefix(line)
            if tag:
                source, lead = tag, rest
                removed.append(lines.pop(index))
                break
    lines = [_strip_prefix_if_lead(line, lead) for line in lines]

    lines = drop_furniture(lines, removed)
    lines, author = take_byline(lines, removed)
    caption_keys = {fold_loose(squash(c)) for c in captions or ()}
    lines_kept = []
    for line in lines:
        if fold_loose(line) in caption_keys:
            removed.append(line)
        else:
            lines_kept.append(line)
    seen = {fold_loose(squash(title))}
    if lead:
        seen.add(fold_loose(lead))
    lines = dedupe(lines_kept, seen, removed)
    return Cleaned(
        paragraphs=lines, lead=lead, source=source, author=author, published_at=published,
        removed=removed,
    )


def _strip_prefix_if_lead(line: str, lead: str) -> str:
    """A body copy of the lead with its outlet prefix becomes the bare lead (then deduped)."""
    if not lead:
        return line
    tag, rest = split_outlet_prefix(line)
    return rest if tag and fold_loose(rest) == fold_loose(lead) else line
