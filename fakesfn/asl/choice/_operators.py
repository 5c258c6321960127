"""The Choice comparison operators as data: one row each, ``...Path`` variants derived.

A comparison reads the ``Variable`` value, turns it into a comparable *key* through
its operator's :class:`ValueType` (or finds it is not of that type), and compares
the key with the operand's key. AWS: "For each of these operators, the
corresponding value must be of the appropriate type: string, number, Boolean, or
timestamp. Step Functions doesn't attempt to match a numeric field to a string
value." A Variable of another type therefore makes the comparison false, never an
error (cases ``choice_operators.test_numeric.test_numeric_equals__*``,
``...test_boolean_equals__*``, ``...test_timestamp_equals__*``).

The ``Is*`` operators are type guards: ``IsString: true`` holds when the guard
accepts the value, ``IsString: false`` when it does not. ``IsPresent`` is the one
guard that may see a missing value.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.choice._glob import Glob, compile_glob
from fakesfn.asl.paths import MISSING
from fakesfn.asl.timestamps import is_timestamp, parse_timestamp

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

NOT_OF_TYPE: Final[Any] = object()
"""What a :attr:`ValueType.key` returns for a value of another type."""

_SUPPLEMENTARY: Final = "\U00010000"


@dataclass(frozen=True, slots=True)
class ValueType:
    """A JSON type a comparison operator works on.

    Attributes:
        description: how definition errors describe a literal operand of this type.
        key: the comparable key of a value of this type, or :data:`NOT_OF_TYPE`.
    """

    description: str
    key: Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Operator:
    """One comparison operator (``StringEquals``, ``NumericLessThanPath``...).

    Attributes:
        name: the field name in a Choice rule.
        type: what the Variable (and a ``...Path`` operand) must be.
        compare: ``compare(variable_key, operand_key)``.
        literal: the key of the literal operand, or :data:`NOT_OF_TYPE` when the
            definition gives a literal of the wrong type.
        reads_path: whether the operand is a path to read at run time.
    """

    name: str
    type: ValueType
    compare: Callable[[Any, Any], bool]
    literal: Callable[[Any], Any]
    reads_path: bool = False

    @property
    def orders(self) -> bool:
        """Whether this is an ordering (``<``, ``>``, ``<=``, ``>=``) rather than equality.

        ManageIQ floe's AWS-checked fixture (``test-choice-fail.asl``): an ordering
        ``...Path`` whose operand is of the wrong type fails the state ("Invalid value
        provided at path '$.num2'"), while an ``Equals...Path`` is simply false.
        """
        return self.compare is not operator.eq


def _string_key(value: Any) -> Any:
    # AWS orders strings like Java's String.compareTo: by UTF-16 code unit. Python
    # compares code points, which differs only when a supplementary character (a
    # surrogate pair in UTF-16) meets one in U+E000-U+FFFF. Spelling supplementary
    # characters as their surrogate pair makes Python's order Java's (and keeps
    # equality exact: the spelling is one-to-one).
    if type(value) is not str:
        return NOT_OF_TYPE
    if value.isascii() or max(value) < _SUPPLEMENTARY:
        return value
    return "".join(_surrogates(char) for char in value)


def _surrogates(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return char
    code -= 0x10000
    return chr(0xD800 + (code >> 10)) + chr(0xDC00 + (code & 0x3FF))


def _number_key(value: Any) -> Any:
    # Booleans are not numbers (case ...test_numeric_equals__50: true vs 1 is false);
    # ints and floats compare by value (...test_numeric_equals_path__15: 1 == 1.0).
    return value if type(value) is int or type(value) is float else NOT_OF_TYPE


def _boolean_key(value: Any) -> Any:
    return value if type(value) is bool else NOT_OF_TYPE


def _timestamp_key(value: Any) -> Any:
    if type(value) is not str:
        return NOT_OF_TYPE
    instant = parse_timestamp(value)
    return NOT_OF_TYPE if instant is None else instant


def _text_key(value: Any) -> Any:
    return value if type(value) is str else NOT_OF_TYPE


def _pattern_literal(value: Any) -> Any:
    return compile_glob(value) if type(value) is str else NOT_OF_TYPE


def _matches(text: str, pattern: Glob) -> bool:
    return pattern.matches(text)


STRING: Final = ValueType("a STRING", _string_key)
NUMBER: Final = ValueType("a NUMBER", _number_key)
BOOLEAN: Final = ValueType("a BOOLEAN", _boolean_key)
TIMESTAMP: Final = ValueType("a valid timestamp STRING", _timestamp_key)
_PATTERN_TEXT: Final = ValueType("a STRING", _text_key)


def _row(name: str, value_type: ValueType, compare: Callable[[Any, Any], bool]) -> Operator:
    return Operator(name, value_type, compare, value_type.key)


_LITERAL_OPERATORS: Final = (
    _row("StringEquals", STRING, operator.eq),
    _row("StringLessThan", STRING, operator.lt),
    _row("StringGreaterThan", STRING, operator.gt),
    _row("StringLessThanEquals", STRING, operator.le),
    _row("StringGreaterThanEquals", STRING, operator.ge),
    _row("NumericEquals", NUMBER, operator.eq),
    _row("NumericLessThan", NUMBER, operator.lt),
    _row("NumericGreaterThan", NUMBER, operator.gt),
    _row("NumericLessThanEquals", NUMBER, operator.le),
    _row("NumericGreaterThanEquals", NUMBER, operator.ge),
    _row("BooleanEquals", BOOLEAN, operator.eq),
    _row("TimestampEquals", TIMESTAMP, operator.eq),
    _row("TimestampLessThan", TIMESTAMP, operator.lt),
    _row("TimestampGreaterThan", TIMESTAMP, operator.gt),
    _row("TimestampLessThanEquals", TIMESTAMP, operator.le),
    _row("TimestampGreaterThanEquals", TIMESTAMP, operator.ge),
)

# StringMatches has no ...Path variant in ASL.
_STRING_MATCHES: Final = Operator("StringMatches", _PATTERN_TEXT, _matches, _pattern_literal)


def _path_variant(row: Operator) -> Operator:
    return Operator(f"{row.name}Path", row.type, row.compare, row.type.key, reads_path=True)


COMPARISONS: Final[Mapping[str, Operator]] = {
    op.name: op
    for op in (*_LITERAL_OPERATORS, _STRING_MATCHES, *(_path_variant(row) for row in _LITERAL_OPERATORS))
}
"""Every comparison operator by field name."""


@dataclass(frozen=True, slots=True)
class TypeTest:
    """An ``Is*`` operator: a guard over the Variable's value.

    Attributes:
        name: the field name in a Choice rule.
        guard: whether the value (possibly :data:`~fakesfn.asl.paths.MISSING`) has the type.
        sees_missing: whether a Variable that selects nothing is an answer (``IsPresent``)
            rather than a run-time error (every other operator).
    """

    name: str
    guard: Callable[[Any], bool]
    sees_missing: bool = False


TYPE_TESTS: Final[Mapping[str, TypeTest]] = {
    test.name: test
    for test in (
        # Case ...test_is_present__1: a JSON null is present.
        TypeTest("IsPresent", lambda value: value is not MISSING, sees_missing=True),
        TypeTest("IsNull", lambda value: value is None),
        TypeTest("IsBoolean", lambda value: type(value) is bool),
        TypeTest("IsNumeric", lambda value: _number_key(value) is not NOT_OF_TYPE),
        TypeTest("IsString", lambda value: type(value) is str),
        TypeTest("IsTimestamp", is_timestamp),
    )
}
"""Every ``Is*`` operator by field name."""
