"""Times of day as Vietnamese readers type them: "7 giờ tối", "7h tối", "7:00 sáng", "19 giờ",
"tối 7 giờ", "7 giờ rưỡi", "6h30", "12 giờ đêm".

A part of the day (sáng, trưa, chiều, tối, đêm) turns a 12-hour reading into the 24-hour
clock; a time the part of the day cannot hold ("19 giờ sáng", "3 giờ tối") or one that says
two things at once ("12 giờ sáng": noon or midnight?) gets an answer saying so, in Vietnamese,
rather than being taken for a topic name. Matching runs on the folded text (no diacritics,
lower case), whose positions are the original's, so the caller can cut what follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bantin.text import fold

_SPOKEN = re.compile(
    r"\s*(?:(?P<pre>sang|trua|chieu|toi|dem)\s+)?"
    r"(?P<hour>\d{1,2})"
    r"(?:\s*(?P<sep>gio|:|h|g|\.)\s*(?:(?P<minute>\d{1,2})(?:\s*(?:phut|p)(?![a-z]))?|"
    r"(?P<half>ruoi))?|(?P<packed>\d{2}))?"
    r"(?:\s+(?P<post>sang|trua|chieu|toi|dem))?"
    r"(?=$|[\s,;])"
)
# What each part of the day holds, as the reader would say it: used in the answer.
_RANGES = {
    "sang": "buổi sáng là từ 0 giờ đến 11 giờ",
    "trua": "buổi trưa là từ 10 giờ đến 2 giờ chiều",
    "chieu": "buổi chiều là từ 1 giờ đến 7 giờ (13–19 giờ)",
    "toi": "buổi tối là từ 6 giờ đến 11 giờ (18–23 giờ)",
    "dem": "ban đêm là từ 9 giờ tối đến 4 giờ sáng",
}
_NAMES = {"sang": "sáng", "trua": "trưa", "chieu": "chiều", "toi": "tối", "dem": "đêm"}


@dataclass
class SpokenTime:
    """A time read at the start of a text: ``time`` ("19:00") or ``problem`` (the answer to
    give), and ``end``, how many characters of the text it took."""

    time: str | None
    problem: str | None
    end: int


def _hour_in(period: str, hour: int) -> int | None | str:
    """The 24-hour hour of ``hour`` said with ``period``; ``None`` when impossible, and
    ``"ambiguous"`` when it could be two times."""
    if period == "sang":
        return "ambiguous" if hour == 12 else hour if hour <= 11 else None
    if period == "trua":
        return hour if 10 <= hour <= 14 else hour + 12 if 1 <= hour <= 2 else None
    if period == "chieu":
        return hour + 12 if 1 <= hour <= 7 else hour if 12 <= hour <= 19 else None
    if period == "toi":
        if hour == 12:
            return "ambiguous"
        return hour + 12 if 6 <= hour <= 11 else hour if 18 <= hour <= 23 else None
    # đêm
    if hour == 12:
        return 0
    return hour + 12 if 9 <= hour <= 11 else hour if hour in (21, 22, 23, 0, 1, 2, 3, 4) else None


def read_spoken_time(text: str) -> SpokenTime | None:
    """The time at the start of ``text``, or ``None`` when it does not start with one."""
    match = _SPOKEN.match(fold(text))
    if not match:
        return None
    typed = " ".join(text[:match.end()].split())
    hour = int(match["hour"])
    minute = 30 if match["half"] else int(match["minute"] or match["packed"] or 0)
    if hour > 23 or minute > 59:
        return SpokenTime(None, f"Mình không hiểu giờ “{typed}”: giờ từ 0 đến 23, phút từ 0 "
                                "đến 59. Ví dụ: /subscribe 07:00 hoặc /subscribe 7 giờ tối.",
                          match.end())
    periods = {p for p in (match["pre"], match["post"]) if p}
    if len(periods) > 1:
        return SpokenTime(None, f"“{typed}” là buổi nào? Bạn chỉ cần gõ một buổi, ví dụ "
                                "/subscribe 7 giờ sáng hoặc /subscribe 7 giờ tối.", match.end())
    if periods:
        period = periods.pop()
        reading = _hour_in(period, hour)
        if reading == "ambiguous":
            return SpokenTime(None, f"“{typed}” có thể là 12 giờ trưa hoặc 0 giờ đêm. Bạn gõ "
                                    "/subscribe 12 giờ trưa hoặc /subscribe 0 giờ nhé.",
                              match.end())
        if reading is None:
            return SpokenTime(None, f"Không có “{typed}”: {_RANGES[period]}. Ví dụ: "
                                    f"/subscribe 7 giờ {_NAMES[period]}." if period != "dem" else
                              f"Không có “{typed}”: {_RANGES[period]}. Ví dụ: "
                              "/subscribe 11 giờ đêm.", match.end())
        hour = int(reading)
    return SpokenTime(f"{hour:02d}:{minute:02d}", None, match.end())
