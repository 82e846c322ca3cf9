"""Readers' feedback: /feedback, and a reply to one of the bot's article messages.

Feedback names its article by a reply (where the platform has replies) or by "#số-bài"; it
goes to moderation (``bot.features.moderation.submit``). In the moderators' chat a reply to a
queue message answers the reader instead.
"""

from __future__ import annotations

import re

from bot.engine.context import Context
from bot.engine.messages import Outgoing
from bot.engine.router import Router
from bot.features import moderation
from bot.features.replies import text
from store import NotFound


def feedback_hint(ctx: Context) -> str:
    """How to comment on one article: by replying where the platform has replies; elsewhere
    by the "#number" every article shows."""
    if ctx.incoming.can_reply:
        return "Muốn góp ý về một bài, hãy trả lời (reply) tin có bài đó."
    return ("Muốn góp ý về một bài, gõ /feedback #số-bài kèm ý kiến "
            "(số bài in sau mỗi tin, ví dụ #12).")


class _NoSuchArticle(Exception):
    """Feedback names an article number ("#999") that does not exist."""

    def __init__(self, article_id: int) -> None:
        super().__init__(article_id)
        self.article_id = article_id


def _replied_article(ctx: Context, body: str) -> tuple[int | None, str]:
    """The article the feedback is about, and the text without an explicit "#id".

    A reply to a message that showed one article is about that article; "#123 …" names one,
    and a number that names no article raises ``_NoSuchArticle``: the reader meant an
    article, so the feedback must not be filed as being about nothing in particular.
    """
    incoming = ctx.incoming
    shown: list[int] = []
    if incoming.reply_to_bot and incoming.reply_to:
        shown = ctx.store.sent_messages.articles(
            incoming.platform, incoming.chat_id, incoming.reply_to
        )
    match = re.match(r"^#([0-9]{1,12})\b\s*", body)
    if match:
        wanted = int(match[1])
        try:
            ctx.store.articles.get(wanted)
        except NotFound:
            raise _NoSuchArticle(wanted) from None
        return wanted, body[match.end():]
    return (shown[0] if len(shown) == 1 else None), body


def feedback(ctx: Context, args: str) -> list[Outgoing]:
    try:
        article_id, body = _replied_article(ctx, args.strip())
    except _NoSuchArticle as missing:
        return [text(f"Không có bài số #{missing.article_id}, nên mình chưa ghi nhận góp ý này.",
                     "Số bài là số sau dấu # dưới mỗi tin trong /latest; góp ý chung về bot "
                     "thì gõ /feedback kèm ý kiến, không cần số bài.")]
    if not body.strip():
        return [text("Gõ /feedback kèm ý kiến của bạn, ví dụ: /feedback Bài viết rất hữu ích.",
                     feedback_hint(ctx))]
    return moderation.submit(ctx, article_id, body.strip())


def reply_to_bot(ctx: Context) -> list[Outgoing]:
    """A reply to one of the bot's article messages is feedback on that article; in the
    moderators' chat, a reply to a queue message answers the reader."""
    answered = moderation.answer_reader(ctx)
    if answered is not None:
        return answered
    incoming = ctx.incoming
    shown = ctx.store.sent_messages.articles(incoming.platform, incoming.chat_id,
                                             incoming.reply_to or "")
    if shown:
        return feedback(ctx, incoming.text)
    if incoming.is_private and ctx.router.on_text is not None:
        return ctx.router.on_text(ctx)  # plain text in a private chat: a search
    return []


def register(router: Router) -> None:
    """Add this feature's commands to ``router``."""
    router.command("feedback", "Góp ý về tin hoặc về bot", "<ý kiến>")(feedback)
    router.on_reply = reply_to_bot
