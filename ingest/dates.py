"""Dates as Vietnamese news sites write them, read into aware UTC datetimes.

Traps handled here: ``GMT+7`` offsets (``email.utils`` silently drops them and returns a naive
time), dates with no offset at all (taken as Asia/Ho_Chi_Minh, where these papers are written),
and the day-first ``11:42 27/12/2022`` / ``27/12/2022 - 11:42`` forms of article pages.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bantin.timezones import DEFAULT_TIMEZONE

VIETNAM = ZoneInfo(DEFAULT_TIMEZONE)

_GMT_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\s*$", re.IGNORECASE)
_TIME_DAY = re.compile(
    r"(?P<h>\d{1,2})[:h](?P<m>\d{2})(?::(?P<s>\d{2}))?\s*(?:,|-|–|ngày)?\s*"
    r"(?P<d>\d{1,2})/(?P<mo>\d{1,2})/(?P<y>\d{4})"
)
_DAY_TIME = re.compile(
    r"(?P<d>\d{1,2})/(?P<mo>\d{1,2})/(?P<y>\d{4})\s*(?:,|-|–|lúc)?\s*"
    r"(?P<h>\d{1,2})[:h](?P<m>\d{2})(?::(?P<s>\d{2}))?(?:\s*\((?:GMT|UTC)\s*(?P<off>[+-]\d{1,2})\))?"
)
_DAY_ONLY = re.compile(r"\b(?P<d>\d{1,2})/(?P<mo>\d{1,2})/(?P<y>\d{4})\b")


def to_utc(value: datetime, default_tz: ZoneInfo = VIETNAM) -> datetime:
    """An aware UTC datetime; a naive one is read as ``default_tz`` (Vietnam)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=default_tz)
    return value.astimezone(UTC)


def _fix_gmt_offset(text: str) -> str:
    """Rewrite ``GMT+7`` / ``UTC+07:00`` as ``+0700``, which every parser understands."""
    match = _GMT_OFFSET.search(text)
    if not match:
        return text
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    return text[: match.start()] + f"{sign}{hours:02d}{minutes:02d}"


def _from_groups(match: re.Match[str], offset: str | None = None) -> datetime | None:
    groups = match.groupdict()
    try:
        value = datetime(
            int(groups["y"]), int(groups["mo"]), int(groups["d"]),
            int(groups.get("h") or 0), int(groups.get("m") or 0), int(groups.get("s") or 0),
        )
    except ValueError:
        return None
    if offset:
        return value.replace(tzinfo=timezone(timedelta(hours=int(offset)))).astimezone(UTC)
    return to_utc(value)


def parse_date(text: str | None) -> datetime | None:
    """Read a date as feeds and pages write it; ``None`` when there is none to read.

    RFC 822 (with ``GMT+7`` fixed first), ISO 8601, and day-first Vietnamese forms.
    """
    if not text:
        return None
    text = " ".join(str(text).split())
    if not text:
        return None
    iso = _parse_iso(text)
    if iso is not None:
        return iso
    fixed = _fix_gmt_offset(text)
    try:
        parsed = email.utils.parsedate_to_datetime(fixed)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return to_utc(parsed)
    return parse_vietnamese_date(text)


def _parse_iso(text: str) -> datetime | None:
    candidate = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    candidate = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", candidate)  # +0700 -> +07:00
    if candidate.endswith("Z"):
        candidate = candidate[:-1] + "+00:00"
    if not re.match(r"^\d{4}-\d{2}-\d{2}", candidate):
        return None
    try:
        return to_utc(datetime.fromisoformat(candidate))
    except ValueError:
        return None


def parse_vietnamese_date(text: str) -> datetime | None:
    """``11:42 27/12/2022``, ``Thứ ba, 27/12/2022 - 11:42 (GMT+7)``, or just ``27/12/2022``."""
    match = _DAY_TIME.search(text)
    if match:
        return _from_groups(match, match.group("off"))
    match = _TIME_DAY.search(text)
    if match:
        return _from_groups(match)
    match = _DAY_ONLY.search(text)
    if match:
        return _from_groups(match)
    return None
