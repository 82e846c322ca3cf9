"""Vietnamese search: folding, ranking, snippets and hostile queries."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bantin.text import fold
from store import Store
from tests.helpers.articles import make_article


@pytest.fixture
def danang(fresh_store: Store) -> int:
    fresh_store.articles.save(make_article(1))
    _, article_id = fresh_store.articles.save(
        make_article(
            2,
            title="Đà Nẵng khai mạc lễ hội pháo hoa quốc tế",
            lead="Tối 1/6, thành phố Đà Nẵng khai mạc lễ hội pháo hoa.",
            text="Hàng nghìn người dân đổ về bờ sông Hàn xem pháo hoa.",
        )
    )
    fresh_store.articles.save(make_article(3))
    return article_id


def test_fold_removes_every_mark_and_d_stroke() -> None:
    assert fold("ĐÀ NẴNG đường Nguyễn Huệ") == "da nang duong nguyen hue"


def test_fold_keeps_positions() -> None:
    text = "Thủ tướng Phạm Minh Chính thăm Đà Nẵng 🎆 và Huế."
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize(
    "query",
    ["da nang", "Đà Nẵng", "ĐÀ NẴNG", "đà nẵng", unicodedata.normalize("NFD", "Đà Nẵng"), "DA NANG"],
)
def test_every_spelling_finds_the_same_article(fresh_store: Store, danang: int, query: str) -> None:
    results = fresh_store.search.search(query)
    assert [a.id for a in results] == [danang]


def test_snippet_is_cut_from_the_original_text(fresh_store: Store, danang: int) -> None:
    [hit] = fresh_store.search.search("song han")
    assert "sông Hàn" in hit.snippet


@pytest.mark.parametrize(
    "query",
    ['"', '"*', "*", "AND", "OR", "NOT", "NEAR(", "a NEAR(b", "-", "'", ":", "title:x", "(", ")",
     "^", "🎆🎆", "đà \"nẵng", "x" * 10_000, "đà " * 5_000, "", "   ", "\x00", "\\"],
)
def test_hostile_queries_never_raise(fresh_store: Store, danang: int, query: str) -> None:
    results = fresh_store.search.search(query)
    assert isinstance(results, list)


def test_operator_words_are_searched_as_text(fresh_store: Store) -> None:
    _, article_id = fresh_store.articles.save(
        make_article(9, title="Tranh luận OR và AND trong lập trình")
    )
    assert [a.id for a in fresh_store.search.search("AND OR")] == [article_id]


def test_title_match_ranks_above_body_match(fresh_store: Store) -> None:
    _, body_only = fresh_store.articles.save(
        make_article(
            1, title="Thời tiết hôm nay",
            text="Bão số 3 đổ bộ Quảng Ninh. Bão mạnh. Bão gây mưa lớn. Bão bão bão.",
            published_at=datetime(2024, 6, 2, tzinfo=UTC),
        )
    )
    _, in_title = fresh_store.articles.save(
        make_article(
            2, title="Bão số 3 đổ bộ Quảng Ninh", text="Chính quyền sơ tán người dân.",
            published_at=datetime(2024, 6, 1, tzinfo=UTC),
        )
    )
    assert [a.id for a in fresh_store.search.search("bao")] == [in_title, body_only]


def test_ties_go_to_the_newer_article(fresh_store: Store) -> None:
    ids = []
    for n, day in ((1, 1), (2, 3), (3, 2)):
        _, article_id = fresh_store.articles.save(
            make_article(
                n, title="Giá xăng giảm", lead="", text=f"Bản tin số {n}.",
                published_at=datetime(2024, 6, day, tzinfo=UTC),
            )
        )
        ids.append(article_id)
    assert [a.id for a in fresh_store.search.search("gia xang")] == [ids[1], ids[2], ids[0]]


def test_paging_with_offset(fresh_store: Store) -> None:
    for n in range(1, 8):
        fresh_store.articles.save(make_article(n))
    first = fresh_store.search.search("giao thong", limit=5)
    second = fresh_store.search.search("giao thong", limit=5, offset=5)
    assert len(first) == 5 and len(second) == 2
    assert not {a.id for a in first} & {a.id for a in second}
    assert fresh_store.search.count("giao thong") == 7


def test_updated_article_is_found_by_its_new_words(fresh_store: Store) -> None:
    fresh_store.articles.save(make_article(1, text="Nội dung cũ."))
    outcome, _ = fresh_store.articles.save(make_article(1, text="Nội dung mới về Hội An."))
    assert outcome == "updated"
    assert len(fresh_store.search.search("hoi an")) == 1
    assert fresh_store.search.search("noi dung cu") == []


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_a_safe_query(tmp_path_factory, query: str) -> None:
    store = Store(tmp_path_factory.mktemp("q") / "q.db")
    try:
        store.articles.save(make_article(1))
        assert isinstance(store.search.search(query), list)
    finally:
        store.close()


def test_phrase_ranks_above_scattered_words(fresh_store: Store) -> None:
    """Without diacritics "da nang" also matches "bóng đá … nâng"; "Đà Nẵng" must come first,
    in a title before in the text, and the scattered words last even when they are in a title."""
    _, scattered = fresh_store.articles.save(make_article(
        1, title="Bóng đá nữ nâng tầm", text="Đội tuyển được nâng cấp sân tập.",
        published_at=datetime(2024, 6, 3, tzinfo=UTC),
    ))
    _, body_only = fresh_store.articles.save(make_article(
        2, title="Lễ hội mùa hè", text="Du khách đổ về Đà Nẵng dịp cuối tuần.",
        published_at=datetime(2024, 6, 2, tzinfo=UTC),
    ))
    _, title_phrase = fresh_store.articles.save(make_article(
        3, title="Đà Nẵng đón khách", text="Khách quốc tế tăng mạnh.",
        published_at=datetime(2024, 6, 1, tzinfo=UTC),
    ))
    assert [a.id for a in fresh_store.search.search("da nang")] == [
        title_phrase, body_only, scattered,
    ]
    assert [a.id for a in fresh_store.search.search("da nang", limit=1, offset=1)] == [body_only]


def _save(store: Store, n: int, title: str, text: str, day: int) -> int:
    """An article published on day ``day`` of June 2024 (a larger day is newer)."""
    _, article_id = store.articles.save(make_article(
        n, title=title, lead="", text=text, published_at=datetime(2024, 6, day, tzinfo=UTC),
    ))
    return article_id


@pytest.fixture
def storms(fresh_store: Store) -> dict[str, int]:
    """"bão" (storm) beside words that fold to the same "bao", all newer than the storms."""
    s = fresh_store
    return {
        "storm_title": _save(s, 1, "Bão số 3 đổ bộ Quảng Ninh", "Gió giật cấp 12.", 1),
        "storm_text": _save(s, 2, "Thời tiết cuối tuần", "Sáng nay bão suy yếu thành áp thấp.", 2),
        "dong_bao": _save(s, 3, "Đồng bào vùng cao đón Tết", "Bà con đồng bào phấn khởi.", 10),
        "bao_trum": _save(s, 4, "Không khí lạnh bao trùm miền Bắc", "Trời rét đậm.", 11),
        "bao_thanh": _save(s, 5, "Vợ chồng Bảo Thanh về quê", "Bảo Thanh kể chuyện.", 12),
        "bao_ngu": _save(s, 6, "Nấm bào ngư vào mùa", "Giá nấm bào ngư tăng.", 13),
        "bao_chi": _save(s, 7, "Báo chí cách mạng", "Ngày báo chí Việt Nam.", 14),
    }


def test_diacritics_typed_rank_those_words_first(fresh_store: Store, storms: dict) -> None:
    ids = [a.id for a in fresh_store.search.search("bão", limit=10)]
    assert ids[:2] == [storms["storm_title"], storms["storm_text"]]
    # The folded matches still come, after, newest first.
    assert ids[2:] == [storms[k] for k in ("bao_chi", "bao_ngu", "bao_thanh", "bao_trum",
                                           "dong_bao")]
    assert [a.id for a in fresh_store.search.search("bảo")][:1] == [storms["bao_thanh"]]
    assert [a.id for a in fresh_store.search.search("BÀO")][:2] == [
        storms["bao_ngu"], storms["dong_bao"]]


def test_no_diacritics_typed_is_folded_matching(fresh_store: Store, storms: dict) -> None:
    """"bao" carries no marks: every "bao"-like title is as good, newest first, then text."""
    ids = [a.id for a in fresh_store.search.search("bao", limit=10)]
    assert ids == [storms[k] for k in ("bao_chi", "bao_ngu", "bao_thanh", "bao_trum",
                                       "dong_bao", "storm_title", "storm_text")]


def test_place_name_as_a_phrase_beats_its_words_scattered(fresh_store: Store) -> None:
    s = fresh_store
    scattered = _save(s, 1, "Hà Nội tính phương án phân luồng", "Hà Nội tính làm cầu vượt.", 9)
    far_apart = _save(s, 2, "Giá lúa tăng",
                      "Nông dân ở Hà Nam phấn khởi. " * 40 + "Thương lái tính giá mới.", 8)
    in_text = _save(s, 3, "Mưa lớn ở miền Trung", "Tỉnh Hà Tĩnh có mưa to, nước sông lên.", 2)
    in_title = _save(s, 4, "Hà Tĩnh khánh thành cầu mới", "Cầu dài 300 m.", 1)
    for query in ("Hà Tĩnh", "ha tinh", "HÀ TĨNH"):
        assert [a.id for a in s.search.search(query)] == [in_title, in_text, scattered,
                                                         far_apart], query


def test_name_typed_without_diacritics_is_found_as_a_name(fresh_store: Store) -> None:
    s = fresh_store
    scattered = _save(s, 1, "Trần tình của đại biểu về giá điện",
                      "Ông Quang, đại biểu tỉnh, nói về trần giá. " * 30, 20)
    named = _save(s, 2, "Lễ viếng", "Nguyên Chủ tịch nước Trần Đại Quang được tưởng nhớ.", 3)
    named_title = _save(s, 3, "Chủ tịch nước Trần Đại Quang tiếp khách", "Buổi tiếp.", 2)
    for query in ("tran dai quang", "Trần Đại Quang", "trần đại quang"):
        assert [a.id for a in s.search.search(query)] == [named_title, named, scattered], query


@pytest.mark.parametrize("query", ["Ha Tĩnh", "ha TĨNH"])
def test_a_word_typed_without_marks_beside_one_with_them_matches_folded(fresh_store: Store,
                                                                        query: str) -> None:
    """A reader who marks one word and not the other ("Ha Tĩnh") means Hà Tĩnh: the bare word
    matches folded, the marked one as typed. A plain "ha" (hectares) beside a "Tĩnh" elsewhere,
    newer, must not come first, and "Hà Tính" (another tone on the marked word) comes after."""
    s = fresh_store
    hectares = _save(s, 1, "Thu hoạch lúa sớm", "Nông dân gặt 50 ha lúa ở xã Tĩnh Gia.", 20)
    other_tone = _save(s, 2, "Chuyện nhà", "Chị Hà tính chuyện sửa nhà.", 15)
    in_text = _save(s, 3, "Mưa lớn ở miền Trung", "Tỉnh Hà Tĩnh có mưa to, nước sông lên.", 2)
    in_title = _save(s, 4, "Hà Tĩnh khánh thành cầu mới", "Cầu dài 300 m.", 1)
    found = [a.id for a in s.search.search(query, limit=10)]
    assert found[:2] == [in_title, in_text], query
    assert set(found[2:]) == {hectares, other_tone}, query
    # The mark on the other word: "Hà tính" is as typed too, and newer than the text's "Hà Tĩnh".
    assert [a.id for a in s.search.search("hà tinh", limit=3)] == [in_title, other_tone, in_text]


def test_a_phrase_as_typed_is_checked_word_by_word() -> None:
    from store.search import Query, shows_phrase
    assert shows_phrase("Mưa lớn ở Hà Tĩnh.", Query.parse("Ha Tĩnh"), loose=True)
    assert not shows_phrase("Mưa lớn ở Hà Tĩnh.", Query.parse("Ha Tĩnh"))
    assert shows_phrase("Mưa lớn ở Hà Tĩnh.", Query.parse("HÀ TĨNH"))
    assert not shows_phrase("Chị Hà tính chuyện.", Query.parse("Ha Tĩnh"), loose=True)
    assert not shows_phrase("Chị Hà tính chuyện.", Query.parse("Hà Tĩnh"))
    assert shows_phrase("Bão số 3 đổ bộ.", Query.parse("bão số 3"))
    assert not shows_phrase("Bão số 13 đổ bộ.", Query.parse("bão số 3"))


@pytest.mark.parametrize("query", ["MH370", "mh 370", "MH-370", "máy bay MH370"])
def test_a_code_is_found_joined_or_apart(fresh_store: Store, query: str) -> None:
    """Outlets write "MH370", "MH 370" and "MH-370": any of them typed finds all three."""
    s = fresh_store
    joined = _save(s, 1, "Tìm thấy mảnh vỡ máy bay MH370", "Mảnh vỡ dạt vào bờ biển.", 3)
    apart = _save(s, 2, "Gia đình hành khách máy bay MH 370", "Họ vẫn chờ tin.", 2)
    hyphen = _save(s, 3, "Thêm manh mối", "Chiếc máy bay MH-370 mất tích năm 2014.", 1)
    _save(s, 4, "Giá xăng RON92 giảm", "Xăng RON 92 giảm 300 đồng.", 4)
    found = [a.id for a in s.search.search(query, limit=5)]
    assert set(found) == {joined, apart, hyphen}, query
    assert s.search.count(query) == 3
    assert [a.id for a in s.search.search("ron 92")] == [4]


def test_a_headline_showing_a_code_written_the_other_way_shows_the_words() -> None:
    from store.search import Query, holds
    assert holds("Máy bay MH 370 mất tích", Query.parse("MH370"))
    assert holds("Máy bay MH370 mất tích", Query.parse("mh 370"))
    assert not holds("Máy bay MH17 bị bắn rơi", Query.parse("MH370"))


def test_a_code_written_with_a_dot_is_found_and_shown(fresh_store: Store) -> None:
    filler = "Các cầu thủ tập luyện bình thường trên sân. " * 10
    _save(fresh_store, 1, "Đội tuyển trẻ thắng ngược", filler + "U.23 Việt Nam thắng 2-1.", 1)
    [hit] = fresh_store.search.search("U23 Viet Nam")
    assert "U.23 Việt Nam" in hit.snippet


@pytest.mark.parametrize("query", ["Đà Nẵng", "đà nẵng", "da nang", "Da Nang", "ĐÀ NẴNG"])
def test_d_stroke_typed_or_not(fresh_store: Store, query: str) -> None:
    s = fresh_store
    dance = _save(s, 1, "Dạ hội dân vũ", "Đêm dạ hội nâng ly chúc mừng.", 9)
    da_nang = _save(s, 2, "Đà Nẵng đón khách", "Khách tăng.", 1)
    found = [a.id for a in s.search.search(query)]
    assert found[0] == da_nang
    # "dạ … nâng" matches "da nang" folded only: after, and only when nothing typed excludes it.
    assert found == [da_nang, dance]


def test_d_stroke_typed_ranks_it_first(fresh_store: Store) -> None:
    s = fresh_store
    ground = _save(s, 1, "Giá đất tăng", "Giá đất nền tăng mạnh.", 1)
    dat = _save(s, 2, "Ông Dật về hưu", "Ông Dật nghỉ hưu sau 30 năm.", 9)
    assert [a.id for a in s.search.search("đất")] == [ground, dat]
    assert [a.id for a in s.search.search("dat")] == [dat, ground]


def test_words_that_are_not_a_phrase_must_all_match(fresh_store: Store) -> None:
    s = fresh_store
    both = _save(s, 1, "Giá vàng tăng mạnh", "Hôm nay giá vàng SJC tăng.", 1)
    _save(s, 2, "Giá xăng giảm", "Hôm nay giá xăng giảm.", 9)
    together = _save(s, 3, "Giá vàng hôm nay lập đỉnh", "Vàng lập đỉnh.", 2)
    assert [a.id for a in s.search.search("giá vàng hôm nay")] == [together, both]
    assert [a.id for a in s.search.search("gia vang hom nay")] == [together, both]


def test_snippet_centres_on_the_phrase_with_its_diacritics(fresh_store: Store) -> None:
    filler = "Người dân đi làm bình thường, bao nhiêu việc vẫn như cũ. " * 12
    text = filler + "Chiều nay bão số 3 đổ bộ vào đất liền. " + filler
    _save(fresh_store, 1, "Tin thời tiết", text, 1)
    [hit] = fresh_store.search.search("bao so 3")
    assert "bão số 3" in hit.snippet
    middle = hit.snippet.index("bão số 3") + len("bão số 3") // 2
    assert abs(middle - len(hit.snippet) / 2) < 30  # centred, not at an edge
    [hit] = fresh_store.search.search("bão")  # "bao nhiêu" comes first in the text: not it
    middle = hit.snippet.index("bão") + 1
    assert abs(middle - len(hit.snippet) / 2) < 30


def test_phrase_typed_with_diacritics_beats_many_newer_folded_phrases(fresh_store: Store) -> None:
    """"Hà Tĩnh" in an old text comes before twelve newer texts with "Hà tính" (folded alike)."""
    s = fresh_store
    place = _save(s, 1, "Tin địa phương", "Mưa lớn ở Hà Tĩnh, đường ngập.", 1)
    others = [_save(s, n, f"Chuyện nhà số {n}", "Chị Hà tính chuyện sửa nhà. Tĩnh lặng.", n)
              for n in range(2, 14)]
    found = [a.id for a in s.search.search("Hà Tĩnh", limit=5)]
    assert found[0] == place and set(found[1:]) <= set(others)
    # Without diacritics both spellings are the reader's intent: newest first.
    assert [a.id for a in s.search.search("ha tinh", limit=2)] == others[::-1][:2]


@pytest.mark.parametrize("query", ["bão_lũ", "Hà_Tĩnh x", "đà² nẵng", "_bão_", "bão__lũ"])
def test_underscores_cut_words_as_the_index_does(fresh_store: Store, query: str) -> None:
    _save(fresh_store, 1, "Bão lũ ở Hà Tĩnh", "Đà Nẵng cũng mưa to.", 1)
    assert isinstance(fresh_store.search.search(query), list)
    assert len(fresh_store.search.search("bão_lũ")) == 1


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="bãoĐàHnẵg_ \"*()-:^²½", max_size=40))
def test_any_vietnamese_looking_text_is_a_safe_query(tmp_path_factory, query: str) -> None:
    store = Store(tmp_path_factory.mktemp("v") / "v.db")
    try:
        store.articles.save(make_article(1, title="Bão ở Đà Nẵng"))
        assert isinstance(store.search.search(query), list)
    finally:
        store.close()
