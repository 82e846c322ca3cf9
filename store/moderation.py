"""Moderation decisions, the audit log, queue messages and blocked readers.

Every decision is one conditional ``UPDATE … WHERE status = 'pending'`` inside one
``BEGIN IMMEDIATE`` transaction together with its audit-log row: a second press, a second
moderator or a second bantin process finds nothing left to change, so a decision applies once.
Taking an approved comment down (``remove``) works the same way on ``status = 'approved'``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bantin.text import nfc
from store.db import Database, query, stored_time, to_iso
from store.feedback import COLUMNS, Feedback, row_to_feedback
from store.errors import NotFound

DECISIONS = {"approve": "approved", "reject": "rejected", "block": "blocked"}
REPLY = "reply"  # audit-log action: a moderator answered the reader
REPLY_FAILED = "reply_failed"  # audit-log action: a moderator's answer did not reach the reader


@dataclass(frozen=True)
class Outcome:
    """What a decision did: ``applied`` is False when someone else decided first."""

    applied: bool
    feedback: Feedback
    also_blocked: tuple[Feedback, ...] = ()  # the blocked reader's other pending feedback


@dataclass(frozen=True)
class LogEntry:
    id: int
    feedback_id: int | None
    moderator_id: str
    action: str
    detail: str | None
    created_at: datetime


@dataclass(frozen=True)
class BlockedReader:
    platform: str
    reader_id: str
    display_name: str | None
    blocked_by: str
    feedback_id: int | None
    created_at: datetime


_BLOCKED_COLUMNS = "platform, reader_id, display_name, blocked_by, feedback_id, created_at"


def _blocked(row: sqlite3.Row) -> BlockedReader:
    return BlockedReader(
        platform=row["platform"], reader_id=row["reader_id"], display_name=row["display_name"],
        blocked_by=row["blocked_by"], feedback_id=row["feedback_id"],
        created_at=stored_time(row["created_at"]),
    )


def _log_entry(row: sqlite3.Row) -> LogEntry:
    return LogEntry(
        id=row["id"], feedback_id=row["feedback_id"], moderator_id=row["moderator_id"],
        action=row["action"], detail=row["detail"], created_at=stored_time(row["created_at"]),
    )


class ModerationRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    # --- the audit log ------------------------------------------------------------------------

    def log(self, action: str, moderator_id: str, at: datetime, *,
            feedback_id: int | None = None, detail: str | None = None) -> None:
        """One line of the audit log: who did what to which feedback, and when."""
        self.database.execute(
            "INSERT INTO moderation_log (feedback_id, moderator_id, action, detail, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (feedback_id, moderator_id, action, nfc(detail) if detail else None, to_iso(at)),
        )

    def history(self, feedback_id: int | None = None, limit: int = 100, *,
                action: str | None = None) -> list[LogEntry]:
        """The audit log, oldest first (for one feedback, or everything; one action, or all)."""
        clauses: list[str] = []
        params: list[object] = []
        if feedback_id:
            clauses.append("feedback_id = ?")
            params.append(feedback_id)
        if action:
            clauses.append("action = ?")
            params.append(action)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self.database.query(
            "SELECT id, feedback_id, moderator_id, action, detail, created_at FROM moderation_log "
            f"{where} ORDER BY id LIMIT ?", (*params, limit),
        ).fetchall()
        return [_log_entry(row) for row in rows]

    # --- decisions ----------------------------------------------------------------------------

    def decide(self, feedback_id: int, action: str, moderator_id: str, moderator_name: str,
               at: datetime) -> Outcome:
        """Approve, reject or block (``action``) once; blocking also blocks the sender.

        Raises ``NotFound`` for an unknown feedback id.
        """
        status = DECISIONS[action]
        with self.database.transaction() as conn:
            cursor = conn.execute(
                "UPDATE feedback SET status = ?, decided_at = ?, moderator_id = ?, "
                "moderator_name = ? WHERE id = ? AND status = 'pending'",
                (status, to_iso(at), moderator_id, nfc(moderator_name), feedback_id),
            )
            applied = cursor.rowcount == 1
            feedback = self._get(conn, feedback_id)
            also: list[Feedback] = []
            if applied:
                self.log(action, moderator_id, at, feedback_id=feedback_id)
                if action == "block":
                    also = self._block_reader(conn, feedback, moderator_id, moderator_name, at)
        return Outcome(applied, feedback, tuple(also))

    def _block_reader(self, conn: sqlite3.Connection, feedback: Feedback, moderator_id: str,
                      moderator_name: str, at: datetime) -> list[Feedback]:
        conn.execute(
            "INSERT INTO blocked_readers (platform, reader_id, display_name, blocked_by, "
            "feedback_id, created_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (platform, reader_id) DO NOTHING",
            (feedback.platform, feedback.reader_id, feedback.display_name, moderator_id,
             feedback.id, to_iso(at)),
        )
        reader = (
            ("user_id = ?", feedback.user_id) if feedback.user_id
            else ("chat_id = ? AND user_id IS NULL", feedback.chat_id)
        )
        rows = query(
            conn,
            f"SELECT id FROM feedback WHERE platform = ? AND {reader[0]} AND status = 'pending'",
            (feedback.platform, reader[1]),
        ).fetchall()
        others = [row["id"] for row in rows]
        for other in others:
            conn.execute(
                "UPDATE feedback SET status = 'blocked', decided_at = ?, moderator_id = ?, "
                "moderator_name = ? WHERE id = ? AND status = 'pending'",
                (to_iso(at), moderator_id, nfc(moderator_name), other),
            )
            self.log("block", moderator_id, at, feedback_id=other,
                     detail=f"sender blocked on feedback {feedback.id}")
        return [self._get(conn, other) for other in others]

    def remove(self, feedback_id: int, moderator_id: str, moderator_name: str, at: datetime,
               reason: str | None = None) -> Outcome:
        """Take an approved comment down once: it is no longer shown to readers.

        The row then names who removed it and when; the audit-log row keeps who had approved it
        (and the reason, if given), so the whole story stays readable. ``applied`` is False when
        the feedback is not approved (still pending, rejected, or already removed by someone
        else). Raises ``NotFound`` for an unknown feedback id.
        """
        with self.database.transaction() as conn:
            before = self._get(conn, feedback_id)
            cursor = conn.execute(
                "UPDATE feedback SET status = 'removed', decided_at = ?, moderator_id = ?, "
                "moderator_name = ? WHERE id = ? AND status = 'approved'",
                (to_iso(at), moderator_id, nfc(moderator_name), feedback_id),
            )
            applied = cursor.rowcount == 1
            if applied:
                approved_by = before.moderator_name or before.moderator_id or "?"
                detail = (f"approved by {approved_by} ({before.moderator_id}) at "
                          f"{to_iso(before.decided_at) or '?'}")
                if reason:
                    detail += f"; reason: {reason}"
                self.log("remove", moderator_id, at, feedback_id=feedback_id, detail=detail)
            return Outcome(applied, self._get(conn, feedback_id))

    def record_reply(self, feedback_id: int, text: str, moderator_id: str, moderator_name: str,
                     at: datetime) -> Feedback:
        """A moderator answered the reader: keep the latest answer and log every one."""
        with self.database.transaction() as conn:
            cursor = conn.execute(
                "UPDATE feedback SET reply_text = ?, replied_at = ?, replied_by = ?, "
                "replied_by_name = ? WHERE id = ?",
                (nfc(text), to_iso(at), moderator_id, nfc(moderator_name), feedback_id),
            )
            if cursor.rowcount != 1:
                raise NotFound(f"no feedback with id {feedback_id}")
            self.log(REPLY, moderator_id, at, feedback_id=feedback_id, detail=text)
            return self._get(conn, feedback_id)

    def record_reply_failure(self, feedback_id: int, moderator_id: str, reason: str,
                             at: datetime) -> None:
        """A moderator's answer could not be delivered: keep why, next to the answer's own row."""
        self.log(REPLY_FAILED, moderator_id, at, feedback_id=feedback_id, detail=reason)

    def reply_failures(self, feedback_id: int) -> list[LogEntry]:
        """Every failed delivery of an answer to this feedback, oldest first."""
        return self.history(feedback_id, action=REPLY_FAILED)

    def last_answer_failed(self, feedback_id: int) -> bool:
        """Whether the latest answer to this feedback did not reach the reader."""
        row = self.database.query(
            "SELECT action FROM moderation_log WHERE feedback_id = ? AND action IN (?, ?) "
            "ORDER BY id DESC LIMIT 1", (feedback_id, REPLY, REPLY_FAILED)).fetchone()
        return row is not None and row["action"] == REPLY_FAILED

    @staticmethod
    def _get(conn: sqlite3.Connection, feedback_id: int) -> Feedback:
        row = query(conn, f"SELECT {COLUMNS} FROM feedback WHERE id = ?",
                    (feedback_id,)).fetchone()
        if row is None:
            raise NotFound(f"no feedback with id {feedback_id}")
        return row_to_feedback(row)

    # --- blocked readers ----------------------------------------------------------------------

    def is_blocked(self, platform: str, reader_id: str) -> bool:
        return self.database.execute(
            "SELECT 1 FROM blocked_readers WHERE platform = ? AND reader_id = ?",
            (platform, str(reader_id)),
        ).fetchone() is not None

    def blocked(self, limit: int = 50) -> list[BlockedReader]:
        rows = self.database.query(
            f"SELECT {_BLOCKED_COLUMNS} FROM blocked_readers ORDER BY created_at DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [_blocked(row) for row in rows]

    def unblock(self, reader_id: str, platform: str | None, moderator_id: str,
                at: datetime) -> list[BlockedReader]:
        """Unblock a reader (on one platform, or on every platform where the id is blocked)."""
        where = "reader_id = ?" + (" AND platform = ?" if platform else "")
        params = (str(reader_id), platform) if platform else (str(reader_id),)
        with self.database.transaction() as conn:
            rows = query(
                conn, f"SELECT {_BLOCKED_COLUMNS} FROM blocked_readers WHERE {where}", params,
            ).fetchall()
            conn.execute(f"DELETE FROM blocked_readers WHERE {where}", params)
            for row in rows:
                detail = f"{row['platform']}:{row['reader_id']}"
                self.log("unblock", moderator_id, at, detail=detail)
        return [_blocked(row) for row in rows]

    # --- messages in the moderators' chat -----------------------------------------------------

    def link_message(self, chat_id: str, message_id: str, feedback_id: int, at: datetime) -> None:
        """A message in the moderators' chat shows this feedback (the first one is its queue
        message). Raises ``NotFound`` for an unknown feedback id."""
        with self.database.transaction() as conn:
            try:
                conn.execute(
                    "INSERT OR IGNORE INTO moderation_messages (chat_id, message_id, "
                    "feedback_id, created_at) VALUES (?, ?, ?, ?)",
                    (str(chat_id), str(message_id), feedback_id, to_iso(at)),
                )
            except sqlite3.IntegrityError as error:
                raise NotFound(f"no feedback with id {feedback_id}") from error
            conn.execute(
                "UPDATE feedback SET queue_message_id = ? WHERE id = ? "
                "AND queue_message_id IS NULL",
                (str(message_id), feedback_id),
            )

    def feedback_for_message(self, chat_id: str, message_id: str) -> int | None:
        row = self.database.query(
            "SELECT feedback_id FROM moderation_messages WHERE chat_id = ? AND message_id = ?",
            (str(chat_id), str(message_id)),
        ).fetchone()
        return int(row["feedback_id"]) if row else None

    def messages_for(self, feedback_id: int) -> list[tuple[str, str]]:
        """Every (chat id, message id) in the moderators' chat that shows this feedback."""
        rows = self.database.query(
            "SELECT chat_id, message_id FROM moderation_messages WHERE feedback_id = ? "
            "ORDER BY created_at, message_id", (feedback_id,),
        ).fetchall()
        return [(row["chat_id"], row["message_id"]) for row in rows]
