"""Helpers shared by the tests: builders of articles and clocks, and drivers that play readers.

Test modules import from here (and from ``tests.fakes``), never from a ``conftest.py``:
fixtures live in the nearest conftest, everything else in one place a reader can find.
"""
