"""Distributed Map: one child execution per item (or batch of items), tracked by a Map Run.

AWS's order, as recorded (scenarios ``test_map_*distributed*``, ``*item_reader*``,
``*tolerated_failure*``): the items (``ItemsPath``/``Items``) and ``MaxConcurrency`` are
evaluated, ``MapStateStarted`` is recorded (length 0 when an ``ItemReader`` reads them),
the tolerated-failure thresholds are evaluated (a bad value fails the state with
``States.Runtime`` before any Map Run exists), then ``MapRunStarted``. The Map Run reads
its items, applies ``ItemSelector`` (with ``$$.Map.Item``) and ``ItemBatcher``, and starts
the children in index order, at most MaxConcurrency at a time, on the same runtime as
everything else (their waits interleave on the virtual clock). It ends with
``MapRunSucceeded`` or ``MapRunFailed`` (then ``MapStateFailed``) or ``MapRunAborted``.

Since late 2024 AWS links ``MapRunSucceeded`` and ``MapStateExited`` both to
``MapRunStarted``, and ``MapStateSucceeded`` to ``MapRunSucceeded`` (every recording from
2024-11 on: assign ``test_reference_in_map_state_*``, nested_config_distributed,
item_batching_jsonata; older recordings chained ``MapStateExited`` after
``MapRunSucceeded``).

Redriving the parent redrives a failed or aborted Map Run (AWS: "Redriving Map
Runs"): the state is entered again, records ``MapRunRedriven`` where it recorded
``MapRunStarted``, and the same Map Run reruns only its unsuccessful children,
keeping the results of those that succeeded. A Map Run that never started, or that
failed with ``States.DataLimitExceeded`` or ``States.Runtime``, is replaced by a new one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from fakesfn import arns
from fakesfn.asl.context import Env, states_binding
from fakesfn.asl.distributed import Scope
from fakesfn.asl.errors import ErrorName, StateFieldError, StatesError
from fakesfn.asl.nodes import JSONATA, MapState
from fakesfn.engine.io import select
from fakesfn.engine.item_reader import max_items_limit, read_items
from fakesfn.engine.map_children import ChildRunner
from fakesfn.engine.map_items import jsonata_concurrency, jsonata_items, jsonpath_concurrency, jsonpath_items
from fakesfn.engine.map_run import ABORTED, FAILED, MAX_MAP_RUN_REDRIVES, SUCCEEDED, MapRun
from fakesfn.engine.result_writer import Unit, state_result, write_results
from fakesfn.engine.runtime import FiberAborted
from fakesfn.payload import MAX_PAYLOAD_BYTES, dump, payload_size

if TYPE_CHECKING:
    from collections.abc import Generator

    from fakesfn.asl.distributed import BatcherSpec, DistributedSpec
    from fakesfn.asl.nodes import State
    from fakesfn.engine.interpreter import StateRun
    from fakesfn.engine.ports import ObjectStore
    from fakesfn.engine.signals import Signal

PERCENTAGE_RANGE: Final = "ToleratedFailurePercentage must be between 0 and 100."
"""Recorded (test_map_state_tolerated_failure_percentage_path_-1)."""

COUNT_RANGE: Final = "ToleratedFailureCount cannot be negative."
"""Recorded (LocalStack's test_map_state_tolerated_failure_count_path[-1], 2024-06-19)."""

BATCH_LIMIT_NEGATIVE: Final = "The ItemBatcher limits must be positive"
"""House wording: AWS's text for a negative batch limit (MaxItemsPerBatch...) is not recorded."""

_LABEL_NAMESPACE: Final = uuid.UUID("8d3a4f6e-1f0b-4c55-9a57-6d7a0c2f5e11")


@dataclass(frozen=True, slots=True)
class MapRunResume:
    """What a Distributed Map that stopped unsuccessfully leaves for a redrive: its Map Run.

    It is the Map state's one child outcome (``fiber.resume_out``), as iterations and
    branches are for inline Map and Parallel states.
    """

    state_name: str
    map_run: MapRun


_MAP_RUN_SLOT: Final = 0
"""The key of a Distributed Map's :class:`MapRunResume` among its fiber's child outcomes."""

_RENEWING_ERRORS: Final = frozenset({ErrorName.DATA_LIMIT_EXCEEDED.value, ErrorName.RUNTIME.value})
"""AWS: "A new Map Run is started and the existing Map Run isn't redriven" when it failed
with ``States.DataLimitExceeded`` or a ``States.Runtime`` data interpolation error."""

MAP_RUN_REDRIVE_LIMIT: Final = (
    f"The Map Run has reached the maximum number of redrives ({MAX_MAP_RUN_REDRIVES}) and cannot be redriven"
)
"""House wording: AWS documents the ``States.Runtime`` error, not its cause."""


def run_distributed_map(run: StateRun[MapState], raw_input: Any) -> Generator[Signal, Any, Any]:
    """The Distributed Map body: returns the state's result, before ResultSelector/ResultPath."""
    state = run.state
    spec = state.distributed.runnable()
    prior = _take_prior(run, state)
    scope, items, concurrency = evaluate_items(run, state, raw_input)
    reader_parameters = scope.render(spec.reader.parameters, "ItemReader") if spec.reader else None
    run.fiber.emit("MapStateStarted", "mapStateStartedEventDetails", {"length": len(items or ())})
    percentage, count = tolerance(spec, scope)
    if prior is None:
        map_run = _open_map_run(run, state, concurrency, percentage, count)
        run.fiber.emit("MapRunStarted", "mapRunStartedEventDetails", {"mapRunArn": map_run.arn})
    else:
        map_run = _redrive_map_run(run, prior)
    driver: ChildRunner | None = None
    try:
        if map_run.units is None:
            # AWS: a redriven Map Run whose children never started "uses the input in
            # the Amazon S3 bucket": the items are read (again) now.
            if spec.reader is not None:
                limit = max_items_limit(
                    spec.reader.max_items.resolve(scope) if spec.reader.max_items else None
                )
                s3 = _object_store(run, spec.reader.resource, ErrorName.ITEM_READER_FAILED.value)
                items = read_items(spec.reader, reader_parameters, limit, s3)
            map_run.begin(_units(run, state, spec, scope, items or []))
            # The units hold each child's input: the items as read need not stay alive.
            items = None
        driver = ChildRunner(run, state, map_run)
        failure = yield driver.start()
        result = _result(run, spec, scope, map_run)
        if failure is not None:
            raise failure
    except StateFieldError as error:
        raise _map_run_failed(run, map_run, run.field_error(error)) from None
    except StatesError as error:
        raise _map_run_failed(run, map_run, error) from None
    except FiberAborted as aborted:
        if driver is not None:
            driver.stop_children()
        map_run.stop(ABORTED, run.runtime.clock.time())
        _keep_for_redrive(run, map_run)
        if not aborted.quiet:
            # A stopped or timed-out execution ends with its own event only (as for
            # every state); a Map aborted by a failing sibling branch records it.
            run.fiber.emit_aside("MapRunAborted")
        raise
    succeeded = run.fiber.emit_aside("MapRunSucceeded")
    run.execution.history.add("MapStateSucceeded", succeeded)
    map_run.stop(SUCCEEDED, run.runtime.clock.time())
    run.fiber.resume_out = None
    return result


def _take_prior(run: StateRun[MapState], state: MapState) -> MapRun | None:
    """The Map Run a redrive continues: the one this state left when it stopped unsuccessfully.

    AWS: "A redriven parent workflow redrives all the unsuccessful states, including
    Distributed Map"; if there is none (the Map Run never started, or it must be
    replaced), the state starts a new one.
    """
    fiber = run.fiber
    prior, fiber.resume_in, fiber.resume_out = fiber.resume_in or {}, None, None
    found = prior.get(_MAP_RUN_SLOT)
    if not isinstance(found, MapRunResume) or found.state_name != state.name:
        return None
    map_run = found.map_run
    if map_run.status not in (FAILED, ABORTED) or map_run.execution_arn != run.execution.arn:
        return None
    # Should this attempt fail before it reaches the Map Run, a later redrive still finds it.
    _keep_for_redrive(run, map_run)
    return map_run


def _keep_for_redrive(run: StateRun[MapState], map_run: MapRun) -> None:
    run.fiber.resume_out = {_MAP_RUN_SLOT: MapRunResume(run.state.name, map_run)}


def _redrive_map_run(run: StateRun[MapState], map_run: MapRun) -> MapRun:
    """Record ``MapRunRedriven`` (instead of ``MapRunStarted``) and run the same Map Run again."""
    if map_run.redrive_count >= MAX_MAP_RUN_REDRIVES:
        raise StateFieldError(MAP_RUN_REDRIVE_LIMIT)
    map_run.redrive(run.runtime.clock.time())
    run.fiber.emit(
        "MapRunRedriven",
        "mapRunRedrivenEventDetails",
        {"mapRunArn": map_run.arn, "redriveCount": map_run.redrive_count},
    )
    return map_run


def evaluate_items(
    run: StateRun[State], state: MapState, raw_input: Any
) -> tuple[Scope, list[Any] | None, int]:
    """The scope fields are evaluated in, the items (unless an ItemReader reads them), MaxConcurrency.

    Shared with TestState, which shows these values for any Map, inline or distributed.
    """
    env = run.env
    if state.query_language == JSONATA:
        binding = states_binding(env, raw_input)
        items = None if state.distributed.has_reader else jsonata_items(state, binding, env)
        return Scope(True, raw_input, env), items, jsonata_concurrency(state, binding, env)
    effective = select(state.input_path, raw_input, env)
    items = None if state.distributed.has_reader else jsonpath_items(state, effective, env)
    return Scope(False, effective, env), items, jsonpath_concurrency(state, effective, env)


def tolerance(spec: DistributedSpec, scope: Scope) -> tuple[float | None, int | None]:
    """ToleratedFailurePercentage and ToleratedFailureCount, resolved and range-checked."""
    percentage = spec.tolerated_percentage.resolve(scope) if spec.tolerated_percentage else None
    if percentage is not None and not 0 <= percentage <= 100:
        raise StateFieldError(PERCENTAGE_RANGE)
    count = spec.tolerated_count.resolve(scope) if spec.tolerated_count else None
    if count is not None and count < 0:
        raise StateFieldError(COUNT_RANGE)
    return percentage, None if count is None else int(count)


def _object_store(run: StateRun[MapState], resource: str, error: str) -> ObjectStore:
    """Amazon S3 as this Map Run's reader or writer reaches it (the runtime's storage port)."""
    storage = run.runtime.storage
    if storage is None:
        raise StatesError(
            ErrorName.RUNTIME.value, f"fakesfn: this runtime reaches no Amazon S3 for '{resource}'"
        )
    return storage.open(arns.region_of(run.execution.arn), resource, error)


def _open_map_run(
    run: StateRun[MapState], state: MapState, concurrency: int, percentage: float | None, count: int | None
) -> MapRun:
    """Create and keep the Map Run record (``arn:...:mapRun:<machine>/<label>:<id>``)."""
    parent = run.execution
    where = arns.partition_of(parent.arn), arns.region_of(parent.arn), arns.account_of(parent.arn)
    machine = parent.state_machine_name.split("/", 1)[0] or arns.execution_machine_name(parent.arn)
    # AWS: "If you don't specify a custom label, Step Functions generates a unique label";
    # derived from the machine and state so every run of one Map state shares it.
    label = state.label or str(uuid.uuid5(_LABEL_NAMESPACE, f"{parent.state_machine_arn}#{state.name}"))
    map_run = MapRun(
        arn=arns.map_run_arn(arns.state_machine_arn(*where, machine), label, run.runtime.random.uuid()),
        execution_arn=parent.arn,
        state_machine_arn=arns.state_machine_arn(*where, f"{machine}/{label}"),
        label=label,
        start_date=run.runtime.clock.time(),
        max_concurrency=concurrency,
        tolerated_failure_percentage=percentage,
        tolerated_failure_count=count,
    )
    host = run.runtime.host
    if host is not None:
        # DescribeMapRun, ListMapRuns and UpdateMapRun find it there.
        host.add_map_run(map_run)
    return map_run


def _map_run_failed(run: StateRun[MapState], map_run: MapRun, error: StatesError) -> StatesError:
    """Record ``MapRunFailed``; the state then fails with the same error, after it.

    The failed Map Run is left for a redrive, unless AWS would start a new one.
    """
    details: dict[str, Any] = {"error": error.error}
    if error.cause is not None:
        details["cause"] = error.cause
    failed = run.fiber.emit_aside("MapRunFailed", "mapRunFailedEventDetails", details)
    run.fiber.last_event = failed
    map_run.stop(FAILED, run.runtime.clock.time())
    run.fiber.resume_out = None
    if error.error not in _RENEWING_ERRORS:
        _keep_for_redrive(run, map_run)
    return error


def _units(
    run: StateRun[MapState], state: MapState, spec: DistributedSpec, scope: Scope, items: list[Any]
) -> list[Unit]:
    """Each child execution's input: ItemSelector per item, then ItemBatcher."""
    values = item_inputs(run, state, scope, items)
    if spec.batcher is None:
        return [Unit(index, value, 1) for index, value in enumerate(values)]
    return _batches(spec.batcher, scope, values)


def item_inputs(run: StateRun[State], state: MapState, scope: Scope, items: list[Any]) -> list[Any]:
    """Every item after ItemSelector, each seeing its own ``$$.Map.Item``."""
    return [_select_item(run, state, scope, index, item) for index, item in enumerate(items)]


def batch_inputs(batcher: BatcherSpec, scope: Scope, values: list[Any]) -> list[Any]:
    """The inputs ItemBatcher makes of the selected items, one per child execution."""
    return [unit.input for unit in _batches(batcher, scope, values)]


def _select_item(run: StateRun[State], state: MapState, scope: Scope, index: int, item: Any) -> Any:
    selector = state.item_selector
    if selector is None:
        return item
    parent = run.env
    context = {**parent.context, "Map": {"Item": {"Index": index, "Value": item}}}
    env = Env(context, parent.variables, parent.random)
    if scope.jsonata:
        return selector.evaluate(states_binding(env, scope.value), env, "ItemSelector")
    return selector.evaluate(scope.value, env)


def _batches(batcher: BatcherSpec, scope: Scope, values: list[Any]) -> list[Unit]:
    """AWS: each child gets ``{"BatchInput": ..., "Items": [...]}`` within both limits.

    Recorded (test_map_item_batching_base_json_max_per_batch_jsonata): BatchInput comes
    first, and is left out when the batcher has none.
    """
    max_items = _positive(batcher.max_items.resolve(scope) if batcher.max_items else None, len(values) or 1)
    # AWS: a batch is at most 256 KiB, whatever MaxInputBytesPerBatch says.
    max_bytes = min(
        _positive(batcher.max_bytes.resolve(scope) if batcher.max_bytes else None, MAX_PAYLOAD_BYTES),
        MAX_PAYLOAD_BYTES,
    )
    batch_input = scope.render(batcher.batch_input, "BatchInput") if batcher.batch_input is not None else None
    head: dict[str, Any] = {} if batch_input is None else {"BatchInput": batch_input}
    groups = batch_groups(values, max_items, max_bytes, head)
    return [Unit(index, {**head, "Items": group}, len(group)) for index, group in enumerate(groups)]


def batch_groups(values: list[Any], max_items: int, max_bytes: int, head: dict[str, Any]) -> list[list[Any]]:
    """Greedy batches, in order: a batch closes when one more item would pass either limit.

    Sizes are those of the child's input (``head`` plus ``Items``); an item too large on
    its own still gets a batch of its own.
    """
    empty = payload_size(dump({**head, "Items": []}))
    groups: list[list[Any]] = []
    batch: list[Any] = []
    size = empty
    for value in values:
        item = payload_size(dump(value))
        grown = size + item + (1 if batch else 0)
        if batch and (len(batch) >= max_items or grown > max_bytes):
            groups.append(batch)
            batch, grown = [], empty + item
        batch.append(value)
        size = grown
    if batch:
        groups.append(batch)
    return groups


def _positive(value: float | None, default: int) -> int:
    if value is None or value == 0:
        return default
    if value < 0:
        raise StateFieldError(BATCH_LIMIT_NEGATIVE)
    return int(value)


def _result(run: StateRun[MapState], spec: DistributedSpec, scope: Scope, map_run: MapRun) -> Any:
    """The state's result; writing to S3 when ``ResultWriter`` names a destination.

    A redriven Map Run's result holds every child's outcome: those kept from earlier
    attempts and those of the children it reran.
    """
    writer = spec.writer
    units = map_run.units
    assert units is not None
    map_run.executions.results_written = map_run.items.results_written = 0
    for unit in units:
        if unit.execution is not None and unit.execution.done:
            map_run.executions.results_written += 1
            map_run.items.results_written += unit.size
    if writer is None:
        return state_result(units, "COMPACT")
    if writer.resource is None:
        return state_result(units, writer.transformation)
    parameters = scope.render(writer.parameters, "ResultWriter") if writer.parameters is not None else {}
    s3 = _object_store(run, writer.resource, ErrorName.RESULT_WRITER_FAILED.value)
    return write_results(writer, parameters, map_run, units, s3)
