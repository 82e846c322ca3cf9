"""How feedback looks in the moderators' chat, and what readers are told about theirs.

Everything a reader wrote (their words, their display name) is shown to moderators as a
``code`` span: escaped like all text, and, because Telegram allows no entity inside code, never
a link, a bot command or a mention either. A fake "/pending" or "https://…" in feedback is
just characters to read.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from bot.engine.messages import Button, Buttons, Rich, Span, bold, italic, link
from bot.engine.render import TELEGRAM_HTML, measure
from bot.features.views import shorten
from store import Article, Feedback

TEXT_BUDGET = 3300  # rendered size for the reader's words; the rest of the message fits in 4096
REPLY_SHOWN_CHARS = 300
QUOTE_CHARS = 200

DECISION_LABELS = {
    "approved": "✅ Đã duyệt",
    "rejected": "❌ Đã từ chối",
    "blocked": "🚫 Đã chặn người gửi",
    "limited": "⏱ Gửi quá số lần cho phép",
    "removed": "🗑 Đã gỡ",
}
ANSWERS = {"approve": "Đã duyệt ✅", "reject": "Đã từ chối ❌", "block": "Đã chặn người gửi 🚫"}


def when(moment: datetime | None, tz: zoneinfo.ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%H:%M %d/%m/%Y") if moment else "?"


def decision_buttons(feedback_id: int) -> Buttons:
    return (
        (Button("✅ Duyệt", data=f"mod:approve:{feedback_id}"),
         Button("❌ Từ chối", data=f"mod:reject:{feedback_id}")),
        (Button("🚫 Chặn người gửi", data=f"mod:block:{feedback_id}"),),
    )


def unblock_command(platform: str, reader_id: str) -> str:
    return f"/unblock {platform}:{reader_id}"


def remove_command(feedback_id: int) -> str:
    return f"/remove {feedback_id}"


def _fit(text: str, budget: int = TEXT_BUDGET) -> str:
    """``text`` cut so its rendering stays within ``budget`` (only pathological input is cut:
    2,000 characters of ``&`` render as 10,000)."""
    def size(candidate: str) -> int:
        return measure(TELEGRAM_HTML.span(Span(candidate, code=True)))

    if size(text) <= budget:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if size(text[:middle]) <= budget - 40:
            low = middle
        else:
            high = middle - 1
    return text[:low] + f"… [cắt bớt {len(text) - low} ký tự]"


def status_line(feedback: Feedback, tz: zoneinfo.ZoneInfo) -> str:
    """"✅ Đã duyệt bởi Minh lúc 12:05 28/11/2024" (plain text: also a button-press answer)."""
    if feedback.status == "pending":
        return "⏳ Chờ duyệt"
    label = DECISION_LABELS.get(feedback.status, feedback.status)
    who = feedback.moderator_name or feedback.moderator_id
    by = f" bởi {who}" if who else ""
    return f"{label}{by} lúc {when(feedback.decided_at, tz)}"


def queue_message(feedback: Feedback, article: Article | None, tz: zoneinfo.ZoneInfo,
                  answer_failed: bool = False) -> Rich:
    """The queue message: who, which article, the words (verbatim), and where it stands;
    ``answer_failed`` when the latest answer did not reach the reader."""
    sender = [Span("👤 "), Span(feedback.display_name or "(không tên)", code=True),
              Span(f" · {feedback.platform} · chat "), Span(feedback.chat_id, code=True)]
    if feedback.user_id and feedback.user_id != feedback.chat_id:
        sender += [Span(" · người gửi "), Span(feedback.user_id, code=True)]
    if article is not None:
        title = article.title or "(không có tiêu đề)"
        url = article.reader_url
        about = [Span("📰 "), link(title, url) if url is not None else Span(title),
                 Span(f" (#{article.id})")]
    else:
        about = [Span("📰 Góp ý chung, không gắn với bài nào")]
    state: list[Span] = [bold(status_line(feedback, tz))]
    if feedback.status == "pending":
        state.append(italic(" · bấm nút bên dưới, hoặc trả lời (reply) tin này để trả lời "
                            "bạn đọc"))
    elif feedback.status == "blocked":
        state += [Span(" · bỏ chặn: "),
                  Span(unblock_command(feedback.platform, feedback.reader_id), code=True)]
    elif feedback.status == "approved" and feedback.article_id is not None:
        state += [Span(" · gỡ: "), Span(remove_command(feedback.id), code=True)]
    paragraphs: list = [
        bold(f"📝 Ý kiến #{feedback.id}"),
        [*sender, Span(f"\n🕐 {when(feedback.created_at, tz)}\n"), *about],
        Span(_fit(feedback.text), code=True),
        state,
    ]
    if feedback.reply_text:
        who = feedback.replied_by_name or feedback.replied_by or "?"
        paragraphs.append([
            Span(f"↩️ {who} đã trả lời lúc {when(feedback.replied_at, tz)}: "),
            Span(shorten(feedback.reply_text, REPLY_SHOWN_CHARS), code=True),
            *([bold(" ⚠️ chưa đến được bạn đọc")] if answer_failed else []),
        ])
    return Rich.of(*paragraphs)


# --- what the reader is told ------------------------------------------------------------------


def _about(article: Article | None) -> list[Span]:
    if article is None:
        return [Span("của bạn")]
    return [Span("của bạn về bài “"), bold(article.title or f"#{article.id}"), Span("”")]


def approved_notice(feedback: Feedback, article: Article | None) -> tuple[Rich, Buttons]:
    if article is None:
        return Rich.of("✅ Toà soạn đã đọc và ghi nhận góp ý của bạn. Cảm ơn bạn!"), ()
    return (
        Rich.of([Span("✅ Ý kiến "), *_about(article), Span(" đã được duyệt và đăng.")],
                f"Xem các ý kiến về bài này: /comments {article.id}"),
        ((Button("💬 Xem ý kiến", data=f"/comments {article.id}"),),),
    )


def rejected_notice(feedback: Feedback, article: Article | None) -> Rich:
    return Rich.of(
        [Span("Ý kiến "), *_about(article),
         Span(" chưa được đăng vì chưa phù hợp với quy định bình luận của toà soạn.")],
        "Cảm ơn bạn đã quan tâm và góp ý.",
    )


def answer_to_reader(feedback: Feedback, article: Article | None, answer: str) -> Rich:
    heading: list[Span] = [bold("💬 Toà soạn trả lời góp ý của bạn")]
    if article is not None:
        heading += [Span(" về bài “"), bold(article.title or f"#{article.id}"), Span("”")]
    return Rich.of(
        heading,
        italic(f"Bạn viết: “{shorten(feedback.text, QUOTE_CHARS)}”"),
        answer,
    )


def reader_label(feedback: Feedback) -> list[Span]:
    """"Lan Nguyễn (telegram 4242)" for the moderators' chat, the name shown verbatim."""
    return [Span(feedback.display_name or "(không tên)", code=True),
            Span(f" ({feedback.platform} "), Span(feedback.reader_id, code=True), Span(")")]


