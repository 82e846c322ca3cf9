"""The moderation flow: readers' feedback → the moderators' Telegram chat → a decision.

1. ``submit`` (called by ``/feedback`` on any platform) applies the abuse rules (length, the
   hourly limit, blocked senders), stores the feedback, thanks the reader and queues the post
   to the moderators' chat in the persisted outbox; ``bot.moderation_outbox`` posts it with
   the decision buttons at the group's pace (several at once as one batch message).
2. A button press (``mod:<action>:<id>``) or a reply to a queue message is authorised on the
   server every time: the user must be in ``[telegram] moderators`` and the update must come
   from the moderators' chat. The callback data only names the feedback, and must match the
   message it was pressed on; it is never a reason to act.
3. A decision is applied once (``store.moderation.decide``); every copy of the queue message
   is edited to say who decided and when; the reader is told as configured.
4. A moderator's reply reaches the reader on the reader's own platform (``Reply.to``); the
   moderator is then told whether it arrived, and a failure is kept with its reason
   (``Reply.then``).
5. ``/remove <id>`` takes an approved comment down, once (``store.moderation.remove``), with
   the same authorisation as every decision.

Handlers run in the core's worker threads, like every handler.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from bot.features import moderation_views as views
from bot.engine.context import Context, ModerationSettings
from bot.engine.errors import BotError, ChatUnreachable, DeliveryFailed, DeliveryUnknown
from bot.engine.messages import Address, Answer, Outgoing, Reply, Rich, Span, bold
from bot.engine.router import Router
from bot.engine.timefmt import zone
from store import Article, Feedback, NotFound, Store, utcnow
from store.moderation import DECISIONS

log = logging.getLogger(__name__)

NOT_ALLOWED = "Bạn không có quyền kiểm duyệt."
ACK_FEEDBACK = "Cảm ơn bạn! Ý kiến của bạn sẽ được biên tập trước khi đăng."
PENDING_SHOWN = 10
WINDOW = timedelta(hours=1)


# --- who may moderate -------------------------------------------------------------------------


def in_moderators_chat(ctx: Context) -> bool:
    settings = ctx.settings.moderation
    incoming = ctx.incoming
    return bool(settings.chat_id) and incoming.platform == settings.platform \
        and incoming.chat_id == settings.chat_id


def authorised(ctx: Context) -> bool:
    """A listed moderator, acting in the moderators' chat: checked on every press and reply."""
    user = ctx.incoming.user_id
    moderators = ctx.settings.moderation.moderator_ids
    return in_moderators_chat(ctx) and user is not None and user in moderators


def _deny(ctx: Context, what: str) -> None:
    incoming = ctx.incoming
    log.warning("moderation refused: user %s in %s chat %s tried %r", incoming.user_id,
                incoming.platform, incoming.chat_id, what[:80])
    ctx.store.moderation.log(
        "denied", incoming.user_id or "?", ctx.now,
        detail=f"{incoming.platform} chat {incoming.chat_id}: {what[:200]}",
    )


# --- intake -----------------------------------------------------------------------------------


