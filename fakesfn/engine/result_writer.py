"""What a Distributed Map returns: its children's results, or where ``ResultWriter`` put them.

AWS (ResultWriter docs): without ``ResultWriter`` the state's result is the array of
the child executions' outputs (``COMPACT``), except that "if a child workflow execution
fails, Step Functions returns its execution result unchanged", as with ``NONE``: the
child's execution metadata (ARN, input, status, error, cause...). ``WriterConfig``
chooses ``NONE``/``COMPACT``/``FLATTEN`` and ``JSON``/``JSONL``. With an S3 destination
the results are written under ``<Prefix>/<map run id>/``: ``SUCCEEDED_0.json``,
``FAILED_0.json`` (failed, timed out and aborted children), ``PENDING_0.json`` (children
never started because the Map Run failed) and ``manifest.json`` listing them; the result
is then ``{"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}}``.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from fakesfn.engine.timestamps import format_timestamp
from fakesfn.payload import dump

if TYPE_CHECKING:
    from fakesfn.asl.distributed import WriterSpec
    from fakesfn.engine.execution import ExecutionRecord
    from fakesfn.engine.map_run import MapRun
    from fakesfn.engine.ports import ObjectStore

_FILE_GROUPS: Final = {
    "SUCCEEDED": "SUCCEEDED",
    "FAILED": "FAILED",
    "TIMED_OUT": "FAILED",
    "ABORTED": "FAILED",
    "PENDING": "PENDING",
}
_GROUP_ORDER: Final = ("FAILED", "PENDING", "SUCCEEDED")


@dataclass(slots=True)
class Unit:
    """One child execution's worth of work: its input and, once started, the execution."""

    index: int
    input: Any
    size: int
    execution: ExecutionRecord | None = None

    @property
    def status(self) -> str:
        """The child's status, ``PENDING`` before it started."""
        return "PENDING" if self.execution is None else self.execution.status


def execution_record(child: ExecutionRecord) -> dict[str, Any]:
    """The ``NONE`` transformation of one child: its DescribeExecution fields, PascalCase."""
    record: dict[str, Any] = {
        "ExecutionArn": child.arn,
        "Input": child.input_text,
        "InputDetails": {"Included": True},
        "Name": child.name,
        "StartDate": format_timestamp(child.start_date),
        "StateMachineArn": child.state_machine_arn,
        "Status": child.status,
    }
    if child.machine_type == "STANDARD":
        record.update(_redrive(child))
    if child.output_text is not None:
        record["Output"] = child.output_text
        record["OutputDetails"] = {"Included": True}
    if child.stop_date is not None:
        record["StopDate"] = format_timestamp(child.stop_date)
    if child.error is not None:
        record["Error"] = child.error
    if child.cause is not None:
        record["Cause"] = child.cause
    return dict(sorted(record.items()))


def _redrive(child: ExecutionRecord) -> dict[str, Any]:
    fields: dict[str, Any] = {"RedriveCount": child.redrive_count}
    if child.status == "SUCCEEDED":
        fields["RedriveStatus"] = "NOT_REDRIVABLE"
        fields["RedriveStatusReason"] = "Execution is SUCCEEDED and cannot be redriven"
    else:
        fields["RedriveStatus"] = "REDRIVABLE"
    return fields


def _pending_record(unit: Unit) -> dict[str, Any]:
    return {"Input": dump(unit.input), "InputDetails": {"Included": True}, "Status": "PENDING"}


def _transformed(unit: Unit, transformation: str) -> list[Any]:
    """A unit's entries in the result: zero or more values (FLATTEN spreads arrays)."""
    child = unit.execution
    if child is None:
        return [_pending_record(unit)]
    if transformation == "NONE" or child.status != "SUCCEEDED" or child.output_text is None:
        return [execution_record(child)]
    output = json.loads(child.output_text)
    if transformation == "FLATTEN" and isinstance(output, list):
        return list(output)
    return [output]


def state_result(units: list[Unit], transformation: str) -> list[Any]:
    """The Map state's result when nothing is written to S3: every finished child, in order."""
    result: list[Any] = []
    for unit in units:
        if unit.execution is not None:
            result.extend(_transformed(unit, transformation))
    return result


def write_results(
    spec: WriterSpec, parameters: Any, run: MapRun, units: list[Unit], s3: ObjectStore
) -> dict[str, Any]:
    """Write the result files and the manifest; return the state's result."""
    if not isinstance(parameters, dict):
        parameters = {}
    bucket = parameters.get("Bucket")
    prefix = str(parameters.get("Prefix") or "")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    folder = f"{prefix}{run.run_id}/"
    files: dict[str, list[dict[str, Any]]] = {name: [] for name in _GROUP_ORDER}
    for name in _GROUP_ORDER:
        members = [unit for unit in units if _FILE_GROUPS[unit.status] == name]
        body = _encode(members, spec.transformation, spec.output_type)
        if body is not None:
            key = f"{folder}{name}_0.json"
            s3.put(bucket, key, body)
            files[name].append({"Key": key, "Size": len(body)})
    manifest_key = f"{folder}manifest.json"
    manifest = {"DestinationBucket": bucket, "MapRunArn": run.arn, "ResultFiles": files}
    s3.put(bucket, manifest_key, dump(manifest).encode("utf-8"))
    return {"MapRunArn": run.arn, "ResultWriterDetails": {"Bucket": bucket, "Key": manifest_key}}


def _encode(units: list[Unit], transformation: str, output_type: str) -> bytes | None:
    """One result file: the units' entries as a JSON array (``dump`` of the list) or JSON Lines.

    ``None`` when there is no entry (no unit, or FLATTEN of empty arrays only): no file.

    Written entry by entry: a Map Run of 100,000 children would otherwise hold every
    entry, then the whole text, then its bytes, at once (hundreds of megabytes).
    """
    out = io.BytesIO()
    jsonl = output_type == "JSONL"
    separator = b"" if jsonl else b"["
    for unit in units:
        for entry in _transformed(unit, transformation):
            out.write(separator)
            out.write(dump(entry).encode("utf-8"))
            separator = b"\n" if jsonl else b","
    if separator in (b"", b"["):
        return None
    out.write(b"\n" if jsonl else b"]")
    return out.getvalue()
