"""Intrinsics for math: States.MathAdd and States.MathRandom.

AWS (Java) rounds non-integer arguments of both to the nearest integer the way
``Math.round`` does: MathAdd(-1.5, 0) is -1, MathAdd(2.5, 0) is 3 (recorded AWS
runs of test_math_add).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.intrinsics.spec import (
    INT_MAX,
    INT_MIN,
    LONG_MAX,
    LONG_MIN,
    ROUNDED_INTEGER,
    Param,
    fail,
    intrinsic,
    within,
)

if TYPE_CHECKING:
    from fakesfn.asl.context import Env

_MULTIPLIER: Final = 0x5DEECE66D
_MASK: Final = (1 << 48) - 1


class JavaRandom:
    """``java.util.Random``: the generator AWS seeds for States.MathRandom's seed.

    The same seed gives the same numbers as on AWS's JVM, and the same numbers on
    every run of the fake.
    """

    __slots__ = ("_state",)

    def __init__(self, seed: int) -> None:
        self._state = (seed ^ _MULTIPLIER) & _MASK

    def _next(self, bits: int) -> int:
        self._state = (self._state * _MULTIPLIER + 0xB) & _MASK
        return self._state >> (48 - bits)

    def next_int(self, bound: int) -> int:
        """``nextInt(bound)``: uniform in ``[0, bound)``; ``bound`` must be positive."""
        if bound & -bound == bound:
            return (bound * self._next(31)) >> 31
        while True:
            bits = self._next(31)
            value = bits % bound
            # Java rejects draws whose int arithmetic "bits - value + (bound - 1)" overflows.
            if bits - value + (bound - 1) < 1 << 31:
                return value


def _int(label: str) -> Param:
    return Param(label, ROUNDED_INTEGER, (within(label, INT_MIN, INT_MAX),))


@intrinsic("States.MathAdd", (_int("first number"), _int("second number")))
def math_add(args: list[Any], env: Env) -> int:
    """The sum of two integers (non-integers are rounded first)."""
    return args[0] + args[1]  # type: ignore[no-any-return]


@intrinsic(
    "States.MathRandom",
    (_int("start number"), _int("end number")),
    optional=(Param("seed", ROUNDED_INTEGER, (within("seed", LONG_MIN, LONG_MAX),)),),
)
def math_random(args: list[Any], env: Env) -> int:
    """A random integer from the start number (inclusive) to the end number (exclusive).

    With a seed the result depends only on the three arguments; without one it is
    drawn from the execution's seeded random source.
    """
    start, end = args[0], args[1]
    if end <= start:
        fail(f"The end number ({end}) must be greater than the start number ({start})")
    if len(args) == 3:
        if end - start > INT_MAX:
            # Java's ``nextInt(end - start)``: the int subtraction overflows (house wording).
            fail(
                f"The range from the start number ({start}) to the end number ({end}) "
                f"must not exceed {INT_MAX}"
            )
        return start + JavaRandom(args[2]).next_int(end - start)  # type: ignore[no-any-return]
    if env.random is None:
        raise TypeError("States.MathRandom needs an Env with a random source")
    return env.random.randint(start, end - 1)
