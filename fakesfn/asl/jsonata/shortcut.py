"""A shortcut for the simplest JSONata expressions: fields of ``$states``, compared and computed.

Most expressions in real definitions read one field of the input or of the Context
object (``$states.input.orderId``, ``$states.context.Map.Item.Value``), sometimes
compared with or computed from a literal (``$states.input.n % 3 = 0``). jsonata-python
evaluates each through its general machinery (sequences, frames, a hook per node):
tens of microseconds, which a Distributed Map pays 100,000 times over. Such an
expression is compiled here, once, into closures that read the dicts directly and
apply the library's own operator functions, so every result and every error is the
library's.

A closure answers only where the answer is certain: each step of a path must meet an
object holding the key, and the path must end on a string, a number or a boolean.
Anything else (an array on the way, a missing key, ``null``, an object at the end)
returns :data:`DEFER`, and the library evaluates the whole expression as always.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

DEFER: Final = object()
"""What a shortcut returns when the library must evaluate the expression itself."""

Shortcut = Callable[[Mapping[str, Any]], Any]
"""A compiled expression: the ``$states`` binding in, the value (or :data:`DEFER`) out."""

_Operator = Callable[[Any, Any, str], Any]

_SCALARS: Final = frozenset({str, int, float, bool})
_LITERALS: Final = frozenset({str, int, float})

_ARITHMETIC: Final = frozenset({"+", "-", "*", "/", "%"})
_EQUALITY: Final = frozenset({"=", "!="})
_ORDER: Final = frozenset({"<", "<=", ">", ">="})

_BOOKKEEPING: Final = frozenset({"_outer_instance", "id", "bp", "lbp", "position", "level", "type", "value"})
"""Parser attributes that do not change what a node evaluates to."""


def compile_shortcut(ast: Any, engine: Any) -> Shortcut | None:
    """The shortcut of a parsed expression, or ``None`` when it is not of the simple kind.

    Args:
        ast: the library's parse tree.
        engine: the library's ``Jsonata`` object for it, whose operator functions
            (``evaluate_numeric_expression``...) the shortcut applies.
    """
    return _compile(ast, engine, depth=0)


_MAX_DEPTH: Final = 8
"""Deeper operator trees are left to the library (no recursion past a few levels here)."""


def _compile(node: Any, engine: Any, depth: int) -> Shortcut | None:
    if depth > _MAX_DEPTH:
        return None
    kind = getattr(node, "type", None)
    if kind == "path":
        return _path(node)
    if kind in ("number", "string") and _plain(node):
        return _literal(node.value)
    if kind == "binary" and _plain(node, "lhs", "rhs"):
        operator = _operator(engine, node.value)
        left = _compile(node.lhs, engine, depth + 1)
        right = _compile(node.rhs, engine, depth + 1)
        if operator is None or left is None or right is None:
            return None
        return _binary(operator, str(node.value), left, right)
    return None


def _plain(node: Any, *structure: str) -> bool:
    """Whether ``node`` has nothing but its type, value and ``structure`` (no predicate, stage, focus)."""
    return not any(
        value for key, value in vars(node).items() if key not in _BOOKKEEPING and key not in structure
    )


def _literal(value: Any) -> Shortcut | None:
    if type(value) not in _LITERALS:
        return None
    return lambda _states: value


def _path(node: Any) -> Shortcut | None:
    """``$states.a.b...``: plain names after the ``$states`` variable."""
    steps = node.steps
    if not _plain(node, "steps") or not steps or len(steps) < 2:
        return None
    head = steps[0]
    if head.type != "variable" or head.value != "states" or not _plain(head):
        return None
    keys: list[str] = []
    for step in steps[1:]:
        if step.type != "name" or type(step.value) is not str or not _plain(step):
            return None
        keys.append(step.value)
    path = tuple(keys)

    def read(states: Mapping[str, Any]) -> Any:
        value: Any = states
        for key in path:
            if type(value) is not dict:
                return DEFER
            value = value.get(key, DEFER)
        return value if type(value) in _SCALARS else DEFER

    return read


def _operator(engine: Any, symbol: object) -> _Operator | None:
    if symbol in _ARITHMETIC:
        return engine.evaluate_numeric_expression  # type: ignore[no-any-return]
    if symbol in _EQUALITY:
        return engine.evaluate_equality_expression  # type: ignore[no-any-return]
    if symbol in _ORDER:
        return engine.evaluate_comparison_expression  # type: ignore[no-any-return]
    return None


def _binary(operator: _Operator, symbol: str, left: Shortcut, right: Shortcut) -> Shortcut:
    def apply(states: Mapping[str, Any]) -> Any:
        lhs = left(states)
        if lhs is DEFER:
            return DEFER
        rhs = right(states)
        if rhs is DEFER:
            return DEFER
        return operator(lhs, rhs, symbol)

    return apply
