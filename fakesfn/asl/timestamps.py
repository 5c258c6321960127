"""Timestamps as the Choice state's ``Timestamp*`` and ``IsTimestamp`` operators read them.

AWS: "Timestamps (for example, 2016-08-18T17:33:00Z) must conform to RFC3339 profile
ISO 8601, with further restrictions: an uppercase T must separate the date and time
portions; an uppercase Z must denote that a numeric time zone offset isn't present."
The service parses them as an "ISO-8601 extended offset date-time" (its wording in
the Wait state's TimestampPath error, case ``base.test_wait.test_wait_timestamppath``):
seconds and fraction optional, 0-9 fraction digits, ``Z`` or a ``±HH:MM[:ss]`` offset,
and calendar fields checked strictly (no February 30th, no hour 24, no leap second).

A timestamp becomes an exact ``(epoch_second, nanosecond)`` pair, so ordering and
equality compare instants, not texts: ``...T19:00:55+01:00`` equals ``...T18:00:55Z``.
Years outside ``datetime``'s range are fine: the day count is computed directly.
"""

from __future__ import annotations

import re
from typing import Final

Instant = tuple[int, int]
"""Seconds since 1970-01-01T00:00:00Z and the nanoseconds within that second."""

_TIMESTAMP: Final = re.compile(
    r"(?P<year>[0-9]{4}|-[0-9]{4}|[+-][0-9]{5,9})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"T(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]{0,9}))?)?"
    r"(?:Z|(?P<sign>[+-])(?P<off_hour>[0-9]{2}):(?P<off_minute>[0-9]{2})(?::(?P<off_second>[0-9]{2}))?)"
)

_DAYS_IN_MONTH: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_MAX_OFFSET_SECONDS: Final = 18 * 3600


def parse_timestamp(text: str) -> Instant | None:
    """The instant ``text`` names, or ``None`` when it is not a timestamp AWS accepts."""
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return None
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
    if not (1 <= month <= 12 and 1 <= day <= _days_in_month(year, month)):
        return None
    if hour > 23 or minute > 59 or second > 59:
        return None
    offset = _offset_seconds(match)
    if offset is None:
        return None
    seconds = _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset
    nanos = int((match["fraction"] or "").ljust(9, "0"))
    return seconds, nanos


def is_timestamp(value: object) -> bool:
    """Whether ``value`` is a string that :func:`parse_timestamp` accepts."""
    return type(value) is str and parse_timestamp(value) is not None


def _offset_seconds(match: re.Match[str]) -> int | None:
    if match["sign"] is None:
        return 0
    hours, minutes, seconds = int(match["off_hour"]), int(match["off_minute"]), int(match["off_second"] or 0)
    if minutes > 59 or seconds > 59:
        return None
    total = hours * 3600 + minutes * 60 + seconds
    if total > _MAX_OFFSET_SECONDS:
        return None
    return -total if match["sign"] == "-" else total


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in_month(year: int, month: int) -> int:
    return 29 if month == 2 and _is_leap(year) else _DAYS_IN_MONTH[month - 1]


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm)."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468
