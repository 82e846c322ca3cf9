"""Whitespace clean-up for extracted text (NFC, folding and SimHash live in ``bantin.text``)."""

from __future__ import annotations

import re

from bantin.text import nfc

_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """NFC with runs of white space (including non-breaking ones) made one space."""
    return _SPACE.sub(" ", nfc(text).replace("\u200b", "")).strip()
