"""normalize_text: odd white space, invisible marks and line breaks, with and without them."""

from __future__ import annotations

import pytest

from summarizer.text import normalize_text


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
