"""Story benchmark on ViMs: grouping (B-cubed) and story summaries (ROUGE), in one run.

    .venv/bin/python bench/stories.py [--data PATH] [--no-summaries] [--no-crowded]

All 300 ViMs clusters (1,945 articles, 134 outlets, May-Aug 2016) are saved together through
the normal save path (``Store.articles.save``, SimHash as the pipeline signs it) in publication
order, so stories of the same days compete. Clusters whose number is divisible by 3 are held
out: no threshold was tuned on them. Both parts are reported.

Grouping: B-cubed precision and recall per article against the human clusters (precision of an
article = share of its story that is of its cluster; recall = share of its cluster in its story).
Baseline from the same run: every article its own story (precision 1, recall 1/size).

Story summaries: ROUGE-1/2/L F1 x100 (``bench/rouge_vi.py``) against each cluster's two human
summaries (mean), for the summary of the story holding most of the cluster (made as the pipeline
makes it, from the story's earliest 8 articles), beside LEAD-3 of the cluster's earliest article
and the first sentence of every article (in time order).

Crowded days (``--no-crowded`` skips them): each part's clusters alone, moved so that every
cluster starts on one of the first N days (cluster i on day i mod N, at hour 7i mod 24, its
articles keeping their distances), then grouped: up to 100 events a day from May-August stand
side by side, so same-topic events of different weeks (two steps of one fish-death crisis, two
bank deals) meet on one day, the case the issue says must stay apart. Real times let the day
penalty separate many of them; here the rule alone must.

Articles without a time (21) are given their cluster's median time, standing for "fetched about
when the others were"; a date-only time is read as midnight in Vietnam.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.append(str(Path(__file__).resolve().parent))  # rouge_vi; after the packages

from rouge_vi import rouge  # noqa: E402

from bantin.text import simhash  # noqa: E402
from store import Article, Store  # noqa: E402
from summarizer.sentences import split_sentences  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "clusters" / "vims.jsonl.gz"


def held_out(cluster: str) -> bool:
    """Clusters 003, 006, …: never looked at while tuning."""
    return int(cluster.split("_")[-1]) % 3 == 0


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    if len(value) == 10:
        value += "T00:00:00+07:00"
    return datetime.fromisoformat(value)


def load(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        clusters = [json.loads(line) for line in handle]
    for cluster in clusters:
        times = sorted(t for t in (parse_time(d["time"]) for d in cluster["docs"]) if t)
        median = times[len(times) // 2]
        for doc in cluster["docs"]:
            doc["when"] = parse_time(doc["time"]) or median
    return clusters


def to_article(doc: dict, cluster: str) -> Article:
    title, lead, text = doc["title"] or "", doc["lead"] or "", doc["text"]
    return Article(
        url=doc["url"] or f"urn:vims:{doc['id']}", title=title, lead=lead, text=text,
        source=doc["outlet"] or "unknown", published_at=doc["when"], fetched_at=doc["when"],
        simhash=simhash(" ".join((title, lead, text))), link=doc["url"],
        category=cluster,
    )


def bcubed(gold: dict[int, str], predicted: dict[int, int], items: list[int]) -> tuple[float, float]:
    """Mean B-cubed precision and recall over ``items`` (members counted over all articles)."""
    by_story: dict[int, list[int]] = defaultdict(list)
    by_cluster: dict[str, list[int]] = defaultdict(list)
    for item, story in predicted.items():
        by_story[story].append(item)
        by_cluster[gold[item]].append(item)
    precision, recall = [], []
    for item in items:
        story = by_story[predicted[item]]
        same = sum(1 for other in story if gold[other] == gold[item])
        precision.append(same / len(story))
        recall.append(same / len(by_cluster[gold[item]]))
    return statistics.mean(precision), statistics.mean(recall)


def mean_rouge(summary: str, refs: list[str]) -> tuple[float, float, float]:
    scores = [rouge(summary, ref) for ref in refs]
    return tuple(statistics.mean(s[i] for s in scores) for i in range(3))  # type: ignore


def lead3(doc: dict) -> str:
    return " ".join(split_sentences((doc["lead"] or "") + "\n" + doc["text"])[:3])


def first_sentences(docs: list[dict]) -> str:
    firsts = [split_sentences((d["lead"] or "") + "\n" + d["text"])[:1] for d in docs]
    return " ".join(s[0] for s in firsts if s)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--no-summaries", action="store_true", help="grouping figures only")
    parser.add_argument("--no-crowded", action="store_true", help="skip the crowded-days runs")
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"{args.data} not found: this benchmark needs ViMs (../shared/data/clusters)")
    clusters = load(args.data)
    docs = [(cluster["cluster"], doc) for cluster in clusters for doc in cluster["docs"]]
    docs.sort(key=lambda pair: (pair[1]["when"], pair[1]["id"]))

    gold: dict[int, str] = {}
    predicted: dict[int, int] = {}
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.db")
        begin = time.perf_counter()
        for cluster, doc in docs:
            _, article_id = store.articles.save(to_article(doc, cluster))
            gold[article_id] = cluster
        seconds = time.perf_counter() - begin
        for article_id, story_id in store.database.execute(
                "SELECT id, story_id FROM articles").fetchall():
            predicted[article_id] = story_id
        parts = {"tuned": [i for i, c in gold.items() if not held_out(c)],
                 "held-out": [i for i, c in gold.items() if held_out(c)]}
        print(f"data: {args.data}: {len(clusters)} clusters, {len(docs)} articles; "
              f"saved in {seconds:.1f} s ({len(docs) / seconds:,.0f} articles/s with grouping)")
        print(f"stories: {len(set(predicted.values()))} (human clusters: {len(clusters)})")
        for name, items in parts.items():
            p, r = bcubed(gold, predicted, items)
            singles = {i: i for i in predicted}
            bp, br = bcubed(gold, singles, items)
            n_clusters = len({gold[i] for i in items})
            print(f"B-cubed {name:>8} ({n_clusters} clusters, {len(items)} articles): "
                  f"precision {p:.3f} recall {r:.3f} | baseline one story per article: "
                  f"precision {bp:.3f} recall {br:.3f}")
        if not args.no_crowded:
            crowded_figures(clusters)
        if args.no_summaries:
            return
        summary_figures(store, clusters, gold, predicted)
        store.close()


def crowd(clusters: list[dict], days: int) -> list[tuple[str, dict]]:
    """The clusters' articles moved so that cluster i starts on day i mod ``days`` (hour 7i mod
    24) of its first cluster's day, keeping each article's distance from its cluster's first;
    in the new time order."""
    start = min(doc["when"] for doc in clusters[0]["docs"]).replace(hour=0, minute=0, second=0)
    moved = []
    for index, cluster in enumerate(clusters):
        first = min(doc["when"] for doc in cluster["docs"])
        shift = start + timedelta(days=index % days, hours=7 * index % 24) - first
        moved += [(cluster["cluster"], {**doc, "when": doc["when"] + shift})
                  for doc in cluster["docs"]]
    return sorted(moved, key=lambda pair: (pair[1]["when"], pair[1]["id"]))


def crowded_figures(clusters: list[dict]) -> None:
    """B-cubed of each part alone, crowded onto 5 and 2 days, beside the part alone on its
    real days."""
    for name in ("tuned", "held-out"):
        part = [c for c in clusters if held_out(c["cluster"]) == (name == "held-out")]
        figures = []
        for days in (None, 5, 2):
            docs = crowd(part, days) if days else sorted(
                ((c["cluster"], d) for c in part for d in c["docs"]),
                key=lambda pair: (pair[1]["when"], pair[1]["id"]))
            gold, predicted = {}, {}
            with tempfile.TemporaryDirectory() as folder:
                store = Store(Path(folder) / "crowded.db")
                for cluster, doc in docs:
                    _, article_id = store.articles.save(to_article(doc, cluster))
                    gold[article_id] = cluster
                predicted = dict(store.database.execute("SELECT id, story_id FROM articles"))
                store.close()
            p, r = bcubed(gold, predicted, list(gold))
            figures.append(f"{'real days' if days is None else f'{days} days'} {p:.3f} / {r:.3f}")
        print(f"B-cubed {name:>8} alone, precision / recall: " + ", ".join(figures))


def summary_figures(store: Store, clusters: list[dict], gold: dict[int, str],
                    predicted: dict[int, int]) -> None:
    """ROUGE of story summaries beside the two baselines, per part."""
    from bantin.config import SummarizerConfig
    from bantin.summaries import STORY_SUMMARY_ARTICLES, story_summary

    story_of_cluster: dict[str, int] = {}
    members: dict[str, Counter] = defaultdict(Counter)
    for item, cluster in gold.items():
        members[cluster][predicted[item]] += 1
    for cluster, counts in members.items():
        story_of_cluster[cluster] = min(counts, key=lambda s: (-counts[s], s))
    rows: dict[str, dict[str, list]] = {"tuned": defaultdict(list), "held-out": defaultdict(list)}
    begin = time.perf_counter()
    for cluster in clusters:
        name = cluster["cluster"]
        part = "held-out" if held_out(name) else "tuned"
        ordered = sorted(cluster["docs"], key=lambda d: (d["when"], d["id"]))
        story = store.stories.get(story_of_cluster[name])
        summary = story_summary(story.articles[:STORY_SUMMARY_ARTICLES], SummarizerConfig())
        for key, text in (("story", summary), ("lead3", lead3(ordered[0])),
                          ("firsts", first_sentences(ordered))):
            rows[part][key].append((*mean_rouge(text, cluster["refs"]), len(text.split())))
    seconds = time.perf_counter() - begin
    print(f"story summaries: {len(clusters)} in {seconds:.1f} s (3 sentences, 800 characters at "
          "most; references: 225 words median)")
    labels = {"story": "story summary (ours)", "lead3": "LEAD-3 of earliest article",
              "firsts": "first sentence of every article"}
    for part, systems in rows.items():
        print(f"ROUGE F1 x100, {part} ({len(systems['story'])} clusters):")
        for key, label in labels.items():
            values = systems[key]
            r1, r2, rl, words = (statistics.mean(v[i] for v in values) for i in range(4))
            print(f"  {label:<32} R-1 {r1:5.2f}  R-2 {r2:5.2f}  R-L {rl:5.2f}  "
                  f"({words:.0f} words on average)")


if __name__ == "__main__":
    main()
