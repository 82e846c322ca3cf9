"""Digest deliveries: one row per subscription and local date, written before anything is sent.

A row's life: ``pending`` (claimed; nothing has gone to the platform yet) → ``sending`` (a
request may be on its way) → ``sent`` / ``failed`` (with the reason) / ``blocked``; or straight
from the claim to ``skipped`` (nothing new), ``blocked`` (the chat is inactive) or ``missed``
(it fell due while bantin was down, longer ago than the catch-up window).

The UNIQUE (subscription_id, local_date) constraint is what makes a digest exactly-once per day:
a second claim for the same day inserts nothing. After a crash, ``pending`` rows are safe to
send (no request went out) and ``sending`` rows are of unknown fate: ``recover`` records them
as failed rather than risk a duplicate (see docs/digests.md).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from store.db import Database, from_iso, query, stored_time, to_iso
from store.rows import inserted_id
from store.subscriptions import COLUMNS as _SUB_COLUMNS
from store.subscriptions import Subscription, row_to_subscription

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
SKIPPED, BLOCKED, MISSED = "skipped", "blocked", "missed"
FINAL = (SENT, FAILED, SKIPPED, BLOCKED, MISSED)
INTERRUPTED = "interrupted while sending: fate unknown, not resent"

_SUB = ", ".join(f"s.{name.strip()}" for name in _SUB_COLUMNS.split(","))
# Where the next digest's articles start: the end of the previous window the reader was served
# (a sent or an empty digest); the claim time of that delivery.
_PREVIOUS = (
    "(SELECT p.created_at FROM deliveries p WHERE p.subscription_id = s.id "
    "AND p.status IN ('sent', 'skipped') AND p.local_date < {date} "
    "ORDER BY p.local_date DESC LIMIT 1)"
)

# The chat a subscription belongs to, named apart from the subscription's own columns.
_CHAT = "c.active AS chat_active, c.inactive_reason AS chat_reason"


@dataclass
class Due:
    """A subscription whose ``next_due_at`` has passed, with what the claim needs to decide."""

    subscription: Subscription
    chat_active: bool
    chat_reason: str | None
    previous_at: datetime | None


@dataclass
class Record:
    """One delivery row to write for a claimed occurrence."""

    local_date: str
    due_at: datetime
    status: str
    reason: str | None = None


@dataclass
class Claim:
    """Move a subscription's schedule from ``expected`` to ``next_due_at`` and record days."""

    subscription_id: int
    expected: datetime | None
    next_due_at: datetime
    records: list[Record] = field(default_factory=list)


@dataclass
class Job:
    """A pending delivery, with everything needed to build and send its digest."""

    delivery_id: int
    local_date: str
    due_at: datetime
    claimed_at: datetime
    subscription: Subscription
    chat_active: bool
    chat_reason: str | None
    previous_at: datetime | None


@dataclass
class Delivery:
    id: int
    subscription_id: int
    local_date: str
    status: str
    reason: str | None
    article_ids: list[int]
    due_at: datetime | None
    sent_at: datetime | None
    created_at: datetime
    updated_at: datetime


def _chat_active(row: sqlite3.Row) -> bool:
    """A chat never seen (no row: the LEFT JOIN gave NULL) counts as active."""
    return row["chat_active"] is None or bool(row["chat_active"])


def _row_to_job(row: sqlite3.Row) -> Job:
    """A pending delivery joined with its subscription, its chat and the previous window."""
    claimed_at = stored_time(row["claimed_at"])
    return Job(
        delivery_id=row["delivery_id"], local_date=row["local_date"],
        due_at=from_iso(row["due_at"]) or claimed_at, claimed_at=claimed_at,
        subscription=row_to_subscription(row), chat_active=_chat_active(row),
        chat_reason=row["chat_reason"], previous_at=from_iso(row["previous_at"]),
    )


def _row_to_delivery(row: sqlite3.Row) -> Delivery:
    return Delivery(
        id=row["id"], subscription_id=row["subscription_id"], local_date=row["local_date"],
        status=row["status"], reason=row["reason"],
        article_ids=json.loads(row["article_ids"] or "[]"), due_at=from_iso(row["due_at"]),
        sent_at=from_iso(row["sent_at"]), created_at=stored_time(row["created_at"]),
        updated_at=stored_time(row["updated_at"]),
    )


