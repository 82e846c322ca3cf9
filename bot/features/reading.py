"""Reading the news: /start, /help, /latest and /search (plain text in a private chat too).

Each handler takes the ``Context`` and the command's argument text and returns what to send.
Handlers run in a worker thread (``bot.engine.core``), so they call the store directly.
Pages of results end with a "Xem thêm" button whose command is the reply's ``next_page``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.engine.context import Context
from bot.engine.messages import (
    Answer, Button, Outgoing, Reply, Rich, Span, bold, italic, next_page_row,
)
from bot.engine.router import Command, Router
from bot.features import moderation
from bot.features.feedback import feedback_hint
from bot.features.replies import echo, text
from bot.features.story_views import where_found
from bot.features.subscriptions import subscribe
from bot.features.views import comment_buttons, story_paragraph
from store import Story
from store.search import Query, query_terms

MAX_PAGE = 500
MAX_SEARCH_ARTICLES = 2000  # matches read at most to fill a page of stories
_PAGE = re.compile(r"^(?P<rest>.*?)\s*\btrang\s+(?P<page>[0-9]{1,4})$", re.IGNORECASE)


def _split_page(args: str) -> tuple[str, int]:
    """"da nang trang 2" → ("da nang", 2); no page → (args, 1)."""
    match = _PAGE.match(args.strip())
    if not match:
        return args.strip(), 1
    return match["rest"], min(max(1, int(match["page"])), MAX_PAGE)


def _finish_button_press(ctx: Context) -> list[Outgoing]:
    """After a "Xem thêm" press: take the button off the old page so it is not pressed twice."""
    incoming = ctx.incoming
    if incoming.button is None or incoming.message_id is None:
        return []
    return [Answer(), Reply(None, edit=incoming.message_id)]


# --- /start and /help -------------------------------------------------------------------------


# The most common Vietnamese family names: about nine in ten Vietnamese carry one of them.
FAMILY_NAMES = frozenset(
    "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý".split())


def given_name(display_name: str) -> str:
    """The name to greet a reader by. A Vietnamese full name ends with the given name
    ("Nguyễn Thị Lan" → "Lan"), but Telegram joins first and last name in the Western order,
    so many readers show as "Lan Nguyễn": when the last word is a family name, the first word
    is the given one."""
    words = display_name.split()
    if not words:
        return ""
    return words[0] if len(words) > 1 and words[-1].lower() in FAMILY_NAMES else words[-1]


def start(ctx: Context, args: str) -> list[Outgoing]:
    """Greeting; a deep link ``/start sub_0700`` also subscribes at 07:00."""
    replies: list[Outgoing] = []
    match = re.fullmatch(r"sub_?([0-9]{3,4})", args.strip())
    if match:
        replies += subscribe(ctx, match[1])
    name = given_name(ctx.incoming.display_name)
    greeting = f"Xin chào {name}! 👋" if name else "Xin chào! 👋"
    replies.insert(0, text(
        bold(greeting),
        "Mình là bantin: mình đọc báo tiếng Việt và tóm tắt mỗi bài trong vài câu, "
        "kèm đường dẫn đến bài gốc.",
        [Span("/latest"), Span(" — tin mới nhất\n"), Span("/search từ khoá"),
         Span(" — tìm tin (gõ không dấu cũng được)\n"), Span("/subscribe 07:00"),
         Span(" — nhận bản tin mỗi ngày\n"), Span("/help"), Span(" — tất cả các lệnh")],
        buttons=((Button("📰 Tin mới nhất", data="/latest"),
                  Button("🔔 Đăng ký bản tin", data="/subscribe")),),
    ))
    return replies


def help_(ctx: Context, args: str) -> list[Outgoing]:
    """Every reader's commands; in the moderators' chat, the moderators' commands too."""
    tail = f"Trong trò chuyện riêng, gõ chữ bất kỳ để tìm tin. {feedback_hint(ctx)}"
    replies: list[Outgoing] = [
        text(bold("Các lệnh của bantin"), _command_lines(ctx.router.public_commands()),
             italic(tail)),
    ]
    if moderation.in_moderators_chat(ctx):
        hidden = [c for c in ctx.router.commands.values() if c.hidden]
        replies.append(text(bold("Lệnh kiểm duyệt (trong nhóm này)"), _command_lines(hidden)))
    return replies


def _command_lines(commands: Iterable[Command]) -> list[Span]:
    lines: list[Span] = []
    for command in commands:
        usage = f" {command.usage}" if command.usage else ""
        lines += [bold(f"/{command.name}{usage}"), Span(f" — {command.description}\n")]
    return lines


# --- /latest and /search ----------------------------------------------------------------------


