"""Sentence splitting for Vietnamese news.

A boundary is terminal punctuation (``.``, ``!``, ``?``, ``…``) followed by white space and then
something that can start a sentence (an upper-case letter, a digit, an opening quote or bracket),
or a line break. The rules that keep a candidate from being a boundary are the ones Vietnamese
news needs:

* numbers, dates and times never contain white space after the dot (``2.000``, ``6,5%``,
  ``27/12``, ``8h30``, ``TP.HCM``), so they are never candidates;
* a dot after a known abbreviation (``TP. HCM``, ``Q. 1``, ``ThS. BS.``, ``PGS.TS.``) or after a
  single capital letter (the initial in ``Văn T.``) is not a boundary, nor is a middle initial
  before a foreign surname (``George W. Bush``);
* ``?``, ``!``, ``…`` or ``...`` followed by a lower-case word are inside the sentence;
* a closing quote or bracket stays with the sentence it closes, including a straight ``"`` set
  off by spaces, as the VNDS data writes it (``… về. " Sau đó``): ``Ông nói: “Tôi sẽ về.”`` is
  one sentence.

Scraped text loses line breaks, so some boundaries have no punctuation: a heading before a word
that opens sentences (``… cây cầu Theo người dân``), the items of a list (``gồm: - A - B``,
``* A``), the end of a photo credit (``Ảnh: Reuters Bộ trưởng …``) and the writer's byline at the
end of the text (``… ở Biển Đông Quốc Vinh``).

Every sentence returned is a substring of ``normalize_text(text)``.
"""

from __future__ import annotations

