"""Due-time maths: midnight, time zones, daylight saving, weekdays the Vietnamese way."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

import pytest

from bantin.text import hamming
from bot.digest_render import heading
from bot.schedule import days_label, next_occurrence, period_of_day, take_days

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_subscribing_after_the_time_starts_tomorrow_never_a_catch_up():
    # 09:00 in Hà Nội on 28/11 is 02:00 UTC; 07:30 has passed today, so tomorrow 07:30.
    assert next_occurrence("07:30", "0123456", HANOI, utc(2024, 11, 28, 2, 0)) == \
        utc(2024, 11, 29, 0, 30)
    # Before the time: today.
    assert next_occurrence("07:30", "0123456", HANOI, utc(2024, 11, 27, 23, 0)) == \
        utc(2024, 11, 28, 0, 30)


def test_across_midnight_local_and_utc_dates_differ():
    # 00:15 in Hà Nội on 29/11 is 17:15 UTC on 28/11.
    assert next_occurrence("00:15", "0123456", HANOI, utc(2024, 11, 28, 12, 0)) == \
        utc(2024, 11, 28, 17, 15)
    # 23:45 in Hà Nội: at 23:50 local it has passed, so the next day.
    assert next_occurrence("23:45", "0123456", HANOI, utc(2024, 11, 28, 16, 50)) == \
        utc(2024, 11, 29, 16, 45)
    # A Monday-only 00:15 seen late on Sunday night local: Monday 00:15 local, Sunday in UTC.
    assert next_occurrence("00:15", "0", HANOI, utc(2024, 12, 1, 16, 0)) == \
        utc(2024, 12, 1, 17, 15)


def test_the_same_time_of_day_in_three_time_zones():
    after = utc(2024, 11, 28, 0, 0)
    assert next_occurrence("07:00", "0123456", HANOI, after) == utc(2024, 11, 29, 0, 0)
    assert next_occurrence("07:00", "0123456", BERLIN, after) == utc(2024, 11, 28, 6, 0)
    assert next_occurrence("07:00", "0123456", LOS_ANGELES, after) == utc(2024, 11, 28, 15, 0)


def test_daylight_saving_days_give_exactly_one_occurrence():
    # Spring forward in Berlin, 31/03/2024: 02:30 does not exist; the digest still comes once.
    spring = next_occurrence("02:30", "0123456", BERLIN, utc(2024, 3, 30, 12, 0))
    assert spring.date() == datetime(2024, 3, 31).date()
    assert next_occurrence("02:30", "0123456", BERLIN, spring).date() == \
        datetime(2024, 4, 1).date()
    # Fall back, 27/10/2024: 02:30 happens twice; the first one counts, and only once.
    first = next_occurrence("02:30", "0123456", BERLIN, utc(2024, 10, 26, 12, 0))
    assert first == utc(2024, 10, 27, 0, 30)  # 02:30 CEST
    assert next_occurrence("02:30", "0123456", BERLIN, first) == utc(2024, 10, 28, 1, 30)


def test_weekdays_only_skips_the_weekend():
    friday_after = utc(2024, 11, 29, 2, 0)  # Friday 09:00 in Hà Nội
    assert next_occurrence("07:00", "01234", HANOI, friday_after) == utc(2024, 12, 2, 0, 0)
    assert next_occurrence("07:00", "6", HANOI, friday_after) == utc(2024, 12, 1, 0, 0)


@pytest.mark.parametrize(("typed", "days", "rest"), [
    ("t2-t6", "01234", ""),
    ("T2 - T6 thể thao", "01234", " thể thao"),
    ("t2,t4,t6", "024", ""),
    ("t2, t4 và t6", "024", ""),
    ("cn", "6", ""),
    ("chủ nhật", "6", ""),
    ("thứ 2 đến thứ 6, VnExpress", "01234", ", VnExpress"),
    ("thứ bảy", "5", ""),
    ("hằng ngày", "0123456", ""),
    ("hàng ngày", "0123456", ""),
    ("cuối tuần", "56", ""),
    ("t7-t2", "056", ""),
    ("thể thao", None, "thể thao"),
    ("cnn", None, "cnn"),
    ("t20", None, "t20"),
])
def test_days_written_the_vietnamese_way(typed, days, rest):
    found, used = take_days(typed)
    assert found == days
    assert typed[used:] == rest


def test_days_read_back_in_vietnamese():
    assert days_label("0123456") == "mỗi ngày"
    assert days_label("01234") == "từ thứ Hai đến thứ Sáu"
    assert days_label("56") == "thứ Bảy và Chủ nhật"
    assert days_label("024") == "thứ Hai, thứ Tư và thứ Sáu"
    assert days_label("6") == "mỗi Chủ nhật"


def test_heading_by_time_of_day():
    assert [period_of_day(h) for h in (5, 7, 11, 13, 15, 18, 22, 1)] == [
        "sáng", "sáng", "trưa", "trưa", "chiều", "tối", "tối", "tối"]
    assert heading(datetime(2024, 11, 28, 7, 0, tzinfo=HANOI)) == "📰 Bản tin sáng 28/11"
    assert heading(datetime(2024, 1, 5, 19, 30, tzinfo=HANOI)) == "📰 Bản tin tối 05/01"


def test_hamming_counts_bits_of_signed_simhashes():
    assert hamming(0, 0) == 0
    assert hamming(-1, 0) == 64
    assert hamming(0b1011, 0b0001) == 2
    assert hamming(-(2**63), 2**63 - 1) == 64
