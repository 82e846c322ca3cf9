"""Subscribing to the daily digest: /subscribe, /unsubscribe and /settings.

A reader names a time ("7h30"), days ("t2-t6", "cuối tuần") and topics (outlets or sections,
folded, so "the thao" works); the first digest is the next occurrence in the reader's zone.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta

from bantin.text import fold, nfc
from bot.engine.context import Context
from bot.engine.messages import Answer, Button, Outgoing, Reply, Rich, Span, bold, italic
from bot.engine.router import Router
from bot.engine.spoken_time import read_spoken_time
from bot.engine.timefmt import zone_label
from bot.features.replies import echo, text
from bot.features.schedule import (
    DAY_NAMES, EVERY_DAY, days_label, local_date, next_occurrence, take_days,
)
from store import Subscription

TOPIC_HORIZON = timedelta(days=30)  # topics a reader may follow: seen in the last 30 days
ALL_TOPICS = {"tat ca", "moi chu de", "tat ca chu de"}


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
                [Span("Mình chưa hiểu giờ “"), bold(echo(args)), Span("”.")],
                "Ví dụ: /subscribe 07:00, /subscribe 7h30 hoặc /subscribe 18:00.",
            )]
        if unknown:
            offered = ", ".join(known[:12]) or "chưa có nguồn nào"
            return [text(
                [Span("Mình chưa có nguồn hay chuyên mục “"), bold(echo(unknown[0])),
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


def unsubscribe(ctx: Context, args: str) -> list[Outgoing]:
    if ctx.store.subscriptions.unsubscribe(ctx.incoming.platform, ctx.incoming.chat_id):
        return [text("Đã huỷ bản tin hằng ngày. Muốn nhận lại, gõ /subscribe.")]
    return [text("Bạn chưa đăng ký bản tin nào. Đăng ký: /subscribe 07:00")]


def settings(ctx: Context, args: str) -> list[Outgoing]:
    subscription = ctx.store.subscriptions.get(ctx.incoming.platform, ctx.incoming.chat_id)
    if subscription is None or not subscription.active:
        return [text("Bạn chưa đăng ký bản tin hằng ngày.",
                     "Gõ /subscribe 07:00 để nhận tin mỗi sáng.")]
    return [text(
        *_subscription_lines(subscription, ctx.tz),
        "Đổi giờ: /subscribe 18:00 · Huỷ: /unsubscribe",
    )]


def register(router: Router) -> None:
    """Add this feature's commands to ``router``."""
    router.command("subscribe", "Nhận bản tin vào giờ, ngày và chủ đề bạn chọn",
                   "[HH:MM] [t2-t6] [chủ đề]")(subscribe)
    router.command("unsubscribe", "Huỷ bản tin hằng ngày")(unsubscribe)
    router.command("settings", "Xem bản tin bạn đã đăng ký")(settings)
