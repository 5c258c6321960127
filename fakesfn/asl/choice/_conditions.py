"""Compiled Choice conditions: small immutable nodes that evaluate to a bool.

Each node is built once from a rule and evaluated with the Choice state's input
(after ``InputPath``) and the :class:`~fakesfn.asl.context.Env`; paths are already
compiled, literal operands already turned into comparable keys, so evaluation only
walks paths and compares.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Protocol

from fakesfn.asl.choice._operators import NOT_OF_TYPE, Operator, TypeTest
from fakesfn.asl.errors import StateFieldError
from fakesfn.asl.paths import MISSING, Path

if TYPE_CHECKING:
    from fakesfn.asl.context import Env

# AWS wording (States.Runtime): "Invalid path '$.x': The choice state's condition path
# references an invalid value." Raised for a Variable or a ...Path operand that
# selects nothing; pinned by ManageIQ floe's AWS-checked fixture test-choice-fail.asl
# and by several independent AWS-compatible engines quoting the same cause.
INVALID_PATH: Final = "Invalid path '{path}': The choice state's condition path references an invalid value."

# AWS wording (States.Runtime) for an ordering ...Path whose operand has the wrong type
# (floe fixture test-choice-fail.asl, Test9: "Invalid value provided at path '$.num2'").
INVALID_VALUE: Final = "Invalid value provided at path '{path}'"


class Condition(Protocol):
    """A compiled Choice condition."""

    def evaluate(self, value: Any, env: Env) -> bool:
        """Whether the condition holds for state input ``value``."""
        ...


def _read(path: Path, value: Any, env: Env) -> Any:
    found = path.find(value, env)
    if found is MISSING:
        raise StateFieldError(INVALID_PATH.format(path=path.text))
    return found


@dataclass(frozen=True, slots=True)
class LiteralComparison:
    """``{"Variable": ..., "<Operator>": <literal>}``."""

    variable: Path
    operator: Operator
    operand: Any

    def evaluate(self, value: Any, env: Env) -> bool:
        """Whether the Variable's value compares true against the literal."""
        key = self.operator.type.key(_read(self.variable, value, env))
        return key is not NOT_OF_TYPE and self.operator.compare(key, self.operand)


@dataclass(frozen=True, slots=True)
class PathComparison:
    """``{"Variable": ..., "<Operator>Path": <path>}``: the operand is read at run time."""

    variable: Path
    operator: Operator
    operand: Path

    def evaluate(self, value: Any, env: Env) -> bool:
        """Whether the Variable's value compares true against the operand path's value."""
        found = _read(self.variable, value, env)
        operand = self.operator.type.key(_read(self.operand, value, env))
        if operand is NOT_OF_TYPE:
            if self.operator.orders:
                raise StateFieldError(INVALID_VALUE.format(path=self.operand.text))
            return False
        key = self.operator.type.key(found)
        return key is not NOT_OF_TYPE and self.operator.compare(key, operand)


@dataclass(frozen=True, slots=True)
class TypeCheck:
    """``{"Variable": ..., "Is<Type>": <bool>}``."""

    variable: Path
    test: TypeTest
    expected: bool

    def evaluate(self, value: Any, env: Env) -> bool:
        """Whether the guard's verdict on the Variable's value is ``expected``."""
        found = self.variable.find(value, env)
        if found is MISSING and not self.test.sees_missing:
            raise StateFieldError(INVALID_PATH.format(path=self.variable.text))
        return self.test.guard(found) is self.expected


@dataclass(frozen=True, slots=True)
class AllOf:
    """``And``: true when every rule is, evaluated left to right until one is false."""

    conditions: tuple[Condition, ...]

    def evaluate(self, value: Any, env: Env) -> bool:
        """Whether every nested condition holds."""
        return all(condition.evaluate(value, env) for condition in self.conditions)


@dataclass(frozen=True, slots=True)
class AnyOf:
    """``Or``: true when one rule is, evaluated left to right until one is true."""

    conditions: tuple[Condition, ...]

    def evaluate(self, value: Any, env: Env) -> bool:
        """Whether some nested condition holds."""
        return any(condition.evaluate(value, env) for condition in self.conditions)


@dataclass(frozen=True, slots=True)
class Negation:
    """``Not``."""

    condition: Condition

    def evaluate(self, value: Any, env: Env) -> bool:
        """Whether the nested condition does not hold."""
        return not self.condition.evaluate(value, env)
