"""Claiming due digests: the database is the schedule, so a restart loses nothing.

Each minute the sender's ``tick`` runs ``claim_due`` in a worker thread: it reads the
subscriptions whose ``next_due_at`` has passed and, in one transaction per batch, writes a
delivery row for each (unique per subscription and local date) and moves ``next_due_at`` to the
next occurrence. Only the rows claimed ``pending`` become jobs to send; occurrences that fell
due while bantin was down are recorded ``missed``, and a chat that blocked the bot ``blocked``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import datetime, timedelta

from bot.engine.timefmt import zone
from bot.features.digests.settings import DigestSettings, hours
from bot.features.schedule import local_date, next_occurrence
from store import Store
from store.deliveries import BLOCKED, MISSED, PENDING, Claim, Due, Job, Record

HISTORY_LIMIT = timedelta(days=31)  # missed days further back than this are not recorded


def claim_due(store: Store, settings: DigestSettings, now: datetime,
              skip_platforms: Collection[str] = ()) -> tuple[list[Job], Counter[str]]:
    """Runs in a worker thread: schedule new subscriptions, claim the due ones (except on
    ``skip_platforms``, not connected yet: their digests stay due until they are)."""
    deliveries = store.deliveries
    outcome: Counter[str] = Counter()
    for subscription in deliveries.unscheduled():
        first = next_occurrence(subscription.time, subscription.days,
                                zone(subscription.timezone, settings.timezone), now)
        deliveries.schedule(subscription.id, first)
        outcome["scheduled"] += 1
    jobs: list[Job] = []
    for _ in range(10_000):  # a bound, not a limit anyone meets: 10k batches of 1k
        due = deliveries.due(now, settings.claim_batch, skip_platforms=skip_platforms)
        if not due:
            break
        plans = [plan(item, now, settings) for item in due]
        written = deliveries.claim([claim for claim, _ in plans], now)
        for item, (claim, last) in zip(due, plans, strict=True):
            for record in claim.records:
                if (claim.subscription_id, record.local_date) not in written:
                    continue
                outcome[record.status] += 1
                if record.status == PENDING and record is last:
                    jobs.append(Job(
                        delivery_id=written[(claim.subscription_id, record.local_date)],
                        local_date=record.local_date, due_at=record.due_at, claimed_at=now,
                        subscription=item.subscription, chat_active=item.chat_active,
                        chat_reason=item.chat_reason, previous_at=item.previous_at,
                    ))
        if len(due) < settings.claim_batch:
            break
    return jobs, outcome


def plan(item: Due, now: datetime, settings: DigestSettings) -> tuple[Claim, Record | None]:
    """The rows to write for a due subscription, and its next due time.

    Every occurrence between ``next_due_at`` and now gets a row: the last one is sent if it
    is within the catch-up window (else missed), earlier ones were missed while bantin was
    down. A chat that blocked the bot gets ``blocked`` and keeps its subscription.
    """
    sub = item.subscription
    tz = zone(sub.timezone, settings.timezone)
    occurrence = sub.next_due_at
    assert occurrence is not None
    if occurrence < now - HISTORY_LIMIT:
        occurrence = next_occurrence(sub.time, sub.days, tz, now - HISTORY_LIMIT)
    past: list[datetime] = []
    while occurrence <= now:
        past.append(occurrence)
        occurrence = next_occurrence(sub.time, sub.days, tz, occurrence)
    records = [Record(local_date(at, tz).isoformat(), at, MISSED,
                      "bantin was not running when it fell due") for at in past[:-1]]
    last: Record | None = None
    if past:
        at = past[-1]
        late = now - at
        if late > settings.catch_up:
            last = Record(local_date(at, tz).isoformat(), at, MISSED,
                          f"fell due {hours(late)} ago, beyond [digest] catch_up_hours")
        elif not item.chat_active:
            last = Record(local_date(at, tz).isoformat(), at, BLOCKED,
                          item.chat_reason or "chat inactive")
        else:
            last = Record(local_date(at, tz).isoformat(), at, PENDING)
        records.append(last)
    return Claim(sub.id, sub.next_due_at, occurrence, records), last
