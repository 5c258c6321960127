"""``$round`` and ``$formatBase`` for any JSON number, as jsonata-js answers them.

jsonata-python rounds through ``decimal`` in the default context, which raises
``InvalidOperation`` for a number such as ``1e300`` (more digits than the context
holds) or a precision of 400: a Python exception, where jsonata-js (AWS's engine)
answers a number. Here the rounding runs in a context wide enough for every double
and every precision, rounding half to even as JSONata documents, and a result too
large for a double is JSONata's D1001 "Number out of range".
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import TYPE_CHECKING, Any, Final

from jsonata import JException

if TYPE_CHECKING:
    from collections.abc import Sequence

# Every double has at most 17 significant digits and an exponent within +-324; a
# precision beyond the number's own digits changes nothing and is answered directly.
_WIDE: Final = Context(prec=800, Emax=10_000, Emin=-10_000)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def round_half_even(value: float | int, precision: int) -> float | int:
    """``value`` rounded to ``precision`` decimal places (negative: tens, hundreds...).

    Raises:
        JException: D1001, the result does not fit a double.
    """
    if isinstance(value, float) and not math.isfinite(value):
        return value
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    exponent = exact.as_tuple().exponent
    assert isinstance(exponent, int)
    if -precision <= exponent:
        return value  # no digit to drop
    if exact.adjusted() + 2 < -precision:
        return 0  # every digit is dropped and the value is below half a unit
    rounded = exact.quantize(Decimal(1).scaleb(-precision, _WIDE), rounding=ROUND_HALF_EVEN, context=_WIDE)
    result = float(rounded)
    if not math.isfinite(result):
        raise JException("D1001", -1, result)
    if result == 0:
        return 0  # JSON has no -0
    return int(result) if result.is_integer() and abs(result) < 2**53 else result


def _precision(value: Any) -> int:
    if value is None:
        return 0
    if not math.isfinite(value):
        return 10_000 if value > 0 else -10_000
    return max(-10_000, min(10_000, int(math.trunc(value))))


def round_(arguments: Sequence[Any], scope: Any) -> Any:
    """``$round(number, precision)``: half to even, any number, any precision."""
    value, precision = arguments[0], arguments[1]
    if value is None:
        return None
    if not _number(value):
        return value
    return round_half_even(value, _precision(precision) if _number(precision) else 0)


_DIGITS: Final = "0123456789abcdefghijklmnopqrstuvwxyz"


def format_base(arguments: Sequence[Any], scope: Any) -> Any:
    """``$formatBase(number, radix)``: the rounded number's digits in base 2 to 36 (default 10)."""
    value, radix = arguments[0], arguments[1]
    if value is None:
        return None
    base = 10 if radix is None else round_half_even(radix, 0)
    if not 2 <= base <= 36:
        raise JException("D3100", -1, radix)
    rounded = round_half_even(value, 0)
    if isinstance(rounded, float) and not math.isfinite(rounded):
        return str(rounded).replace("inf", "Infinity").replace("nan", "NaN")
    number = int(rounded)
    digits = []
    magnitude = abs(number)
    while True:
        magnitude, digit = divmod(magnitude, int(base))
        digits.append(_DIGITS[digit])
        if magnitude == 0:
            break
    return ("-" if number < 0 else "") + "".join(reversed(digits))
