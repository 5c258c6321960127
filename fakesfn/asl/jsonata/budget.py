"""What one JSONata evaluation may spend: nesting depth, steps, memory and regex work.

AWS bounds every evaluation and fails the state with ``States.QueryEvaluationError``
when an expression recurses too deeply, holds too much memory or runs too long
(measured against AWS and published by the floci project, issues #2667 and #2737,
pull request #2783):

* ``1+1+...+1`` with 200 terms fails with "Stack overflow error: ..."; five
  expressions bisected put AWS's depth bound between 99 and 101;
* ``[1..873782] ~> $count()`` succeeds and ``[1..873783]`` fails with "Expression
  evaluation memory limit exceeded: ..."; a string of 2^22 characters is accepted
  and one of 2^23 refused;
* an evaluation that never ends is stopped by a time bound.

The fake keeps the same three bounds, but counts instead of reading a clock or
measuring memory, so an expression fails or succeeds the same way on every
machine and every run:

* **depth**: at most :data:`MAX_DEPTH` nested evaluation steps (AWS's bound);
* **held memory**: no single value over :data:`MAX_HELD_UNITS` units, a string
  counting one unit per character and an array or object eight per member: the
  two AWS measurements fall on the same sides of this bound, and a function that
  would build a larger value (``$pad``, ``$join``, ``$string``, ``&``,
  ``$replace``) is refused before it allocates;
* **time**: at most :data:`MAX_STEPS` evaluation steps, :data:`MAX_PRODUCED_UNITS`
  units produced in total (what stops ``[1..300000].[1..300000]`` long before its
  9e10 items exist) and :data:`MAX_REGEX_STEPS` steps of regular-expression
  matching. These three are the fake's own figures: AWS's bound is a time, and
  its value is not known.

The messages are AWS's (the timeout one follows the wording of the other two, as
jsonata-js's own time box words it).
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Final

from jsonata.utils import Utils

if TYPE_CHECKING:
    from collections.abc import Iterator

MAX_DEPTH: Final = 100
"""Nested evaluation steps (AWS: between 99 and 101, floci #2737)."""

MAX_STEPS: Final = 1_000_000
"""Evaluation steps of one expression (house: a few seconds of jsonata-python)."""

MAX_HELD_UNITS: Final = 873_782 * 8
"""The largest value one step may produce (AWS: ``[1..873782]`` is accepted, one more refused)."""

MAX_PRODUCED_UNITS: Final = 100_000_000
"""Units produced by all the steps of one evaluation together (house)."""

MAX_REGEX_STEPS: Final = 5_000_000
"""Steps of regular-expression matching in one evaluation (house)."""

UNITS_PER_MEMBER: Final = 8
"""What an array item or object member counts (a JavaScript number is eight bytes)."""

STACK_OVERFLOW: Final = " ".join(
    (
        "Stack overflow error: Check for non-terminating recursive function.",
        "Consider rewriting as tail-recursive.",
    )
)
MEMORY_LIMIT: Final = "Expression evaluation memory limit exceeded: Check for excessive memory usage"
TIMEOUT: Final = "Expression evaluation timeout: Check for infinite loop"

# Steps whose result is an existing value (a variable, a field, a literal): reading it
# allocates nothing, so it is not counted as produced.
_READS: Final = frozenset({"variable", "name", "string", "number", "value", "regex", "lambda", "parent"})


class BudgetExceeded(BaseException):
    """An evaluation went past a bound; ``message`` is AWS's text for it.

    A BaseException so that no ``except Exception`` inside jsonata-python (which
    rewraps errors raised under ``and``/``or``) can swallow or reword it; the
    adapter turns it into the state's ``States.QueryEvaluationError``.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def units(value: Any) -> int:
    """What ``value`` counts against the held-memory bound (its top level only)."""
    kind = type(value)
    if kind is str:
        return len(value)
    if isinstance(value, Utils.RangeList):
        # A lazy range: its own __len__ counts one item too many.
        return UNITS_PER_MEMBER * max(0, int(value.b) - int(value.a))
    if isinstance(value, (list, dict)):
        return UNITS_PER_MEMBER * len(value)
    return 0


class Budget:
    """The counters of one evaluation; the adapter's frame calls :meth:`enter` and :meth:`exit`."""

    __slots__ = ("steps", "depth", "produced", "regex_steps")

    def __init__(self) -> None:
        self.steps = 0
        self.depth = 0
        self.produced = 0
        self.regex_steps = 0

    def enter(self, expr: Any, input: Any, environment: Any) -> None:
        """An evaluation step begins (jsonata-python's entry callback)."""
        self.steps += 1
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise BudgetExceeded(STACK_OVERFLOW)
        if self.steps > MAX_STEPS:
            raise BudgetExceeded(TIMEOUT)

    def exit(self, expr: Any, input: Any, environment: Any, result: Any) -> None:
        """An evaluation step ended with ``result`` (jsonata-python's exit callback)."""
        self.depth -= 1
        size = units(result)
        if size == 0:
            return
        if size > MAX_HELD_UNITS:
            raise BudgetExceeded(MEMORY_LIMIT)
        if getattr(expr, "type", None) not in _READS:
            self.produce(size)

    def produce(self, size: int) -> None:
        """Count ``size`` more units produced by this evaluation."""
        self.produced += size
        if self.produced > MAX_PRODUCED_UNITS:
            raise BudgetExceeded(MEMORY_LIMIT)

    def hold(self, size: int) -> None:
        """A function is about to build a value of ``size`` units: refuse it if too large.

        What it builds is counted as produced when its step ends, like any result.
        """
        if size > MAX_HELD_UNITS:
            raise BudgetExceeded(MEMORY_LIMIT)

    def regex(self, steps: int) -> None:
        """Count ``steps`` more steps of regular-expression matching."""
        self.regex_steps += steps
        if self.regex_steps > MAX_REGEX_STEPS:
            raise BudgetExceeded(TIMEOUT)


_CURRENT: ContextVar[Budget | None] = ContextVar("fakesfn_jsonata_budget", default=None)


def current() -> Budget:
    """The budget of the evaluation running in this context (a fresh one outside any)."""
    budget = _CURRENT.get()
    return budget if budget is not None else Budget()


@contextmanager
def spending(budget: Budget) -> Iterator[Budget]:
    """Make ``budget`` the one functions and regular expressions charge, for one evaluation."""
    token = _CURRENT.set(budget)
    try:
        yield budget
    finally:
        _CURRENT.reset(token)


def text_size(value: Any, limit: int) -> int:
    """How many characters ``$string(value)`` would have, counted up to just past ``limit``.

    Walks the value without recursion and stops as soon as the count passes
    ``limit``: an array holding the same large string a million times is refused
    without ever being written out.
    """
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str:
            total += len(item) + 2
        elif isinstance(item, dict):
            total += 2 + len(item)
            for key, member in item.items():
                total += len(str(key)) + 3
                stack.append(member)
        elif isinstance(item, list):
            total += 2 + len(item)
            stack.extend(item)
        else:
            total += 8
        if total > limit:
            return total
    return total