import re
import unicodedata

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
# The same for a line whose only terminal mark is the full stop (most lines): a pattern that
# starts with one literal character is found about three times faster than one that starts
# with a class.
_DOT_CANDIDATE = re.compile(r"\.[.!?…]*[\"”’»)\]]*(?= )")
_OPENERS = "\"“‘'«([{-–—•*"
# Administrative units abbreviated before a name or number: "Q. 1", "P. 5", "H. Củ Chi".
_UNIT_INITIALS = frozenset("Q P H X")
# An initial of a person's name: one capital, or a capital consonant digraph ("Ph.", "Nh.").
_INITIAL = re.compile(r"(?:[A-ZĐ]|Ch|Gh|Gi|Kh|Ng|Ngh|Nh|Ph|Qu|Th|Tr)$")
_NEXT_WORD = re.compile(r"\S+")
_INITIAL_LIKE = re.compile(r"(?:[A-ZĐ][a-z]?\.)+[A-ZĐ]?")
# Words that open a sentence and are never capitalised inside one. After a lower-case word with
# no punctuation between, they mark a heading or caption whose line break was lost in scraping:
# "… cuốn trôi cây cầu Theo người dân, …". "Ông" and "Khi" are right about 60% of the time in
# VNDS, which still makes the split more often right than wrong.
_STARTERS = (
    "Theo Trong Tại Trước Hiện Dù Ngoài Chiều Ngay Vào Có Cũng Hôm Đây Sau Ông Khi Trên Mặc"
).split()
# Openers that also begin names ("Tuy Hoà", "Với Em" as a song title): a boundary only when a
# lower-case word follows, as in "Tuy nhiên", "Trả lời", "Cụ thể", "Xem thêm".
_STARTERS_BEFORE_LOWER = "Tuy Trả Cụ Với Đã Kể Nhiều Xem Tiếp Clip".split()
# A day, a time of day or a year opens a sentence when a number follows: "… bất thành Sáng 13/9,
# …"; with a word after, it begins a name ("phim Ngày ấy mình đã yêu", "Ngày nước thế giới").
_TIME_STARTERS = "Ngày Sáng Trưa Tối Đêm Năm Lúc Khoảng Đến Hơn".split()
_ALL_STARTERS = _STARTERS + _STARTERS_BEFORE_LOWER + _TIME_STARTERS
# The look-ahead on the first letters rejects most spaces at once, which keeps the scan cheap. An
# opener is followed by the rest of its phrase, never by a comma: "… đường Lãn Ông, TP. Vinh".
_LOST_BREAK = re.compile(
    " (?=[" + "".join(sorted({word[0] for word in _ALL_STARTERS})) + "])"
    "(" + "|".join(_ALL_STARTERS) + ")(?= )"
)
# After an abbreviation that can also end a sentence ("… của UBND TP. Ngoài ra, …"), these words
# followed by a lower-case word start the next sentence; a place name never does ("TP. Huế").
_OPENING_WORDS = frozenset(
    _STARTERS + _STARTERS_BEFORE_LOWER
    + "Ngày Do Thậm Bên Việc Một Không Cùng Riêng Nhưng Nếu Vì Để Từ Các Những Đối".split()
)
# A Vietnamese syllable: an optional initial consonant, one to three vowels (any tone), an optional
# final consonant. Foreign names ("Bush", "Thompson", "Nijalingam") are not syllables.
_VOWELS = "".join(
    unicodedata.normalize("NFC", base + tone)
    for base in "aăâeêioôơuưy"
    for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
)
_SYLLABLE = re.compile(
    "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?[" + _VOWELS + "]{1,3}"
    "(?:ng|nh|ch|[cmnpt])?"
)
# The end of an article glued to its text without punctuation is the writer's byline whose line
# break was lost: a pen name of two capitalised words ("… ở Biển Đông Quốc Vinh"), or initials
# marked as a compilation ("… ở Thủ đô Kabul Đ. V (Tổng hợp)"). The space after the text comes
# first and its look-behind after it: a pattern that opens with a literal is found faster.
_BYLINE = re.compile(
    r" (?<=[^\s.!?…:;\-–—] )"
    r"(?:(?P<first>[A-ZĐ][^\W\d_]*) (?P<last>[A-ZĐ][^\W\d_]*)(?: \([^()]*\))?"
    r"|[A-ZĐ]\.? ?[A-ZĐ]\.? \((?:Tổng hợp|[Tt] / h)\))$"
)
_BYLINE_SPAN = 80  # characters at the end of a line where a byline can be
# A byline never follows a word that needs an object: "… tập trận ở Biển Đông" ends on a place.
_NEEDS_OBJECT = frozenset("ở tại với của cho tới gần về từ đến trong ngoài và".split())
_GLUED_CLOSERS = "\"”’)"
_TITLES = frozenset("chị anh ông bà em cháu bé cô cụ bác chú".split())
# A straight quote followed by one of these closes a quotation, even with a space before it
# ("… không ngủ được ", Linh Nga nói").
_CLOSE_FOLLOWERS = ",.;:!?)"
_TERMINALS = frozenset(".!?…")
_QUOTE_MARKS = re.compile('["”]')
# A list after a colon or a semicolon; one pattern for each, as a literal start is found fast.
_LIST_STARTS = (re.compile(r": (?=[-–•+*] )"), re.compile(r"; (?=[-–•+*] )"))
# A further item of such a list: a dash or bullet set off by spaces after a word.
_NEXT_ITEM = re.compile(r"(?<=[^\s.!?…:;]) (?=[-–•+*] )")
_TERMINAL_MARK = re.compile("[.!?…]")
# A star or a bullet set off by spaces never joins words: it opens a list item.
_BULLET_ITEM = re.compile(r"(?<= )[*•](?= )")
# A photo credit and the word after it, past an opening quote: "Ảnh: Reuters Bộ trưởng …".
_CREDIT = re.compile(r"Ảnh: (\S+) (?:[\"“] ?)?(\S+)")


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order: NFC, white space tidied, never an empty string."""
    normalized, spans = sentence_spans(text)
    return [normalized[start:end] for start, end in spans]


def sentence_spans(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``normalize_text(text)`` and where each of its sentences starts and ends in it.

    ``split_sentences`` is these slices; the summariser keeps the offsets so that it can
    lower-case and tokenise the whole text once instead of sentence by sentence.
    """
    normalized = normalize_text(text)
    spans: list[tuple[int, int]] = []
    lines = normalized.split("\n")
    offset = 0
    for n, line in enumerate(lines, 1):
        spans.extend(_line_spans(line, offset, last=n == len(lines)))
        offset += len(line) + 1
    return normalized, spans


def _split_line(line: str, last: bool = False) -> list[str]:
    """Split one line (a paragraph) at its sentence boundaries; the ``last`` may end in a byline."""
    return [line[start:end] for start, end in _line_spans(line, 0, last)]


