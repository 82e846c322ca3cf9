"""Vietnamese text in, extractive summary out. Pure functions: no I/O, no knowledge of articles.

    >>> from summarizer import summarize
    >>> summary = summarize(text, title=title, sentences=2, max_chars=400)
    >>> summary.text, summary.indices

``split_sentences`` is the splitter every algorithm uses; ``VietnameseTokenizer`` plugs
Vietnamese into any sumy summariser; ``ALGORITHMS`` names the rankers ``summarize`` accepts.
"""

from summarizer.algorithms import ALGORITHMS
from summarizer.errors import SummarizerError, UnknownAlgorithm
from summarizer.sentences import split_sentences
from summarizer.summary import Summary, summarize
from summarizer.text import normalize_text
from summarizer.tokenizer import VietnameseTokenizer, stop_words

__all__ = [
    "ALGORITHMS",
    "Summary",
    "SummarizerError",
    "UnknownAlgorithm",
    "VietnameseTokenizer",
    "normalize_text",
    "split_sentences",
    "stop_words",
    "summarize",
]
