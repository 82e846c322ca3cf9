"""Vietnamese text in, extractive summary out. Pure functions: no I/O, no knowledge of articles.

    >>> from summarizer import summarize
    >>> summary = summarize(text, title=title, sentences=2, max_chars=400)
    >>> summary.text, summary.indices

``choose_readable`` picks readable units (antecedents, whole quotations, no headline, no repeats)
from any ranked list of sentences; ``summary_faults`` names what makes a summary read badly.
``split_sentences`` is the splitter every algorithm uses; ``VietnameseTokenizer`` plugs
Vietnamese into any sumy summariser; ``ALGORITHMS`` names the rankers ``summarize`` accepts.
"""

from summarizer.algorithms import ALGORITHMS
from summarizer.errors import SummarizerError, UnknownAlgorithm
from summarizer.readability import summary_faults
from summarizer.selection import choose_readable
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
    "choose_readable",
    "normalize_text",
    "split_sentences",
    "stop_words",
    "summarize",
    "summary_faults",
]
