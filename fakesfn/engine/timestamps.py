"""Timestamps as ASL reads and writes them.

AWS reads the same timestamp syntax everywhere (see :mod:`fakesfn.asl.timestamps`)
and writes Context object times as ISO-8601 UTC with
millisecond precision (``2024-01-01T00:00:00.000Z``).
"""

from __future__ import annotations

import datetime as _dt
import functools

from fakesfn.asl.timestamps import parse_timestamp as _parse


def parse_timestamp(text: str) -> float | None:
    """Epoch seconds of an ISO-8601 extended offset date-time, or ``None`` when AWS would refuse it."""
    instant = _parse(text)
    if instant is None:
        return None
    seconds, nanos = instant
    return seconds + nanos / 1e9


@functools.lru_cache(maxsize=1024)
def format_timestamp(epoch: float) -> str:
    """``2024-01-01T00:00:00.000Z`` for an epoch second count (cached: the clock rarely moves)."""
    moment = _dt.datetime.fromtimestamp(epoch, tz=_dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
