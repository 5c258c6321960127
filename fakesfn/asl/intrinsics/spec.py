"""Intrinsic signatures as data, and the one checker that enforces them.

Every ``States.*`` function is registered with :func:`intrinsic`, declaring its
parameters (a label, an :class:`ArgType` and optional per-argument constraints).
Arity is checked once when the call is compiled; argument types and constraints
are checked by :meth:`FunctionSpec.check` on every evaluation, before the tiny
implementation runs. A failed check, or a failure inside the implementation, is a
:class:`ArgumentError`, which the call node turns into AWS's
``States.IntrinsicFailure`` (see :mod:`fakesfn.asl.intrinsics.grammar`).

AWS documents each function's "Input validation" rules on the intrinsic functions
page of the Step Functions developer guide; the reasons below paraphrase them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, NoReturn, TypeVar

from fakesfn.asl.intrinsics.render import json_type

if TYPE_CHECKING:
    from fakesfn.asl.context import Env

Impl = Callable[[list[Any], "Env"], Any]
"""An implementation: checked argument values and the Env in, a JSON value out."""

Constraint = Callable[[Any], "str | None"]
"""A per-argument rule: the reason the (already type-checked) value is refused, or None."""


class ArgumentError(Exception):
    """An argument an intrinsic refuses; ``reason`` says why in AWS's terms."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def fail(reason: str) -> NoReturn:
    """Refuse the current call's arguments."""
    raise ArgumentError(reason)


INVALID: Final[Any] = object()
"""What :attr:`ArgType.coerce` returns for a value of the wrong type."""


@dataclass(frozen=True, slots=True)
class ArgType:
    """A JSON type an argument must have, and how a value is brought to it.

    Attributes:
        description: how messages name the type ("an array", "an integer").
        coerce: the value in its checked form, or :data:`INVALID`.
    """

    description: str
    coerce: Callable[[Any], Any]


def _identity_if(kind: type) -> Callable[[Any], Any]:
    def coerce(value: Any) -> Any:
        return value if type(value) is kind else INVALID

    return coerce


def _any(value: Any) -> Any:
    return value


def _number(value: Any) -> Any:
    return value if type(value) is int or type(value) is float else INVALID


def _integer(value: Any) -> Any:
    # AWS: "You must specify integer values". A JSON number written as 2.0 is
    # still an integer value; 2.5 is not.
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    return INVALID


