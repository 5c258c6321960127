"""Executions: Start, StartSync, Stop, Describe, List, DescribeStateMachineForExecution.

An execution is started through a state machine, version or alias ARN; the
definition in force at that moment is snapshotted into the execution so later
updates don't change it. ``start_execution`` returns after the execution has
run as far as it can at the current virtual instant (the backend drains the
runtime after every call).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

from fakesfn import arns
from fakesfn.asl import json_errors
from fakesfn.asl.variable_refs import variable_references
from fakesfn.engine import execution as engine
from fakesfn.engine import lifecycle, redrive
from fakesfn.engine.execution import ExecutionRecord
from fakesfn.engine.history import History
from fakesfn.integrations.mocks import TEST_CASE_ATTRIBUTE, test_case_target
from fakesfn.payload import MAX_PAYLOAD_BYTES, load, payload_size
from fakesfn.service.errors import (
    ExecutionAlreadyExists,
    ExecutionDoesNotExist,
    ExecutionNotRedrivable,
    InvalidExecutionInput,
    StateMachineTypeNotSupported,
    ValidationException,
)
from fakesfn.service.limits import validate_name
from fakesfn.service.pagination import paginate
from fakesfn.service.registry import Caller, operation
from fakesfn.service.targets import Target, resolve_target

if TYPE_CHECKING:
    from fakesfn.service.store import Store

_STATUSES: Final = ("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE")
_STATUSES_SHOWN: Final = "SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING"
"""The order AWS lists the statuses in a statusFilter refusal (recorded: test_state_machine_status_filter)."""

_BLANK_INPUT: Final = "Invalid execution input."
"""Recorded (test_invalid_start_execution_input, ``input=""``)."""


def _parse_input(text: Any) -> tuple[str, Any]:
    if text is None:
        return "{}", {}
    if payload_size(text) > MAX_PAYLOAD_BYTES:
        raise InvalidExecutionInput(
            f"Input length exceeds the maximum allowed length of {MAX_PAYLOAD_BYTES} bytes."
        )
    if not text.strip():
        raise InvalidExecutionInput(f"Invalid State Machine Execution Input: '{_BLANK_INPUT}'")
    try:
        value = load(text)
    except json.JSONDecodeError as error:  # Jackson's words (recorded: test_invalid_start_execution_input)
        detail = json_errors.describe(text, error).detail
        raise InvalidExecutionInput(f"Invalid State Machine Execution Input: '{detail}'") from None
    except ValueError:  # NaN, a number beyond a double, nested too deeply
        raise InvalidExecutionInput(f"Invalid State Machine Execution Input: '{_short(text)}'") from None
    return text, value


def _short(text: str) -> str:
    return text if len(text) <= 100 else text[:100] + "..."


def new_execution(
    store: Store, target: Target, name: str, input_text: str, value: Any, *, trace_header: str | None
) -> ExecutionRecord:
    """Build an execution record for ``target`` (not yet stored nor started)."""
    record = target.machine
    express = record.type == "EXPRESS"
    arn = arns.execution_arn(
        record.arn, name, express=express, suffix=store.random.uuid() if express else None
    )
    return ExecutionRecord(
        arn=arn,
        name=name,
        state_machine_arn=record.arn,
        state_machine_name=record.name,
        machine=target.definition.machine,
        definition_text=target.definition.text,
        role_arn=target.role_arn,
        machine_type=record.type,
        input_text=input_text,
        input=value,
        start_date=store.clock.time(),
        history=History.of_type(store.clock, record.type),
        version_arn=target.version_arn,
        alias_arn=target.alias_arn,
        trace_header=trace_header,
    )


def start_new(store: Store, execution: ExecutionRecord) -> None:
    """Store ``execution`` and set it running."""
    store.start_execution(execution)


@operation("StartExecution")
def start_execution(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """AWS: same name and same input while RUNNING is idempotent; otherwise the name is taken."""
    machine_arn, test_case = test_case_target(store.services.mocks, params["stateMachineArn"])
    target = resolve_target(store, machine_arn)
    name = params.get("name")
    if name is None:
        name = store.random.uuid()
    else:
        validate_name(name, "execution")
    input_text, value = _parse_input(params.get("input"))
    existing = _existing(store, target, name)
    if existing is not None:
        if (
            existing.status == "RUNNING"
            and existing.input_text == input_text
            and target.machine.type == "STANDARD"
        ):
            return {"executionArn": existing.arn, "startDate": existing.start_date}
        raise ExecutionAlreadyExists(f"Execution Already Exists: '{existing.arn}'")
    execution = new_execution(store, target, name, input_text, value, trace_header=params.get("traceHeader"))
    if test_case is not None:
        execution.attributes[TEST_CASE_ATTRIBUTE] = test_case
    start_new(store, execution)
    return {"executionArn": execution.arn, "startDate": execution.start_date}


def _existing(store: Store, target: Target, name: str) -> ExecutionRecord | None:
    if target.machine.type == "EXPRESS":
        return None
    return store.executions.get(arns.execution_arn(target.machine.arn, name))


@operation("StartSyncExecution")
def start_sync_execution(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """EXPRESS only: run to the end (moving virtual time as far as the execution needs)."""
    machine_arn, test_case = test_case_target(store.services.mocks, params["stateMachineArn"])
    target = resolve_target(store, machine_arn)
    if target.machine.type != "EXPRESS":
        raise StateMachineTypeNotSupported("This operation is not supported by this type of state machine")
    name = params.get("name")
    if name is None:
        name = store.random.uuid()
    else:
        validate_name(name, "execution")
    input_text, value = _parse_input(params.get("input"))
    execution = new_execution(store, target, name, input_text, value, trace_header=params.get("traceHeader"))
    if test_case is not None:
        execution.attributes[TEST_CASE_ATTRIBUTE] = test_case
    start_new(store, execution)
    runtime = store.runtime
    runtime.run()
    while not execution.done:
        due = store.clock.next_due()
        if due is None:
            break
        store.clock.advance(max(0.0, due - store.clock.time()))
        runtime.run()
    reply = _describe_fields(execution, store.clock.time())
    duration_ms = max(
        100,
        int(((execution.stop_date or store.clock.time()) - execution.start_date) * 1000 // 100 * 100 + 100),
    )
    reply["billingDetails"] = {"billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": duration_ms}
    for key in (
        "redriveCount",
        "redriveStatus",
        "redriveStatusReason",
        "mapRunArn",
        "stateMachineVersionArn",
        "stateMachineAliasArn",
    ):
        reply.pop(key, None)
    return reply


def find_execution(store: Store, arn: Any) -> ExecutionRecord:
    """The execution ``arn`` names, or AWS's error."""
    arns.parse_execution_arn(arn)
    execution = store.executions.get(arn)
    if execution is None:
        raise ExecutionDoesNotExist(f"Execution Does Not Exist: '{arn}'")
    return execution


