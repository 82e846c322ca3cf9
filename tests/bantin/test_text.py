"""The shared Vietnamese text primitives: what search and duplicate detection rely on."""

import unicodedata

from bantin.text import fold, fold_loose, hamming, nfc, simhash, syllables

STORY = ("Bão số 3 đổ bộ vào Quảng Ninh, Hải Phòng: hàng nghìn ngôi nhà bị tốc mái, "
         "cây đổ la liệt trên đường phố.")


def test_folding_is_what_a_reader_types():
    assert fold("ĐÀ NẴNG") == fold("Đà Nẵng") == fold("da nang") == "da nang"
    assert fold(unicodedata.normalize("NFD", "Hà Tĩnh")) == "ha tinh"
    assert nfc(unicodedata.normalize("NFD", "Huế")) == "Huế"


def test_fold_keeps_positions_and_fold_loose_splits_hangul():
    text = "Đà Nẵng đón khách 서울"
    assert len(fold(text)) == len(text)
    assert fold(text).endswith("서울")
    assert fold_loose(text) != fold(text) and fold_loose(text).startswith("da nang don khach ")


def test_syllables_are_folded_words():
    assert syllables("Hải Phòng, 2024!") == ["hai", "phong", "2024"]


def test_simhash_values_stored_by_earlier_versions_stay_valid():
    # Computed by the SimHash code as it was in ingest/textutil.py before it moved here: an
    # article's stored SimHash must still match the same text after the move.
    assert simhash(STORY) == 4810570400516436140
    assert simhash(STORY + " 서울") == 5963501800727933868
    assert hamming(simhash(STORY), simhash(STORY.replace("nghìn", "ngàn"))) <= 16


def _fold_by_table(text: str, keep_positions: bool) -> str:
    """``fold`` as it was before its fast path: one table lookup per character."""
    from bantin.text import _TABLES

    text = nfc(text)
    return text.lower() if text.isascii() else text.translate(_TABLES[keep_positions])


def test_fast_fold_agrees_with_the_table_for_every_character_it_takes():
    # Every code point whose lower case lies in the fast table takes the fast path (alone, in
    # a word, after a capital): the folds must be those of the one-character-at-a-time table,
    # in both modes, or search positions, stored keys and SimHashes would change.
    from bantin.text import _FAST_CHARS

    fast = set(_FAST_CHARS)
    taken = [chr(code) for code in range(0x110000)
             if not 0xD800 <= code <= 0xDFFF and set(chr(code).lower()) <= fast]
    assert len(taken) > 300  # the capitals as well as the table itself
    for keep_positions in (True, False):
        folded = fold("".join(taken), keep_positions=keep_positions)
        assert folded == _fold_by_table("".join(taken), keep_positions)
        assert [fold(ch, keep_positions=keep_positions) for ch in taken] == [
            _fold_by_table(ch, keep_positions) for ch in taken]


def test_text_outside_the_fast_table_folds_as_before():
    for text in ("Đà Nẵng 서울", "ΣΟΦΙΑ Đà", "İstanbul Hà", "Москва Hà Nội", "a\u0301 lẻ",
                 "Hà Nội \U0001f600", "Ǆ Đ ǅ"):
        assert fold(text) == _fold_by_table(text, True)
        assert fold_loose(text) == _fold_by_table(text, False)
