"""Extraction quality over real pages: recall of reference paragraphs, share of junk.

    .venv/bin/python bench/extraction.py [--data ../shared/data] [--verbose]

For every page in ``DATA/html`` with a reference in ``DATA/gt`` (title, sapo, body paragraphs
and photo captions, hand-written CSS-selector rules): recall = share of reference body
paragraphs found in our output; junk = share of our output paragraphs that are a caption, the
headline, or match no reference paragraph at all (page furniture). Pages without a reference
(the VnExpress listing) must be rejected. Targets: recall ≥ 0.95, junk ≤ 0.02.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

# bench/ingest.py would shadow the ingest package: keep this folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

from ingest import NotAnArticle  # noqa: E402
from ingest.cleanup import split_outlet_prefix  # noqa: E402
from ingest.extract import extract_html  # noqa: E402
from bantin.text import fold_loose  # noqa: E402
from ingest.textutil import squash  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / ".." / "shared" / "data"


def key(text: str) -> str:
    """Folded text with spacing normalised (an inline link leaves "Dân trí , Cục" behind)."""
    text = " ".join(fold_loose(squash(split_outlet_prefix(squash(text))[1])).split())
    return re.sub(r"\s+([,.;:!?])", r"\1", text)


def found(reference: str, output: list[str]) -> bool:
    ref = key(reference)
    return any(ref == out or (len(ref) > 30 and ref in out) for out in output)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    data = args.data or next(
        (p for p in (Path("../shared/data"), Path("/work/shared/data"), DEFAULT_DATA)
         if (p / "html").is_dir()), None,
    )
    if data is None or not (data / "html").is_dir():
        print("no real data found (pass --data ../shared/data); nothing measured")
        return 2
    rows = []
    listing_ok = True
    print(f"{'page':<28}{'ref':>5}{'out':>5}{'recall':>8}{'junk':>7}  lead")
    for page in sorted((data / "html").glob("*.html")):
        gt_path = data / "gt" / (page.stem + ".json")
        try:
            article = extract_html(page.read_bytes())
        except NotAnArticle as error:
            expected = not gt_path.exists()
            listing_ok &= expected
            print(f"{page.name:<28} rejected ({'expected' if expected else 'WRONG'}): {error}")
            continue
        if not gt_path.exists():
            listing_ok = False
            print(f"{page.name:<28} NOT rejected, but it has no reference (a listing page)")
            continue
        gt = json.loads(gt_path.read_text(encoding="utf-8"))
        output = [key(p) for p in article.paragraphs]
        body = gt["body"]
        hits = sum(found(p, output) for p in body)
        reference = {key(p) for p in body} | {key(gt.get("sapo") or "")}
        captions = {key(c) for c in gt.get("captions", [])}
        title = key(gt["title"])
        junk = [p for p in output
                if p in captions or p == title or not any(p == r or p in r for r in reference)]
        recall = hits / len(body) if body else 1.0
        share = len(junk) / len(output) if output else 0.0
        lead_ok = "ok" if not gt.get("sapo") or key(gt["sapo"]) == key(article.lead) else "differs"
        rows.append((recall, share, len(body), hits, len(output), len(junk)))
        print(f"{page.name:<28}{len(body):>5}{len(output):>5}{recall:>8.3f}{share:>7.3f}  {lead_ok}")
        if args.verbose:
            for paragraph in body:
                if not found(paragraph, output):
                    print(f"    missed: {paragraph[:90]}")
            for paragraph in junk:
                print(f"    junk:   {paragraph[:90]}")
    total_ref = sum(r[2] for r in rows)
    total_out = sum(r[4] for r in rows)
    recall = sum(r[3] for r in rows) / total_ref
    junk = sum(r[5] for r in rows) / total_out
    print(f"\n{len(rows)} articles, {total_ref} reference paragraphs, {total_out} output paragraphs")
    print(f"recall (pooled) {recall:.3f}   mean per page {sum(r[0] for r in rows) / len(rows):.3f}"
          f"   target >= 0.95   {'PASS' if recall >= 0.95 else 'FAIL'}")
    print(f"junk   (pooled) {junk:.3f}   mean per page {sum(r[1] for r in rows) / len(rows):.3f}"
          f"   target <= 0.02   {'PASS' if junk <= 0.02 else 'FAIL'}")
    print(f"listing page rejected: {'PASS' if listing_ok else 'FAIL'}")
    return 0 if recall >= 0.95 and junk <= 0.02 and listing_ok else 1


if __name__ == "__main__":
    sys.exit(main())
