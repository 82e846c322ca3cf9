"""Vietnamese for sumy: a tokenizer object, a stemmer and a stop-word list.

sumy's own ``Tokenizer("vietnamese")`` needs NLTK Punkt data that does not exist for Vietnamese,
and its word filter drops every token with a digit or an underscore. sumy accepts any object
with ``to_sentences(paragraph)`` and ``to_words(sentence)``, so this module supplies one.

Words are syllables (Vietnamese writes one syllable per token), lower-cased. A multi-syllable
stop phrase of the list ("tuy nhiên", "có thể") is returned as one token with a space inside, so
that sumy's ``word in stop_words`` test drops the whole phrase.
"""

from __future__ import annotations

import functools
from importlib import resources

from summarizer.sentences import split_sentences
from summarizer.text import syllables

STOP_WORDS_FILE = "vietnamese-stopwords.txt"


@functools.cache
def stop_words() -> frozenset[str]:
    """The packaged Vietnamese stop words (MIT, Van-Duyet Le), one entry per word or phrase."""
    text = resources.files("summarizer").joinpath("data", STOP_WORDS_FILE).read_text("utf-8")
    entries = (line.strip() for line in text.splitlines())
    return frozenset(" ".join(syllables(e)) for e in entries if e and not e.startswith("#"))


@functools.cache
def _phrases() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Multi-syllable stop phrases by first syllable, longest first, for greedy matching."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for entry in stop_words():
        parts = tuple(entry.split(" "))
        if len(parts) > 1:
            by_first.setdefault(parts[0], []).append(parts)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in by_first.items()}


def words_with_phrases(sentence: str) -> list[str]:
    """Lower-cased syllables of ``sentence`` with multi-syllable stop phrases joined into one."""
    tokens = syllables(sentence)
    phrases = _phrases()
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i]
        for phrase in phrases.get(token, ()):
            size = len(phrase)
            if tuple(tokens[i:i + size]) == phrase:
                out.append(" ".join(phrase))
                i += size
                break
        else:
            out.append(token)
            i += 1
    return out


def stem(word: str) -> str:
    """sumy stemmer for Vietnamese: the language has no inflection, so only case is folded."""
    return word.lower()


class VietnameseTokenizer:
    """A sumy-compatible tokenizer: ``to_sentences`` and ``to_words`` for Vietnamese text."""

    language = "vietnamese"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(words_with_phrases(sentence))
