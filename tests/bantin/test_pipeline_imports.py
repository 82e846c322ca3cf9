"""The pipeline sequences I/O and storage; what an answer or a file holds is ingest's to say."""

from __future__ import annotations

from tests.helpers.imports import ROOT, imported_modules

# Types and errors, fetching and its address policy, saved files as read, and the entry
# points that return finished articles. Extraction, clean-up, URLs and SimHash stay behind them.
INGEST_ENTRY_POINTS = {"ingest", "ingest.addresses", "ingest.fetch", "ingest.files",
                       "ingest.articles"}


def test_the_pipeline_reaches_ingest_only_through_its_entry_points():
    imported = imported_modules(ROOT / "bantin" / "pipeline.py")
    from_ingest = {name for name in imported if name.split(".")[0] == "ingest"}
    assert from_ingest <= INGEST_ENTRY_POINTS, sorted(from_ingest - INGEST_ENTRY_POINTS)
    assert "bantin.text" not in imported  # no fingerprint computed here
