"""What only some state types have: Task timeouts and credentials, Choice rules, Wait and Fail fields.

Functions over a :class:`~fakesfn.asl.reader.FieldReader` (the state being read),
recording a problem for every bad field like the reader's own methods do. Also
AWS's WARNING diagnostics (``NO_DOLLAR``, ``NO_PATH``), which never refuse a
definition.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from fakesfn.asl import problems as msg
from fakesfn.asl.choice import compile_choice_rule
from fakesfn.asl.intrinsics import is_intrinsic
from fakesfn.asl.nodes import JSONATA, JSONPATH, ChoiceJsonata, Evaluable
from fakesfn.asl.payload import PayloadTemplate, compile_dynamic_value
from fakesfn.asl.timestamps import parse_timestamp

if TYPE_CHECKING:
    from fakesfn.asl.problems import ProblemCollector
    from fakesfn.asl.reader import FieldReader


def check_timeouts(reader: FieldReader) -> None:
    """A Task may not have both a literal and a path form of the same timeout.

    AWS also requires a literal HeartbeatSeconds below a literal TimeoutSeconds.
    """
    reader.only_one("TimeoutSeconds", "TimeoutSecondsPath")
    reader.only_one("HeartbeatSeconds", "HeartbeatSecondsPath")
    timeout, heartbeat = reader.raw.get("TimeoutSeconds"), reader.raw.get("HeartbeatSeconds")
    if isinstance(timeout, int) and isinstance(heartbeat, int) and _is_int(timeout) and heartbeat >= timeout:
        # House wording.
        reader.problems.schema(
            "The value for the field 'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'",
            reader.at("HeartbeatSeconds"),
        )


def credentials(reader: FieldReader) -> Any:
    """A Task's ``Credentials``: an object naming the role to assume.

    AWS (recorded, credentials test_invalid_credentials_field): an object without
    ``RoleArn`` is "The field 'RoleArn' is required but was missing" at the
    Credentials object, whatever other fields it holds.
    """
    if "Credentials" not in reader.raw:
        return None
    value = reader.raw["Credentials"]
    where = reader.at("Credentials")
    if not isinstance(value, Mapping):
        reader.problems.schema(msg.MUST_BE.format(field="Credentials", kind="an OBJECT"), where)
        return None
    keys = ("RoleArn", "RoleArn.$") if reader.language == JSONPATH else ("RoleArn",)
    present = [key for key in keys if key in value]
    if not present:
        reader.problems.schema(msg.CREDENTIALS_ROLE, where)
        return None
    if len(present) > 1:
        reader.problems.schema(msg.ONLY_ONE.format(fields=", ".join(present)), where)
    sub = reader.child(value, "Credentials")
    assert sub is not None
    if "RoleArn.$" in value:
        compile_dynamic_value(value["RoleArn.$"], "RoleArn.$", f"{where}/RoleArn.$", reader.problems)
    elif not isinstance(value["RoleArn"], str):
        reader.problems.schema(msg.MUST_BE.format(field="RoleArn", kind="a STRING"), f"{where}/RoleArn")
    elif reader.language == JSONATA:
        sub.jsonata_template("RoleArn")
    return dict(value)


def choice_rules(reader: FieldReader) -> tuple[Any, ...]:
    """The ``Choices`` array, compiled for the state's language."""
    rules: list[Any] = []
    raw_rules = reader.array("Choices", required=True)
    if "Choices" in reader.raw and not raw_rules:
        reader.problems.schema(msg.EMPTY, reader.at("Choices"))
    for i, raw in enumerate(raw_rules):
        where = reader.at(f"Choices[{i}]")
        if reader.language == JSONATA:
            sub = reader.child(raw, f"Choices[{i}]")
            if sub is None:
                continue
            sub.reject_unknown(frozenset({"Condition", "Next", "Assign", "Output", "Comment"}))
            condition = sub.jsonata_template("Condition") if "Condition" in raw else None
            if condition is None:
                reader.problems.schema("These fields are required: [Condition]", where)
                continue
            rules.append(
                ChoiceJsonata(
                    condition, sub.string("Next") or "", sub.assign(), sub.jsonata_template("Output")
                )
            )
        else:
            if not isinstance(raw, Mapping):
                reader.problems.schema("The value must be an object", where)
                continue
            rule = compile_choice_rule(raw, where, reader.problems, top_level=True)
            if rule is not None and rule.assign is not None:
                # Compiled here, as every other Assign is: its paths, intrinsics and names.
                sub = reader.child(raw, f"Choices[{i}]")
                assert sub is not None
                rule = dataclasses.replace(rule, assign=sub.assign())
            if rule is not None:
                rules.append(rule)
    return tuple(rules)


