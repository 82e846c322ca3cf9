"""The conversations, written once for every transport.

Each handler takes the ``Context`` and the command's argument text and returns what to send.
Handlers run in a worker thread (``bot.core``), so they call the store directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
import zoneinfo
from datetime import datetime, timedelta
from typing import Any

from bantin.text import fold, nfc
from bot import comments, moderation
from bot.context import Context
from bot.messages import Answer, Button, Outgoing, Reply, Rich, Span, SpanLike, bold, italic
from bot.router import Command, Router
from bot.schedule import DAY_NAMES, EVERY_DAY, days_label, local_date, next_occurrence, take_days
from bot.spoken_time import read_spoken_time
from bot.timefmt import zone_label
from bot.views import comment_buttons, story_paragraph
from store import NotFound, Story, Subscription
from store.search import Query, query_terms

ACK_FEEDBACK = moderation.ACK_FEEDBACK
SORRY = "Xin lỗi, mình gặp trục trặc khi xử lý yêu cầu này. Bạn thử lại sau ít phút nhé."
MAX_ECHO_CHARS = 80
MAX_PAGE = 500
MAX_SEARCH_ARTICLES = 2000  # matches read at most to fill a page of stories
_PAGE = re.compile(r"^(?P<rest>.*?)\s*\btrang\s+(?P<page>[0-9]{1,4})$", re.IGNORECASE)

TOPIC_HORIZON = timedelta(days=30)  # topics a reader may follow: seen in the last 30 days
ALL_TOPICS = {"tat ca", "moi chu de", "tat ca chu de"}

router = Router()


def text(*paragraphs: SpanLike | Iterable[SpanLike] | None, **kwargs: Any) -> Reply:
    """A reply to the current chat made of paragraphs (strings, spans or lists of spans)."""
    return Reply(Rich.of(*paragraphs), **kwargs)


def _echo(query: str) -> str:
    query = " ".join(query.split())
    return query if len(query) <= MAX_ECHO_CHARS else query[:MAX_ECHO_CHARS] + "…"


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


@router.command("start", "Bắt đầu: giới thiệu bantin")
def start(ctx: Context, args: str) -> list[Outgoing]:
    """Greeting; a deep link ``/start sub_0700`` also subscribes at 07:00."""
    replies: list[Outgoing] = []
    match = re.fullmatch(r"sub_?([0-9]{3,4})", args.strip())
    if match:
        replies += subscribe(ctx, match[1])
    name = ctx.incoming.display_name.split(" ")[-1] if ctx.incoming.display_name else ""
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


@router.command("help", "Danh sách lệnh")
def help_(ctx: Context, args: str) -> list[Outgoing]:
    """Every reader's commands; in the moderators' chat, the moderators' commands too."""
    tail = f"Trong trò chuyện riêng, gõ chữ bất kỳ để tìm tin. {_feedback_hint(ctx)}"
    replies: list[Outgoing] = [
        text(bold("Các lệnh của bantin"), _command_lines(router.public_commands()), italic(tail)),
    ]
    if moderation.in_moderators_chat(ctx):
        hidden = [c for c in router.commands.values() if c.hidden]
        replies.append(text(bold("Lệnh kiểm duyệt (trong nhóm này)"), _command_lines(hidden)))
    return replies


def _command_lines(commands: Iterable[Command]) -> list[Span]:
    lines: list[Span] = []
    for command in commands:
        usage = f" {command.usage}" if command.usage else ""
        lines += [bold(f"/{command.name}{usage}"), Span(f" — {command.description}\n")]
    return lines


def _feedback_hint(ctx: Context) -> str:
    """How to comment on one article: by replying where the platform has replies; elsewhere
    by the "#number" every article shows."""
    if ctx.incoming.can_reply:
        return "Muốn góp ý về một bài, hãy trả lời (reply) tin có bài đó."
    return ("Muốn góp ý về một bài, gõ /feedback #số-bài kèm ý kiến "
            "(số bài in sau mỗi tin, ví dụ #12).")


# --- /latest and /search ----------------------------------------------------------------------