def submit(ctx: Context, article_id: int | None, body: str) -> list[Outgoing]:
    """Store a reader's feedback (non-empty ``body``) under the abuse rules and queue it."""
    incoming, store = ctx.incoming, ctx.store
    limit = ctx.settings.moderation.max_feedback_chars
    if len(body) > limit:
        return [Reply(Rich.of(f"Ý kiến dài quá: tối đa {limit} ký tự. "
                              "Bạn rút gọn giúp mình nhé."))]
    add = partial(store.feedback.add, incoming.platform, incoming.chat_id, body,
                  user_id=incoming.user_id, display_name=incoming.display_name or None,
                  article_id=article_id, created_at=ctx.now)
    ack = Reply(Rich.of(ACK_FEEDBACK), reply_to=incoming.message_id)
    if store.moderation.is_blocked(incoming.platform, incoming.user_id or incoming.chat_id):
        stored = add(status="blocked")
        log.info("feedback %d from blocked reader %s %s kept, not forwarded", stored.id,
                 incoming.platform, incoming.user_id or incoming.chat_id)
        return [ack]  # the same thanks: a blocked sender is not told, so not invited to evade
    recent = store.feedback.recent_from_reader(incoming.platform, incoming.chat_id,
                                               incoming.user_id, ctx.now - WINDOW)
    per_hour = ctx.settings.moderation.feedback_per_hour
    if len(recent) >= per_hour:
        stored = add(status="limited")
        minutes = max(1, math.ceil((recent[0] + WINDOW - ctx.now).total_seconds() / 60))
        log.info("feedback %d from %s %s over the hourly limit (%d)", stored.id,
                 incoming.platform, incoming.chat_id, per_hour)
        return [Reply(Rich.of(
            f"Cảm ơn bạn đã góp ý nhiệt tình! Mỗi giờ mình chỉ nhận tối đa {per_hour} ý kiến "
            "của một bạn đọc.",
            f"Mời bạn gửi lại sau khoảng {minutes} phút nữa nhé.",
        ), reply_to=incoming.message_id)]
    feedback = add(status="pending")
    if ctx.settings.moderation.chat_id:
        # Queued, not sent: the reader's thanks must not wait for the moderators' group
        # (about 20 messages a minute); bot.moderation_outbox posts it at that pace.
        store.outbox.add(feedback.id, ctx.now)
    else:
        log.info("feedback %d stored; no [telegram] moderator_chat_id to post it to",
                 feedback.id)
    return [ack]


# --- the queue --------------------------------------------------------------------------------


def _article(store: Store, article_id: int | None) -> Article | None:
    if article_id is None:
        return None
    try:
        return store.articles.get(article_id)
    except NotFound:
        return None


def _remember(store: Store, chat_id: str, feedback_id: int, ids: list[str]) -> None:
    for message_id in ids:
        store.moderation.link_message(chat_id, message_id, feedback_id, utcnow())


def queue_reply(store: Store, settings: ModerationSettings, timezone: str, feedback: Feedback,
                *, chat_id: str | None = None, edit: str | None = None) -> Reply:
    """The queue message for ``feedback``: a new post (remembered once sent) or an edit."""
    tz = zone(timezone, timezone)
    chat = chat_id or settings.chat_id
    rich = views.queue_message(feedback, _article(store, feedback.article_id), tz,
                               answer_failed=store.moderation.last_answer_failed(feedback.id))
    buttons = views.decision_buttons(feedback.id) if feedback.status == "pending" else ()
    on_sent: Callable[[list[str]], None] | None = None
    if edit is None:
        on_sent = partial(_remember, store, chat, feedback.id)
    return Reply(rich, buttons=buttons, to=Address(settings.platform, chat), edit=edit,
                 on_sent=on_sent)


def refresh(ctx: Context, feedback: Feedback) -> list[Reply]:
    """Edits that bring every copy of the queue message up to date."""
    return [
        queue_reply(ctx.store, ctx.settings.moderation, ctx.settings.timezone, feedback,
                    chat_id=chat_id, edit=message_id)
        for chat_id, message_id in ctx.store.moderation.messages_for(feedback.id)
    ]


# --- decisions --------------------------------------------------------------------------------


