"""The summariser's named errors."""

from __future__ import annotations


class SummarizerError(Exception):
    """Base class for errors of the summariser."""


class UnknownAlgorithm(SummarizerError, ValueError):
    """An algorithm name that is not one of ``summarizer.ALGORITHMS``."""
