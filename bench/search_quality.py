"""Search quality: mean precision@5 per query class, ours beside plain FTS5 bm25, same run.

    .venv/bin/python bench/search_quality.py [--part test|dev] [--per-class 60] [--data PATH]

The store is built through the normal save path from one half of ``../shared/data/vnds/
val.jsonl.gz`` (articles split in two by a hash of their id: ``dev`` was used while building
the ranking, ``test`` is the part to report). Queries are drawn from that half the way readers
type them:

- ``names``: two to four capitalised words from a title (not the title's first word), as
  written, e.g. "Trần Đại Quang", "Hà Tĩnh";
- ``names folded``: other names drawn the same way, typed without diacritics ("tran dai quang");
- ``names partly``: other names with two or more marked words, typed with the marks of one of
  them left off ("Tran Đại Quang", "Hà Tinh"), as a hurried reader types; relevant is what the
  reader meant, the name with all its marks;
- ``short words``: everyday words whose folded form is shared with other words (bão, lũ, cháy,
  xăng, điện, vàng, đất, mưa, thuế, ...), typed with their diacritics;
- ``codes``: codes of capitals and a number that this half writes in two ways ("MH370" and
  "MH 370", "RON 92" and "RON92", "U23" and "U.23"), typed the way written less often; relevant
  is an article holding the code in any of its ways.

A result is relevant when its title, lead or text holds the query as a phrase (adjacent words
in order), with the same diacritics when the query has any, case aside. Precision@5 of a query
is the relevant results among the first five divided by min(5, relevant articles in the store),
so a perfect ranking scores 1.0 even for a name found in two articles. The baseline is plain
FTS5 on the folded index: ``articles_fts MATCH <every word> ORDER BY rank`` (bm25); the ranking
bantin had before (folded tiers only, no phrase in the text) is printed too, for the record.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bantin.text import fold, nfc  # noqa: E402
from store import Article, Store  # noqa: E402
from store.search import match_expression, query_terms  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "vnds" / "val.jsonl.gz"
SHORT_WORDS = (
    "bão lũ cháy xăng điện vàng đất mưa thuế giá nhà đường bệnh trường cá lúa gạo dầu sữa tàu "
    "cầu chợ đá rét nắng nổ lửa cướp tù dịch thịt rau trứng vé bò gà lợn sốt cúm mỏ than "
    "thép nợ lãi phạt cấm tăng giảm sập chìm lở hạn mặn ngập đê rừng biển ma túy súng nước"
).split()
_WORD = re.compile(r"\w+")


def load_part(path: Path, part: str) -> list[dict]:
    """Half of the articles, chosen by a hash of their id (stable across runs and machines)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        docs = [json.loads(line) for line in handle]
    wanted = 0 if part == "dev" else 1
    return [d for d in docs if hashlib.sha256(d["id"].encode()).digest()[0] % 2 == wanted]


def build_store(folder: Path, docs: list[dict]) -> Store:
    store = Store(folder / "quality.db")
    start = datetime(2024, 1, 1, tzinfo=UTC)
    batch = []
    for n, doc in enumerate(docs):
        lead, _, rest = doc["text"].partition(". ")
        batch.append(Article(
            url=f"https://quality.example/{doc['id']}", source="VNDS", title=doc["title"],
            lead=lead + ".", text=rest, published_at=start + timedelta(minutes=37 * n),
        ))
    for first in range(0, len(batch), 500):
        store.articles.save_many(batch[first:first + 500])
    return store


def title_names(title: str) -> list[str]:
    """Runs of two to four capitalised words in a title.

    The title is cut at punctuation; the first word of each piece may be capitalised only as a
    sentence start, so it never starts a name.
    """
    names = []
    for piece in re.split(r"[^\w\s]+", nfc(title)):
        run: list[str] = []
        for position, word in enumerate([*piece.split(), ""]):
            capital = len(word) > 1 and word.isalpha() and word[0].isupper() and word[1:].islower()
            if capital and (run or position > 0):
                run.append(word)
                continue
            if 2 <= len(run) <= 4:
                names.append(" ".join(run))
            run = []
    return names


def make_queries(docs: list[dict], per_class: int, rng: random.Random
                 ) -> dict[str, list[tuple[str, str]]]:
    """Per class, (what the reader types, what they mean)."""
    names = sorted({name for doc in docs for name in title_names(doc["title"])})
    rng.shuffle(names)
    typed, folded = names[:per_class], names[per_class:2 * per_class]
    partly = [name for name in names[2 * per_class:] if sum(w != fold(w) for w in name.split()) > 1]
    return {"names": [(n, n) for n in typed],
            "names folded": [(fold(n), fold(n)) for n in folded],
            "names partly": [(_one_mark_left_off(n, rng), n) for n in partly[:per_class]],
            "short words": [(w, w) for w in SHORT_WORDS[:per_class]],
            "codes": [(code, code) for code in two_way_codes(docs)[:per_class]]}


_CODE = re.compile(r"(?<!\w)([A-Z]{1,3})([ .-]?)(\d{2,4})(?!\w)")


