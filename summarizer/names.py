"""People named by an initial or by a given name alone, given their full name in the summary.

The press introduces a person in full once ("anh Nguyễn Văn H. (SN 1991)", "ông Lưu Thành Đ.")
and names them by a word of address and the initial after that ("anh H.", "ông Đ."). A summary
sentence taken from later in the article then names someone the reader has never met.
Requiring the introducing sentence in the summary costs a good sentence (R-1 −0.3 on training
articles); writing the full name where the short form first stands, as the article wrote it,
keeps the sentence and tells the reader who it is. Inside a sentence only initials count as
short forms: a given name after a word of address ("ông Vĩnh") still reads as a name, and
looking for those everywhere cost the summariser's speed target. A sentence that opens with a
given name alone ("Thọ lái xe …", as crime reports name a suspect after introducing him) is
written in full too ("Nguyễn Văn Thọ lái xe …"): only its first word is read, which is cheap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarizer.features import single_stop_words

_UPPER = "A-ZÀ-ÝĂĐĨŨƠƯẠ-Ỹ"
_ADDRESS = "anh|chị|ông|bà|cô|cậu|cháu|bé|em|chú|cụ|lão|bác|thím|chàng|nàng"
# An initial after a space ("H.", "Ph."): a short form when the word before it is a word of
# address ("anh H."). Initials only: they are how the press hides a name, and say nothing
# without the sentence that gave the name; a given name ("ông Vĩnh") still reads as a name.
# Looking for the initial first lets the engine skip ahead: a few microseconds per summary.
_INITIAL = re.compile(rf" ([{_UPPER}][a-zđ]?\.)(?=[ ,;:)])")  # not "Việt Nam." ending a sentence
# Capitalised syllables ending in a syllable or an initial: a full name and its last part.
_RUN = re.compile(rf"(?<!\w)((?:[{_UPPER}]\w*\s+)+)([{_UPPER}]\w*+\.?+)(?!\w)")
_ADDRESS_WORDS = frozenset(_ADDRESS.split("|"))
# A sentence that opens with a given name alone ("Hữu lớn tiếng …", "Thọ lái xe …"): one
# capitalised syllable, then a lower-case word not closed by a comma ("Bình thường, …" opens
# with a word of two syllables, not a name). It is a name when an earlier sentence gives a full
# name that begins with a family name and ends with it ("Nguyễn Văn Hữu").
_GIVEN_OPENING = re.compile(rf"[{_UPPER}][a-zà-ỹđ]+(?= [a-zà-ỹđ]\w*+(?!,))")
FAMILY_NAMES = frozenset(
    "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh trịnh đoàn "
    "lương lưu trương tạ cao mai hà chu tô triệu quách thái kiều lâm đào la tôn từ hứa "
    "khúc khổng lò lục mạc mạch nông quan thân vương vi phùng doãn giang kim ninh đàm âu "
    "châu diệp đồng hầu lã lại".split()
)
# Given names that are also numbers ("Trần Văn Hai", "ông Tám"): a sentence opening with one
# ("Hai người bị thương …") is counting, not naming.
NUMBER_WORDS = frozenset(
    "một hai ba bốn tư năm sáu bảy tám chín mười mươi trăm nghìn ngàn".split())


def short_names(sentence: str) -> list[str]:
    """The initials by which ``sentence`` names people it does not name in full."""
    found: list[str] = []
    full: dict[str, str] | None = None
    for _, short in _short_forms(sentence):
        if full is None:
            full = _full_names(sentence)
        if short not in found and short not in full:
            found.append(short)
    return found


def _short_forms(sentence: str) -> list[tuple[int, str]]:
    """(where, initial) of each "<word of address> <initial>" ("anh H.") in ``sentence``."""
    forms = []
    for match in _INITIAL.finditer(sentence):
        space = match.start()
        word = sentence[sentence.rfind(" ", 0, space) + 1:space]
        if word.lower() in _ADDRESS_WORDS:
            forms.append((match.start(1), match.group(1)))
    return forms


def full_name(text: str, short: str) -> str | None:
    """The full name ``text`` gives for ``short`` ("Nguyễn Văn H." for "H."), if any."""
    return _full_names(text).get(short) if short in text else None


def _full_names(text: str) -> dict[str, str]:
    """Short form -> full name, for the full names ``text`` gives (the first of each). Words of
    address and abbreviations before a name are not part of it ("Anh Phạm Văn T." gives "Phạm
    Văn T.", "UBND Nguyễn Văn H." gives "Nguyễn Văn H.")."""
    names: dict[str, str] = {}
    for match in _RUN.finditer(text):
        words = match.group(0).split()
        while len(words) > 1 and (words[0].lower() in _ADDRESS_WORDS
                                  or (len(words[0]) > 1 and words[0].isupper())):
            words.pop(0)
        if len(words) > 1:
            names.setdefault(words[-1], " ".join(words))
    return names


def expand_short_names(chosen: Sequence[str], earlier: Sequence[Sequence[str]],
                       title: str | None = None) -> list[str]:
    """``chosen`` (a summary's sentences) with the first short form of each person written in
    full, when a sentence of the article before it (``earlier[k]``, nearest last) gives the full
    name and neither the headline nor the summary so far shows the name. A short form is an
    initial after a word of address ("anh H."), or a given name alone opening the sentence
    ("Thọ lái xe …"; see ``given_full_name`` and ``_named_alone`` for when it is a name)."""
    stops = single_stop_words()
    openings = [_given_opening(sentence, before, stops)
                for sentence, before in zip(chosen, earlier)]
    initials = [_INITIAL.search(sentence) is not None for sentence in chosen]
    if not any(openings) and not any(initials):
        return list(chosen)  # most summaries: no initial and no given name alone
    shown = [title or ""]
    result: list[str] = []
    for sentence, before, opening, initial in zip(chosen, earlier, openings, initials):
        if opening and not any(_shows(text, opening.group()) for text in shown):
            given = opening.group()
            name = next((n for text in reversed(before) if (n := given_full_name(text, given))),
                        None)
            if name and _named_alone(given, before):
                sentence = name + sentence[opening.end():]
        for short in short_names(sentence) if initial else ():
            if any(_shows(text, short) for text in shown):
                continue
            name = next((n for text in reversed(before) if (n := full_name(text, short))), None)
            if name:
                sentence = _write_in(sentence, short, name)
        shown.append(sentence)
        result.append(sentence)
    return result


def _given_opening(sentence: str, before: Sequence[str],
                   stops: frozenset[str]) -> re.Match[str] | None:
    """The sentence's first word when it may be a given name alone: capitalised, a lower-case
    word after it, not a stop word (``stops``: "Theo ông …", "Một số …") nor a number ("Hai
    người …" in an article about Trần Văn Hai), and written after a
    space in a sentence before it (as the end of a full name is). The cheap tests, so that a
    summary with no such word costs a few microseconds."""
    match = _GIVEN_OPENING.match(sentence)
    if match is None or (word := match.group().lower()) in stops or word in NUMBER_WORDS:
        return None
    spaced = " " + match.group()
    for text in before:
        if spaced in text:
            return match
    return None


def given_full_name(text: str, given: str) -> str | None:
    """The full name ``text`` gives for a given name ("Nguyễn Văn Hữu" for "Hữu"): three or four
    capitalised syllables, the first a family name and the last ``given``. Two are too few to
    tell a person from a place that opens with a family name ("Cao Bằng", "Hà Tĩnh")."""
    if given not in text:
        return None
    for match in _RUN.finditer(text):
        words = match.group(0).split()
        while len(words) > 1 and words[0].lower() not in FAMILY_NAMES:
            words.pop(0)  # "Bị cáo Nguyễn Văn Hữu": the name starts at the family name
        if 3 <= len(words) <= 4 and words[-1] == given:
            return " ".join(words)
    return None


def _named_alone(given: str, before: Sequence[str]) -> bool:
    """Whether an earlier sentence also calls the person by ``given`` alone, not as part of a
    capitalised run: the article's own habit, which tells a name from a word that merely shares
    its first syllable ("Hậu quả, …" in an article about Trần Thanh Hậu). String search, not a
    pattern made for each name: compiling one would cost more than the whole summary."""
    for text in before:
        start = text.find(given)
        while start >= 0:
            end = start + len(given)
            if _alone_at(text, start, end):
                return True
            start = text.find(given, end)
    return False


def _alone_at(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is a word, not next to a capitalised one ("cho Thọ và", "Thọ lái")."""
    if (start and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
        return False  # part of a longer word
    if text[end:].lstrip()[:1].isupper():
        return False  # "Thọ Xuân": the start of a longer name
    head = text[:start].rstrip()
    if not head:
        return True
    previous = head.rsplit(maxsplit=1)[-1]
    return not previous[-1].isalnum() or previous[0].islower()


def _shows(text: str, short: str) -> bool:
    """Whether ``text`` shows ``short`` as a word (the reader has met the name there)."""
    start = text.find(short)
    while start >= 0:
        end = start + len(short)
        if ((start == 0 or not text[start - 1].isalnum())
                and (end == len(text) or not text[end].isalnum())):
            return True
        start = text.find(short, start + 1)
    return False


def _write_in(sentence: str, short: str, name: str) -> str:
    """``sentence`` with its first "<word of address> <short>" given ``name`` instead."""
    for start, form in _short_forms(sentence):
        if form == short:
            return f"{sentence[:start]}{name}{sentence[start + len(short):]}"
    return sentence