def on_button(ctx: Context, rest: str) -> list[Outgoing]:
    """``mod:<approve|reject|block>:<feedback id>`` pressed on a queue message."""
    incoming = ctx.incoming
    if not authorised(ctx):
        _deny(ctx, f"mod:{rest}")
        return [Answer(NOT_ALLOWED, alert=True)]
    action, _, raw_id = rest.partition(":")
    if action not in DECISIONS or not (raw_id.isascii() and raw_id.isdigit()):
        return [Answer("Nút này không còn dùng được.")]
    feedback_id = int(raw_id)
    message_id = incoming.message_id or ""
    shown = ctx.store.moderation.feedback_for_message(incoming.chat_id, message_id)
    if shown is not None and shown != feedback_id:
        _deny(ctx, f"mod:{rest} on message {message_id}, which shows feedback {shown}")
        return [Answer("Nút này không khớp với tin đang xem.", alert=True)]
    if shown is None and message_id:  # pressed before its post was noted: note it now
        try:
            ctx.store.moderation.link_message(incoming.chat_id, message_id, feedback_id, ctx.now)
        except NotFound:
            return [Answer("Không tìm thấy ý kiến này.")]
    try:
        outcome = ctx.store.moderation.decide(
            feedback_id, action, incoming.user_id or "?",
            incoming.display_name or incoming.user_id or "?", ctx.now,
        )
    except NotFound:
        return [Answer("Không tìm thấy ý kiến này.")]
    tz = zone(ctx.settings.timezone, ctx.settings.timezone)
    feedback = outcome.feedback
    if not outcome.applied:  # pressed twice, or another moderator was quicker
        here = queue_reply(ctx.store, ctx.settings.moderation, ctx.settings.timezone, feedback,
                           chat_id=incoming.chat_id, edit=incoming.message_id)
        return [Answer(f"Ý kiến này đã được xử lý: {views.status_line(feedback, tz)}."), here]
    log.info("feedback %d: %s by moderator %s", feedback.id, action, incoming.user_id)
    replies: list[Outgoing] = [Answer(views.ANSWERS[action]), *refresh(ctx, feedback)]
    for other in outcome.also_blocked:
        replies += refresh(ctx, other)
    replies += _tell_reader(ctx, feedback)
    return replies


def _reader(feedback: Feedback) -> Address:
    return Address(feedback.platform, feedback.chat_id)


def _tell_reader(ctx: Context, feedback: Feedback) -> list[Reply]:
    settings = ctx.settings.moderation
    article = _article(ctx.store, feedback.article_id)
    if feedback.status == "approved" and settings.notify_approved:
        rich, buttons = views.approved_notice(feedback, article)
        return [Reply(rich, buttons=buttons, to=_reader(feedback))]
    if feedback.status == "rejected" and settings.notify_rejected:
        return [Reply(views.rejected_notice(feedback, article), to=_reader(feedback))]
    return []


# --- answering the reader ---------------------------------------------------------------------


def answer_reader(ctx: Context) -> list[Outgoing] | None:
    """A reply to a queue message in the moderators' chat; ``None`` when it is not one."""
    incoming = ctx.incoming
    if not (in_moderators_chat(ctx) and incoming.reply_to):
        return None
    feedback_id = ctx.store.moderation.feedback_for_message(incoming.chat_id, incoming.reply_to)
    if feedback_id is None:
        return None
    if not authorised(ctx):
        _deny(ctx, f"reply to feedback {feedback_id}")
        return [Reply(Rich.of(NOT_ALLOWED), reply_to=incoming.message_id)]
    feedback = ctx.store.moderation.record_reply(
        feedback_id, incoming.text.strip(), incoming.user_id or "?",
        incoming.display_name or incoming.user_id or "?", ctx.now,
    )
    answer = views.answer_to_reader(feedback, _article(ctx.store, feedback.article_id),
                                    incoming.text.strip())
    # Tried even when the reader's chat is marked inactive: they may have come back silently.
    outcome = partial(_answer_outcome, ctx, feedback, incoming.user_id or "?",
                      incoming.message_id)
    # The queue message first: if the answer fails, the outcome's own refresh comes last.
    return [*refresh(ctx, feedback), Reply(answer, to=_reader(feedback), then=outcome)]


def _answer_outcome(ctx: Context, feedback: Feedback, moderator_id: str,
                    answered_in: str | None, failure: BotError | None) -> list[Reply]:
    """Tell the moderator whether their answer reached the reader; store why it did not, and
    mark the queue message so that it does not read as answered."""
    if failure is None:
        return [Reply(views.reply_sent_note(feedback), reply_to=answered_in)]
    reason = f"{type(failure).__name__}: {failure}"
    ctx.store.moderation.record_reply_failure(feedback.id, moderator_id, reason, ctx.clock())
    log.warning("feedback %d: answer to %s %s not delivered (%s)", feedback.id,
                feedback.platform, feedback.chat_id, reason)
    return [Reply(views.reply_failed_notice(feedback, _why(failure, feedback.platform)),
                  reply_to=answered_in), *refresh(ctx, feedback)]


