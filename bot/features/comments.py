"""Readers' comments: feedback a moderator approved, shown under its article.

``/comments <số bài>`` (the "#id" every article shows) lists them, oldest first, a page at a
time; ``/latest`` and ``/search`` show "💬 N ý kiến" and a button that runs the same command.
Only approved feedback is ever shown here. In the moderators' chat each comment also shows
the ``/remove`` command that takes it down.
"""

from __future__ import annotations

import re

from bot.engine.context import Context
from bot.engine.messages import Outgoing, Reply, Rich, Span, bold, italic, link, next_page_row
from bot.features.moderation import in_moderators_chat
from bot.features.moderation_views import remove_command
from bot.engine.router import Router
from bot.engine.timefmt import relative_time
from store import NotFound

PAGE_SIZE = 10
MAX_PAGE = 500
_ARGS = re.compile(r"^#?(?P<id>[0-9]{1,12})(?:\s+trang\s+(?P<page>[0-9]{1,4}))?$", re.IGNORECASE)
USAGE = "Gõ /comments kèm số bài (số sau dấu # dưới mỗi tin), ví dụ: /comments 12"


def comments(ctx: Context, args: str) -> list[Outgoing]:
    match = _ARGS.match(args.strip())
    if not match:
        return [Reply(Rich.of(USAGE))]
    article_id, page = int(match["id"]), min(max(1, int(match["page"] or 1)), MAX_PAGE)
    try:
        article = ctx.store.articles.get(article_id)
    except NotFound:
        return [Reply(Rich.of(f"Không có bài số #{article_id}. {USAGE}"))]
    replies: list[Outgoing] = []
    incoming = ctx.incoming
    if incoming.button is not None and page > 1 and incoming.message_id is not None:
        replies.append(Reply(None, edit=incoming.message_id))  # "Xem thêm" is pressed once
    offset = (page - 1) * PAGE_SIZE
    shown = ctx.store.feedback.comments(article_id, limit=PAGE_SIZE + 1, offset=offset)
    more, shown = len(shown) > PAGE_SIZE, shown[:PAGE_SIZE]
    title = article.title or "(không có tiêu đề)"
    url = article.reader_url
    heading = [Span("💬 Ý kiến bạn đọc về "),
               link(title, url, bold=True) if url is not None else bold(title),
               Span(f" (#{article.id})")]
    if not shown:
        if page > 1:
            return replies + [Reply(Rich.of("Hết ý kiến rồi."))]
        return replies + [Reply(Rich.of(
            heading, "Chưa có ý kiến nào được đăng.",
            italic(f"Góp ý về bài này: trả lời (reply) tin này, hoặc gõ /feedback #{article.id} "
                   "kèm ý kiến của bạn."),
        ), article_ids=(article_id,))]
    if page > 1:
        heading.append(Span(f" (trang {page})"))
    moderating = in_moderators_chat(ctx)  # moderators see how to take each one down
    paragraphs = [
        [bold(item.display_name or "Bạn đọc"),
         Span(f" · {relative_time(item.created_at, ctx.now, ctx.tz)}", italic=True),
         *([Span(" · gỡ: "), Span(remove_command(item.id), code=True)] if moderating else []),
         Span("\n"), Span(item.text)]
        for item in shown
    ]
    next_page = f"/comments {article.id} trang {page + 1}" if more else None
    return replies + [Reply(Rich.of(heading, *paragraphs), buttons=next_page_row(next_page),
                            next_page=next_page, article_ids=(article_id,))]


def register(router: Router) -> None:
    """Add ``/comments`` to ``router``."""
    router.command("comments", "Xem ý kiến bạn đọc về một bài", "<số bài>")(comments)
