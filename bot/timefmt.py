"""Times as a Vietnamese reader says them, in the reader's time zone."""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime, timedelta

from bantin.timezones import DEFAULT_TIMEZONE

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


_TIME = re.compile(
    r"^(?P<hour>\d{1,2})(?:(?::|h|g|giờ|\.)\s*(?P<minute>\d{2})?|(?P<packed>\d{2}))?$",
    re.IGNORECASE,
)


def parse_time_of_day(text: str) -> str | None:
    """"7:00", "07:00", "7h", "7h30", "7 giờ", "0700" → "07:00"; anything else → None."""
    match = _TIME.match(text.strip().replace(" ", ""))
    if not match:
        return None
    hour = int(match["hour"])
    minute = int(match["minute"] or match["packed"] or 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"
