"""Extraction quality over real pages, bantin against trafilatura alone in the same run.

    .venv/bin/python bench/extraction.py [--data ../shared/data] [--verbose] [--all]

Pages: ``DATA/html`` (references in ``DATA/gt``) and ``DATA/html2`` (references in
``DATA/gt2``). A page without a reference is a home/section page and must be rejected.

The pages are split by outlet. **Tuned on** (the rules were developed looking at these): the
``html/`` set (Dân trí, Zing, the VnExpress listing) and Nhân Dân and Tiền Phong from
``html2/``. **Held out** (only measured, never looked at while tuning): GenK, CafeF, Soha and
VTV. The headline figures are the held-out ones; ``--all`` prints the tuned set as well.

Per page, for each extractor:

- recall: share of reference paragraphs found in the output (for a photo story, whose
  reference body is empty, the captions are the text and the reference);
- junk: share of output paragraphs that are a photo caption (outside photo stories) or the
  headline;
- furniture: share of output paragraphs that match no reference text at all (menus, related
  headlines, footers, source labels);
- headline, author, time (to the minute) right, where the reference states them;
- pages without a reference rejected (over both splits: the only listing is a tuned page;
  self-made section, home and error pages are in the test suite).

The old ``gt/`` references were made with CSS rules and count three related headlines linked
inside ``dantri_15``'s body as body text; bantin drops them on purpose (a paragraph that is
all link is a related headline), so its tuned recall reads 0.964 on Dân trí.

Baseline: ``trafilatura.bare_extraction(html, with_metadata=True)`` on the same pages, asked
for the original date with its time: its text (split into lines), title, author and date. An
author counts as right only when the string equals the reference (what a reader would see).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

# bench/ingest.py would shadow the ingest package: keep this folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

import trafilatura  # noqa: E402

from bantin.text import fold_loose  # noqa: E402
from ingest import NotAnArticle  # noqa: E402
from ingest.cleanup import split_outlet_prefix  # noqa: E402
from ingest.dates import parse_date  # noqa: E402
from ingest.extract import extract_html  # noqa: E402
from ingest.textutil import squash  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"  # ../shared/data beside the checkout
# Outlets whose pages were looked at while tuning; every other outlet is held out.
TUNED_OUTLETS = {"dantri", "zingnews", "vnexpress", "nhandan", "tienphong"}
TARGETS = "recall >= 0.97, junk+furniture <= 0.02, headline >= 97 %, author >= 90 %, time >= 95 %"


def key(text: str) -> str:
    """Folded text with spacing normalised (an inline link leaves "Dân trí , Cục" behind)."""
    text = " ".join(fold_loose(squash(split_outlet_prefix(squash(text))[1])).split())
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    return text.strip(" -–—")


def covers(reference: str, output: list[str]) -> bool:
    """A reference paragraph is found when an output paragraph equals or contains it."""
    return any(reference == out or (len(reference) > 30 and reference in out) for out in output)


def matches_some(paragraph: str, references: set[str]) -> bool:
    """An output paragraph is text when it is, or is part of, some reference text."""
    return any(paragraph == ref or (len(paragraph) > 15 and paragraph in ref) for ref in references)


@dataclass
class Result:
    """What one extractor produced for one page (``None`` fields: not produced)."""

    rejected: str | None = None
    title: str = ""
    paragraphs: list[str] = field(default_factory=list)
    author: str | None = None
    published: datetime | None = None


def run_bantin(html: bytes) -> Result:
    try:
        article = extract_html(html)
    except NotAnArticle as error:
        return Result(rejected=str(error))
    lines = ([article.lead] if article.lead else []) + list(article.paragraphs)
    return Result(title=article.title, paragraphs=lines, author=article.author,
                  published=article.published_at)


def run_trafilatura(html: bytes) -> Result:
    document = trafilatura.bare_extraction(
        html.decode("utf-8", "replace"), with_metadata=True,
        # trafilatura's best at times: the original date, with its time and offset.
        date_extraction_params={"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True,
                                "extensive_search": True},
    )
    if document is None or not getattr(document, "text", None):
        return Result(rejected="no text")
    lines = [line for line in document.text.split("\n") if line.strip()]
    return Result(title=document.title or "", paragraphs=lines, author=document.author,
                  published=parse_date(document.date))


@dataclass
class Score:
    """One extractor's figures on one page (``None``: the reference does not say)."""

    rejected_ok: bool | None = None
    ref: int = 0
    found: int = 0
    out: int = 0
    junk: int = 0
    furniture: int = 0
    headline: bool | None = None
    author: bool | None = None
    time: bool | None = None
    missed: list[str] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)


