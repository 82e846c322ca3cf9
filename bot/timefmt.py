"""Times as a Vietnamese reader says them, in the reader's time zone."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from bantin.timezones import DEFAULT_TIMEZONE
from bot.spoken_time import read_spoken_time

FRIENDLY_ZONES = {DEFAULT_TIMEZONE: "giờ Việt Nam", "Asia/Saigon": "giờ Việt Nam"}


def zone(name: str | None, default: str) -> zoneinfo.ZoneInfo:
    """The named zone, or ``default`` when the name is empty or unknown."""
    for candidate in (name, default):
        if candidate:
            try:
                return zoneinfo.ZoneInfo(candidate)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                continue
    return zoneinfo.ZoneInfo(DEFAULT_TIMEZONE)


def zone_label(name: str) -> str:
    return FRIENDLY_ZONES.get(name, f"múi giờ {name}")


def relative_time(moment: datetime, now: datetime, tz: zoneinfo.ZoneInfo) -> str:
    """"vừa xong", "15 phút trước", "2 giờ trước", "hôm qua 18:30", "28/11 07:15", "28/11/2023"."""
    local, local_now = moment.astimezone(tz), now.astimezone(tz)
    delta = now - moment
    if delta < timedelta(0):
        return local.strftime("%H:%M %d/%m")
    if delta < timedelta(minutes=1):
        return "vừa xong"
    if delta < timedelta(hours=1):
        return f"{int(delta.total_seconds() // 60)} phút trước"
    days = (local_now.date() - local.date()).days
    if days == 0 or delta < timedelta(hours=6):
        return f"{int(delta.total_seconds() // 3600)} giờ trước"
    if days == 1:
        return f"hôm qua {local:%H:%M}"
    if local.year == local_now.year:
        return f"{local:%d/%m %H:%M}"
    return f"{local:%d/%m/%Y}"


def parse_time_of_day(text: str) -> str | None:
    """"7:00", "7h30", "7 giờ tối", "0700" → "HH:MM"; anything else, or more, → None.

    The whole text must be the time (``bot.spoken_time`` reads one at the start of a text).
    """
    spoken = read_spoken_time(text)
    if spoken is None or text[spoken.end:].strip():
        return None
    return spoken.time