def wait_fields(reader: FieldReader) -> dict[str, Any]:
    """The one timing field of a Wait state."""
    present = [k for k in ("Seconds", "Timestamp", "SecondsPath", "TimestampPath") if k in reader.raw]
    if len(present) > 1:
        reader.problems.schema(msg.ONLY_ONE.format(fields=", ".join(present)), reader.location)
    elif not present:
        # House wording: AWS requires exactly one of the four timing fields.
        reader.problems.schema(
            "A Wait state must contain exactly one of 'Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'",
            reader.location,
        )
    out: dict[str, Any] = {}
    if reader.language == JSONATA:
        for key, name in (("Seconds", "seconds_expression"), ("Timestamp", "timestamp_expression")):
            if key in reader.raw:
                if isinstance(reader.raw[key], str):
                    out[name] = reader.jsonata_template(key)
                elif key == "Seconds":
                    out["seconds"] = _wait_seconds(reader)
                else:
                    reader.problems.schema(
                        "The value for the field 'Timestamp' must be a STRING", reader.at(key)
                    )
        return out
    if "Seconds" in reader.raw:
        out["seconds"] = _wait_seconds(reader)
    if "Timestamp" in reader.raw:
        out["timestamp"] = _timestamp_literal(reader)
    out["seconds_path"] = reader.reference_path("SecondsPath")
    out["timestamp_path"] = reader.reference_path("TimestampPath")
    return out


def _wait_seconds(reader: FieldReader) -> int | None:
    value = reader.raw["Seconds"]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        reader.problems.schema(
            "The value for the field 'Seconds' must be a non-negative INTEGER", reader.at("Seconds")
        )
        return None
    return value


def _timestamp_literal(reader: FieldReader) -> str | None:
    value = reader.raw["Timestamp"]
    if not isinstance(value, str) or parse_timestamp(value) is None:
        reader.problems.schema("String does not match RFC3339 timestamp", reader.at("Timestamp"))
        return None
    return value


def fail_fields(reader: FieldReader) -> dict[str, Any]:
    """Error/Cause of a Fail state, literal or computed."""
    out: dict[str, Any] = {}
    for key, literal, dynamic in (("Error", "error", "error_path"), ("Cause", "cause", "cause_path")):
        path_key = f"{key}Path"
        reader.only_one(key, path_key)
        if key in reader.raw:
            value = reader.raw[key]
            if reader.language == JSONATA and isinstance(value, str):
                # Imported on first use: the JSONata engine costs ~100 ms to import.
                from fakesfn.asl.jsonata import is_expression

                if is_expression(value):
                    out[f"{literal}_expression"] = reader.jsonata_template(key)
                    continue
            out[literal] = reader.optional_string(key)
            if reader.language == JSONPATH and _looks_like_path(out[literal]):
                reader.problems.warn(
                    "NO_PATH",
                    f"The value of the field '{key}' looks like a path, "
                    f"but the field name does not end with 'Path'",
                    reader.at(key),
                )
        if path_key in reader.raw:
            out[dynamic] = _dynamic_string(reader, path_key)
    return out


def _dynamic_string(reader: FieldReader, key: str) -> Evaluable | None:
    """A field whose value is a path or an intrinsic call (ErrorPath, CausePath)."""
    evaluator = compile_dynamic_value(reader.raw[key], key, reader.at(key), reader.problems)
    return PayloadTemplate(evaluator, reader.raw[key], False)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _looks_like_path(value: Any) -> bool:
    return isinstance(value, str) and (value == "$" or value.startswith(("$.", "$$.", "$[")))


def _looks_dynamic(value: Any) -> bool:
    return _looks_like_path(value) or (isinstance(value, str) and is_intrinsic(value))


def warn_missing_dollar(value: Any, location: str, problems: ProblemCollector) -> None:
    """AWS's NO_DOLLAR warning: a path or intrinsic call under a key without ``.$``."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{location}/{key}"
            if not key.endswith(".$") and _looks_dynamic(item):
                problems.warn(
                    "NO_DOLLAR",
                    f"The value of the field '{key}' looks like a JSONPath or an intrinsic function, "
                    f"but the field name does not end with '.$'",
                    where,
                )
            warn_missing_dollar(item, where, problems)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            warn_missing_dollar(item, f"{location}[{index}]", problems)