def score(result: Result, gt: dict | None) -> Score:
    if gt is None:
        return Score(rejected_ok=result.rejected is not None)
    if result.rejected is not None:
        refs = gt["body"] or gt.get("captions", [])
        return Score(ref=len(refs), headline=False,
                     author=False if gt.get("author") else None,
                     time=False if gt.get("published") else None,
                     missed=[f"REJECTED: {result.rejected}"])
    photo_story = not gt["body"]
    targets = [key(p) for p in (gt["body"] or gt.get("captions", []))]
    captions = {key(c) for c in gt.get("captions", [])}
    title = key(gt["title"])
    references = set(targets) | {key(gt.get("sapo") or "")} - {""}
    if photo_story:
        references |= captions
    output = [key(p) for p in result.paragraphs if key(p)]
    s = Score(ref=len(targets), out=len(output))
    for target, raw in zip(targets, gt["body"] or gt.get("captions", [])):
        if covers(target, output):
            s.found += 1
        else:
            s.missed.append(raw)
    for paragraph, raw in zip(output, [p for p in result.paragraphs if key(p)]):
        if paragraph == title or (not photo_story and paragraph in captions):
            s.junk += 1
            s.bad.append(f"junk: {raw}")
        elif not matches_some(paragraph, references):
            s.furniture += 1
            s.bad.append(f"furniture: {raw}")
    s.headline = key(result.title) == title
    if gt.get("author"):
        s.author = key(result.author or "") == key(gt["author"])
    if gt.get("published"):
        expected = parse_date(gt["published"])
        s.time = bool(result.published and expected
                      and result.published.replace(second=0, microsecond=0)
                      == expected.replace(second=0, microsecond=0))
    return s


def pages(data: Path) -> list[tuple[str, Path, dict | None]]:
    """``(outlet, page, reference or None)`` for every saved page."""
    found = []
    for html_dir, gt_dir in (("html", "gt"), ("html2", "gt2")):
        for page in sorted((data / html_dir).glob("*.html")):
            gt_path = data / gt_dir / f"{page.stem}.json"
            gt = json.loads(gt_path.read_text(encoding="utf-8")) if gt_path.exists() else None
            found.append((page.stem.split("_")[0], page, gt))
    return found


def _ratio(num: float, den: float) -> str:
    return f"{num / den:.3f}" if den else "  -  "


def _share(flags: list[bool | None]) -> tuple[int, int]:
    known = [f for f in flags if f is not None]
    return sum(known), len(known)


def summary(label: str, scores: list[Score]) -> dict[str, float | None]:
    ref = sum(s.ref for s in scores)
    out = sum(s.out for s in scores)
    figures: dict[str, float | None] = {
        "recall": sum(s.found for s in scores) / ref if ref else None,
        "junk": sum(s.junk for s in scores) / out if out else None,
        "furniture": sum(s.furniture for s in scores) / out if out else None,
    }
    for name in ("headline", "author", "time", "rejected_ok"):
        right, known = _share([getattr(s, name) for s in scores])
        figures[name] = right / known if known else None
        figures[name + "_n"] = f"{right}/{known}"  # type: ignore[assignment]
    figures["junk+furniture"] = (
        (figures["junk"] or 0) + (figures["furniture"] or 0) if out else None
    )
    return figures


