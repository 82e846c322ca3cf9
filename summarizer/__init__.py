"""Vietnamese text in, extractive summary out (pure functions, no I/O)."""

from summarizer.sentences import split_sentences

__all__ = ["split_sentences"]