@router.command("latest", "Tin mới nhất (N tin, tối đa 20)", "[N]")
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
                offset: int, next_page: str | None) -> Reply:
    """A page of stories, numbered from ``offset + 1``, with comment and "Xem thêm" buttons.

    Each story shows as its headline article (its number is the one ``/comments`` and
    ``/feedback`` take), and a reply to the page finds those articles."""
    articles = [s.headline_article for s in stories if s.headline_article is not None]
    counts = ctx.store.feedback.comment_counts(a.id for a in articles if a.id is not None)
    paragraphs = [story_paragraph(s, ctx.now, ctx.tz, number=offset + i,
                                  comments=counts.get(s.headline_article.id or 0, 0)
                                  if s.headline_article else 0)
                  for i, s in enumerate(stories, start=1)]
    buttons = comment_buttons(articles, counts)
    if next_page:
        buttons += ((Button("Xem thêm", data=next_page),),)
    return Reply(Rich.of(heading, *paragraphs), buttons=buttons,
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


@router.command("search", "Tìm tin theo từ khoá", "<từ khoá>")
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
            [Span("Không tìm thấy tin nào cho “"), bold(_echo(query)), Span("”.")],
            "Thử từ khoá khác, hoặc xem /latest để đọc tin mới nhất.",
            buttons=((Button("📰 Tin mới nhất", data="/latest"),),),
        )]
    heading = [Span("🔎 Kết quả cho “"), bold(_echo(query)), Span("”")]
    if page > 1:
        heading.append(Span(f" (trang {page})"))
    next_page = _search_data(query, page + 1) if more else None
    return replies + [_story_page(ctx, heading, found, offset, next_page)]


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


# --- subscriptions ----------------------------------------------------------------------------


def _time_buttons(ctx: Context) -> tuple[tuple[Button, ...], ...]:
    return (tuple(Button(t, data=f"/subscribe {t}") for t in ctx.settings.subscribe_times),)


@dataclass
class SubscribeRequest:
    """What a reader asked for in ``/subscribe``: each part ``None`` when not said;
    ``time_problem`` the answer when the time said cannot be used ("19 giờ sáng")."""

    time: str | None = None
    days: str | None = None
    topics_text: str = ""
    time_problem: str | None = None


def parse_subscribe(args: str) -> SubscribeRequest:
    """"7 giờ tối t2-t6 thể thao, VnExpress" → time, days, the topics text (resolved later)."""
    rest = nfc(args).strip()
    request = SubscribeRequest()
    spoken = read_spoken_time(rest)
    if spoken is not None:
        request.time, request.time_problem = spoken.time, spoken.problem
        rest = rest[spoken.end:]
    request.days, used = take_days(rest)
    request.topics_text = rest[used:].strip(" ,;")
    return request


def resolve_topics(text: str, known: list[str]) -> tuple[list[str], list[str]]:
    """Topics the reader named, as the store spells them, and the pieces not recognised.

    Pieces are split on commas ("thể thao, VnExpress"); a piece that is no known name is cut
    into known names word by word ("thể thao kinh doanh"). Folded: "the thao" works too.
    """
    by_folded = {" ".join(fold(name).split()): name for name in known}
    chosen: list[str] = []
    unknown: list[str] = []
    for piece in re.split(r"[,;]|\s+và\s+", text):
        words = fold(piece).split()
        if not words:
            continue
        if " ".join(words) in ALL_TOPICS:
            continue
        found: list[str] = []
        start = 0
        while start < len(words):
            for end in range(len(words), start, -1):
                name = by_folded.get(" ".join(words[start:end]))
                if name:
                    found.append(name)
                    start = end
                    break
            else:
                break
        if start == len(words):
            chosen += [name for name in found if name not in chosen]
        else:
            unknown.append(piece.strip())
    return chosen, unknown


def _first_digest(ctx: Context, time: str, days: str,
                  existing: Subscription | None) -> datetime:
    """The first occurrence after now, skipping a day that already had its digest."""
    first = next_occurrence(time, days, ctx.tz, ctx.now)
    while existing is not None and ctx.store.deliveries.taken(
            existing.id, local_date(first, ctx.tz).isoformat()):
        first = next_occurrence(time, days, ctx.tz, first)
    return first


def _subscription_lines(subscription: Subscription,
                        tz: zoneinfo.ZoneInfo) -> list[str | list[Span]]:
    lines: list[str | list[Span]] = [[Span("🔔 Bản tin lúc "), bold(subscription.time),
                    Span(f" {days_label(subscription.days)} ({zone_label(subscription.timezone)}).")]]
    if subscription.topics:
        lines.append([Span("Chủ đề: "), bold(", ".join(subscription.topics))])
    if subscription.next_due_at is not None:
        local = subscription.next_due_at.astimezone(tz)
        weekday = DAY_NAMES[local.weekday()]
        lines.append(f"Bản tin tiếp theo: {local:%H:%M} {weekday} {local:%d/%m}.")
    return lines


@router.command("subscribe", "Nhận bản tin vào giờ, ngày và chủ đề bạn chọn",
                "[HH:MM] [t2-t6] [chủ đề]")
