"""JSONPath payload templates: ``Parameters``, ``ResultSelector``, ``ItemSelector``, ``Assign``.

A template is JSON in which a key ending in ``.$`` marks a value to compute: a
path (``$.a``, ``$$.Execution.Id``, ``$var``) or an intrinsic call
(``States.Format(...)``). The template is compiled once into a tree of small
closures; evaluating it builds the output without looking at the template text
again. Constant sub-trees are kept as values and shared, which is safe because
the engine never mutates a JSON value in place.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from fakesfn.asl.context import Env
from fakesfn.asl.errors import StateFieldError
from fakesfn.asl.intrinsics import IntrinsicSyntaxError, compile_intrinsic, is_intrinsic
from fakesfn.asl.nodes import Evaluable
from fakesfn.asl.paths import MISSING, PathSyntaxError, compile_path

if TYPE_CHECKING:
    from fakesfn.asl.problems import ProblemCollector

Evaluator = Callable[[Any, Env], Any]


class PayloadTemplate(Evaluable):
    """A compiled JSONPath payload template."""

    __slots__ = ("_evaluate", "is_constant", "source")

    def __init__(self, evaluate: Evaluator, source: Any, is_constant: bool) -> None:
        self._evaluate = evaluate
        self.source = source
        self.is_constant = is_constant

    def evaluate(self, value: Any, env: Any) -> Any:
        """The payload for state input ``value``."""
        return self._evaluate(value, env)


def compile_payload(template: Any, location: str, problems: ProblemCollector) -> PayloadTemplate:
    """Compile a template; problems are recorded with JSON-pointer locations under ``location``."""
    evaluator, constant = _compile(template, location, problems)
    if constant:
        return PayloadTemplate(lambda _v, _e: template, template, True)
    return PayloadTemplate(evaluator, template, False)


def _compile(node: Any, location: str, problems: ProblemCollector) -> tuple[Evaluator, bool]:
    if isinstance(node, Mapping):
        return _compile_object(node, location, problems)
    if isinstance(node, list):
        return _compile_array(node, location, problems)
    return (lambda _v, _e: node), True


def _compile_object(
    node: Mapping[str, Any], location: str, problems: ProblemCollector
) -> tuple[Evaluator, bool]:
    entries: list[tuple[str, Evaluator | None, Any]] = []
    constant = True
    for key, raw in node.items():
        where = f"{location}/{key}"
        if key.endswith(".$"):
            # AWS locates a bad ".$" value at the object that holds it (recorded:
            # test_illegal_escapes: "... at /States/IntrinsicEscape/Parameters").
            evaluator = compile_dynamic_value(raw, key, location, problems)
            entries.append((key[:-2], evaluator, None))
            constant = False
            continue
        evaluator, child_constant = _compile(raw, where, problems)
        if child_constant:
            entries.append((key, None, raw))
        else:
            entries.append((key, evaluator, None))
            constant = False
    if constant:
        return (lambda _v, _e: node), True
    frozen = tuple(entries)

    def evaluate(value: Any, env: Env) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, evaluator, const in frozen:
            out[key] = const if evaluator is None else evaluator(value, env)
        return out

    return evaluate, False


def _compile_array(node: list[Any], location: str, problems: ProblemCollector) -> tuple[Evaluator, bool]:
    compiled = [_compile(item, f"{location}[{i}]", problems) for i, item in enumerate(node)]
    if all(constant for _e, constant in compiled):
        return (lambda _v, _e: node), True
    evaluators = tuple(e for e, _c in compiled)
    return (lambda value, env: [e(value, env) for e in evaluators]), False


def compile_dynamic_value(raw: Any, key: str, location: str, problems: ProblemCollector) -> Evaluator:
    """Compile the value of a ``.$`` key: a path or an intrinsic function call."""
    if not isinstance(raw, str):
        problems.schema(
            f"The value for the field '{key}' must be a STRING that contains a JSONPath", location
        )
        return _failing
    if is_intrinsic(raw):
        try:
            call = compile_intrinsic(raw)
        except IntrinsicSyntaxError:
            problems.schema(
                f"The value for the field '{key}' must be a valid JSONPath "
                "or a valid intrinsic function call",
                location,
            )
            return _failing
        return call.evaluate
    try:
        path = compile_path(raw)
    except PathSyntaxError:
        problems.schema(
            f"The value for the field '{key}' must be a valid JSONPath or a valid intrinsic function call",
            location,
        )
        return _failing
    return _path_evaluator(path, key)


def _path_evaluator(path: Any, key: str) -> Evaluator:
    def evaluate(value: Any, env: Env) -> Any:
        found = path.find(value, env)
        if found is MISSING:
            raise StateFieldError(
                f"The JSONPath '{path.text}' specified for the field '{key}' could not be found "
                f"in the input '{json.dumps(value, separators=(',', ':'), ensure_ascii=False)}'"
            )
        return found

    return evaluate


def _failing(_value: Any, _env: Env) -> Any:  # pragma: no cover - only in refused definitions
    raise AssertionError("a template with definition problems was evaluated")
