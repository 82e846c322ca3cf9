"""Rows read by column name: joins whose tables share column names keep each value apart, and
the rest of the connection still hands out plain tuples."""

from __future__ import annotations

from datetime import UTC, datetime

from bantin.timezones import DEFAULT_TIMEZONE
from store import Store
from store.deliveries import Claim, Record
from store.rows import query

CLAIMED = datetime(2030, 5, 6, 1, 0, tzinfo=UTC)
DUE = datetime(2030, 5, 6, 0, 0, tzinfo=UTC)


def _claim_for_inactive_chat(store: Store) -> int:
    """An active subscription in a chat that blocked the bot, with one pending delivery."""
    store.chats.seen("telegram", "42")
    subscription = store.subscriptions.subscribe(
        "telegram", "42", "07:00", DEFAULT_TIMEZONE, next_due_at=DUE)
    store.chats.mark_inactive("telegram", "42", "bot blocked by the reader")
    written = store.deliveries.claim(
        [Claim(subscription.id, DUE, datetime(2030, 5, 7, 0, 0, tzinfo=UTC),
               [Record("2030-05-06", DUE, "pending")])],
        CLAIMED,
    )
    return written[(subscription.id, "2030-05-06")]


def test_a_recovered_job_keeps_the_subscription_chat_and_delivery_apart(
    fresh_store: Store,
) -> None:
    delivery_id = _claim_for_inactive_chat(fresh_store)

    interrupted, jobs = fresh_store.deliveries.recover(CLAIMED)

    assert interrupted == 0
    [job] = jobs
    assert job.delivery_id == delivery_id
    assert job.claimed_at == CLAIMED and job.due_at == DUE
    # Subscription, chat and delivery all have "active" or "created_at" columns of their own.
    assert job.subscription.active is True
    assert job.subscription.created_at is not None and job.subscription.created_at < CLAIMED
    assert job.chat_active is False
    assert job.chat_reason == "bot blocked by the reader"
    assert job.previous_at is None


def test_a_due_subscription_reads_its_own_active_flag_not_its_chats(fresh_store: Store) -> None:
    fresh_store.chats.seen("zalo", "7")
    fresh_store.subscriptions.subscribe("zalo", "7", "07:00", DEFAULT_TIMEZONE, next_due_at=DUE)
    fresh_store.chats.mark_inactive("zalo", "7", "left the group")

    [due] = fresh_store.deliveries.due(CLAIMED)

    assert due.subscription.active is True and due.subscription.chat_id == "7"
    assert due.chat_active is False and due.chat_reason == "left the group"


def test_named_rows_leave_the_connections_tuples_alone(fresh_store: Store) -> None:
    conn = fresh_store.database.conn
    named = query(conn, "SELECT 1 AS one, 'hai' AS two").fetchone()
    assert (named["one"], named["two"]) == (1, "hai")

    assert conn.execute("SELECT 1, 'hai'").fetchone() == (1, "hai")
    assert fresh_store.stats()["chats"] == 0