def subscribe(ctx: Context, args: str) -> list[Outgoing]:
    incoming = ctx.incoming
    if not args.strip():
        return [text("Bạn muốn nhận bản tin lúc mấy giờ mỗi ngày?",
                     italic("Chọn bên dưới, hoặc gõ ví dụ /subscribe 6h30, "
                            "/subscribe 7h t2-t6 hay /subscribe 18:00 cn thể thao."),
                     buttons=_time_buttons(ctx))]
    request = parse_subscribe(args)
    if request.time_problem:
        return [text(request.time_problem)]
    existing = ctx.store.subscriptions.get(incoming.platform, incoming.chat_id)
    topics: list[str] = []
    if request.topics_text:
        known = ctx.store.articles.topic_names(ctx.now - TOPIC_HORIZON)
        topics, unknown = resolve_topics(request.topics_text, known)
        if unknown and request.time is None and request.days is None and not topics:
            return [text(
                [Span("Mình chưa hiểu giờ “"), bold(_echo(args)), Span("”.")],
                "Ví dụ: /subscribe 07:00, /subscribe 7h30 hoặc /subscribe 18:00.",
            )]
        if unknown:
            offered = ", ".join(known[:12]) or "chưa có nguồn nào"
            return [text(
                [Span("Mình chưa có nguồn hay chuyên mục “"), bold(_echo(unknown[0])),
                 Span("”.")],
                f"Bạn có thể chọn: {offered}.",
                "Ví dụ: /subscribe 07:00 t2-t6 thể thao, VnExpress",
            )]
    time = request.time or (existing.time if existing else ctx.settings.default_time)
    days = request.days or EVERY_DAY
    first = _first_digest(ctx, time, days, existing)
    subscription = ctx.store.subscriptions.subscribe(
        incoming.platform, incoming.chat_id, time, ctx.timezone_name, days=days, topics=topics,
        next_due_at=first, starts_on=local_date(first, ctx.tz).isoformat(),
    )
    confirmation = Rich.of(
        [Span("✅ Đã đăng ký! Bạn sẽ nhận bản tin lúc "), bold(subscription.time),
         Span(f" {days_label(subscription.days)} ({zone_label(subscription.timezone)}).")],
        *_subscription_lines(subscription, ctx.tz)[1:],
        "Đổi giờ: /subscribe 18:00 · Chỉ ngày thường: /subscribe 7h t2-t6 · Huỷ: /unsubscribe",
    )
    if incoming.button is not None and incoming.message_id is not None:
        return [Answer(f"Đã đăng ký lúc {subscription.time}"),
                Reply(confirmation, edit=incoming.message_id)]
    return [Reply(confirmation)]


@router.command("unsubscribe", "Huỷ bản tin hằng ngày")
def unsubscribe(ctx: Context, args: str) -> list[Outgoing]:
    if ctx.store.subscriptions.unsubscribe(ctx.incoming.platform, ctx.incoming.chat_id):
        return [text("Đã huỷ bản tin hằng ngày. Muốn nhận lại, gõ /subscribe.")]
    return [text("Bạn chưa đăng ký bản tin nào. Đăng ký: /subscribe 07:00")]


@router.command("settings", "Xem bản tin bạn đã đăng ký")
def settings(ctx: Context, args: str) -> list[Outgoing]:
    subscription = ctx.store.subscriptions.get(ctx.incoming.platform, ctx.incoming.chat_id)
    if subscription is None or not subscription.active:
        return [text("Bạn chưa đăng ký bản tin hằng ngày.",
                     "Gõ /subscribe 07:00 để nhận tin mỗi sáng.")]
    return [text(
        *_subscription_lines(subscription, ctx.tz),
        "Đổi giờ: /subscribe 18:00 · Huỷ: /unsubscribe",
    )]


# --- feedback ---------------------------------------------------------------------------------


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


@router.command("feedback", "Góp ý về tin hoặc về bot", "<ý kiến>")
def feedback(ctx: Context, args: str) -> list[Outgoing]:
    try:
        article_id, body = _replied_article(ctx, args.strip())
    except _NoSuchArticle as missing:
        return [text(f"Không có bài số #{missing.article_id}, nên mình chưa ghi nhận góp ý này.",
                     "Số bài là số sau dấu # dưới mỗi tin trong /latest; góp ý chung về bot "
                     "thì gõ /feedback kèm ý kiến, không cần số bài.")]
    if not body.strip():
        return [text("Gõ /feedback kèm ý kiến của bạn, ví dụ: /feedback Bài viết rất hữu ích.",
                     _feedback_hint(ctx))]
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
    return search_text(ctx) if incoming.is_private else []


def other(ctx: Context) -> list[Outgoing]:
    return [text("Mình chưa hiểu tin nhắn này. Gõ /help để xem các lệnh nhé.")]


router.on_text = search_text
router.on_reply = reply_to_bot
router.on_other = other
comments.register(router)
moderation.register(router)


__all__ = ["ACK_FEEDBACK", "SORRY", "router"]
