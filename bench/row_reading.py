"""Row reading benchmark: what reading rows by column name costs the store's biggest reads.

    .venv/bin/python bench/row_reading.py [--rows 1000] [--rounds 200]

Builds a store with ``--rows`` pending feedback rows and as many due subscriptions (each with
its chat), then times two reads of ``--rows`` rows each, the size of one digest claim batch
(``claim_batch = 1000``):

- ``FeedbackRepository.pending`` (17 columns → ``Feedback``);
- ``Deliveries.due`` (subscription + chat + previous window, 15 columns → ``Due``).

Baselines, same run, same database, same SQL, rounds interleaved: the rows fetched as tuples
with nothing built (the floor), and the tuples mapped to the same dataclasses by position (how
the store read them before it read by name; kept here only as the reference).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bantin.timezones import DEFAULT_TIMEZONE  # noqa: E402
from store import Store  # noqa: E402
from store.db import from_iso, to_iso  # noqa: E402
from store.deliveries import _CHAT, _PREVIOUS, _SUB, Due  # noqa: E402
from store.feedback import COLUMNS, Feedback  # noqa: E402
from store.subscriptions import Subscription  # noqa: E402

DUE_AT = datetime(2030, 5, 6, tzinfo=UTC)
FEEDBACK_SQL = (f"SELECT {COLUMNS} FROM feedback WHERE status = 'pending' "
                "ORDER BY created_at, id LIMIT ?")
DUE_SQL = (f"SELECT {_SUB}, {_CHAT}, {_PREVIOUS.format(date='9999')} AS previous_at "
           "FROM subscriptions s LEFT JOIN chats c "
           "ON c.platform = s.platform AND c.chat_id = s.chat_id "
           "WHERE s.active = 1 AND s.next_due_at <= ? ORDER BY s.next_due_at, s.id LIMIT ?")


def feedback_by_position(row: tuple) -> Feedback:
    return Feedback(*row[:8], created_at=from_iso(row[8]),  # type: ignore[arg-type]
                    decided_at=from_iso(row[9]), moderator_id=row[10], moderator_name=row[11],
                    queue_message_id=row[12], reply_text=row[13], replied_at=from_iso(row[14]),
                    replied_by=row[15], replied_by_name=row[16])


def due_by_position(row: tuple) -> Due:
    subscription = Subscription(
        id=row[0], platform=row[1], chat_id=row[2], time=row[3], timezone=row[4], days=row[5],
        topics=json.loads(row[6] or "[]"), active=bool(row[7]), starts_on=row[8],
        created_at=from_iso(row[9]), updated_at=from_iso(row[10]), next_due_at=from_iso(row[11]))
    return Due(subscription, row[12] is None or bool(row[12]), row[13], from_iso(row[14]))


def build(store: Store, rows: int) -> None:
    with store.database.transaction():
        for n in range(rows):
            store.chats.seen("telegram", str(n), display_name=f"Bạn đọc {n}")
            store.subscriptions.subscribe("telegram", str(n), "07:00", DEFAULT_TIMEZONE,
                                          topics=["thời sự"], next_due_at=DUE_AT)
            store.feedback.add("telegram", str(n), f"Góp ý số {n}: bài viết rất hữu ích.",
                               user_id=str(n), display_name=f"Bạn đọc {n}")


def measure(cases: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """Run the cases in turn, ``rounds`` times, so noise from other work falls on all alike."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, case in cases.items():
            start = time.perf_counter()
            case()
            times[name].append(time.perf_counter() - start)
    return times


def report(title: str, times: dict[str, list[float]], rows: int) -> None:
    print(f"\n{title} ({rows} rows per read)")
    floor = statistics.median(times["baseline: tuples, nothing built"])
    by_position = statistics.median(times["baseline: mapped by position"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:34} median {median * 1000:7.2f} ms  ({median / rows * 1e6:5.1f} µs/row)"
              f"  ×{median / by_position:4.2f} by position  ×{median / floor:4.2f} tuples")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.db")
        build(store, args.rows)
        conn = store.database.conn
        feedback = {
            "baseline: tuples, nothing built": lambda: conn.execute(
                FEEDBACK_SQL, (args.rows,)).fetchall(),
            "baseline: mapped by position": lambda: [
                feedback_by_position(r) for r in conn.execute(FEEDBACK_SQL, (args.rows,))],
            "by name (store)": lambda: store.feedback.pending(limit=args.rows),
        }
        due = {
            "baseline: tuples, nothing built": lambda: conn.execute(
                DUE_SQL, (to_iso(DUE_AT), args.rows)).fetchall(),
            "baseline: mapped by position": lambda: [
                due_by_position(r) for r in conn.execute(DUE_SQL, (to_iso(DUE_AT), args.rows))],
            "by name (store)": lambda: store.deliveries.due(DUE_AT, args.rows),
        }
        assert feedback["baseline: mapped by position"]() == feedback["by name (store)"]()
        assert due["baseline: mapped by position"]() == due["by name (store)"]()
        report("FeedbackRepository.pending", measure(feedback, args.rounds), args.rows)
        report("Deliveries.due", measure(due, args.rounds), args.rows)
        store.close()


if __name__ == "__main__":
    main()
