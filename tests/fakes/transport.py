"""A transport that only records what the core sends it: a second platform beside a real one
(moderation answers a reader there), or the engine alone in the conversation tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.engine.messages import Answer, Incoming, Reply
from bot.engine.render import render_plain


@dataclass
class RecordingTransport:
    """Keeps every ``(chat_id, reply)`` in ``sent`` and every button answer in ``answers``."""

    platform: str = "zalo"
    sent: list[tuple[str, Reply]] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, chat_id: str, reply: Reply) -> list[str]:
        self.sent.append((chat_id, reply))
        return [self._id(len(self.sent) - 1)]

    def id_of(self, reply: Reply) -> str:
        """The message id ``send`` returned for ``reply`` (the very object)."""
        return self._id(next(i for i, (_, sent) in enumerate(self.sent) if sent is reply))

    def _id(self, index: int) -> str:
        return f"{self.platform[0]}{index + 1}"

    async def answer(self, incoming: Incoming, answer: Answer) -> None:
        self.answers.append(answer)

    def message_count(self, reply: Reply) -> int:
        return len(render_plain(reply.text)) if reply.text is not None else 0
