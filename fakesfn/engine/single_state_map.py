"""TestState of a mocked Map state: the values AWS evaluates although no iteration runs.

AWS runs none of the iterations of a Map under test: the mock is their result. It
still evaluates what decides how the Map would run, and shows it at DEBUG and
TRACE (recorded by LocalStack against AWS: test_state_configuration,
test_test_state_scenarios, test_state_context_object):

- ``afterInputPath`` and ``afterItemsPath`` (JSONPath only), ``maxConcurrency``
  (``0`` when unset), ``toleratedFailureCount`` / ``toleratedFailurePercentage``
  when the Map has them;
- ``afterItemSelector`` only when the Map has an ItemSelector (the API reference:
  "the inputs for each Map iteration, transformed by the ItemSelector"), and
  ``afterItemBatcher`` / ``afterItemsPointer`` likewise only for their fields;
- never ``result``: the mock is not a state result here, it is the iterations'.

Items that are not an array fail the state with ``States.Runtime`` and AWS's own
wording, the path shown relative to the document it reads (``$$.Execution.Input``
reads the Context object, so AWS shows ``$.Execution.Input``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.errors import ErrorName, StatesError
from fakesfn.asl.nodes import JSONATA, MapState, State
from fakesfn.asl.paths import Path
from fakesfn.engine.distributed import batch_inputs, evaluate_items, item_inputs, tolerance
from fakesfn.engine.io import select
from fakesfn.engine.item_reader import items_from_text, max_items_limit
from fakesfn.engine.map_run import threshold_exceeded

if TYPE_CHECKING:
    from fakesfn.asl.distributed import ReaderSpec, Scope
    from fakesfn.engine.interpreter import StateRun
    from fakesfn.engine.single_state import Inspection, Request

EXCEEDED_TOLERANCE: Final = (
    "States.ExceedToleratedFailureThreshold",
    "The specified tolerated failure threshold was exceeded",
)
"""AWS's error for a Map whose failed iterations exceed its tolerance (recorded by LocalStack)."""

NOT_AN_ARRAY: Final = 'Reference path "{path}" must point to array.'
"""Recorded (test_state_map_context_object): the cause when a Map's items are not an array."""

TOO_MANY_FAILURES: Final = (
    "Map iteration failure count must be less than or equal to the number of Map iterations"
)
"""Recorded (test_map_iteration_failure_count_exceeds_mock_result_items): a ValidationException."""


class ConfigurationError(Exception):
    """``stateConfiguration`` asks for something the state cannot do (a refused request)."""


def inspect_map(run: StateRun[State], state: MapState, request: Request, inspection: Inspection) -> None:
    """Evaluate and record the Map's inspection fields; raise its tolerance failure.

    Raises:
        StatesError: the items are not an array, or the failed iterations exceed the tolerance.
        ConfigurationError: more failed iterations than the Map has iterations.
    """
    _check_items_are_an_array(run, state, request.input)
    spec = state.distributed.runnable()
    scope, items, concurrency = evaluate_items(run, state, request.input)
    inspection.record("maxConcurrency", concurrency)
    if items is not None and state.query_language != JSONATA:
        inspection.record("afterItemsPath", items)
    if spec.reader is not None and isinstance(request.map_item_reader_data, str):
        items = _reader_items(spec.reader, scope, request.map_item_reader_data, inspection)
    percentage, count = tolerance(spec, scope)
    if count is not None:
        inspection.record("toleratedFailureCount", count)
    if percentage is not None:
        inspection.record("toleratedFailurePercentage", percentage)
    if items is not None and (state.item_selector is not None or spec.batcher is not None):
        inputs = item_inputs(run, state, scope, items)
        if state.item_selector is not None:
            inspection.record("afterItemSelector", inputs)
        if spec.batcher is not None:
            inspection.record("afterItemBatcher", batch_inputs(spec.batcher, scope, inputs))
    failed = request.map_iteration_failure_count
    if failed is not None and items is not None and failed > len(items):
        raise ConfigurationError(TOO_MANY_FAILURES)
    thresholds = count is not None or percentage is not None
    if failed and thresholds and threshold_exceeded(failed, len(items or ()), count, percentage):
        raise StatesError(*EXCEEDED_TOLERANCE)


def _check_items_are_an_array(run: StateRun[State], state: MapState, raw_input: Any) -> None:
    """JSONPath ItemsPath (or the effective input) must select an array."""
    if state.query_language == JSONATA or state.distributed.has_reader:
        return
    items = select(state.items_path, select(state.input_path, raw_input, run.env), run.env)
    if isinstance(items, list):
        return
    path = state.items_path
    shown = path.text if isinstance(path, Path) else "$"
    if isinstance(path, Path) and path.root == "$$":
        shown = shown[1:]
    raise StatesError(ErrorName.RUNTIME.value, NOT_AN_ARRAY.format(path=shown))


def _reader_items(reader: ReaderSpec, scope: Scope, text: str, inspection: Inspection) -> list[Any]:
    """``mapItemReaderData`` read as the ItemReader reads its object, then cut to MaxItems."""
    items = items_from_text(reader, text)
    if reader.items_pointer is not None:
        inspection.record("afterItemsPointer", items)
    limit = max_items_limit(reader.max_items.resolve(scope) if reader.max_items else None)
    return items if limit is None else items[:limit]