def _line_spans(line: str, offset: int, last: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one line, plus ``offset``: ``_split_line``'s slices."""
    cuts = _punctuation_cuts(line) + _unpunctuated_cuts(line)
    if last:
        cuts += _byline_cut(line)
    if not cuts:
        return [(offset, offset + len(line))] if line else []
    cuts.sort()
    out: list[tuple[int, int]] = []
    start = 0
    for end, nxt in cuts:
        if end <= start:
            continue
        if not (line[start].isspace() or line[end - 1].isspace()):  # the usual case: no strip
            out.append((offset + start, offset + end))
        elif span := _stripped(line, start, end):
            out.append((offset + span[0], offset + span[1]))
        start = nxt
    span = _stripped(line, start, len(line))
    if span:
        out.append((offset + span[0], offset + span[1]))
    return out


def _stripped(line: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of ``line[start:end].strip()`` in ``line``; None when that is empty."""
    piece = line[start:end]
    body = piece.lstrip()
    if not body:
        return None
    first = start + len(piece) - len(body)
    return first, first + len(body.rstrip())


def _punctuation_cuts(line: str) -> list[tuple[int, int]]:
    """(end of sentence, start of the next) at each punctuation boundary of ``line``."""
    cuts: list[tuple[int, int]] = []
    start = 0
    quote_open = False  # whether a straight quote is open at ``quote_scan``
    quote_scan = 0
    n = len(line)
    other_marks = "!" in line or "?" in line or "…" in line
    for match in (_CANDIDATE if other_marks else _DOT_CANDIDATE).finditer(line):
        end = match.end()
        if end <= start:
            continue
        nxt = end + 1  # the white space after the candidate is exactly one space
        if nxt >= n:
            break
        following = line[nxt]
        if following == '"':
            # Only here does it matter whether a quotation is open: read the quotes up to here.
            quote_open = _quote_state(line, quote_scan, end, quote_open)
            quote_scan = end
            after_quote = line[nxt + 1 : nxt + 2]
            closes_sentence = after_quote in _TERMINALS and line[nxt + 2 : nxt + 3] in (" ", "")
            if closes_sentence or quote_open and after_quote in " ,;:":
                # A spaced closing quote belongs to the sentence it closes; so does one followed
                # by a full stop ("… mơ ước... ". Khi PV hỏi"), whatever the quote state says.
                end = nxt + 1 + closes_sentence
                quote_open = False
                quote_scan = end
                nxt = end + 1
                if nxt >= n:
                    break
                following = line[nxt]
        if not (following.isupper() or following.isdigit() or following in _OPENERS):
            continue  # what comes next cannot start a sentence
        punct_at = match.start()
        # The usual case, checked here: a plain word before the punctuation (letters and digits,
        # no dot) that is no abbreviation and cannot be an initial: lower-case ("năm", "2024")
        # or longer than any initial. Otherwise ``_is_boundary`` reads the word.
        word = line[line.rfind(" ", 0, punct_at) + 1 : punct_at]
        plain = word.isalnum() and (len(word) > 4 or not word[0].isupper())
        if (not plain or word in ABBREVIATIONS) and not _is_boundary(
            line, punct_at, match.group(), nxt
        ):
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


def _byline_cut(line: str) -> list[tuple[int, int]]:
    """The cut before the byline that ends a line of several sentences, if it has one."""
    match = _BYLINE.search(line, max(0, len(line) - _BYLINE_SPAN))
    if match is None or not any(mark in line[: match.start()] for mark in _TERMINALS):
        return []
    if match.group("first") is not None:
        if not (_is_syllable(match.group("first")) and _is_syllable(match.group("last"))):
            return []  # a foreign name ("… ở Deir Ezzor") is a place, not a Vietnamese pen name
        if line[line.rfind(" ", 0, match.start()) + 1 : match.start()] in _NEEDS_OBJECT:
            return []
    return [(match.start(), match.start() + 1)]


def _ends_glued_word(line: str, at: int) -> bool:
    """Whether the word before ``at`` ends in a lower-case letter or in a closing quote or bracket
    glued to a word (a quoted headline: … cho mọi "kẻ thù" Hệ thống …)."""
    last = line[at - 1 : at]
    if last.islower() or last.isdigit():
        return True
    return last in _GLUED_CLOSERS and at >= 2 and not line[at - 2].isspace()


def _lower_word_follows(line: str, at: int) -> bool:
    """Whether the word after the space at ``at`` starts with a lower-case letter ("Tuy nhiên");
    with a comma between, the word is a name ("phường Vĩnh Tuy, quận …")."""
    at += 1
    return line[at : at + 1].islower()


def _quote_state(line: str, start: int, end: int, is_open: bool) -> bool:
    """Whether a straight double quote is open at ``end``, given its state at ``start``.

    A quote glued to the word after it opens, one glued to the word before it closes, and one
    with spaces on both sides (the VNDS style) toggles. A curly closing quote closes too: the
    press often opens with one style and closes with the other (``như: " Con chi … nam”``).
    """
    if line.find('"', start, end) < 0 and line.find("”", start, end) < 0:
        return is_open  # the usual case, checked without building a match iterator
    for match in _QUOTE_MARKS.finditer(line, start, end):
        at = match.start()
        before = line[at - 1] if at > 0 else " "
        after = line[at + 1] if at + 1 < len(line) else " "
        if match.group() == "”" or after in _CLOSE_FOLLOWERS or (
            not before.isspace() and after.isspace()
        ):
            is_open = False
        elif after.isalnum() or line[at - 2 : at] == ": ":
            is_open = True
        else:
            is_open = not is_open
    return is_open


def _unpunctuated_cuts(line: str) -> list[tuple[int, int]]:
    """Boundaries without punctuation: a lost line break, a list after a colon, a bullet, the
    end of a photo credit. Single characters are checked first: that is the fast test."""
    cuts = []
    for list_start in _LIST_STARTS:
        for match in list_start.finditer(line):
            cuts.append((match.end() - 1, match.end()))
            cuts += _list_item_cuts(line, match.end())
    if "*" in line or "•" in line:
        cuts += [(m.start() - 1, m.start()) for m in _BULLET_ITEM.finditer(line)]
    if "Ả" in line:
        cuts += _credit_cuts(line)
    cuts += [(at, at + 1) for at in _lost_breaks(line)]
    return cuts


def _list_item_cuts(line: str, start: int) -> list[tuple[int, int]]:
    """Cuts before the items of a list whose first item starts at ``start`` ("gồm: - A - B"):
    each dash or bullet like the first, set off by spaces and followed by a capital or a digit,
    opens an item, up to the first sentence-ending mark."""
    bullet = line[start]
    end = _TERMINAL_MARK.search(line, start)
    cuts = []
    for match in _NEXT_ITEM.finditer(line, start + 2, end.start() if end else len(line)):
        after = line[match.end() + 2 : match.end() + 3]
        if line[match.end()] == bullet and (after.isupper() or after.isdigit()):
            cuts.append((match.start(), match.start() + 1))
    return cuts


def _credit_cuts(line: str) -> list[tuple[int, int]]:
    """Cuts after a one-word foreign photo credit followed by a Vietnamese word: the caption
    "… hội đàm. Ảnh: Reuters" ends there ("Ảnh: Reuters Bộ trưởng …"). A Vietnamese credit
    ("Ảnh: Quang Minh") can be several words, so it is never cut."""
    cuts = []
    for match in _CREDIT.finditer(line):
        source, following = match.group(1), match.group(2).rstrip(",.:;")
        if source[-1] in _TERMINALS or not following[:1].isupper():
            continue
        if not _is_syllable(source) and _is_syllable(following):
            cuts.append((match.end(1), match.end(1) + 1))
    return cuts


def _is_boundary(line: str, punct_at: int, punct: str, nxt: int) -> bool:
    """Whether the terminal punctuation at ``punct_at`` ends a sentence; ``nxt`` starts the next.

    For a candidate whose next character can start a sentence and whose five characters before
    are not all letters (``_punctuation_cuts`` decides the other cases itself).
    """
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
            if not _is_syllable(text.rstrip(",.;:!?)")):
                return False  # a Western middle initial: "George W. Bush", "Tommy G. Thompson"
    return True


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


def _is_syllable(word: str) -> bool:
    """Whether ``word`` can be a Vietnamese syllable, which every Vietnamese name is made of."""
    return _SYLLABLE.fullmatch(word.lower()) is not None