def two_way_codes(docs: list[dict]) -> list[str]:
    """Codes written both joined and apart in ``docs``, each in its rarer way (a tie: apart)."""
    ways: dict[tuple[str, str], Counter] = {}
    for doc in docs:
        for letters, mark, number in _CODE.findall(doc["title"] + " " + doc["text"]):
            ways.setdefault((letters, number), Counter())[mark] += 1
    codes = []
    for (letters, number), marks in sorted(ways.items()):
        joined = marks[""]
        apart = sum(n for mark, n in marks.items() if mark)
        if joined and apart:
            codes.append(letters + number if joined < apart else f"{letters} {number}")
    return codes


def _one_mark_left_off(name: str, rng: random.Random) -> str:
    """``name`` with one of its marked words typed without marks (keeping its capital)."""
    words = name.split()
    marked = [i for i, word in enumerate(words) if word != fold(word)]
    i = rng.choice(marked)
    bare = fold(words[i])
    words[i] = bare[0].upper() + bare[1:] if words[i][0].isupper() else bare
    return " ".join(words)


class Judge:
    """Which articles hold a query as a phrase: exact (case aside) when typed with marks."""

    def __init__(self, store: Store) -> None:
        rows = store.database.execute("SELECT id, title, lead, text FROM articles").fetchall()
        self.exact = {row[0]: self._words(" \n ".join(row[1:]).lower()) for row in rows}
        self.folded = {i: fold(words) for i, words in self.exact.items()}

    @staticmethod
    def _words(text: str) -> str:
        # Fields joined by "\n" so a phrase does not run from a title into the lead.
        return "\n".join(" " + " ".join(_WORD.findall(line)) + " " for line in text.split("\n"))

    def relevant(self, query: str) -> set[int]:
        code = _CODE.fullmatch(query)
        if code:  # any way of writing it
            letters, number = code.group(1).lower(), code.group(3)
            ways = (f" {letters}{number} ", f" {letters} {number} ")
            return {i for i, text in self.folded.items() if any(w in text for w in ways)}
        words = " " + " ".join(_WORD.findall(nfc(query).lower())) + " "
        texts = self.folded if words == fold(words) else self.exact
        return {i for i, text in texts.items() if words in text}


def precision_at_5(found: list[int], relevant: set[int]) -> float:
    return sum(1 for i in found[:5] if i in relevant) / min(5, len(relevant))


def bm25_baseline(store: Store) -> Callable[[str], list[int]]:
    def search(query: str) -> list[int]:
        rows = store.database.execute(
            "SELECT a.id FROM articles_fts AS f JOIN articles AS a ON a.search_key = f.rowid "
            "WHERE articles_fts MATCH ? ORDER BY f.rank LIMIT 5",
            (match_expression(query_terms(query)),),
        ).fetchall()
        return [row[0] for row in rows]
    return search


def previous_ranking(store: Store) -> Callable[[str], list[int]]:
    """The ranking before diacritics and phrases counted: folded title phrase, folded title
    words, folded words anywhere; newest first within each (for the record, not a target)."""
    def ids(table: str, expression: str) -> list[int]:
        return [row[0] for row in store.database.execute(
            f"SELECT a.id FROM {table} AS f JOIN articles AS a ON a.search_key = f.rowid "
            f"WHERE {table} MATCH ? ORDER BY f.rowid DESC LIMIT 10",
            (expression,)).fetchall()]

    def search(query: str) -> list[int]:
        terms = query_terms(query)
        every = match_expression(terms)
        found: list[int] = []
        for table, expression in (("titles_fts", '"' + " ".join(terms) + '"'),
                                  ("titles_fts", every), ("articles_fts", every)):
            found += [i for i in ids(table, expression) if i not in found]
        return found[:5]
    return search


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("test", "dev"), default="test")
    parser.add_argument("--per-class", type=int, default=60)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show", type=int, default=0, help="print the N worst queries of ours")
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"{args.data} not found: this benchmark needs the VNDS validation split")
    docs = load_part(args.data, args.part)
    with tempfile.TemporaryDirectory() as folder:
        store = build_store(Path(folder), docs)
        judge = Judge(store)
        queries = make_queries(docs, args.per_class, random.Random(14))
        systems = {"ours": lambda q: [a.id for a in store.search.search(q, limit=5)],
                   "fts5 bm25 (folded)": bm25_baseline(store),
                   "previous": previous_ranking(store)}
        print(f"data: {args.data}, part {args.part}: {store.articles.count()} articles")
        print("mean precision@5 (relevant in the first 5 / min(5, relevant in the store))")
        print(f"{'class':<14}{'queries':>8}{'ours':>8}{'bm25':>8}{'previous':>10}")
        worst = []
        for name, group in queries.items():
            scores: dict[str, list[float]] = {s: [] for s in systems}
            skipped = 0
            for query, meant in group:
                relevant = judge.relevant(meant)
                if not relevant:  # a short word this half of the data never uses
                    skipped += 1
                    continue
                for system, search in systems.items():
                    scores[system].append(precision_at_5(search(query), relevant))
                worst.append((scores["ours"][-1], name, query, len(relevant)))
            means = [statistics.mean(scores[s]) for s in systems]
            note = f"  ({skipped} found in no article, left out)" if skipped else ""
            print(f"{name:<14}{len(group) - skipped:>8}{means[0]:>8.3f}{means[1]:>8.3f}"
                  f"{means[2]:>10.3f}{note}")
        for score, name, query, count in sorted(worst)[:args.show]:
            print(f"  {score:.2f}  {name}: {query!r} ({count} relevant)")
        store.close()


if __name__ == "__main__":
    main()
