"""Can a sentence stand alone in a summary? Two cheap checks a reader would make.

A summary is read without the article around it, so a sentence that opens by pointing back
("Tuy nhiên, …", "Ông này …", "Vụ việc …") or that holds half a quotation reads wrong. Small on
purpose: the rules are a list of openings and a count of quotation marks.
"""

from __future__ import annotations

import re

# Openings that lean on an earlier sentence: connectives and back-pointing noun phrases.
_LEANING = re.compile(
    r"^(?:tuy nhiên|nhưng|song|ngoài ra|bên cạnh đó|trong khi đó|trước đó|sau đó|theo đó|"
    r"do đó|vì vậy|vì thế|bởi vậy|cũng theo|thêm vào đó|đồng thời|mặt khác|hơn nữa|"
    r"ngay sau đó|cùng với đó|từ đó|như vậy|khi đó|lúc đó|tại đây|ở đây|đây là|đó là|"
    r"điều này|việc này|vụ việc|vụ này|sự việc|người này|ông này|bà này|anh này|chị này|"
    r"họ|hắn|anh ta|cô ta|ông ấy|bà ấy|nó|còn|và|hay|hoặc|thậm chí|không chỉ vậy|"
    r"cũng trong|trả lời|nói về|chia sẻ thêm|ông cho biết|bà cho biết|ông nói|bà nói)\b",
    re.IGNORECASE,
)
_CURLY_OPEN, _CURLY_CLOSE = "“", "”"


def leans_on_previous(sentence: str) -> bool:
    """Does the sentence open by pointing back to something the reader has not seen?"""
    return bool(_LEANING.match(sentence.strip().lstrip("-–•*\"“'‘( ")))


def cut_quotation(sentence: str) -> bool:
    """Does the sentence hold half a quotation (a quote opened and not closed, or the reverse)?"""
    if sentence.count(_CURLY_OPEN) != sentence.count(_CURLY_CLOSE):
        return True
    return sentence.count('"') % 2 == 1


def stands_alone(sentence: str) -> bool:
    """Fit for a summary read on its own: no leaning opening, no cut quotation."""
    return not leans_on_previous(sentence) and not cut_quotation(sentence)