def _why(failure: BotError, platform: str) -> str:
    """The reason a delivery failed, as a clause for the moderators."""
    name = {"telegram": "Telegram", "zalo": "Zalo"}.get(platform, platform)
    if isinstance(failure, ChatUnreachable):
        return "bạn đọc đã chặn bot hoặc rời cuộc trò chuyện"
    if isinstance(failure, DeliveryUnknown):
        return f"mất kết nối tới {name} giữa chừng, không chắc bạn đọc đã nhận được"
    if isinstance(failure, DeliveryFailed):
        return f"lỗi khi gửi qua {name}, đã thử lại vài lần vẫn không được"
    return f"bantin chưa kết nối được với {name}"


# --- moderators' commands ---------------------------------------------------------------------


def _guard(router: Router, ctx: Context, command: str) -> list[Outgoing] | None:
    """``None`` when a moderator may run ``command`` here; otherwise what to answer.

    Outside the moderators' chat the commands do not exist (the usual "unknown command").
    """
    if not in_moderators_chat(ctx):
        if ctx.incoming.is_private and router.on_other is not None:
            return router.on_other(ctx)
        return []
    if not authorised(ctx):
        _deny(ctx, f"/{command}")
        return [Reply(Rich.of(NOT_ALLOWED), reply_to=ctx.incoming.message_id)]
    return None


def pending(ctx: Context, args: str = "") -> list[Outgoing]:
    total = ctx.store.feedback.pending_count()
    if total == 0:
        return [Reply(Rich.of("✅ Không có ý kiến nào đang chờ duyệt."))]
    items = ctx.store.feedback.pending(limit=PENDING_SHOWN)
    heading = f"📋 {total} ý kiến đang chờ duyệt, cũ nhất trước."
    if total > len(items):
        heading += f" Đây là {len(items)} ý kiến đầu; duyệt xong gõ /pending để xem tiếp."
    queue = [queue_reply(ctx.store, ctx.settings.moderation, ctx.settings.timezone, item,
                         chat_id=ctx.incoming.chat_id) for item in items]
    return [Reply(Rich.of(bold(heading))), *queue]


_READER = re.compile(r"^(?:(?P<platform>[a-z]+)[:\s]+)?(?P<id>[^\s:]+)$")


def unblock(ctx: Context, args: str) -> list[Outgoing]:
    match = _READER.match(args.strip())
    if not match:
        return [Reply(Rich.of("Gõ /unblock kèm mã bạn đọc, ví dụ: /unblock telegram:4242",
                              "Danh sách đang bị chặn: /blocked"))]
    done = ctx.store.moderation.unblock(match["id"], match["platform"],
                                         ctx.incoming.user_id or "?", ctx.now)
    if not done:
        return [Reply(Rich.of([Span("Không có bạn đọc nào bị chặn với mã "),
                               Span(args.strip(), code=True), Span(".")],
                              "Danh sách đang bị chặn: /blocked"))]
    lines = [[Span("✅ Đã bỏ chặn "), Span(item.display_name or "(không tên)", code=True),
              Span(f" ({item.platform} "), Span(item.reader_id, code=True), Span(").")]
             for item in done]
    return [Reply(Rich.of(*lines))]


def blocked(ctx: Context, args: str = "") -> list[Outgoing]:
    readers = ctx.store.moderation.blocked()
    if not readers:
        return [Reply(Rich.of("Không có bạn đọc nào bị chặn."))]
    tz = zone(ctx.settings.timezone, ctx.settings.timezone)
    lines: list[Span] = []
    for item in readers:
        lines += [Span("• "), Span(item.display_name or "(không tên)", code=True),
                  Span(" · bỏ chặn: "), Span(views.unblock_command(item.platform, item.reader_id),
                                              code=True),
                  Span(f" · từ {views.when(item.created_at, tz)}\n")]
    return [Reply(Rich.of(bold(f"🚫 {len(readers)} bạn đọc đang bị chặn"), lines))]


