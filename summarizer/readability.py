"""What makes an extract read badly to a person, sentence by sentence and summary by summary.

The fault classes, each found by a cheap rule on the text alone:

* ``leans_back``: the sentence opens with a connective or reference that points to the sentence
  before it ("Tuy nhiên, …", "Theo đó, …", "Vụ việc này …", "Ông cho biết …"); it reads well only
  right after that sentence;
* ``quote``: the quotation marks do not balance, so the extract starts or stops in the middle
  of a quotation (the press mixes straight ``"`` with curly ``“”``);
* ``headline``: the sentence repeats the headline, or the headline ran into it;
* ``furniture``: page furniture that points elsewhere on the page ("Dưới đây là …", "Xem
  video: …", a sentence ending in a colon; ``hygiene.is_furniture``);
* ``short_name`` (when the article is given): a person named by a short form ("anh H.") whom
  only a sentence left out introduces in full (the summariser writes the full name in, see
  ``summarizer.names``);
* ``redundant`` / ``contradiction``: two chosen sentences say the same thing, or report opposite
  movements of one subject (one "tăng", the other "giảm") without the article's sentences
  between them, which say how it turned.

The selection (``summarizer.selection``) uses the sentence rules to build readable units; the
benchmarks use ``summary_faults`` to count how many summaries of each system have a fault.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.features import single_stop_words
from summarizer.hygiene import is_furniture
from summarizer.names import expand_short_names
from summarizer.text import syllables

# Connectives that open a sentence and point back to the one before it. Lower-case, compared
# against the sentence's first syllables (so "Tuy nhiên," and "Tuy nhiên " both match).
BACK_CONNECTIVES: frozenset[str] = frozenset({
    "bởi", "bởi vậy", "bởi thế", "bởi lẽ", "do vậy", "do đó", "do thế", "vì vậy", "vì thế",
    "chính vì vậy", "chính vì thế", "chính vì", "vậy nên", "thế nên", "cho nên", "vì lẽ đó",
    "ngoài ra", "bên cạnh đó", "cạnh đó", "thêm vào đó", "hơn nữa", "hơn thế", "hơn thế nữa",
    "không những thế", "không chỉ vậy", "không chỉ thế", "chưa hết", "cùng với đó", "kèm theo đó",
    "theo đó", "cũng theo", "cũng trong", "cũng tại", "cũng như", "cũng vậy", "tuy nhiên",
    "tuy vậy", "tuy thế", "dù vậy", "dù thế", "mặc dù vậy", "mặc dù thế", "mặc dù vậy",
    "thế nhưng", "nhưng", "song", "còn", "và", "trong khi đó", "trong khi", "trong đó",
    "sau đó", "ngay sau đó", "trước đó", "ngay trước đó", "từ đó", "khi đó", "lúc đó", "lúc này",
    "lúc ấy", "khi ấy", "tại đây", "ở đây", "đến nay", "nhờ đó", "nhờ vậy", "như vậy",
    "như thế", "tương tự", "ngược lại", "trái lại", "cụ thể", "riêng", "cùng ngày", "cùng lúc",
    "cùng thời điểm", "cũng trong ngày", "đồng thời", "thậm chí", "đặc biệt", "kết quả",
    "đó là", "đây là", "điều này", "việc này", "chuyện này", "từ đây", "tiếp đó", "tiếp theo",
    "nhờ thế", "chưa dừng lại", "không dừng lại", "sau khi", "trước tình hình",
    "trước thực trạng", "nói thêm", "chia sẻ thêm", "cũng", "vì", "do",
    "hoặc", "hay nói cách khác", "nói cách khác", "vụ việc", "sự việc",
    # "after that" without "đó", and "both (of them)": found leaning on a sentence left out when
    # summaries were read ("Một lúc sau, Thọ lái xe …", "Sau một thời gian …", "Cả 2 bắt đầu …")
    "một lúc sau", "lát sau", "ít phút sau", "vài phút sau", "không lâu sau", "sau một thời gian",
    "cả hai", "cả 2",
})


def _lengths_by_first(connectives: frozenset[str]) -> dict[str, tuple[int, ...]]:
    """First syllable -> the lengths (in syllables) of the connectives it begins, longest first."""
    lengths: dict[str, set[int]] = {}
    for connective in connectives:
        words = connective.split(" ")
        lengths.setdefault(words[0], set()).add(len(words))
    return {first: tuple(sorted(found, reverse=True)) for first, found in lengths.items()}


# A sentence opening with a syllable no connective begins needs no lookup; one opening with
# "theo" looks up "theo đó" only.
_CONNECTIVE_LENGTHS = _lengths_by_first(BACK_CONNECTIVES)
# A back-reference by demonstrative within the first syllables: "Số tiền này", "Hôm đó",
# "Vụ tai nạn nói trên", "Thông tin trên đây".
_DEMONSTRATIVES = frozenset({"này", "đó", "ấy", "nọ"})
_TREN_NEU = frozenset({"trên", "nêu"})
_DEMONSTRATIVE_PAIRS = (("nói", "trên"), ("kể", "trên"), ("nêu", "trên"), ("trên", "đây"),
                        ("vừa", "nêu"))
DEMONSTRATIVE_WINDOW = 5
# A longer subject ends in a demonstrative later: "Không ít doanh nghiệp lĩnh vực này …", "Các
# doanh nghiệp trong ngành này …". Past the window, "đó" counts only when no word of place or
# time makes it "there"/"then" ("gần đó", "khi đó"), and "này" not after one that makes it "now"
# or "this time" ("lúc này", "lần này").
SUBJECT_WINDOW = 9
_LATE_DEMONSTRATIVES = frozenset({"này", "đó", "ấy"})
_NOT_BACK_BEFORE = frozenset(
    "gần cạnh bên khi lúc trước sau ở tại từ đến tới hồi vào lần dịp tuần tháng năm giờ đây "
    "trong ngoài trên dưới".split()
)
# "Thông tin trên được …", "Số tiền trên là …": a bare "trên" ("the above") after a noun, known
# by the verb or function word that follows it; "trên mạng", "trên đường" are places, and
# "không" is left out for "trên không" ("in the air": "Hoả lực trên không cũng …").
_AFTER_BARE_TREN = frozenset(
    "được là đã đang sẽ vẫn cũng chưa có cho đều xảy bị thì khiến vừa mới nhằm gây chỉ "
    "cần phải nên gồm thuộc".split()
)
# "Chúng …" ("they", things or animals) points back; "Chúng tôi", "Chúng ta" are the writer and
# the reader, and "Chúng mày" a quoted "you".
_CHUNG_STANDS = frozenset({"tôi", "ta", "mình", "mày", "bay", "em", "con", "cháu"})
LEAD_WORDS = SUBJECT_WINDOW  # syllables of a sentence's opening that the rules read
# A demonstrative in the opening clause (before its first comma) points back too, when the
# clause is short: "Ngay sau khi tiếp nhận được những thông tin này, …".
CLAUSE_CHARS = 60
CLAUSE_WORDS = 10
# The syllables without one of which no opening clause points back (``_clause_points_back``).
_CLAUSE_MARKERS = _DEMONSTRATIVES | {"trên", "ngày"}
# Pronouns that stand for a person named earlier. "Ông", "Bà", ... count only when the next word
# is not a name (upper case) and not one that makes a common noun with it ("bà con", "cô gái").
_ALWAYS_PRONOUNS = frozenset({"họ", "hắn", "nó", "y", "thị", "gã", "mình"})
_TITLE_PRONOUNS = frozenset({"ông", "bà", "anh", "chị", "cô", "em", "cậu", "lão", "cụ"})
_NOT_PRONOUN_NEXT = frozenset(
    "con em chị giáo gái trai bé bà cháu nội ngoại già chủ cả hai ba nhỏ lớn út hàng dâu rể "
    "nàng".split()
)
# "tăng" against "giảm": the same subject moving both ways reads as a contradiction without the
# sentence that explains it.
_UP = frozenset({"tăng", "lên", "vọt", "đi lên"})
_DOWN = frozenset({"giảm", "xuống", "đi xuống", "lao dốc", "sụt"})
REDUNDANT_OVERLAP = 0.8  # share of the shorter sentence's content words the other repeats
REDUNDANT_OVERLAP_LONGER = 0.5  # ... and of the longer one's: a short sentence that a long one
# contains is a detail of it, not a repeat
CONTRADICTION_OVERLAP = 0.25
MOVER_SPAN = 4  # syllables before a movement word that say what moves ("mỗi lượng vàng đã tăng")
# Single syllables of the movements above ("đi xuống" moves at "xuống"); "đi", "lao" only lead in.
_MOVEMENT_WORDS = frozenset(w for phrase in _UP | _DOWN for w in phrase.split()[-1:])
_GO = frozenset({"đi", "lao", "đã", "đang", "sẽ", "vừa", "mới", "bị", "được"})
HEADLINE_PRECISION = 0.8  # share of the sentence's content words that are in the headline
HEADLINE_RECALL = 0.6  # share of the headline's content words that the sentence repeats
HEADLINE_PREFIX = 4  # a headline of at least this many syllables that opens the sentence

_QUOTE_MARKS = ('"', "“", "”")


def leans_back(sentence: str, tokens: Sequence[str] | None = None) -> bool:
    """True when the sentence opens by pointing back to the one before it.

    ``tokens`` (the sentence's syllables, ``text.syllables``) may be passed when the caller has
    them; only the first few are read.
    """
    stripped = sentence.lstrip(" \"“'‘-–—•*(")
    if not stripped:
        return False
    if stripped[0].islower() or stripped[0] in "…,;":
        return True  # a fragment: it continues something
    words = tokens[:LEAD_WORDS] if tokens is not None else syllables(stripped[:80])[:LEAD_WORDS]
    if not words:
        return False
    first = words[0]
    for size in _CONNECTIVE_LENGTHS.get(first, ()):  # the longest connective that opens it
        if size <= len(words):
            connective = " ".join(words[:size])
            if connective in BACK_CONNECTIVES:
                if _connective_counts(stripped, connective):
                    return True
                break  # "Sau khi …", "Do …" open a clause: what follows may still point back
    if first in _ALWAYS_PRONOUNS:
        return True
    if first == "chúng" and len(words) > 1 and words[1] not in _CHUNG_STANDS:
        second = _second_word(stripped)
        if second and second[0].islower():
            return True
    if first in _TITLE_PRONOUNS and len(words) > 1:
        second = _second_word(stripped)
        if second and second[0].islower() and second.lower() not in _NOT_PRONOUN_NEXT:
            return True
    window = words[:DEMONSTRATIVE_WINDOW]
    if ("cùng", "ngày") in zip(window[:3], window[1:3]):  # "Sáng cùng ngày, …"
        return True
    if not _DEMONSTRATIVES.isdisjoint(window[1:]):
        return True
    comma = stripped.find(",", 0, CLAUSE_CHARS)
    if comma > 0 and (tokens is None or not _CLAUSE_MARKERS.isdisjoint(tokens[1:CLAUSE_WORDS])):
        # (The clause's syllables are the first of ``tokens``: without a marker among them it
        # cannot point back, and is not tokenised again.)
        if _clause_points_back(syllables(stripped[:comma])):
            return True
    if not _TREN_NEU.isdisjoint(words):  # "Bảo tàng khảo cổ nêu trên …": the whole opening
        if any(pair in zip(words, words[1:]) for pair in _DEMONSTRATIVE_PAIRS):
            return True
        if _bare_tren(words):
            return True
    return (len(words) > DEMONSTRATIVE_WINDOW
            and not _LATE_DEMONSTRATIVES.isdisjoint(words[DEMONSTRATIVE_WINDOW:])
            and _late_demonstrative(words))


def _bare_tren(words: Sequence[str]) -> bool:
    """A bare "trên" closing the subject ("Thông tin trên được …", "Vụ việc trên đang …")."""
    for k in range(1, min(DEMONSTRATIVE_WINDOW, len(words) - 1)):
        if words[k] == "trên" and words[k + 1] in _AFTER_BARE_TREN:
            return True
    return False


def _late_demonstrative(words: Sequence[str]) -> bool:
    """A demonstrative past the window that ends a longer subject or object ("Không ít doanh
    nghiệp lĩnh vực này …", "Huawei nhiều lần phủ nhận cáo buộc này")."""
    for k in range(DEMONSTRATIVE_WINDOW, len(words)):
        if words[k] in _LATE_DEMONSTRATIVES and words[k - 1] not in _NOT_BACK_BEFORE:
            return True
    return False


def _clause_points_back(clause: list[str]) -> bool:
    """An opening clause (before the first comma) that points back: a demonstrative in it ("Ngay
    sau khi tiếp nhận những thông tin này, …"), "trên" closing a short one ("Thực hiện âm mưu
    trên, …", "Với mức giá trên, …") or "cùng ngày" in it ("Đến khoảng 18h cùng ngày, …")."""
    head = clause[:CLAUSE_WORDS]
    if not _DEMONSTRATIVES.isdisjoint(head[1:]):
        return True
    if 1 < len(clause) <= CLAUSE_WORDS and clause[-1] == "trên":
        return True
    return ("cùng", "ngày") in zip(head, head[1:])


def _connective_counts(sentence: str, connective: str) -> bool:
    """Whether a matched connective really points back.

    "Vì", "Do", "Sau khi", "Trong khi", "Đặc biệt", "Kết quả", "Riêng" and "Tiếp theo" also open
    self-contained sentences ("Do mưa lớn, nhiều tuyến phố bị ngập"); they point back only when
    a comma or colon follows at once ("Đặc biệt, …"). The longer forms ("Do đó", "Vì vậy") are
    listed on their own.
    """
    if connective in {"vì", "do", "sau khi", "trong khi", "đặc biệt", "kết quả", "riêng",
                      "tiếp theo"}:
        rest = sentence[len(connective):].lstrip()
        return rest.startswith(",") or rest.startswith(":")
    return True


def _second_word(sentence: str) -> str:
    parts = sentence.split(maxsplit=2)
    return parts[1].strip("\"“”,.:;!?()") if len(parts) > 1 else ""


def quote_balance(sentence: str) -> tuple[int, int]:
    """(curly balance, straight quotes): “ counts +1, ” counts −1; straight ``"`` are counted."""
    return sentence.count("“") - sentence.count("”"), sentence.count('"')


def opens_quote(sentence: str) -> bool:
    """The sentence opens a quotation it does not close."""
    curly, straight = quote_balance(sentence)
    if curly > 0:
        return True
    if straight % 2 == 1:
        # The odd straight quote opens when it is followed by text and not preceded by it.
        last = sentence.rfind('"')
        return last < len(sentence.rstrip()) - 1 and _opens_at(sentence, last)
    return False


def closes_quote(sentence: str) -> bool:
    """The sentence closes a quotation opened before it."""
    curly, straight = quote_balance(sentence)
    if curly < 0:
        return True
    if straight % 2 == 1:
        return not opens_quote(sentence)
    # A closing curly quote before any opening one: "…về.” Ông nói “…”" balances but starts inside.
    close, open_ = sentence.find("”"), sentence.find("“")
    return close != -1 and (open_ == -1 or close < open_)


def _opens_at(sentence: str, index: int) -> bool:
    """A straight quote opens when what comes before it is a space, a colon or the start."""
    before = sentence[:index].rstrip()
    return not before or before[-1] in ":,;(-–—" or sentence[index - 1] == " "


def quotes_balanced(sentences: Sequence[str]) -> bool:
    """True when a run of consecutive sentences neither starts nor ends inside a quotation."""
    depth = straight = 0
    for sentence in sentences:
        if not any(mark in sentence for mark in _QUOTE_MARKS):
            continue
        straight += sentence.count('"')
        if "”" in sentence:
            for char in sentence:  # a closing mark before its opening one is a cut quotation
                if char == "“":
                    depth += 1
                elif char == "”":
                    depth -= 1
                    if depth < 0:
                        return False
        else:
            depth += sentence.count("“")
    return depth == 0 and straight % 2 == 0


def stands_alone(sentence: str) -> bool:
    """Fit to be shown with no neighbour: it neither leans back nor holds part of a quotation,
    and is not page furniture.

    For callers that pick single sentences from several texts (story summaries), where a
    sentence cannot bring its antecedent along as ``summarizer.selection`` does.
    """
    return (not leans_back(sentence) and quotes_balanced((sentence,))
            and not is_furniture(sentence))


def content_set(tokens: Sequence[str]) -> set[str]:
    """The sentence's content syllables (stop words removed)."""
    return set(tokens).difference(single_stop_words())


def repeats_headline(tokens: Sequence[str], title_tokens: Sequence[str],
                     title_words: set[str] | None = None, words: set[str] | None = None) -> bool:
    """The sentence is the headline again, or the headline ran into its start.

    ``title_words`` (``content_set(title_tokens)``) may be passed by a caller that checks many
    sentences against one headline, and ``words`` (``content_set(tokens)``) by one that has made
    it already.
    """
    if not title_tokens or not tokens:
        return False
    n = len(title_tokens)
    if (n >= HEADLINE_PREFIX and len(tokens) >= n and tokens[n - 1] == title_tokens[n - 1]
            and list(tokens[:n]) == list(title_tokens)):  # the cheap tests first
        return True
    title = content_set(title_tokens) if title_words is None else title_words
    if not title:
        return False
    # Title words are content words already: they meet the sentence's content words only.
    shared = len(title.intersection(tokens) if words is None else title & words)
    if shared < HEADLINE_RECALL * len(title):
        return False
    if words is None:
        words = content_set(tokens)
    return bool(words) and shared >= HEADLINE_PRECISION * len(words)


def overlap(a: set[str], b: set[str]) -> float:
    """Share of the smaller set's words that the other repeats."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def redundant(a: set[str], b: set[str]) -> bool:
    """Two sentences that say the same thing: each repeats most of the other's content words."""
    if not a or not b:
        return False
    shared = len(a & b)
    small, large = sorted((len(a), len(b)))
    return shared >= REDUNDANT_OVERLAP * small and shared >= REDUNDANT_OVERLAP_LONGER * large


def _directions(tokens: Sequence[str]) -> tuple[bool, bool]:
    """(goes up, goes down): whether the sentence reports a rise, a fall."""
    words = set(tokens)
    up, down = not _UP.isdisjoint(words), not _DOWN.isdisjoint(words)
    if "đi" in words or "lao" in words:  # "đi lên", "đi xuống", "lao dốc"
        pairs = {f"{x} {y}" for x, y in zip(tokens, tokens[1:])}
        up, down = up or not _UP.isdisjoint(pairs), down or not _DOWN.isdisjoint(pairs)
    return up, down


def contradicts(a_tokens: Sequence[str], b_tokens: Sequence[str]) -> bool:
    """Opposite movements of a shared subject: one only goes up, the other only down.

    The subject is shared when the sentences share enough content words, or when what moves
    (the words just before the movement) shares one: "giá vàng đi xuống" against "mỗi lượng
    vàng đã tăng" share little else, and read as a contradiction all the same."""
    up_a, down_a = _directions(a_tokens)
    up_b, down_b = _directions(b_tokens)
    if not ((up_a and not down_a and down_b and not up_b)
            or (down_a and not up_a and up_b and not down_b)):
        return False
    return (overlap(content_set(a_tokens), content_set(b_tokens)) >= CONTRADICTION_OVERLAP
            or not _movers(a_tokens).isdisjoint(_movers(b_tokens)))


def _movers(tokens: Sequence[str]) -> set[str]:
    """The content words within ``MOVER_SPAN`` syllables before each movement word: what the
    sentence says rises or falls ("giá vàng" in "giá vàng đi xuống")."""
    stops = single_stop_words()
    found: set[str] = set()
    for i, token in enumerate(tokens):
        if token in _MOVEMENT_WORDS:
            found.update(t for t in tokens[max(0, i - MOVER_SPAN):i]
                         if t not in stops and t not in _MOVEMENT_WORDS and t not in _GO)
    return found


def summary_faults(
    sentences: Sequence[str], indices: Sequence[int], title: str | None = None,
    article: Sequence[str] | None = None,
) -> list[str]:
    """The fault classes found in one summary (empty when it reads well).

    ``sentences`` are the summary's sentences in article order and ``indices`` their positions in
    the article's sentence split, which says whether a sentence directly follows another one.
    With ``article`` (that split), also ``short_name``: a person named by a short form ("anh H.")
    whom only a sentence left out introduces in full.
    """
    faults: list[str] = []
    if article is not None and _names_unknown(sentences, indices, title or "", article):
        faults.append("short_name")
    title_tokens = syllables(title) if title else []
    tokens = [syllables(s) for s in sentences]
    run: list[str] = []
    for k, sentence in enumerate(sentences):
        follows = k > 0 and indices[k] == indices[k - 1] + 1
        if leans_back(sentence) and not follows:
            faults.append("leans_back")
        if follows:
            run.append(sentence)
        else:
            if run and not quotes_balanced(run):
                faults.append("quote")
            run = [sentence]
        if repeats_headline(tokens[k], title_tokens):
            faults.append("headline")
        if is_furniture(sentence):
            faults.append("furniture")
    if run and not quotes_balanced(run):
        faults.append("quote")
    sets = [content_set(t) for t in tokens]
    for i in range(len(sentences)):
        for j in range(i + 1, len(sentences)):
            if redundant(sets[i], sets[j]):
                faults.append("redundant")
            elif indices[j] - indices[i] != j - i and contradicts(tokens[i], tokens[j]):
                # (sentences in one unbroken run read as the article does: the ones between
                # say how the movement turned)
                faults.append("contradiction")
    return sorted(set(faults))


def _names_unknown(sentences: Sequence[str], indices: Sequence[int], title: str,
                   article: Sequence[str]) -> bool:
    """Whether a summary sentence names someone by a short form that only a sentence of the
    article left out gives in full: what the summariser writes in (``names``) would change it."""
    earlier = [article[:index] for index in indices]
    return expand_short_names(sentences, earlier, title) != list(sentences)
