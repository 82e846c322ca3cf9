"""Which failures a digest is resent after: only those that prove the reader did not get it.

A request that certainly did not reach Telegram (5xx, cannot connect) is retried up to 3 times
with backoff; one that may have arrived (no answer within the read timeout, the connection lost
after sending) is never resent — the reader might get the digest twice — and is recorded
failed, "unknown fate".
"""

from __future__ import annotations

import pytest

from tests.helpers.clock import hanoi

READER, OTHER = 701, 702
READ_TIMEOUT = 0.5


@pytest.fixture
def transport_settings() -> dict:
    return {"request_timeout": READ_TIMEOUT}


def calls_to(digests, chat: int) -> list:
    return [c for c in digests.server.calls_to("sendMessage") if c.params["chat_id"] == str(chat)]


async def subscribe_both(digests) -> None:
    for chat in (READER, OTHER):
        digests.subscribe(chat, "07:00")
    digests.add(1)


async def test_a_5xx_is_retried_and_the_digest_arrives_once(digests):
    await subscribe_both(digests)
    digests.server.fail("sendMessage", 500, "Internal Server Error", chat_id=READER, times=2)
    await digests.run(hanoi(28, 7, 0))
    assert [c.status for c in calls_to(digests, READER)] == [500, 500, 200]
    assert len(digests.to(READER)) == 1 and len(digests.to(OTHER)) == 1
    [row] = digests.deliveries(READER)
    assert row.status == "sent" and row.sent_at is not None


async def test_three_retries_then_recorded_failed_and_the_others_still_get_theirs(digests):
    await subscribe_both(digests)
    digests.server.fail("sendMessage", 503, "Service Unavailable", chat_id=READER, times=50)
    await digests.run(hanoi(28, 7, 0))
    assert [c.status for c in calls_to(digests, READER)] == [503] * 4  # 1 try + 3 retries
    assert digests.to(READER) == []
    [row] = digests.deliveries(READER)
    assert row.status == "failed" and "Service Unavailable" in row.reason
    assert len(digests.to(OTHER)) == 1
    assert digests.store.deliveries.counts() == {"failed": 1, "sent": 1}


async def test_a_read_timeout_is_not_resent_and_is_recorded_unknown_fate(digests):
    await subscribe_both(digests)
    # Telegram delivers the digest but answers after the read timeout.
    digests.server.delay("sendMessage", READ_TIMEOUT * 4, chat_id=READER)
    await digests.run(hanoi(28, 7, 0))
    assert len(calls_to(digests, READER)) == 1  # never sent again
    [row] = digests.deliveries(READER)
    assert row.status == "failed" and row.reason.startswith("unknown fate")
    await digests.server.wait_for(lambda: not digests.server.lags)
    assert len(digests.to(READER)) == 1  # it had arrived: a resend would have been a duplicate
    assert len(digests.to(OTHER)) == 1
    # Tomorrow's digest is sent as usual.
    digests.clock.set(hanoi(29, 6, 30))
    digests.add(2)
    await digests.run(hanoi(29, 7, 0))
    assert len(digests.to(READER)) == 2


async def test_a_connection_lost_after_sending_is_not_resent(digests):
    await subscribe_both(digests)
    digests.server.drop("sendMessage", chat_id=READER)
    await digests.run(hanoi(28, 7, 0))
    assert len(calls_to(digests, READER)) == 1
    assert len(digests.to(READER)) == 1
    [row] = digests.deliveries(READER)
    assert row.status == "failed" and row.reason.startswith("unknown fate")
    assert len(digests.to(OTHER)) == 1