# --- what moderators are told about take-downs and answers -----------------------------------


def removed_confirmation(feedback: Feedback, article: Article | None, remaining: int) -> Rich:
    """"🗑 Đã gỡ ý kiến #7 của Lan về bài “…” (#12)" and what readers now see."""
    about: list[Span] = []
    if article is not None:
        about = [Span(" về bài “"), Span(article.title or "(không có tiêu đề)"),
                 Span(f"” (#{article.id})")]
    left = (f"Bài còn {remaining} ý kiến được đăng." if remaining
            else "Bài không còn ý kiến nào được đăng.")
    return Rich.of(
        [Span("🗑 Đã gỡ "), bold(f"ý kiến #{feedback.id}"), Span(" của "),
         Span(feedback.display_name or "(không tên)", code=True), *about, Span(".")],
        f"Bạn đọc không còn thấy ý kiến này. {left}",
    )


def reply_sent_note(feedback: Feedback) -> Rich:
    return Rich.of([Span("↩️ Đã gửi câu trả lời tới "), *reader_label(feedback), Span(".")])


def reply_failed_notice(feedback: Feedback, why: str) -> Rich:
    """Told in the moderators' chat when an answer did not reach the reader; ``why`` is a
    Vietnamese clause ("bạn đọc đã chặn bot …")."""
    return Rich.of(
        [Span("⚠️ Không gửi được câu trả lời cho "), bold(f"ý kiến #{feedback.id}"),
         Span(" tới "), *reader_label(feedback), Span(f": {why}.")],
        "Câu trả lời vẫn được lưu, kèm lý do không gửi được.",
    )


# --- several new feedback in one message (the moderators' outbox, when a backlog builds up) ---

BATCH_ITEM_CHARS = 280


def batch_message(items: list[tuple[Feedback, Article | None]], tz: zoneinfo.ZoneInfo,
                  still_waiting: int) -> Rich:
    """New feedback listed together when too many wait for the group's pace: who, about what,
    the words (shortened, verbatim); decisions through /pending, which posts each with its
    buttons."""
    paragraphs: list = [bold(f"📥 {len(items)} ý kiến mới cùng lúc, gộp vào một tin")]
    for feedback, article in items:
        about = (f"bài #{article.id}" if article is not None else "góp ý chung")
        paragraphs.append([
            bold(f"#{feedback.id}"), Span(" · "), *reader_label(feedback),
            Span(f" · {about} · {when(feedback.created_at, tz)}\n"),
            Span(_fit(shorten(feedback.text, BATCH_ITEM_CHARS), 600), code=True),
        ])
    tail = "Gõ /pending để duyệt từng ý kiến (kèm nút Duyệt / Từ chối / Chặn)."
    if still_waiting:
        tail += f" Còn {still_waiting} ý kiến nữa đang chờ gửi vào nhóm."
    paragraphs.append(italic(tail))
    return Rich.of(*paragraphs)
