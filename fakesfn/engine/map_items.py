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
from fakesfn.asl.paths import MISSING, refers_to_invalid
from fakesfn.engine.io import select
from fakesfn.payload import dump

if TYPE_CHECKING:
    from fakesfn.asl.context import Env
    from fakesfn.asl.nodes import MapState


def jsonpath_items(state: MapState, effective: Any, env: Env) -> list[Any]:
    """``ItemsPath`` over the effective input: an array, or ``States.Runtime``."""
    path = state.items_path
    items = select(path, effective, env)
    if not isinstance(items, list):
        raise _not_an_array(items)
    return items


def _not_an_array(items: Any, error: str = ErrorName.RUNTIME.value) -> StateFieldError:
    """AWS's words for items that are not an array (recorded: test_map_state_items_input_types)."""
    return StateFieldError(f"Map state input must be an array but was: {dump(items)}", error)


def jsonata_items(state: MapState, binding: dict[str, Any], env: Env) -> list[Any]:
    """``Items`` (default: the input): an array, or ``States.QueryEvaluationError``."""
    template = state.items
    if template is None:
        items = binding["input"]
        if not isinstance(items, list):
            # Recorded: an EvaluationFailed event without a location, then MapStateFailed.
            raise _not_an_array(items, ErrorName.QUERY_EVALUATION_ERROR.value)
        return items
    items = template.evaluate_as(binding, env, "Items", "array")
    assert isinstance(items, list)
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
        raise refers_to_invalid("MaxConcurrencyPath", value, path, "integer")
    return value


def jsonata_concurrency(state: MapState, binding: dict[str, Any], env: Env) -> int:
    """``MaxConcurrency``, literal or a JSONata expression giving a non-negative integer."""
    if state.max_concurrency_expression is None:
        return state.max_concurrency
    value = state.max_concurrency_expression.evaluate_as(binding, env, "MaxConcurrency", "integer")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise StateFieldError(
            "The JSONata expression specified for the field 'MaxConcurrency' "
            f"returned an invalid value: {dump(value)}",
            ErrorName.QUERY_EVALUATION_ERROR.value,
            "MaxConcurrency",
        )
    return value