def print_table(title: str, rows: list[tuple[str, dict, dict]]) -> None:
    print(f"\n{title}")
    print(f"{'':<10}{'recall':>14}{'junk':>14}{'furniture':>14}{'headline':>12}"
          f"{'author':>12}{'time':>12}{'rejected':>12}")
    print(f"{'':<10}" + "".join(f"{'bantin/trafil':>14}" for _ in range(3))
          + "".join(f"{'ours/traf':>12}" for _ in range(4)))
    for name, ours, base in rows:
        cells = []
        for metric in ("recall", "junk", "furniture"):
            a, b = ours[metric], base[metric]
            cells.append(f"{(f'{a:.3f}' if a is not None else '-'):>7}"
                         f"{(f'{b:.3f}' if b is not None else '-'):>7}")
        for metric in ("headline", "author", "time", "rejected_ok"):
            a, b = ours[metric + "_n"], base[metric + "_n"]
            cells.append(f"{a:>6}{b:>6}" if not a.endswith("/0") else f"{'-':>12}")
        print(f"{name:<10}" + "".join(cells))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--verbose", action="store_true",
                        help="print every miss and bad line of the tuned pages")
    parser.add_argument("--all", action="store_true", help="also print the tuned-on pages")
    args = parser.parse_args()
    data = args.data or next(
        (p for p in (Path("../shared/data"), DEFAULT_DATA)
         if (p / "html").is_dir()), None,
    )
    if data is None or not (data / "html").is_dir():
        print("no real data found (pass --data ../shared/data); nothing measured")
        return 2
    per_split: dict[str, list[tuple[str, str, Score, Score]]] = {"tuned": [], "held-out": []}
    for outlet, page, gt in pages(data):
        html = page.read_bytes()
        ours, base = score(run_bantin(html), gt), score(run_trafilatura(html), gt)
        split = "tuned" if outlet in TUNED_OUTLETS else "held-out"
        per_split[split].append((outlet, f"{page.parent.name}/{page.name}", ours, base))

    passed = True
    for split in ("held-out", "tuned"):
        entries = per_split[split]
        if not entries or (split == "tuned" and not args.all):
            continue
        print(f"\n=== {split} pages ({len(entries)}) ===")
        print(f"{'page':<26}{'ref':>4}  bantin: {'out':>3}{'rec':>6}{'junk':>6}{'furn':>6} h a t"
              f"   | trafilatura: {'out':>3}{'rec':>6}{'junk':>6}{'furn':>6} h a t")
        for outlet, name, ours, base in entries:
            print(f"{name:<26}{ours.ref:>4}  " + _page_cells(ours) + "   | " + _page_cells(base))
            if args.verbose and split == "tuned":  # held-out pages stay unseen while tuning
                for label, s in (("bantin", ours), ("trafilatura", base)):
                    for line in s.missed:
                        print(f"      {label} missed: {line[:100]}")
                    for line in s.bad:
                        print(f"      {label} {line[:110]}")
        outlets = sorted({o for o, *_ in entries})
        rows = [(o, summary(o, [x[2] for x in entries if x[0] == o]),
                 summary(o, [x[3] for x in entries if x[0] == o])) for o in outlets]
        ours_all = summary("all", [x[2] for x in entries])
        base_all = summary("all", [x[3] for x in entries])
        rows.append(("ALL", ours_all, base_all))
        print_table(f"per outlet, {split} (cells: bantin then trafilatura alone)", rows)
        if split == "held-out":
            passed = _verdict(ours_all, base_all)
    # Listings: the data holds one (in the tuned set); every one must be rejected.
    listings = [(o, b) for entries in per_split.values() for _, _, o, b in entries
                if o.rejected_ok is not None]
    ours_rejected = sum(o.rejected_ok for o, _ in listings)
    base_rejected = sum(bool(b.rejected_ok) for _, b in listings)
    listings_ok = ours_rejected == len(listings)
    print(f"  listings (all splits) rejected: bantin {ours_rejected}/{len(listings)}   "
          f"trafilatura {base_rejected}/{len(listings)}   {'PASS' if listings_ok else 'FAIL'}")
    return 0 if passed and listings_ok else 1


def _page_cells(s: Score) -> str:
    if s.rejected_ok is not None and s.ref == 0 and s.headline is None:
        return f"{'rejected' if s.rejected_ok else 'ACCEPTED (wrong)':<27}"
    flags = "".join(
        f" {'-' if v is None else ('y' if v else 'N')}" for v in (s.headline, s.author, s.time)
    )
    return (f"{s.out:>3}{_ratio(s.found, s.ref):>6}{_ratio(s.junk, s.out):>6}"
            f"{_ratio(s.furniture, s.out):>6}{flags}")


def _verdict(ours: dict, base: dict) -> bool:
    """Print the held-out figures against the targets and the same-run baseline."""
    print(f"\nheld-out targets: {TARGETS}; every listing rejected; no worse than trafilatura")
    checks = [
        ("recall", ours["recall"], base["recall"], 0.97, True),
        ("junk+furniture", ours["junk+furniture"], base["junk+furniture"], 0.02, False),
        ("headline", ours["headline"], base["headline"], 0.97, True),
        ("author", ours["author"], base["author"], 0.90, True),
        ("time", ours["time"], base["time"], 0.95, True),
        ("rejected", ours["rejected_ok"], base["rejected_ok"], 1.0, True),
    ]
    ok = True
    for name, a, b, target, higher in checks:
        if a is None:
            print(f"  {name:<16} no such pages in this split")
            continue
        meets = a >= target if higher else a <= target
        not_worse = b is None or (a >= b if higher else a <= b)
        ok &= meets and not_worse
        print(f"  {name:<16} bantin {a:.3f}   trafilatura {b if b is None else f'{b:.3f}'}   "
              f"{'PASS' if meets and not_worse else 'FAIL'}")
    return ok


if __name__ == "__main__":
    sys.exit(main())
