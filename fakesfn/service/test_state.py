"""TestState: run one state without registering anything.

The definition is one state (named ``StateName`` in the Context object, as AWS
shows it) or, with ``stateName``, a whole machine whose named state is tested.
Request checks come first, with AWS's wording where it was recorded (LocalStack's
AWS snapshots: test_state_mock_validation, test_test_state_scenarios,
test_field_validation_mode); then :mod:`fakesfn.engine.single_state` runs the
state through the engine and this module renders its answer: ``status``,
``output``/``error``/``cause``, ``nextState`` and, at DEBUG and TRACE,
``inspectionData`` with every value as JSON text.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.nodes import UNSET, MapState, ParallelState, State, StateMachine, TaskState
from fakesfn.asl.parser import is_known_resource, parse_definition_collecting
from fakesfn.asl.problems import (
    MISSING_END_STATE,
    MISSING_TRANSITION_TARGET,
    definition_message,
)
from fakesfn.asl.resources import parse_resource
from fakesfn.engine.single_state import (
    SINGLE_STATE_NAME,
    Inspection,
    Mock,
    Request,
    Result,
    run_single_state,
)
from fakesfn.engine.single_state_map import TOO_MANY_FAILURES, ConfigurationError
from fakesfn.payload import check_depth
from fakesfn.service import limits
from fakesfn.service.errors import InvalidDefinition, InvalidExecutionInput, ValidationException
from fakesfn.service.limits import ModelCheck
from fakesfn.service.mock_shapes import output_shape, validate_mock_result
from fakesfn.service.registry import Caller, operation
from fakesfn.service.test_state_context import parse_context
from fakesfn.service.test_state_http import http_recorder

if TYPE_CHECKING:
    from collections.abc import Mapping

    from fakesfn.asl.problems import Problem
    from fakesfn.service.store import Store

_NO_MAP_OR_PARALLEL: Final = (
    "TestState API does not support Map or Parallel states. "
    "Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]"
)
_MOCK_NOT_SUPPORTED: Final = "State type '{type}' is not supported when a mock is specified"
_MOCK_ONE_OF: Final = "A test mock should have only one of the following fields: [result, errorOutput]."
_MOCK_AND_SECRETS: Final = "TestState does not support RevealSecrets when a mock is specified."
_ROLE_REQUIRED: Final = "RoleArn must be specified when testing a Task state"
_NOT_ARRAY: Final = "Mocked result must be an array."
_NOT_OBJECT: Final = "Mocked result must be a JSON object."
_BRANCH_COUNT: Final = "Mocked result must contain the same number of items as number of Parallel branches."
_NOT_JSON: Final = "Mocked result must be valid JSON"
_STATE_NOT_FOUND: Final = "State not found in definition"
_FAILURES_NEED_MOCK: Final = (
    "TestState does not support MapIterationFailureCount when a mock is not specified."
)
_NEEDS_MOCK: Final = (  # house wording: AWS documents the rule, no recording pins the message
    "TestState only supports Activity tasks, .sync or .waitForTaskToken service integration patterns "
    "when a mock is specified"
)

_TEXT: Final = json.JSONEncoder(separators=(", ", ": "), ensure_ascii=False)
"""How TestState writes a JSON value as text: unlike an execution's history (compact), every
recorded TestState answer separates items with ", " (``"[1, 4, 9]"``, ``"[{\"branch1\": ...}]"``),
also for values AWS computed itself (``afterItemsPath`` selected from the input)."""

_INSPECTION_ORDER: Final = (
    "input",
    "afterInputPath",
    "afterParameters",
    "afterArguments",
    "result",
    "afterResultSelector",
    "afterResultPath",
    "afterItemsPath",
    "afterItemSelector",
    "afterItemBatcher",
    "afterItemsPointer",
    "variables",
)
_INSPECTION_NUMBERS: Final = ("toleratedFailureCount", "toleratedFailurePercentage", "maxConcurrency")


@operation("TestState")
def test_state(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """Run one state once and report status, output or error, next state and inspection data."""
    check = ModelCheck()
    check.length("definition", params.get("definition"), limits.DEFINITION_MAX, sensitive=True)
    check.enum("inspectionLevel", params.get("inspectionLevel"), ("INFO", "DEBUG", "TRACE"))
    config = params.get("stateConfiguration") or {}
    check.length(
        "stateConfiguration.mapItemReaderData",
        config.get("mapItemReaderData"),
        limits.MAP_ITEM_READER_DATA_MAX,
        sensitive=True,
    )
    mock_params = params.get("mock") or None
    if mock_params is not None:
        check.enum(
            "mock.fieldValidationMode", mock_params.get("fieldValidationMode"), ("STRICT", "PRESENT", "NONE")
        )
    check.raise_if_any()
    machine, state, machine_name = _state_under_test(params["definition"], params.get("stateName"))
    _check_failure_count(config, mock_params)
    mock = _mock(mock_params, state, params)
    _check_state(state, mock, params)
    request = Request(
        state=state,
        machine=machine,
        state_machine_name=machine_name,
        input=_input(params.get("input")),
        context=parse_context(params.get("context"), state, mocked=mock_params is not None),
        variables=_json_object("variables", params.get("variables")),
        role_arn=params.get("roleArn"),
        mock=mock,
        retrier_retry_count=config.get("retrierRetryCount", 0),
        map_iteration_failure_count=config.get("mapIterationFailureCount"),
        map_item_reader_data=config.get("mapItemReaderData", UNSET),
    )
    _check_configuration(state, config)
    inspection = Inspection()
    try:
        result = run_single_state(
            store.runtime,
            request,
            tasks=store.services.for_test_state(http_recorder(inspection)),
            inspection=inspection,
            region=caller.region,
            account_id=caller.account_id,
            random=store.random,
        )
    except ConfigurationError as refused:
        raise ValidationException(str(refused)) from None
    return _render(result, params.get("inspectionLevel", "INFO"))


# --- the definition ---------------------------------------------------------------------


def _state_under_test(text: str, state_name: str | None) -> tuple[StateMachine, State, str]:
    """Parse the definition: a whole machine with ``stateName``, else one state."""
    if state_name is not None:
        machine = _parse(text, tested=state_name)
        state = _find(machine, state_name)
        if state is None:
            raise ValidationException(_STATE_NOT_FOUND)
        return machine, state, "TestStateMachine"
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError):
        _parse(text, tested=SINGLE_STATE_NAME)  # reports AWS's INVALID_JSON_DESCRIPTION
        raise AssertionError("unreachable: invalid JSON is refused") from None
    wrapper = {"StartAt": SINGLE_STATE_NAME, "States": {SINGLE_STATE_NAME: raw}}
    machine = _parse(json.dumps(wrapper), tested=SINGLE_STATE_NAME, single=True)
    return machine, machine.states[SINGLE_STATE_NAME], "TestStateMachine"


def _parse(text: str, *, tested: str, single: bool = False) -> StateMachine:
    machine, collector = parse_definition_collecting(text)
    raw = json.loads(text) if machine is not None else None
    errors = [
        p
        for p in collector.problems
        if p.severity == "ERROR"
        and not (single and _about_wrapper(p))
        and not _resource_never_called(p, raw, tested)
    ]
    if errors or machine is None:
        raise InvalidDefinition(definition_message(errors or collector.problems))
    return machine


def _about_wrapper(problem: Problem) -> bool:
    """A lone state may name a Next that is not there, and needs no terminal state around it."""
    if problem.code == MISSING_END_STATE and problem.location == "":
        return True
    prefix = f"/States/{SINGLE_STATE_NAME}/"
    if problem.code != MISSING_TRANSITION_TARGET or not problem.location.startswith(prefix):
        return False
    return "/States/" not in problem.location[len(prefix) :]


def _resource_never_called(problem: Problem, raw: Any, tested: str) -> bool:
    """An unrecognized Task resource of a state TestState does not run: AWS accepts it.

    Recorded (test_map_state_failure_count, BASE_MAP_STATE_CATCH): a placeholder Lambda
    ARN inside a mocked Map's ItemProcessor is no refusal. State names are unique in a
    machine, so the tested state's own Resource is the one at ``.../States/<name>/Resource``.
    """
    location = problem.location
    if not location.endswith("/Resource") or location.endswith(f"/States/{tested}/Resource"):
        return False
    value = _at_pointer(raw, location)
    return isinstance(value, str) and not is_known_resource(value)


def _at_pointer(document: Any, pointer: str) -> Any:
    """The value at a problem's location (``/States/M/ItemProcessor/States/T/Resource``).

    Locations name array items as ``Branches[0]``, as AWS writes them.
    """
    value = document
    for part in pointer.strip("/").split("/"):
        name, _, index = part.partition("[")
        value = value.get(name) if isinstance(value, dict) else None
        if index:
            position = int(index.rstrip("]"))
            value = value[position] if isinstance(value, list) and position < len(value) else None
    return value


def _find(machine: StateMachine, name: str) -> State | None:
    if name in machine.states:
        return machine.states[name]
    for state in machine.states.values():
        children: tuple[StateMachine, ...] = ()
        if isinstance(state, ParallelState):
            children = state.branches
        elif isinstance(state, MapState) and state.processor is not None:
            children = (state.processor,)
        for child in children:
            found = _find(child, name)
            if found is not None:
                return found
    return None


# --- request checks ---------------------------------------------------------------------


def _check_failure_count(config: Mapping[str, Any], mock: Mapping[str, Any] | None) -> None:
    """``mapIterationFailureCount`` needs a mock, and no more failures than mocked iterations.

    Recorded (test_state_mock_validation): both refusals come before the state's own checks.
    """
    failed = config.get("mapIterationFailureCount")
    if failed is None:
        return
    if mock is None:
        raise ValidationException(_FAILURES_NEED_MOCK)
    try:
        result = _payload(mock["result"]) if isinstance(mock.get("result"), str) else None
    except ValueError:
        return  # the mock's own check words this one
    if isinstance(result, list) and failed > len(result):
        raise ValidationException(TOO_MANY_FAILURES)


def _mock(raw: Mapping[str, Any] | None, state: State, params: Mapping[str, Any]) -> Mock | None:
    if raw is None:
        return None
    has_result, has_error = "result" in raw, "errorOutput" in raw
    if has_result and has_error:
        raise ValidationException(_MOCK_ONE_OF)
    if params.get("revealSecrets"):
        raise ValidationException(_MOCK_AND_SECRETS)
    if not isinstance(state, (TaskState, MapState, ParallelState)):
        raise ValidationException(_MOCK_NOT_SUPPORTED.format(type=state.type))
    if has_error:
        error = raw["errorOutput"]
        return Mock(error=error.get("error", ""), cause=error.get("cause"))
    if not has_result:
        return None
    try:
        result = _payload(raw["result"])
    except ValueError:
        raise ValidationException(_NOT_JSON) from None
    _check_mock_result(result, state, raw.get("fieldValidationMode", "STRICT"))
    return Mock(result=result)


def _check_mock_result(result: Any, state: State, mode: str) -> None:
    if isinstance(state, MapState):
        if state.distributed.has_writer:
            if not isinstance(result, dict):
                raise ValidationException(_NOT_OBJECT)
        elif not isinstance(result, list):
            raise ValidationException(_NOT_ARRAY)
    elif isinstance(state, ParallelState):
        if not isinstance(result, list):
            raise ValidationException(_NOT_ARRAY)
        if len(result) != len(state.branches):
            raise ValidationException(_BRANCH_COUNT)
    elif isinstance(state, TaskState):
        resource = parse_resource(state.resource)
        if resource is not None:
            validate_mock_result(result, output_shape(resource), mode)


def _check_state(state: State, mock: Mock | None, params: Mapping[str, Any]) -> None:
    if isinstance(state, (MapState, ParallelState)) and mock is None:
        raise InvalidDefinition(_NO_MAP_OR_PARALLEL)
    if isinstance(state, TaskState) and mock is None:
        if not params.get("roleArn"):
            raise ValidationException(_ROLE_REQUIRED)
        resource = parse_resource(state.resource)
        if resource is not None and (resource.kind == "activity" or resource.pattern):
            raise ValidationException(_NEEDS_MOCK)


def _check_configuration(state: State, config: Mapping[str, Any]) -> None:
    """House wording: AWS documents these fields for Map and Parallel states only."""
    caused_by = config.get("errorCausedByState")
    if caused_by is not None:
        children: tuple[StateMachine, ...] = ()
        if isinstance(state, ParallelState):
            children = state.branches
        elif isinstance(state, MapState) and state.processor is not None:
            children = (state.processor,)
        if not any(_find(child, caused_by) is not None for child in children):
            raise ValidationException(
                f"The errorCausedByState '{caused_by}' is not a state inside the Map or Parallel "
                "state under test"
            )
    if config.get("mapIterationFailureCount") is not None and not isinstance(state, MapState):
        raise ValidationException("mapIterationFailureCount can only be set when testing a Map state")
    if config.get("mapItemReaderData") is not None and not (
        isinstance(state, MapState) and state.distributed.has_reader
    ):
        raise ValidationException(
            "mapItemReaderData can only be set when testing a Map state with an ItemReader"
        )


def _payload(text: str) -> Any:
    """A JSON payload of the request, refused (``ValueError``) when it nests too deeply."""
    check_depth(text)
    return json.loads(text)


def _input(text: str | None) -> Any:
    if text is None:
        return {}
    try:
        return _payload(text)
    except ValueError:
        raise InvalidExecutionInput(f"Invalid State Machine Execution Input: '{text}'") from None


def _json_object(field: str, text: str | None) -> dict[str, Any] | None:
    """``context`` and ``variables``: JSON objects (house wording when not)."""
    if text is None:
        return None
    try:
        value = _payload(text)
    except ValueError:
        raise ValidationException(f"The {field} must be a valid JSON object") from None
    if not isinstance(value, dict):
        raise ValidationException(f"The {field} must be a valid JSON object")
    return value


# --- the answer -------------------------------------------------------------------------


def _render(result: Result, level: str) -> dict[str, Any]:
    reply: dict[str, Any] = {"status": result.status}
    if result.output is not UNSET:
        reply["output"] = _TEXT.encode(result.output)
    if result.error is not None:
        reply["error"] = result.error
    if result.cause is not None:
        reply["cause"] = result.cause
    if result.next_state is not None:
        reply["nextState"] = result.next_state
    if level in ("DEBUG", "TRACE"):
        reply["inspectionData"] = _inspection(result)
    return reply


def _inspection(result: Result) -> dict[str, Any]:
    values = result.inspection.values
    data: dict[str, Any] = {key: _TEXT.encode(values[key]) for key in _INSPECTION_ORDER if key in values}
    data.update({key: values[key] for key in _INSPECTION_NUMBERS if key in values})
    data.update({key: dict(values[key]) for key in ("request", "response") if key in values})
    if result.inspection.error_details:
        data["errorDetails"] = dict(result.inspection.error_details)
    return data