def _describe_fields(execution: ExecutionRecord, now: float) -> dict[str, Any]:
    reply: dict[str, Any] = {
        "executionArn": execution.arn,
        "stateMachineArn": execution.state_machine_arn,
        "name": execution.name,
        "status": execution.status,
        "startDate": execution.start_date,
        "input": execution.input_text,
        "inputDetails": {"included": True},
    }
    if execution.stop_date is not None:
        reply["stopDate"] = execution.stop_date
    if execution.output_text is not None:
        reply["output"] = execution.output_text
        reply["outputDetails"] = {"included": True}
    if execution.error is not None:
        reply["error"] = execution.error
    if execution.cause is not None:
        reply["cause"] = execution.cause
    if execution.trace_header is not None:
        reply["traceHeader"] = execution.trace_header
    for key, value in (
        ("mapRunArn", execution.map_run_arn),
        ("stateMachineVersionArn", execution.version_arn),
        ("stateMachineAliasArn", execution.alias_arn),
    ):
        if value is not None:
            reply[key] = value
    reply.update(_redrive_fields(execution, now))
    return reply


def _redrive_fields(execution: ExecutionRecord, now: float) -> dict[str, Any]:
    fields: dict[str, Any] = {"redriveCount": execution.redrive_count}
    if execution.redrive_date is not None:
        fields["redriveDate"] = execution.redrive_date
    status, reason = redrive.redrive_status(execution, now)
    fields["redriveStatus"] = status
    if reason is not None:
        fields["redriveStatusReason"] = reason
    return fields