def latest(ctx: Context, args: str) -> list[Outgoing]:
    rest, page = _split_page(args)
    count = ctx.settings.page_size
    if rest:
        if not (rest.isascii() and rest.isdigit()) or int(rest) < 1:
            return [text(f"Gõ /latest hoặc /latest 10 (tối đa {ctx.settings.max_latest} tin).")]
        count = min(int(rest), ctx.settings.max_latest)
    offset = (page - 1) * count
    stories = ctx.store.stories.latest(limit=count + 1, offset=offset)
    more, stories = len(stories) > count, stories[:count]
    replies = _finish_button_press(ctx)
    if not stories:
        message = "Chưa có tin nào." if page == 1 else "Hết tin rồi. Bạn đã xem hết các tin mới."
        return replies + [text(message)]
    heading = "📰 Tin mới nhất" + (f" (trang {page})" if page > 1 else "")
    next_page = f"/latest {count} trang {page + 1}" if more else None
    return replies + [_story_page(ctx, bold(heading), stories, offset, next_page)]


def _story_page(ctx: Context, heading: Span | list[Span], stories: list[Story],
                offset: int, next_page: str | None, query: Query | None = None) -> Reply:
    """A page of stories, numbered from ``offset + 1``, with comment and "Xem thêm" buttons.

    Each story shows as its headline article (its number is the one ``/comments`` and
    ``/feedback`` take), and a reply to the page finds those articles. For a search
    (``query``), an entry whose headline and summary do not show the reader's words also says
    where they were found."""
    articles = [s.headline_article for s in stories if s.headline_article is not None]
    counts = ctx.store.feedback.comment_counts(a.id for a in articles if a.id is not None)
    paragraphs = [story_paragraph(s, ctx.now, ctx.tz, number=offset + i,
                                  comments=counts.get(s.headline_article.id or 0, 0)
                                  if s.headline_article else 0,
                                  found_in=where_found(s, query) if query else None)
                  for i, s in enumerate(stories, start=1)]
    buttons = comment_buttons(articles, counts) + next_page_row(next_page)
    return Reply(Rich.of(heading, *paragraphs), buttons=buttons, next_page=next_page,
                 article_ids=tuple(a.id for a in articles if a.id is not None))


def _search_data(query: str, page: int) -> str:
    """Button data for the next page: the query's words as typed (their diacritics change the
    ranking, so page 2 must search what page 1 did), as many as fit in 64 bytes."""
    suffix = f" trang {page}"
    kept = ""
    for word in Query.parse(query).words:
        candidate = f"{kept} {word}".strip()
        if len(f"/search {candidate}{suffix}".encode()) > 64:
            break
        kept = candidate
    return f"/search {kept}{suffix}"


def search(ctx: Context, args: str) -> list[Outgoing]:
    query, page = _split_page(args)
    if not query_terms(query):
        return [text(
            "Gõ /search kèm từ khoá, ví dụ: /search bão số 3",
            "Gõ không dấu cũng được: /search da nang",
        )]
    size = ctx.settings.page_size
    offset = (page - 1) * size
    found = _search_stories(ctx, query, offset + size + 1)[offset:]
    more, found = len(found) > size, found[:size]
    replies = _finish_button_press(ctx)
    if not found:
        if page > 1:
            return replies + [text("Hết kết quả rồi.")]
        return replies + [text(
            [Span("Không tìm thấy tin nào cho “"), bold(echo(query)), Span("”.")],
            "Thử từ khoá khác, hoặc xem /latest để đọc tin mới nhất.",
            buttons=((Button("📰 Tin mới nhất", data="/latest"),),),
        )]
    heading = [Span("🔎 Kết quả cho “"), bold(echo(query)), Span("”")]
    if page > 1:
        heading.append(Span(f" (trang {page})"))
    next_page = _search_data(query, page + 1) if more else None
    return replies + [_story_page(ctx, heading, found, offset, next_page, Query.parse(query))]


def _search_stories(ctx: Context, query: str, wanted: int) -> list[Story]:
    """The first ``wanted`` stories of the search's ranking: each story where its best-ranked
    article stands (the ranking itself is the store's). Articles are read in growing batches
    until enough stories are found or the matches run out."""
    limit = wanted * 2
    while True:
        found = ctx.store.search.search(query, limit=limit)
        stories = ctx.store.stories.for_articles(found)
        if len(stories) >= wanted or len(found) < limit or limit >= MAX_SEARCH_ARTICLES:
            return stories[:wanted]
        limit *= 4


def search_text(ctx: Context) -> list[Outgoing]:
    """Plain text in a private chat is a search."""
    return search(ctx, ctx.incoming.text)


def other(ctx: Context) -> list[Outgoing]:
    return [text("Mình chưa hiểu tin nhắn này. Gõ /help để xem các lệnh nhé.")]


def register(router: Router) -> None:
    """Add the reading commands to ``router``; plain text in a private chat is a search."""
    router.command("start", "Bắt đầu: giới thiệu bantin")(start)
    router.command("help", "Danh sách lệnh")(help_)
    router.command("latest", "Tin mới nhất (N tin, tối đa 20)", "[N]")(latest)
    router.command("search", "Tìm tin theo từ khoá", "<từ khoá>")(search)
    router.on_text = search_text
    router.on_other = other
