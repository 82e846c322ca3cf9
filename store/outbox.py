"""The moderators' outbox: readers' feedback waiting for its post to the moderators' chat.

The reader is thanked at once; the post waits here (migration 9) for the moderators' group,
which Telegram lets a bot write to about 20 times a minute. Each row goes ``queued →
sending → posted | batched | skipped``; ``sending`` is committed before the post leaves, and
``recover`` (at start-up) puts rows left ``sending`` by a crash back in the queue, so nothing
waiting is lost. After a clean stop nothing is left ``sending``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from store.db import Database, from_iso, to_iso, utcnow
from store.rows import query

DONE_STATES = ("posted", "batched", "skipped")


class ModeratorsOutbox:
    def __init__(self, database: Database) -> None:
        self.database = database

    def add(self, feedback_id: int, at: datetime | None = None) -> None:
        """Queue ``feedback_id`` for posting (once: a second call changes nothing)."""
        with self.database.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO moderators_outbox (feedback_id, queued_at) "
                         "VALUES (?, ?)", (feedback_id, to_iso(at or utcnow())))

    def claim(self, limit: int) -> list[int]:
        """Up to ``limit`` queued feedback ids, oldest first, now ``sending``."""
        with self.database.transaction() as conn:
            ids = [row["feedback_id"] for row in query(
                conn, "SELECT feedback_id FROM moderators_outbox WHERE state = 'queued' "
                "ORDER BY queued_at, feedback_id LIMIT ?", (limit,))]
            conn.executemany("UPDATE moderators_outbox SET state = 'sending', "
                             "attempts = attempts + 1 WHERE feedback_id = ?",
                             [(i,) for i in ids])
        return ids

    def finish(self, ids: list[int], state: str, at: datetime | None = None) -> None:
        """The posts of ``ids`` went out (``posted`` / ``batched``) or are not needed
        (``skipped``)."""
        if state not in DONE_STATES:
            raise ValueError(f"not a final outbox state: {state!r}")
        with self.database.transaction() as conn:
            conn.executemany("UPDATE moderators_outbox SET state = ?, done_at = ? "
                             "WHERE feedback_id = ? AND state = 'sending'",
                             [(state, _precise(at or utcnow()), i) for i in ids])

    def release(self, ids: list[int]) -> None:
        """The post of ``ids`` did not go out: back in the queue, in their old places."""
        with self.database.transaction() as conn:
            conn.executemany("UPDATE moderators_outbox SET state = 'queued' "
                             "WHERE feedback_id = ? AND state = 'sending'", [(i,) for i in ids])

    def recover(self) -> int:
        """At start-up: rows a crash left ``sending`` go back to the queue (their post may or
        may not have arrived: posting twice beats never), and pending feedback that never
        reached the outbox is added. Returns the number waiting."""
        with self.database.transaction() as conn:
            conn.execute("UPDATE moderators_outbox SET state = 'queued' WHERE state = 'sending'")
            conn.execute("INSERT OR IGNORE INTO moderators_outbox (feedback_id, queued_at) "
                         "SELECT id, created_at FROM feedback "
                         "WHERE status = 'pending' AND queue_message_id IS NULL")
        return self.waiting()

    def last_posted_at(self) -> datetime | None:
        """When the latest post (single or batch) went out: the pace holds across a restart."""
        row = self.database.query(
            "SELECT max(done_at) AS last FROM moderators_outbox "
            "WHERE state IN ('posted', 'batched')").fetchone()
        return from_iso(row["last"]) if row and row["last"] else None

    def waiting(self) -> int:
        return int(self.database.query(
            "SELECT count(*) AS n FROM moderators_outbox WHERE state IN ('queued', 'sending')"
        ).fetchone()["n"])

    def state(self, feedback_id: int) -> str | None:
        row = self.database.query("SELECT state FROM moderators_outbox WHERE feedback_id = ?",
                                  (feedback_id,)).fetchone()
        return row["state"] if row else None


def _precise(moment: datetime) -> str:
    """``done_at`` to the millisecond: the pace after a restart is measured from it."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")
