"""The ROUGE scorer behind the figures in docs/benchmarks.md keeps Vietnamese letters."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from rouge_vi import lcs_length, rouge, tokens  # noqa: E402


def test_tokens_keep_diacritics_and_split_on_punctuation() -> None:
    assert tokens("Đà Nẵng, TP.HCM: 6,5%") == ["đà", "nẵng", "tp", "hcm", "6", "5"]


def test_scores_by_hand() -> None:
    r1, r2, rl = rouge("Hà Nội mưa to", "hà nội mưa rất to")
    assert r1 == pytest.approx(100 * 8 / 9)
    assert r2 == pytest.approx(100 * 4 / 7)
    assert rl == pytest.approx(100 * 8 / 9)
    assert lcs_length(list("abcbdab"), list("bdcaba")) == 4


def test_diacritics_matter() -> None:
    assert rouge("ma", "mà") == (0.0, 0.0, 0.0)
