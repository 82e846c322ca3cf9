"""When a digest falls due: weekdays the Vietnamese way, occurrences in the reader's time zone.

Days are kept as a string of Python weekday digits (Monday = "0" … Sunday = "6"). Readers write
them as Vietnamese calendars do: "t2" (thứ Hai, Monday) … "t7" (Saturday), "cn" (Sunday),
ranges "t2-t6", lists "t2,t4,t6", or words: "hằng ngày", "cuối tuần", "ngày thường".

Occurrences are local wall-clock times turned into UTC instants through ``zoneinfo``: a time
that does not exist on a spring-forward day maps to the instant just after the gap, and an
ambiguous time on a fall-back day to its first occurrence (PEP 495 ``fold=0``).
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from bantin.text import fold

EVERY_DAY = "0123456"
DAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
_ORDINALS = {"hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7}
_KEYWORDS = {
    "hang ngay": EVERY_DAY, "moi ngay": EVERY_DAY, "ca tuan": EVERY_DAY,
    "tat ca cac ngay": EVERY_DAY, "cuoi tuan": "56", "ngay thuong": "01234",
    "ngay lam viec": "01234",
}
_ATOM = r"(?:t\s?[2-7]|thu\s?(?:[2-7]|hai|ba|tu|nam|sau|bay)|cn|chu\s?nhat)"
_SPEC = re.compile(
    rf"\s*(?:(?:,|;|\bva\b)\s*)?(?P<spec>"
    rf"{'|'.join(sorted(_KEYWORDS, key=len, reverse=True))}"
    rf"|(?P<first>{_ATOM})(?:\s*(?:-|–|\bden\b|\btoi\b)\s*(?P<last>{_ATOM}))?)(?![\w])"
)


def _day_of(atom: str) -> int:
    """"t2" / "thu 2" / "thu hai" → 0 (Monday) … "cn" / "chu nhat" → 6."""
    atom = atom.replace(" ", "")
    if atom in ("cn", "chunhat"):
        return 6
    tail = atom.removeprefix("thu").removeprefix("t")
    number = int(tail) if tail.isascii() and tail.isdigit() else _ORDINALS[tail]
    return number - 2


def take_days(text: str) -> tuple[str | None, int]:
    """Read a days expression at the start of ``text``: (days, characters used).

    ``None`` when ``text`` does not start with one. Works on the folded text, whose positions
    are the original's, so the caller can cut the rest (the topics) from the original.
    """
    folded = fold(text)
    chosen: set[int] = set()
    position = 0
    while True:
        match = _SPEC.match(folded, position)
        if not match:
            break
        position = match.end()
        spec = " ".join(match["spec"].split())
        if spec in _KEYWORDS:
            chosen.update(int(d) for d in _KEYWORDS[spec])
            continue
        first = _day_of(match["first"])
        last = _day_of(match["last"]) if match["last"] else first
        day = first
        while True:  # a range may wrap the week: "t7-t2" is Saturday to Monday
            chosen.add(day)
            if day == last:
                break
            day = (day + 1) % 7
    if not chosen:
        return None, 0
    return "".join(str(d) for d in sorted(chosen)), position


def days_label(days: str) -> str:
    """"0123456" → "mỗi ngày"; "01234" → "từ thứ Hai đến thứ Sáu"; "56" → "thứ Bảy và Chủ nhật"."""
    numbers = sorted({int(d) for d in days})
    if len(numbers) == 7:
        return "mỗi ngày"
    if len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"từ {DAY_NAMES[numbers[0]]} đến {DAY_NAMES[numbers[-1]]}"
    names = [DAY_NAMES[n] for n in numbers]
    if len(names) == 1:
        return f"mỗi {names[0]}"
    return ", ".join(names[:-1]) + " và " + names[-1]


def local_time(hhmm: str) -> time:
    hour, minute = hhmm.split(":")
    return time(int(hour), int(minute))


def next_occurrence(hhmm: str, days: str, tz: zoneinfo.ZoneInfo, after: datetime) -> datetime:
    """The first instant strictly after ``after`` when it is ``hhmm`` on one of ``days`` in
    ``tz``, in UTC. A subscription's first digest is ``next_occurrence(..., after=now)``:
    subscribing at 09:00 for 07:30 gives tomorrow 07:30, never a catch-up."""
    allowed = {int(d) for d in days} or set(range(7))
    at = local_time(hhmm)
    start = after.astimezone(tz).date()
    for offset in range(0, 9):
        day = start + timedelta(days=offset)
        if day.weekday() not in allowed:
            continue
        candidate = datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
        if candidate > after:
            return candidate
    raise ValueError(f"no occurrence of {hhmm} on days {days!r}")  # unreachable for valid days


def local_date(moment: datetime, tz: zoneinfo.ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def period_of_day(hour: int) -> str:
    """The Vietnamese name of the part of the day a digest belongs to."""
    if 4 <= hour < 11:
        return "sáng"
    if 11 <= hour < 14:
        return "trưa"
    if 14 <= hour < 18:
        return "chiều"
    return "tối"
