"""Command parsing, times of day and relative times: the small rules readers notice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.handlers import _search_data
from bot.router import parse_command
from bot.timefmt import parse_time_of_day, relative_time, zone

HCM = zone("Asia/Ho_Chi_Minh", "Asia/Ho_Chi_Minh")
NOW = datetime(2024, 11, 28, 5, 0, tzinfo=UTC)  # 12:00 in Hà Nội


@pytest.mark.parametrize("typed, expected", [
    ("7:00", "07:00"), ("07:00", "07:00"), ("7h", "07:00"), ("7h30", "07:30"),
    ("7 giờ", "07:00"), ("0700", "07:00"), ("23:59", "23:59"), ("18g", "18:00"),
    ("25:00", None), ("abc", None), ("24:00", None), ("7:60", None), ("", None),
    ("7 giờ tối", "19:00"), ("7h rưỡi", "07:30"), ("12 giờ đêm", "00:00"),
    ("19 giờ sáng", None), ("7 giờ tối nay", None),
])
def test_times_of_day(typed, expected):
    assert parse_time_of_day(typed) == expected


@pytest.mark.parametrize("ago, expected", [
    (timedelta(seconds=20), "vừa xong"),
    (timedelta(minutes=15), "15 phút trước"),
    (timedelta(hours=2), "2 giờ trước"),
    (timedelta(hours=17, minutes=30), "hôm qua 18:30"),
    (timedelta(days=3), "25/11 12:00"),
    (timedelta(days=400), "25/10/2023"),
])
def test_relative_times_in_vietnamese(ago, expected):
    assert relative_time(NOW - ago, NOW, HCM) == expected


def test_relative_time_follows_the_readers_zone():
    moment = NOW - timedelta(hours=17, minutes=30)  # 11:30 UTC yesterday
    assert relative_time(moment, NOW, zone("Europe/Berlin", "UTC")) == "hôm qua 12:30"


def test_unknown_zone_falls_back_to_default():
    assert zone("Mars/Olympus", "Asia/Ho_Chi_Minh").key == "Asia/Ho_Chi_Minh"


def test_command_parsing():
    parsed = parse_command("/Latest@Bantin_Bot   10 ")
    assert (parsed.name, parsed.args, parsed.addressed_to) == ("latest", "10", "Bantin_Bot")
    assert parse_command("/search đà nẵng").args == "đà nẵng"
    assert parse_command("no command") is None
    assert parse_command("/") is None


def test_search_paging_data_fits_in_64_bytes_and_keeps_the_query():
    # The words as typed: their diacritics rank page 2 as they ranked page 1.
    assert _search_data("Đà Nẵng", 2) == "/search đà nẵng trang 2"
    long = _search_data("thành phố Hồ Chí Minh mở rộng đường vành đai ba và bốn năm nay", 12)
    assert len(long.encode()) <= 64 and long.endswith(" trang 12")