_REMOVE = re.compile(r"^#?(?P<id>[0-9]{1,12})(?:\s+(?P<reason>.+))?$", re.DOTALL)
REMOVE_USAGE = ("Gõ /remove kèm số ý kiến (số sau dấu # trong tin kiểm duyệt), ví dụ: /remove 12. "
                "Có thể ghi thêm lý do: /remove 12 người viết xin gỡ.")


def remove(ctx: Context, args: str) -> list[Outgoing]:
    """``/remove <số ý kiến> [lý do]``: take an approved comment down, once."""
    incoming = ctx.incoming
    match = _REMOVE.match(args.strip())
    if not match:
        return [Reply(Rich.of(REMOVE_USAGE), reply_to=incoming.message_id)]
    feedback_id, reason = int(match["id"]), (match["reason"] or "").strip() or None
    try:
        current = ctx.store.feedback.get(feedback_id)
    except NotFound:
        return [Reply(Rich.of(f"Không có ý kiến nào số #{feedback_id}. {REMOVE_USAGE}"),
                      reply_to=incoming.message_id)]
    if current.status == "approved" and current.article_id is None:
        return [Reply(Rich.of(f"Ý kiến #{feedback_id} là góp ý chung, không đăng dưới bài nào, "
                              "nên không có gì để gỡ."), reply_to=incoming.message_id)]
    outcome = ctx.store.moderation.remove(
        feedback_id, incoming.user_id or "?", incoming.display_name or incoming.user_id or "?",
        ctx.now, reason,
    )
    feedback = outcome.feedback
    if not outcome.applied:  # not approved, or another moderator was quicker
        tz = zone(ctx.settings.timezone, ctx.settings.timezone)
        state = views.status_line(feedback, tz)
        if feedback.status == "removed":
            message = f"Ý kiến #{feedback_id} đã được gỡ trước đó: {state}."
        else:
            message = (f"Ý kiến #{feedback_id} chưa được đăng nên không có gì để gỡ "
                       f"(hiện tại: {state}). Chỉ gỡ được ý kiến đã duyệt.")
        return [Reply(Rich.of(message), reply_to=incoming.message_id)]
    log.info("feedback %d: removed by moderator %s", feedback.id, incoming.user_id)
    article_id = feedback.article_id or 0  # approved general feedback was turned away above
    remaining = ctx.store.feedback.comment_counts([article_id]).get(article_id, 0)
    article = _article(ctx.store, feedback.article_id)
    return [Reply(views.removed_confirmation(feedback, article, remaining),
                  reply_to=incoming.message_id), *refresh(ctx, feedback)]


def register(router: Router) -> None:
    """Add the moderators' commands and buttons to ``router`` (kept out of /help and the menu)."""
    for name, description, usage, handler in _COMMANDS:
        router.command(name, description, usage, hidden=True)(_guarded(router, name, handler))
    router.action("mod")(on_button)


def _guarded(router: Router, name: str,
             handler: Callable[[Context, str], list[Outgoing]]) -> Callable[..., list[Outgoing]]:
    """``handler`` behind ``_guard``: only moderators, only in the moderators' chat."""
    def run(ctx: Context, args: str) -> list[Outgoing]:
        refused = _guard(router, ctx, name)
        return refused if refused is not None else handler(ctx, args)
    return run


_COMMANDS = (
    ("pending", "Ý kiến đang chờ duyệt (chỉ kiểm duyệt viên)", "", pending),
    ("unblock", "Bỏ chặn một bạn đọc (chỉ kiểm duyệt viên)", "<mã bạn đọc>", unblock),
    ("blocked", "Bạn đọc đang bị chặn (chỉ kiểm duyệt viên)", "", blocked),
    ("remove", "Gỡ một ý kiến đã đăng (chỉ kiểm duyệt viên)", "<số ý kiến>", remove),
)
