"""Sentence splitting for Vietnamese news.

A boundary is terminal punctuation (``.``, ``!``, ``?``, ``…``) followed by white space and then
something that can start a sentence (an upper-case letter, a digit, an opening quote or bracket),
or a line break. The rules that keep a candidate from being a boundary are the ones Vietnamese
news needs:

* numbers, dates and times never contain white space after the dot (``2.000``, ``6,5%``,
  ``27/12``, ``8h30``, ``TP.HCM``), so they are never candidates;
* a dot after a known abbreviation (``TP. HCM``, ``Q. 1``, ``ThS. BS.``, ``PGS.TS.``) or after a
  single capital letter (the initial in ``Văn T.``) is not a boundary;
* ``?``, ``!``, ``…`` or ``...`` followed by a lower-case word are inside the sentence;
* a closing quote or bracket stays with the sentence it closes, including a straight ``"`` set
  off by spaces, as the VNDS data writes it (``… về. " Sau đó``): ``Ông nói: “Tôi sẽ về.”`` is
  one sentence.

Every sentence returned is a substring of ``normalize_text(text)``.
"""

from __future__ import annotations

import re

from summarizer.text import normalize_text

# Abbreviations that end in a dot and never end a sentence in news text. Compared case-sensitively
# after stripping any dotted prefix ("PGS.TS" -> "TS").
ABBREVIATIONS = frozenset(
    """
    TP Tp tp TX Tx TT ThS Ths TS Ts PGS GS BS Bs KS CN NCS NXB Nxb ĐH ĐT St Dr Mr Mrs Ms No
    Ltd Co Corp Inc Jr Sr Prof Gen Lt Col Capt Mt vs TK tk tr Vol vol
    """.split()
)
# Starts with a plain character class so that the regex engine can scan for it quickly.
_CANDIDATE = re.compile(r"[.!?…][.!?…]*[\"”’»)\]]*(?= )")
_OPENERS = "\"“‘'«([{-–—•*"
# Administrative units abbreviated before a name or number: "Q. 1", "P. 5", "H. Củ Chi".
_UNIT_INITIALS = frozenset("Q P H X")
# An initial of a person's name: one capital, or a capital consonant digraph ("Ph.", "Nh.").
_INITIAL = re.compile(r"(?:[A-ZĐ]|Ch|Gh|Gi|Kh|Ng|Ngh|Nh|Ph|Qu|Th|Tr)$")
_NEXT_WORD = re.compile(r"\S+")
_INITIAL_LIKE = re.compile(r"(?:[A-ZĐ][a-z]?\.)+[A-ZĐ]?")
# Words that open a sentence and are never capitalised inside one. After a lower-case word with
# no punctuation between, they mark a heading or caption whose line break was lost in scraping:
# "… cuốn trôi cây cầu Theo người dân, …". "Ngày", "Ông" and "Khi" are right about 60% of the
# time in VNDS, which still makes the split more often right than wrong.
_STARTERS = (
    "Theo Trong Tại Trước Hiện Dù Ngoài Chiều Ngay Vào Có Cũng Hôm Đây Sau Ngày Ông Khi Trên Mặc"
).split()
# Openers that also begin names ("Tuy Hoà", "Với Em" as a song title): a boundary only when a
# lower-case word follows, as in "Tuy nhiên", "Trả lời", "Cụ thể", "Xem thêm".
_STARTERS_BEFORE_LOWER = "Tuy Trả Cụ Với Đã Kể Nhiều Xem Tiếp Clip".split()
# A time of day or a year opens a sentence when a number follows: "… bất thành Sáng 13/9, …".
_TIME_STARTERS = "Sáng Trưa Tối Đêm Năm Lúc Khoảng Đến Hơn".split()
_ALL_STARTERS = _STARTERS + _STARTERS_BEFORE_LOWER + _TIME_STARTERS
# The look-ahead on the first letters rejects most spaces at once, which keeps the scan cheap.
_LOST_BREAK = re.compile(
    " (?=[" + "".join(sorted({word[0] for word in _ALL_STARTERS})) + "])"
    "(" + "|".join(_ALL_STARTERS) + ")(?=[ ,])"
)
# After an abbreviation that can also end a sentence ("… của UBND TP. Ngoài ra, …"), these words
# followed by a lower-case word start the next sentence; a place name never does ("TP. Huế").
_OPENING_WORDS = frozenset(
    _STARTERS + _STARTERS_BEFORE_LOWER
    + "Do Thậm Bên Việc Một Không Cùng Riêng Nhưng Nếu Vì Để Từ Các Những Đối".split()
)
_GLUED_CLOSERS = "\"”’)"
_TITLES = frozenset("chị anh ông bà em cháu bé cô cụ bác chú".split())
# A straight quote followed by one of these closes a quotation, even with a space before it
# ("… không ngủ được ", Linh Nga nói").
_CLOSE_FOLLOWERS = ",.;:!?)"
_TERMINALS = frozenset(".!?…")
_LIST_ITEM = re.compile(r"[:;] (?=[-–•+*] )")
_BULLETS = (" - ", " – ", " • ", " + ", " * ")


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order: NFC, white space tidied, never an empty string."""
    sentences: list[str] = []
    for line in normalize_text(text).split("\n"):
        sentences.extend(_split_line(line))
    return sentences


def _split_line(line: str) -> list[str]:
    """Split one line (a paragraph) at its sentence boundaries."""
    cuts = _punctuation_cuts(line) + _unpunctuated_cuts(line)
    if not cuts:
        return [line] if line else []
    cuts.sort()
    out: list[str] = []
    start = 0
    for end, nxt in cuts:
        if end <= start:
            continue
        sentence = line[start:end].strip()
        if sentence:
            out.append(sentence)
        start = nxt
    rest = line[start:].strip()
    if rest:
        out.append(rest)
    return out


def _punctuation_cuts(line: str) -> list[tuple[int, int]]:
    """(end of sentence, start of the next) at each punctuation boundary of ``line``."""
    cuts: list[tuple[int, int]] = []
    start = 0
    quote_open = False
    quote_scan = 0
    has_quotes = '"' in line
    n = len(line)
    for match in _CANDIDATE.finditer(line):
        end = match.end()
        if end <= start:
            continue
        if has_quotes:
            quote_open = _quote_state(line, quote_scan, end, quote_open)
            quote_scan = end
        nxt = end + 1  # the white space after the candidate is exactly one space
        if nxt >= n:
            break
        after_quote = line[nxt + 1 : nxt + 2]
        closes_sentence = after_quote in _TERMINALS and line[nxt + 2 : nxt + 3] in (" ", "")
        if line[nxt] == '"' and (closes_sentence or quote_open and after_quote in " ,;:"):
            # A spaced closing quote belongs to the sentence it closes; so does one followed by a
            # full stop ("… mơ ước... ". Khi PV hỏi"), whatever the quote state says.
            end = nxt + 1 + closes_sentence
            quote_open = False
            quote_scan = end
            nxt = end + 1
            if nxt >= n:
                break
        if not _is_boundary(line, match.start(), match.group(), nxt):
            continue
        cuts.append((end, nxt))
        start = nxt
    return cuts


def _lost_breaks(line: str) -> list[int]:
    """Offsets of the spaces before a sentence-opening word glued to a lower-case word."""
    cuts = []
    for match in _LOST_BREAK.finditer(line):
        at = match.start()
        if not _ends_glued_word(line, at):
            continue
        word = match.group(1)
        if word in _STARTERS_BEFORE_LOWER and not _lower_word_follows(line, match.end()):
            continue
        if word in _TIME_STARTERS and not line[match.end() + 1 : match.end() + 2].isdigit():
            continue
        cuts.append(at)
    return cuts


def _ends_glued_word(line: str, at: int) -> bool:
    """Whether the word before ``at`` ends in a lower-case letter or in a closing quote or bracket
    glued to a word (a quoted headline: … cho mọi "kẻ thù" Hệ thống …)."""
    last = line[at - 1 : at]
    if last.islower() or last.isdigit():
        return True
    return last in _GLUED_CLOSERS and at >= 2 and not line[at - 2].isspace()


def _lower_word_follows(line: str, at: int) -> bool:
    """Whether the word after ``at`` (past one space or ", ") starts with a lower-case letter."""
    at += 2 if line.startswith(", ", at) else 1
    return line[at : at + 1].islower()


def _quote_state(line: str, start: int, end: int, is_open: bool) -> bool:
    """Whether a straight double quote is open at ``end``, given its state at ``start``.

    A quote glued to the word after it opens, one glued to the word before it closes, and one
    with spaces on both sides (the VNDS style) toggles.
    """
    at = line.find('"', start, end)
    while at >= 0:
        before = line[at - 1] if at > 0 else " "
        after = line[at + 1] if at + 1 < len(line) else " "
        if after in _CLOSE_FOLLOWERS or (not before.isspace() and after.isspace()):
            is_open = False
        elif after.isalnum() or line[at - 2 : at] == ": ":
            is_open = True
        else:
            is_open = not is_open
        at = line.find('"', at + 1, end)
    return is_open


def _unpunctuated_cuts(line: str) -> list[tuple[int, int]]:
    """Boundaries without punctuation: a lost line break, a list after a colon."""
    cuts = []
    if any(bullet in line for bullet in _BULLETS):
        cuts += [(m.end() - 1, m.end()) for m in _LIST_ITEM.finditer(line)]
    cuts += [(at, at + 1) for at in _lost_breaks(line)]
    return cuts


def _is_boundary(line: str, punct_at: int, punct: str, nxt: int) -> bool:
    """Whether the terminal punctuation at ``punct_at`` ends a sentence; ``nxt`` starts the next."""
    following = line[nxt]
    if not (following.isupper() or following.isdigit() or following in _OPENERS):
        return False
    if _long_word_before(line, punct_at):
        return True  # the usual case: no abbreviation or initial has five letters
    if punct.startswith(".") and not punct.startswith("..."):
        word = line[line.rfind(" ", 0, punct_at) + 1:punct_at]
        word = word.lstrip(_OPENERS).rstrip(".").rsplit(".", 1)[-1]
        if word in ABBREVIATIONS or word in _UNIT_INITIALS and not _after_title(line, punct_at):
            return _opens_sentence(line, nxt)
        if _INITIAL.match(word):
            # "Nguyễn Văn T. (SN 1980)", "chị P. T. N.": not an end.
            # "… của ông M. Ông M. hô hoán", "… đánh chị Q. Công an …": a name that ends its sentence.
            next_word = _NEXT_WORD.match(line, nxt)
            text = next_word.group() if next_word else ""
            if not text[:1].isupper() or len(text) < 2 or _INITIAL_LIKE.match(text):
                return False
    return True


def _long_word_before(line: str, at: int) -> bool:
    """Whether the five characters before ``at`` are letters (a word no abbreviation matches)."""
    return at >= 5 and line[at - 5 : at].isalpha()


def _opens_sentence(line: str, at: int) -> bool:
    """Whether the word at ``at`` is a sentence opener followed by a lower-case word or a comma.

    Decides the dot after an abbreviation that usually precedes a name ("TP. Huế", "Q. 1") but
    can end a sentence ("… báo cáo UBND TP. Ngoài ra, …").
    """
    end = line.find(" ", at)
    if end < 0:
        return False
    word = line[at:end].rstrip(",")
    return word in _OPENING_WORDS and (line[end - 1] == "," or line[end + 1 : end + 2].islower())


def _after_title(line: str, punct_at: int) -> bool:
    """Whether the one-letter word before ``punct_at`` follows a title ("chị Q.", "ông P.")."""
    before = line.rfind(" ", 0, punct_at)
    if before < 1:
        return False
    return line[line.rfind(" ", 0, before) + 1 : before] in _TITLES