def java_round(value: float) -> int:
    """``Math.round``: half-way values go towards positive infinity.

    AWS (Java) rounds States.MathAdd's -1.5 to -1 and 2.5 to 3, unlike Python's
    banker's rounding (recorded AWS runs of test_math_add). ``value - floor(value)``
    is exact in binary floating point, so no 0.49999999999999994 surprise.
    """
    whole = int(value // 1)
    return whole + 1 if value - whole >= 0.5 else whole


def _rounded_integer(value: Any) -> Any:
    # AWS (MathAdd, MathRandom): "If you specify a non-integer value ... Step
    # Functions will round it off to the nearest integer."
    if type(value) is int:
        return value
    if type(value) is float and math.isfinite(value):
        return java_round(value)
    return INVALID


ANY: Final = ArgType("any JSON value", _any)
ARRAY: Final = ArgType("an array", _identity_if(list))
OBJECT: Final = ArgType("a JSON object", _identity_if(dict))
STRING: Final = ArgType("a string", _identity_if(str))
BOOLEAN: Final = ArgType("a boolean", _identity_if(bool))
NUMBER: Final = ArgType("a number", _number)
INTEGER: Final = ArgType("an integer", _integer)
ROUNDED_INTEGER: Final = ArgType("a number", _rounded_integer)


@dataclass(frozen=True, slots=True)
class Param:
    """One declared parameter.

    Attributes:
        label: the parameter's name in messages ("chunk size").
        type: the JSON type the argument must have.
        constraints: further rules on the typed value, checked in order.
        literal: turns the raw text of a string literal in this position into the
            value the implementation receives (States.Format keeps its template's
            escapes this way); None passes the unescaped string.
    """

    label: str
    type: ArgType
    constraints: tuple[Constraint, ...] = ()
    literal: Callable[[str], Any] | None = None
    needs_check: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "needs_check", self.type is not ANY or bool(self.constraints))

    def check(self, position: int, value: Any) -> Any:
        """The value in checked form, or :class:`ArgumentError`."""
        checked = self.type.coerce(value)
        if checked is INVALID:
            fail(
                f"The {_ordinal(position)} argument ({self.label}) must be {self.type.description}, "
                f"but was {json_type(value)}"
            )
        for constraint in self.constraints:
            reason = constraint(checked)
            if reason is not None:
                fail(reason)
        return checked


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """The signature and implementation of one intrinsic function.

    Attributes:
        name: ``States.Xxx``.
        params: the required parameters, in order.
        optional: parameters that may follow the required ones.
        variadic: the type of any number of trailing arguments, if allowed.
        impl: the implementation, given the checked argument values.
        summary: one line for docs/support.md.
    """

    name: str
    params: tuple[Param, ...]
    impl: Impl
    optional: tuple[Param, ...] = ()
    variadic: Param | None = None
    summary: str = ""
    _positional: tuple[Param, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_positional", self.params + self.optional)

    @property
    def min_args(self) -> int:
        """The fewest arguments a call may pass."""
        return len(self.params)

    @property
    def max_args(self) -> int | None:
        """The most arguments a call may pass (None: unbounded)."""
        return None if self.variadic is not None else len(self._positional)

    def param_at(self, index: int) -> Param | None:
        """The parameter that argument ``index`` (0-based) binds to."""
        if index < len(self._positional):
            return self._positional[index]
        return self.variadic

    def arity_problem(self, count: int) -> str | None:
        """Why a call with ``count`` arguments is malformed, or None."""
        low, high = self.min_args, self.max_args
        if low <= count and (high is None or count <= high):
            return None
        if high is None:
            expected = f"at least {_plural(low)}"
        elif low == high:
            expected = f"exactly {_plural(low)}"
        else:
            expected = f"between {low} and {high} arguments"
        return (
            f"The function {self.name} takes {expected}, but {count} {'was' if count == 1 else 'were'} given"
        )

    def check(self, values: list[Any]) -> list[Any]:
        """The argument values in checked form; :class:`ArgumentError` when one is refused."""
        positional = self._positional
        variadic = self.variadic
        for index, value in enumerate(values):
            param = positional[index] if index < len(positional) else variadic
            if param is not None and param.needs_check:
                values[index] = param.check(index, value)
        return values


FUNCTIONS: Final[dict[str, FunctionSpec]] = {}
"""Every intrinsic, by name; filled at import by :func:`intrinsic` (drives docs/support.md too)."""

_F = TypeVar("_F", bound=Impl)


def intrinsic(
    name: str,
    params: Sequence[Param] = (),
    *,
    optional: Sequence[Param] = (),
    variadic: Param | None = None,
) -> Callable[[_F], _F]:
    """Register the decorated implementation as intrinsic ``name`` with this signature.

    Raises:
        RuntimeError: ``name`` is registered already.
    """

    def register(impl: _F) -> _F:
        if name in FUNCTIONS:
            raise RuntimeError(f"intrinsic {name} registered twice")
        doc = (impl.__doc__ or "").strip().splitlines()
        FUNCTIONS[name] = FunctionSpec(
            name=name,
            params=tuple(params),
            impl=impl,
            optional=tuple(optional),
            variadic=variadic,
            summary=doc[0] if doc else "",
        )
        return impl

    return register


def positive(label: str) -> Constraint:
    """AWS: "You must specify a non-zero, positive integer"."""

    def check(value: Any) -> str | None:
        return None if value > 0 else f"The {label} must be a non-zero, positive integer, but was {value}"

    return check


def non_zero(label: str) -> Constraint:
    """AWS: "You must specify a non-zero value"."""

    def check(value: Any) -> str | None:
        return None if value != 0 else f"The {label} must be a non-zero value"

    return check


INT_MIN: Final = -(2**31)
INT_MAX: Final = 2**31 - 1
LONG_MIN: Final = -(2**63)
LONG_MAX: Final = 2**63 - 1


def within(label: str, low: int, high: int) -> Constraint:
    """AWS (States.MathAdd): "You must specify integer values in the range of -2147483648 and 2147483647".

    AWS computes the math intrinsics with Java ``int`` (and a ``long`` seed); a
    number beyond them is refused rather than computed with Python's unbounded ints.
    """

    def check(value: Any) -> str | None:
        if low <= value <= high:
            return None
        shown = value if abs(value) < 10**30 else f"a number of {len(str(abs(value)))} digits"
        return f"The {label} must be an integer in the range of {low} and {high}, but was {shown}"

    return check


def max_length(label: str, limit: int) -> Constraint:
    """AWS: "The input string can't exceed 10,000 characters" (counted as Java chars)."""

    def check(value: Any) -> str | None:
        # Java counts UTF-16 code units; only strings past half the limit can differ.
        if len(value) * 2 <= limit:
            return None
        length = len(value.encode("utf-16-le")) // 2
        if length <= limit:
            return None
        return f"The {label} can't exceed {limit:,} characters, but has {length:,}"

    return check


_ORDINALS: Final = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
)


def _ordinal(index: int) -> str:
    return _ORDINALS[index] if index < len(_ORDINALS) else f"{index + 1}th"


def _plural(count: int) -> str:
    return f"{count} argument" if count == 1 else f"{count} arguments"
