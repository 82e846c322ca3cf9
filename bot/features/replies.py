"""Small helpers every feature uses to answer: a text reply, a reader's words echoed back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.engine.messages import Reply, Rich, SpanLike

MAX_ECHO_CHARS = 80


def text(*paragraphs: SpanLike | Iterable[SpanLike] | None, **kwargs: Any) -> Reply:
    """A reply to the current chat made of paragraphs (strings, spans or lists of spans)."""
    return Reply(Rich.of(*paragraphs), **kwargs)


def echo(query: str) -> str:
    """The reader's words on one line, cut to ``MAX_ECHO_CHARS``, to quote them back."""
    query = " ".join(query.split())
    return query if len(query) <= MAX_ECHO_CHARS else query[:MAX_ECHO_CHARS] + "…"
