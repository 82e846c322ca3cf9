"""The wrong merges of the story benchmark, one by one: which ViMs clusters share a story, and how.

    .venv/bin/python bench/story_merges.py [--data PATH] [--part tuned|held-out|all] [--alone]
                                           [--as-one Cluster_A,Cluster_B ...]

Saves ViMs exactly as ``bench/stories.py`` does (all 300 clusters through ``Store.articles.save``
in publication order; ``--alone``: only the clusters of ``--part``), then lists every story that
holds articles of two or more clusters, at least one of them of ``--part`` (default: tuned, the
part rules may be chosen on). For each: the clusters and how many of their articles the story
holds, the save that first put a second cluster into the story (its best score against a member
of another cluster, and how many days older the story's first article was), the strongest
cross-cluster links, and every article's time, outlet and title. Reading them tells whether a
merge is two events of one topic (which the grouping must keep apart) or one event that the data
holds as two clusters.

``--as-one`` prints B-cubed again with the given pairs of clusters counted as one event, so the
share of the precision loss each kind of merge accounts for can be stated. It relabels nothing:
``bench/stories.py`` always scores against the clusters as published.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.append(str(Path(__file__).resolve().parent))

from stories import DEFAULT_DATA, bcubed, held_out, load, to_article  # noqa: E402

from store import Store  # noqa: E402
from store.story_match import Signature, score, signature  # noqa: E402

PARTS = {"tuned": lambda c: not held_out(c), "held-out": held_out, "all": lambda c: True}


def sign(doc: dict) -> Signature:
    article = to_article(doc, "")
    return signature(article.title, article.lead, article.text, article.simhash)


def link(a: dict, b: dict, sigs: dict[str, Signature]) -> float:
    """The pair score grouping would give two articles (an outlet's own pair: not scored)."""
    if a["outlet"] and a["outlet"] == b["outlet"]:
        return float("nan")
    days = abs((a["when"] - b["when"]).total_seconds()) / 86400
    return score(sigs[a["id"]], sigs[b["id"]], days)


def group(docs: list[tuple[str, dict]], sigs: dict[str, Signature]
          ) -> tuple[dict[int, str], dict[int, int], dict[int, dict], list[str]]:
    """Save the articles; return gold clusters, stories, documents by article id and, per story
    that came to hold two clusters, a line on the save that did it."""
    gold, doc_of, firsts = {}, {}, []
    seen_mixed: set[int] = set()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "merges.db")
        db = store.database
        for cluster, doc in docs:
            _, article_id = store.articles.save(to_article(doc, cluster))
            gold[article_id], doc_of[article_id] = cluster, doc
            story = db.execute("SELECT story_id FROM articles WHERE id = ?",
                               (article_id,)).fetchone()[0]
            members = [m for (m,) in db.execute("SELECT id FROM articles WHERE story_id = ?",
                                                (story,))]
            if story in seen_mixed or len({gold[m] for m in members}) < 2:
                continue
            seen_mixed.add(story)
            others = [doc_of[m] for m in members if gold[m] != cluster]
            best = max(others, key=lambda o: (link(doc, o, sigs), o["id"]))
            age = (doc["when"] - min(doc_of[m]["when"] for m in members if m != article_id))
            firsts.append(
                f"story {story}: first joined by {cluster} {doc['when']:%m-%d %H:%M} "
                f"{doc['outlet']}, best cross-cluster score {link(doc, best, sigs):.2f}, "
                f"story's first article {age.total_seconds() / 86400:.1f} days older: "
                f"{doc['title']!r} ~ {best['title']!r}")
        predicted = dict(db.execute("SELECT id, story_id FROM articles"))
        store.close()
    return gold, predicted, doc_of, firsts


def report(clusters: list[dict], part: str, alone: bool, as_one: list[tuple[str, str]]) -> None:
    wanted = PARTS[part]
    chosen = [c for c in clusters if wanted(c["cluster"])] if alone else clusters
    by_name = {c["cluster"]: c for c in chosen}
    docs = sorted(((c["cluster"], d) for c in chosen for d in c["docs"]),
                  key=lambda pair: (pair[1]["when"], pair[1]["id"]))
    sigs = {doc["id"]: sign(doc) for _, doc in docs}
    gold, predicted, doc_of, firsts = group(docs, sigs)
    stories: dict[int, list[int]] = defaultdict(list)
    for article_id, story in predicted.items():
        stories[story].append(article_id)
    listed = 0
    for story, members in sorted(stories.items()):
        counts = Counter(gold[m] for m in members)
        if len(counts) < 2 or not any(wanted(c) for c in counts):
            continue
        listed += 1
        print("=" * 100)
        print(f"story {story}: " + ", ".join(
            f"{c}{' (held out)' if held_out(c) else ''} {counts[c]}/{len(by_name[c]['docs'])}"
            for c in sorted(counts)))
        print("  " + next((line for line in firsts if line.startswith(f"story {story}:")), ""))
        pairs = [(link(doc_of[a], doc_of[b], sigs), a, b) for a in members for b in members
                 if a < b and gold[a] != gold[b]]
        for value, a, b in sorted((p for p in pairs if p[0] == p[0]), reverse=True)[:3]:
            print(f"  link {value:.2f}: [{gold[a]}] {doc_of[a]['title']}  ~  "
                  f"[{gold[b]}] {doc_of[b]['title']}")
        for cluster in sorted(counts):
            print(f"  -- {cluster}")
            in_story = {doc_of[m]["id"] for m in members}
            for doc in sorted(by_name[cluster]["docs"], key=lambda d: (d["when"], d["id"])):
                mark = "*" if doc["id"] in in_story else " "
                print(f"   {mark} {doc['when']:%m-%d %H:%M} {doc['outlet'] or '?':<24} "
                      f"{doc['title']}")
    print(f"stories holding two clusters or more, one of them {part}: {listed}")
    items = {name: [i for i, c in gold.items() if PARTS[name](c)] for name in ("tuned", "held-out")}
    merged = {b: a for a, b in as_one}
    relabelled = {i: merged.get(c, c) for i, c in gold.items()}
    for label, truth in (("as published", gold), ("with --as-one pairs as one event", relabelled)):
        if truth is relabelled and not as_one:
            continue
        figures = "; ".join(
            f"{name} precision {bcubed(truth, predicted, ids)[0]:.4f} recall "
            f"{bcubed(truth, predicted, ids)[1]:.4f}" for name, ids in items.items() if ids)
        print(f"B-cubed, clusters {label}: {figures}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--part", choices=sorted(PARTS), default="tuned")
    parser.add_argument("--alone", action="store_true", help="save only the clusters of --part")
    parser.add_argument("--as-one", nargs="*", default=[], metavar="A,B",
                        help="pairs of clusters to count as one event in a second B-cubed line")
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"{args.data} not found: this benchmark needs ViMs (../shared/data/clusters)")
    pairs: list[tuple[str, str]] = []
    for pair in args.as_one:
        first, _, second = pair.partition(",")
        if not first or not second:
            sys.exit(f"--as-one takes pairs written Cluster_A,Cluster_B, not {pair!r}")
        pairs.append((first, second))
    report(load(args.data), args.part, args.alone, pairs)


if __name__ == "__main__":
    main()