@operation("DescribeExecution")
def describe_execution(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """Everything AWS reports about one execution."""
    execution = find_execution(store, params["executionArn"])
    if execution.machine_type == "EXPRESS" and execution.map_run_arn is None:
        # AWS: EXPRESS executions "aren't supported by DescribeExecution unless a Map
        # Run dispatched them".
        raise ExecutionDoesNotExist(f"Execution Does Not Exist: '{execution.arn}'")
    reply = _describe_fields(execution, store.clock.time())
    if execution.status == "TIMED_OUT":
        # AWS describes a timed-out execution without error or cause: only its
        # ExecutionTimedOut event carries them (recorded: LocalStack's test_global_timeout).
        reply.pop("error", None)
        reply.pop("cause", None)
    return reply


@operation("StopExecution")
def stop_execution(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """Abort a running execution; stopping a finished one changes nothing."""
    execution = find_execution(store, params["executionArn"])
    if execution.machine_type == "EXPRESS":
        raise ExecutionDoesNotExist(f"Execution Does Not Exist: '{execution.arn}'")
    if not execution.done:
        engine.stop(store.runtime, execution, params.get("error"), params.get("cause"))
    return {"stopDate": execution.stop_date}


@operation("ListExecutions")
def list_executions(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """Newest first; filtered by machine, version or alias ARN (or map run) and status."""
    status = params.get("statusFilter")
    if status is not None and status not in _STATUSES:
        raise ValidationException(
            f"1 validation error detected: Value '{status}' at 'statusFilter' failed to satisfy constraint: "
            f"Member must satisfy enum value set: [{_STATUSES_SHOWN}]"
        )
    machine_arn = params.get("stateMachineArn")
    map_run_arn = params.get("mapRunArn")
    if (machine_arn is None) == (map_run_arn is None):
        raise ValidationException("Must provide a StateMachine ARN or a MapRun ARN")
    if machine_arn is not None and status == "PENDING_REDRIVE":
        # AWS: only Map Run children wait in PENDING_REDRIVE (house wording).
        raise ValidationException("The PENDING_REDRIVE status filter can only be used with a mapRunArn")
    if machine_arn is not None:
        target = resolve_target(store, machine_arn, route=False, deleting_ok=True)
        if target.machine.type == "EXPRESS":
            raise StateMachineTypeNotSupported(
                "This operation is not supported by this type of state machine"
            )
        selected = [e for e in store.executions.values() if _belongs(e, target)]
    else:
        arns.parse_map_run_arn(map_run_arn)
        selected = [e for e in store.executions.values() if e.map_run_arn == map_run_arn]
    if status is not None:
        selected = [e for e in selected if e.status == status]
    redrive_filter = params.get("redriveFilter")
    if redrive_filter is not None:
        if redrive_filter not in ("REDRIVEN", "NOT_REDRIVEN"):
            raise ValidationException(
                f"1 validation error detected: Value '{redrive_filter}' at 'redriveFilter' failed to satisfy "
                "constraint: Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]"
            )
        redriven = redrive_filter == "REDRIVEN"
        selected = [e for e in selected if (e.redrive_count > 0) == redriven]
    selected.reverse()
    page, token = paginate("ListExecutions", selected, params, scope=str(machine_arn or map_run_arn))
    reply: dict[str, Any] = {"executions": [_list_item(e) for e in page]}
    if token:
        reply["nextToken"] = token
    return reply


def _belongs(execution: ExecutionRecord, target: Target) -> bool:
    if execution.state_machine_arn != target.machine.arn:
        return False
    if target.alias_arn is not None:
        return execution.alias_arn == target.alias_arn
    if target.version_arn is not None:
        return execution.version_arn == target.version_arn
    return True


def _list_item(execution: ExecutionRecord) -> dict[str, Any]:
    item: dict[str, Any] = {
        "executionArn": execution.arn,
        "stateMachineArn": execution.state_machine_arn,
        "name": execution.name,
        "status": execution.status,
        "startDate": execution.start_date,
        "redriveCount": execution.redrive_count,
    }
    if execution.stop_date is not None:
        item["stopDate"] = execution.stop_date
    for key, value in (
        ("mapRunArn", execution.map_run_arn),
        ("itemCount", execution.map_run_item_count),
        ("stateMachineVersionArn", execution.version_arn),
        ("stateMachineAliasArn", execution.alias_arn),
        ("redriveDate", execution.redrive_date),
    ):
        if value is not None:
            item[key] = value
    return item


@operation("DescribeStateMachineForExecution")
def describe_state_machine_for_execution(
    store: Store, caller: Caller, params: dict[str, Any]
) -> dict[str, Any]:
    """The definition the execution actually ran with."""
    execution = find_execution(store, params["executionArn"])
    # A Map Run child names its parent machine with a /label suffix.
    record = store.state_machines.get(
        arns.parse_state_machine_arn(execution.state_machine_arn, allow_qualifier=True).base_arn
    )
    reply: dict[str, Any] = {
        "stateMachineArn": execution.state_machine_arn,
        "name": execution.state_machine_name,
        "definition": execution.definition_text,
        "roleArn": execution.role_arn,
        "updateDate": (record.update_date or record.creation_date)
        if record is not None
        else execution.start_date,
    }
    if record is not None:
        reply["loggingConfiguration"] = record.logging_configuration
        reply["tracingConfiguration"] = record.tracing_configuration
        reply["encryptionConfiguration"] = record.encryption_configuration
        if record.revision_id is not None:
            reply["revisionId"] = record.revision_id
    references = variable_references(execution.definition_text)
    if references:
        reply["variableReferences"] = references
    if execution.map_run_arn is not None:
        reply["mapRunArn"] = execution.map_run_arn
        label = execution.map_run_label
        if label is not None:
            reply["label"] = label
    return reply


@operation("RedriveExecution")
def redrive_execution(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """Continue a FAILED, TIMED_OUT or ABORTED STANDARD execution from where it stopped.

    AWS: a repeated ``clientToken`` makes the call idempotent (the same
    redriveDate is returned while the redrive it started is the latest).
    """
    execution = find_execution(store, params["executionArn"])
    token = params.get("clientToken")
    if token is not None and execution.attributes.get("redrive_token") == token and execution.redrive_date:
        return {"redriveDate": execution.redrive_date}
    if execution.machine_type == "EXPRESS":
        raise ExecutionDoesNotExist(f"Execution Does Not Exist: '{execution.arn}'")
    reason = redrive.not_redrivable_reason(execution, store.clock.time())
    if reason is not None:
        raise ExecutionNotRedrivable(reason)
    lifecycle.redrive(store.runtime, execution)
    if token is not None:
        execution.attributes["redrive_token"] = token
    return {"redriveDate": execution.redrive_date}