class Deliveries:
    def __init__(self, database: Database) -> None:
        self.database = database

    # --- the schedule -------------------------------------------------------------------------

    def unscheduled(self, limit: int = 1000) -> list[Subscription]:
        """Active subscriptions without a next due time (made before migration 3, or by hand)."""
        rows = self.database.query(
            f"SELECT {_SUB_COLUMNS} FROM subscriptions WHERE active = 1 AND next_due_at IS NULL "
            "LIMIT ?", (limit,),
        ).fetchall()
        return [row_to_subscription(row) for row in rows]

    def schedule(self, subscription_id: int, next_due_at: datetime) -> None:
        self.database.execute(
            "UPDATE subscriptions SET next_due_at = ? WHERE id = ? AND next_due_at IS NULL",
            (to_iso(next_due_at), subscription_id),
        )

    def due(self, now: datetime, limit: int = 1000, *,
            skip_platforms: Iterable[str] = ()) -> list[Due]:
        """Active subscriptions due at ``now``, the longest overdue first; those of
        ``skip_platforms`` (not connected yet) stay due for a later tick."""
        skipped = sorted(set(skip_platforms))
        not_in = f"AND s.platform NOT IN ({', '.join('?' * len(skipped))}) " if skipped else ""
        rows = self.database.query(
            f"SELECT {_SUB}, {_CHAT}, {_PREVIOUS.format(date='9999')} AS previous_at "
            "FROM subscriptions s LEFT JOIN chats c "
            "ON c.platform = s.platform AND c.chat_id = s.chat_id "
            f"WHERE s.active = 1 AND s.next_due_at <= ? {not_in}"
            "ORDER BY s.next_due_at, s.id LIMIT ?",
            (to_iso(now), *skipped, limit),
        ).fetchall()
        return [
            Due(row_to_subscription(row), _chat_active(row), row["chat_reason"],
                from_iso(row["previous_at"]))
            for row in rows
        ]

    def claim(self, claims: Iterable[Claim], now: datetime) -> dict[tuple[int, str], int]:
        """Advance each schedule and write its delivery rows, all in one transaction.

        A subscription changed since it was read (the reader chose another time meanwhile)
        is left alone; a day that already has a row keeps it (never a second digest that day).
        Returns the ids of the rows written, by (subscription id, local date).
        """
        written: dict[tuple[int, str], int] = {}
        stamp = to_iso(now)
        with self.database.transaction() as conn:
            for claim in claims:
                moved = conn.execute(
                    "UPDATE subscriptions SET next_due_at = ? WHERE id = ? AND active = 1 "
                    "AND next_due_at IS ?",
                    (to_iso(claim.next_due_at), claim.subscription_id, to_iso(claim.expected)),
                ).rowcount
                if not moved:
                    continue
                for record in claim.records:
                    cursor = conn.execute(
                        "INSERT INTO deliveries (subscription_id, local_date, status, reason, "
                        "due_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (subscription_id, local_date) DO NOTHING",
                        (claim.subscription_id, record.local_date, record.status, record.reason,
                         to_iso(record.due_at), stamp, stamp),
                    )
                    if cursor.rowcount:
                        key = (claim.subscription_id, record.local_date)
                        written[key] = inserted_id(cursor)
        return written

    def taken(self, subscription_id: int, local_date: str) -> bool:
        """Whether that day already has a delivery row (sent or not)."""
        return self.database.execute(
            "SELECT 1 FROM deliveries WHERE subscription_id = ? AND local_date = ?",
            (subscription_id, local_date),
        ).fetchone() is not None

    # --- sending ------------------------------------------------------------------------------

    def start_sending(self, delivery_id: int, article_ids: Sequence[int], now: datetime) -> bool:
        """``pending`` → ``sending``, committed before the request leaves; False if not pending."""
        return self.database.execute(
            "UPDATE deliveries SET status = 'sending', article_ids = ?, updated_at = ? "
            "WHERE id = ? AND status = 'pending'",
            (json.dumps(list(article_ids)), to_iso(now), delivery_id),
        ).rowcount == 1

    def finish(self, delivery_id: int, status: str, now: datetime, reason: str | None = None,
               article_ids: Sequence[int] | None = None) -> None:
        """Record the outcome of a pending or sending delivery."""
        if status not in FINAL:
            raise ValueError(f"not a final delivery status: {status!r}")
        self.database.execute(
            "UPDATE deliveries SET status = ?, reason = ?, updated_at = ?, "
            "sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END, "
            "article_ids = COALESCE(?, article_ids) WHERE id = ? AND status IN ('pending', 'sending')",
            (status, reason, to_iso(now), status, to_iso(now),
             json.dumps(list(article_ids)) if article_ids is not None else None, delivery_id),
        )

    # --- after a restart ----------------------------------------------------------------------

    def recover(self, now: datetime) -> tuple[int, list[Job]]:
        """Settle what a previous process left: returns (interrupted count, pending jobs).

        ``sending`` rows may or may not have reached the reader: recorded failed, never resent.
        ``pending`` rows never reached the platform: returned to be sent (or judged missed).
        """
        with self.database.transaction() as conn:
            interrupted = conn.execute(
                "UPDATE deliveries SET status = 'failed', reason = ?, updated_at = ? "
                "WHERE status = 'sending'", (INTERRUPTED, to_iso(now)),
            ).rowcount
            rows = query(
                conn,
                f"SELECT d.id AS delivery_id, d.local_date, d.due_at, d.created_at AS claimed_at, "
                f"{_SUB}, {_CHAT}, {_PREVIOUS.format(date='d.local_date')} AS previous_at "
                "FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id "
                "LEFT JOIN chats c ON c.platform = s.platform AND c.chat_id = s.chat_id "
                "WHERE d.status = 'pending' ORDER BY d.due_at, d.id",
            ).fetchall()
        return interrupted, [_row_to_job(row) for row in rows]

    # --- reading ------------------------------------------------------------------------------

    def for_subscription(self, subscription_id: int) -> list[Delivery]:
        rows = self.database.query(
            "SELECT id, subscription_id, local_date, status, reason, article_ids, due_at, "
            "sent_at, created_at, updated_at FROM deliveries WHERE subscription_id = ? "
            "ORDER BY local_date", (subscription_id,),
        ).fetchall()
        return [_row_to_delivery(row) for row in rows]

    def counts(self) -> dict[str, int]:
        """Rows per status (for ``bantin stats``, benchmarks and tests)."""
        rows = self.database.query(
            "SELECT status, count(*) AS n FROM deliveries GROUP BY status").fetchall()
        return {row["status"]: int(row["n"]) for row in rows}
