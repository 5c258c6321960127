"""``$toMillis`` as jsonata-js reads a timestamp, the same on every Python version.

jsonata-python reads a timestamp without a picture with ``datetime.fromisoformat``,
which on Python 3.10 refuses the ``Z`` suffix (and fractions of other than 3 or 6
digits) that 3.11 accepts: ``$toMillis("2024-01-01T00:00:00Z")`` failed on one
interpreter and answered on the other. jsonata-js 2.0.6, whose answers AWS gives,
first checks the text against its ISO 8601 pattern (else error D3110) and then
reads it with JavaScript's ``Date.parse``. This module does both itself:

- a text outside jsonata-js's pattern fails with D3110, worded as jsonata-js words it;
- a text in ECMAScript's date-time format (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, each
  optionally followed by ``THH:mm:ss`` with any fraction, then ``Z``, ``±HH:mm`` or
  ``±HHmm``) is read exactly, to the millisecond; a time without an offset is UTC,
  the time zone Step Functions runs in;
- any other text the pattern lets through (a month 13, a fraction without a time)
  is a date ``Date.parse`` calls invalid, ``NaN`` in JavaScript, which JSON cannot
  carry: fakesfn answers undefined (house).

With a picture, the library's own picture parser (plain Python, the same on every
interpreter) does the work.
"""

from __future__ import annotations

import json
import re
import warnings
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Final

from jsonata.functions import Functions

from fakesfn.asl.jsonata.messages import FunctionError

if TYPE_CHECKING:
    from collections.abc import Sequence

# jsonata-js 2.0.6, datetime.js: the texts $toMillis accepts without a picture.
_JSONATA_ISO8601: Final = re.compile(
    r"\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?"
)
# ECMAScript's date-time string format, as Date.parse reads it (offset only after a time).
_ECMASCRIPT: Final = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2})(?:\.(?P<fraction>\d+))?"
    r"(?P<zone>Z|[+-]\d{2}:?\d{2})?)?"
)
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=timezone.utc)


def to_millis(arguments: Sequence[Any], scope: object) -> Any:
    """``$toMillis(timestamp, picture?)``: epoch milliseconds of a timestamp."""
    timestamp, picture = arguments[0], arguments[1]
    if timestamp is None:
        return None
    if picture is not None:
        with warnings.catch_warnings():
            # The picture parser calls datetime.utcnow(), deprecated since Python 3.12: the
            # user's expression must not raise (or print) a warning about the library's code.
            warnings.simplefilter("ignore", DeprecationWarning)
            return Functions.datetime_to_millis(timestamp, picture)
    if _JSONATA_ISO8601.fullmatch(timestamp) is None:
        raise FunctionError(
            "D3110",
            "The argument of the toMillis function must be an ISO 8601 formatted timestamp. "
            f"Given {json.dumps(timestamp, ensure_ascii=False)}",
        )
    return epoch_millis(timestamp)


def epoch_millis(timestamp: str) -> int | None:
    """The instant an ECMAScript date-time text names, or None where ``Date.parse`` gives NaN."""
    match = _ECMASCRIPT.fullmatch(timestamp)
    if match is None:
        return None
    field = match.groupdict()
    try:
        instant = datetime(
            int(field["year"]),
            int(field["month"] or 1),
            int(field["day"] or 1),
            int(field["hour"] or 0),
            int(field["minute"] or 0),
            int(field["second"] or 0),
            tzinfo=timezone.utc,
        )
    except ValueError:
        return None
    delta = instant - _EPOCH
    millis = (delta.days * 86_400 + delta.seconds) * 1000 + int((field["fraction"] or "")[:3].ljust(3, "0"))
    zone = field["zone"]
    if zone and zone != "Z":
        digits = zone[1:].replace(":", "")
        offset = int(digits[:2]) * 60 + int(digits[2:])
        if offset > 23 * 60 + 59 or int(digits[2:]) > 59:
            return None
        millis -= (offset if zone[0] == "+" else -offset) * 60_000
    return millis
