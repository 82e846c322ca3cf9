"""normalize_text (odd white space, invisible marks, line breaks) and syllables (word runs)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.text import normalize_text, syllables


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Nothing to replace: lines stripped, double spaces closed, soft wraps joined.
        ("  Hà Nội  mưa to.\nNgười dân\nđi làm muộn. ", "Hà Nội mưa to.\nNgười dân đi làm muộn."),
        # No-break and thin spaces, a tab, a zero-width space, a soft hyphen, a BOM.
        ("\ufeffHà\u00a0Nội\u2009mưa\tto.\nGió\u200b lớn, ngập lụ\u00adt.",
         "Hà Nội mưa to.\nGió lớn, ngập lụt."),
        # Windows, old Mac and Unicode line breaks are boundaries like "\n".
        ("Mưa to.\r\nGió lớn.\rNgập sâu.\u2028Cây đổ.\u2029Mất điện.\x85Hết.",
         "Mưa to.\nGió lớn.\nNgập sâu.\nCây đổ.\nMất điện.\nHết."),
        # A break before a lower-case word is a wrapped line, whatever the break.
        ("Người dân\r\nđi làm\u2028muộn.", "Người dân đi làm muộn."),
    ],
)
def test_normalize_text_tidies_white_space(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


WORD_PIECES = ["Hà", "Nội", "2.000", "6,5%", "“Tôi", "về.”", "TP.HCM", "a_b", "x-y", "(SN", "1980)",
               "…", "'", "İstanbul", "ǅ", "Ⅻ", "½", "٣", "\u0301", "‐", "@", "\u00a0", "\t", "\n"]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(WORD_PIECES), max_size=30).map(" ".join), st.text()))
def test_syllables_are_the_runs_of_word_characters(text: str) -> None:
    # The fast path (punctuation to spaces, then split) must agree with the plain regex.
    assert syllables(text) == re.findall(r"\w+", text.lower())
