"""JSON values with ``{% %}`` expressions inside: Arguments, Output, Assign, Items...

AWS: "JSONata expressions can appear in string values within objects and arrays at
any nesting depth"; keys are always literal, and a string that is not exactly one
``{% ... %}`` stays a string. A template is compiled once into a tree whose
constant branches are kept as they are, so evaluating it costs one call per
expression it holds.

A failing expression is named by its place in the field, as AWS names it: ``/``
before each object key and ``[i]`` for each array index, ``Output/FunctionResult``
(intrinsic_functions test_math_random_seeded) or ``Output/a/b[0]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from fakesfn.asl.jsonata.expression import Expression, JsonataSyntaxError, compile_expression, is_expression

if TYPE_CHECKING:
    from fakesfn.asl.context import Env


@dataclass(frozen=True, slots=True)
class _Constant:
    value: Any

    def render(self, states: Mapping[str, Any], env: Env, field: str) -> Any:
        return self.value


@dataclass(frozen=True, slots=True)
class _Evaluated:
    expression: Expression
    suffix: str

    def render(self, states: Mapping[str, Any], env: Env, field: str) -> Any:
        return self.expression.evaluate(states, env, field + self.suffix)


@dataclass(frozen=True, slots=True)
class _Object:
    members: tuple[tuple[str, _Node], ...]

    def render(self, states: Mapping[str, Any], env: Env, field: str) -> Any:
        return {key: node.render(states, env, field) for key, node in self.members}


@dataclass(frozen=True, slots=True)
class _Array:
    items: tuple[_Node, ...]

    def render(self, states: Mapping[str, Any], env: Env, field: str) -> Any:
        return [node.render(states, env, field) for node in self.items]


_Node: TypeAlias = _Constant | _Evaluated | _Object | _Array


@dataclass(frozen=True, slots=True)
class Template:
    """A compiled JSONata field value.

    Attributes:
        value: the field value as written in the definition.
        is_constant: no expression inside: :meth:`evaluate` returns ``value`` itself.
    """

    value: Any
    _root: _Node

    @property
    def is_constant(self) -> bool:
        """Whether the value holds no expression (the engine may skip evaluating it)."""
        return isinstance(self._root, _Constant)

    @property
    def expressions(self) -> tuple[Expression, ...]:
        """Every expression inside, in document order (for definition checks)."""
        found: list[Expression] = []
        _collect(self._root, found)
        return tuple(found)

    def evaluate(self, states: Mapping[str, Any], env: Env, field: str) -> Any:
        """The field's JSON value with every expression evaluated.

        Constant parts are returned as they are in the definition (not copied): callers
        must not modify the result in place.

        Raises:
            StateFieldError: ``States.QueryEvaluationError`` from the first expression that
                fails, named by its place under ``field``.
        """
        return self._root.render(states, env, field)

    def evaluate_as(self, states: Mapping[str, Any], env: Env, field: str, expected: str) -> Any:
        """:meth:`evaluate` for a field that must hold one JSON type (Condition, Seconds...).

        A field that is one expression has its result's type checked with AWS's
        "returned an unexpected result type" failure (see
        :meth:`Expression.evaluate_as`); a literal is returned as written, for the
        caller to judge.
        """
        root = self._root
        if isinstance(root, _Evaluated):
            return root.expression.evaluate_as(states, env, field + root.suffix, expected)
        return root.render(states, env, field)


def compile_template(value: Any) -> Template:
    """Compile a JSON field value; raises :class:`JsonataSyntaxError` (with its pointer)."""
    return Template(value, _compile(value, ""))


def _compile(value: Any, suffix: str) -> _Node:
    if isinstance(value, str):
        if is_expression(value):
            return _Evaluated(compile_expression(value), suffix)
        return _Constant(value)
    if isinstance(value, Mapping):
        members = tuple((key, _nested(item, suffix, f"/{key}", _pointer(key))) for key, item in value.items())
        if all(isinstance(node, _Constant) for _, node in members):
            return _Constant(value)
        return _Object(members)
    if isinstance(value, list):
        items = tuple(_nested(item, suffix, f"[{index}]", str(index)) for index, item in enumerate(value))
        if all(isinstance(node, _Constant) for node in items):
            return _Constant(value)
        return _Array(items)
    return _Constant(value)


def _nested(value: Any, suffix: str, step: str, pointer: str) -> _Node:
    try:
        return _compile(value, suffix + step)
    except JsonataSyntaxError as error:
        raise error.at("/" + pointer) from None


def _pointer(key: str) -> str:
    # RFC 6901 escaping, as AWS's locations are JSON pointers.
    return str(key).replace("~", "~0").replace("/", "~1")


def _collect(node: _Node, found: list[Expression]) -> None:
    if isinstance(node, _Evaluated):
        found.append(node.expression)
    elif isinstance(node, _Object):
        for _, member in node.members:
            _collect(member, found)
    elif isinstance(node, _Array):
        for item in node.items:
            _collect(item, found)
