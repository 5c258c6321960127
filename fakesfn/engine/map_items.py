"""What every Map state evaluates first, inline or distributed: its items and its concurrency.

``ItemsPath`` (JSONPath, after ``InputPath``) or ``Items`` (JSONata) must give an
array; ``MaxConcurrency`` comes literally, from ``MaxConcurrencyPath`` or from a
JSONata expression. The inline Map (:mod:`fakesfn.engine.states.map_`), the
Distributed Map (:mod:`fakesfn.engine.distributed`) and TestState's inspection of a
Map all evaluate them the same way, in this order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakesfn.asl.errors import ErrorName, StateFieldError
from fakesfn.asl.paths import MISSING, Path
from fakesfn.engine.io import select

if TYPE_CHECKING:
    from fakesfn.asl.context import Env
    from fakesfn.asl.nodes import MapState


def jsonpath_items(state: MapState, effective: Any, env: Env) -> list[Any]:
    """``ItemsPath`` over the effective input: an array, or ``States.Runtime``."""
    path = state.items_path
    items = select(path, effective, env)
    if not isinstance(items, list):
        text = path.text if isinstance(path, Path) else "$"
        raise StateFieldError(f"Invalid path '{text}': the value at this path is not an array")
    return items


def jsonata_items(state: MapState, binding: dict[str, Any], env: Env) -> list[Any]:
    """``Items`` (default: the input): an array, or ``States.QueryEvaluationError``."""
    template = state.items
    items = binding["input"] if template is None else template.evaluate_as(binding, env, "Items", "array")
    if not isinstance(items, list):
        raise StateFieldError(
            "The input for the Map state must be an array",
            ErrorName.QUERY_EVALUATION_ERROR.value,
            None if template is None else "Items",
        )
    return items


def jsonpath_concurrency(state: MapState, effective: Any, env: Env) -> int:
    """``MaxConcurrency`` or ``MaxConcurrencyPath`` (a numeric string counts); 0 means no limit."""
    path = state.max_concurrency_path
    if path is None:
        return state.max_concurrency
    value = path.find(effective, env)
    if isinstance(value, str) and value.isdigit():
        # AWS accepts a numeric string here (recorded: MAP_STATE_REFERENCE_IN_MAX_CONCURRENCY_PATH).
        value = int(value)
    if value is MISSING or isinstance(value, bool) or not isinstance(value, int) or value < 0:
        shown = "null" if value is MISSING else repr(value)  # never the sentinel's address
        raise StateFieldError(
            f"The MaxConcurrencyPath field refers to value {shown} which is not a valid integer: {path.text}"
        )
    return value


def jsonata_concurrency(state: MapState, binding: dict[str, Any], env: Env) -> int:
    """``MaxConcurrency``, literal or a JSONata expression giving a non-negative integer."""
    if state.max_concurrency_expression is None:
        return state.max_concurrency
    value = state.max_concurrency_expression.evaluate_as(binding, env, "MaxConcurrency", "integer")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise StateFieldError(
            "The JSONata expression specified for the field 'MaxConcurrency' "
            f"returned an invalid value: {value!r}",
            ErrorName.QUERY_EVALUATION_ERROR.value,
            "MaxConcurrency",
        )
    return value
