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
