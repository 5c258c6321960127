"""Definition text -> :class:`~fakesfn.asl.nodes.StateMachine`, collecting every problem.

The parser walks the JSON once, compiling paths, payload templates, intrinsic
calls, Choice rules and JSONata expressions as it goes, and records each problem
with its JSON-pointer location instead of stopping at the first. Cross-state
checks (transition targets, reachability) run afterwards in
:mod:`fakesfn.asl.validate`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Final

from fakesfn.asl import fields, json_errors, state_fields
from fakesfn.asl import problems as msg
from fakesfn.asl.maps import read_map_fields
from fakesfn.asl.nodes import (
    JSONATA,
    JSONPATH,
    STATE_TYPES,
    UNSET,
    Catcher,
    ChoiceState,
    FailState,
    MapState,
    ParallelState,
    PassState,
    Retrier,
    State,
    StateMachine,
    SucceedState,
    TaskState,
    WaitState,
)
from fakesfn.asl.optimized import is_optimized_integration
from fakesfn.asl.problems import DefinitionError, ProblemCollector
from fakesfn.asl.reader import FieldReader
from fakesfn.asl.resources import parse_resource
from fakesfn.asl.validate import validate_machine
from fakesfn.payload import json_depth, load


def parse_definition(text: str) -> StateMachine:
    """Parse and validate definition ``text``; raise :class:`DefinitionError` if invalid."""
    machine, problems = parse_definition_collecting(text)
    problems.raise_if_errors()
    assert machine is not None
    return machine


def parse_definition_collecting(text: str) -> tuple[StateMachine | None, ProblemCollector]:
    """Parse ``text`` and return the machine (``None`` if unusable) with every problem found."""
    problems = ProblemCollector()
    depth = _nesting(text)
    if depth > MAX_DEFINITION_DEPTH:
        problems.add(
            "INVALID_JSON_DESCRIPTION",
            f"Invalid JSON: the definition nests {depth} levels deep, more than the "
            f"{MAX_DEFINITION_DEPTH} allowed",
        )
        return None, problems
    if not text.strip():
        # Recorded: " " is SCHEMA_VALIDATION_FAILED, with no location.
        problems.add(msg.SCHEMA, json_errors.NOT_AN_OBJECT)
        return None, problems
    try:
        raw = load(text)
    except json.JSONDecodeError as exc:
        mistake = json_errors.describe(text, exc)
        problems.add("INVALID_JSON_DESCRIPTION", mistake.message, mistake.location)
        return None, problems
    except (ValueError, RecursionError) as exc:
        problems.add("INVALID_JSON_DESCRIPTION", _json_error_message(text, exc))
        return None, problems
    if not isinstance(raw, dict):
        problems.add(msg.SCHEMA, json_errors.NOT_AN_OBJECT)
        return None, problems
    machine = parse_machine(raw, "", problems, None, top_level=True)
    if machine is not None:
        validate_machine(machine, problems)
    return machine, problems


def _json_error_message(text: str, exc: Exception) -> str:
    return f"Invalid JSON: {exc}"


MAX_DEFINITION_DEPTH: Final = 200
"""How deeply a definition's JSON may nest (house rule; AWS documents none).

The parser, the validators and the evaluators of Choice rules, payload templates
and JSONata templates walk a definition recursively, up to three Python frames per
level: checked first, without recursion, so that no definition depends on how much
stack the interpreter has left. 200 levels is far beyond real definitions (a
Parallel inside a Map inside a Parallel is about twelve) and the same bound as
payloads'.
"""


def _nesting(text: str) -> int:
    """The deepest ``[``/``{`` nesting of a JSON text, strings skipped, without recursion.

    0 when the text has too few brackets to nest past the bound (the common case, two
    ``str.count`` calls); else :func:`fakesfn.payload.json_depth`, the scan every payload
    boundary uses.
    """
    if text.count("[") + text.count("{") <= MAX_DEFINITION_DEPTH:
        return 0  # too few brackets to nest deeper than the bound
    return json_depth(text)


def is_known_resource(arn: str) -> bool:
    """Whether AWS recognizes ``arn`` as a Task resource (recorded: test_invalid_integration).

    Lambda function and activity ARNs and ``aws-sdk:*`` integrations are accepted
    as such; ``arn:aws:states:::service:action`` must name an optimized integration
    with a pattern it supports.
    """
    ref = parse_resource(arn)
    if ref is None:
        return False
    if ref.kind != "service":
        return True
    return is_optimized_integration(ref.service, ref.action, ref.pattern)


def parse_machine(
    raw: Mapping[str, Any],
    location: str,
    problems: ProblemCollector,
    inherited_language: str | None,
    *,
    top_level: bool = False,
) -> StateMachine | None:
    """Parse a machine or sub-machine object found at ``location``."""
    reader = FieldReader(raw, location or "/", problems)
    allowed = fields.TOP_LEVEL if top_level else fields.SUB_MACHINE
    reader.reject_unknown(allowed)
    # AWS names them in this order (recorded: EMPTY_DICT, "These fields are required: [States, StartAt]").
    missing = [name for name in ("States", "StartAt") if name not in raw]
    if missing:
        problems.schema(msg.REQUIRED.format(fields=", ".join(missing)), location or "/")
        return None
    # AWS: QueryLanguage is set for the whole machine at the top level; sub-machines
    # (Parallel branches, Map processors) inherit it and cannot set their own.
    language = reader.query_language("QueryLanguage", None) if top_level else inherited_language
    start_at = reader.string("StartAt")
    states_raw = raw["States"]
    if not isinstance(states_raw, Mapping) or not states_raw:
        problems.schema("The field 'States' must be a non-empty object", f"{location}/States")
        return None
    states: dict[str, State] = {}
    for name, state_raw in states_raw.items():
        where = f"{location}/States/{name}"
        state = parse_state(name, state_raw, where, problems, language or JSONPATH, inherited_language)
        if state is not None:
            states[name] = state
    return StateMachine(
        start_at=start_at or "",
        states=states,
        query_language=language or JSONPATH,
        timeout_seconds=reader.positive_int("TimeoutSeconds", maximum=99999999) if top_level else None,
        comment=reader.optional_string("Comment"),
        version=reader.optional_string("Version") if top_level else None,
        raw=dict(raw),
    )


def parse_state(
    name: str,
    raw: Any,
    location: str,
    problems: ProblemCollector,
    machine_language: str,
    outer_language: str | None,
) -> State | None:
    """Parse one state object; ``None`` when it is unusable."""
    if not isinstance(raw, Mapping):
        problems.schema("A state must be an object", location)
        return None
    if len(name) > 80:
        problems.schema(f"State name '{name}' is longer than 80 characters", location)
    state_type = raw.get("Type")
    node_class = STATE_TYPES.get(state_type) if isinstance(state_type, str) else None
    if node_class is None:
        if "Type" not in raw:
            problems.schema(msg.REQUIRED.format(fields="Type"), location)
        else:
            problems.schema(
                msg.ONE_OF.format(field="Type", values=", ".join(msg.STATE_TYPES)), f"{location}/Type"
            )
        return None
    reader = FieldReader(raw, location, problems)
    language = reader.state_query_language(machine_language, outer_language)
    reader.language = language
    reader.machine_language = machine_language
    reader.provides_result = node_class.HAS_RESULT
    reader.reject_unknown(
        fields.allowed_fields(node_class, language), fields.other_language_fields(node_class, language)
    )
    return STATE_PARSERS[node_class](name, reader, machine_language)


def _common(name: str, reader: FieldReader, *, transitions: bool = True) -> dict[str, Any]:
    """The fields every state type may have, read in the state's query language."""
    common: dict[str, Any] = {
        "name": name,
        "query_language": reader.language,
        "comment": reader.optional_string("Comment"),
    }
    if transitions:
        common["next"], common["end"] = reader.transition()
    if reader.language == JSONATA:
        common["output"] = reader.jsonata_template("Output")
    else:
        common["input_path"] = reader.path_or_null("InputPath")
        common["output_path"] = reader.path_or_null("OutputPath")
    return common


def _with_result(reader: FieldReader, common: dict[str, Any], *, selector: bool = True) -> dict[str, Any]:
    if reader.language == JSONATA:
        common["arguments"] = reader.jsonata_template("Arguments")
    else:
        common["parameters"] = reader.payload("Parameters")
        if selector:
            common["result_selector"] = reader.payload("ResultSelector")
        common["result_path"] = reader.result_path("ResultPath")
    common["assign"] = reader.assign()
    return common


def _errors(reader: FieldReader, common: dict[str, Any]) -> dict[str, Any]:
    retry_raw, catch_raw = reader.array("Retry"), reader.array("Catch")
    common["retry"] = tuple(r for r in (_retrier(reader, i, r) for i, r in enumerate(retry_raw)) if r)
    common["catch"] = tuple(c for c in (_catcher(reader, i, c) for i, c in enumerate(catch_raw)) if c)
    _states_all_last(reader, "Retry", retry_raw)
    _states_all_last(reader, "Catch", catch_raw)
    return common


def _states_all_last(reader: FieldReader, key: str, entries: list[Any]) -> None:
    """ASL: a Retrier/Catcher matching States.ALL must be the last one (house wording)."""
    for index, entry in enumerate(entries[:-1]):
        names = entry.get("ErrorEquals") if isinstance(entry, Mapping) else None
        if isinstance(names, list) and "States.ALL" in names:
            kind = "Retrier" if key == "Retry" else "Catcher"
            reader.problems.schema(
                f"Error name 'States.ALL' must appear in the last {kind} of '{key}'",
                f"{reader.location}/{key}[{index}]/ErrorEquals",
            )


def _retrier(reader: FieldReader, index: int, raw: Any) -> Retrier | None:
    sub = reader.child(raw, f"Retry[{index}]")
    if sub is None:
        return None
    sub.reject_unknown(fields.RETRIER)
    error_equals = sub.error_equals()
    return Retrier(
        error_equals=error_equals,
        interval_seconds=sub.number("IntervalSeconds", default=1, minimum=1, integer=True),
        max_attempts=int(sub.number("MaxAttempts", default=3, minimum=0, integer=True)),
        backoff_rate=sub.number("BackoffRate", default=2.0, minimum=1.0),
        max_delay_seconds=sub.optional_number("MaxDelaySeconds", minimum=1, integer=True),
        jitter_strategy=sub.enum("JitterStrategy", ("FULL", "NONE"), default="NONE"),
    )


def _catcher(reader: FieldReader, index: int, raw: Any) -> Catcher | None:
    sub = reader.child(raw, f"Catch[{index}]")
    if sub is None:
        return None
    sub.in_catcher = True
    sub.reject_unknown(fields.CATCHER_JSONATA if reader.language == JSONATA else fields.CATCHER_JSONPATH)
    error_equals = sub.error_equals()
    target = sub.string("Next")
    if reader.language == JSONATA:
        return Catcher(error_equals, target or "", output=sub.jsonata_template("Output"), assign=sub.assign())
    return Catcher(error_equals, target or "", result_path=sub.result_path("ResultPath"), assign=sub.assign())


def _pass(name: str, reader: FieldReader, _ml: str) -> State:
    common = _common(name, reader)
    if reader.language == JSONPATH:
        common["parameters"] = reader.payload("Parameters")
        common["result_path"] = reader.result_path("ResultPath")
        result = reader.raw.get("Result", UNSET)
        _warn_static_result(result, f"{reader.location}/Result", reader.problems)
    else:
        result = UNSET
    common["assign"] = reader.assign()
    return PassState(**common, result=result)


def _task(name: str, reader: FieldReader, _ml: str) -> State:
    common = _errors(reader, _with_result(reader, _common(name, reader)))
    resource = reader.raw.get("Resource")
    extra: dict[str, Any] = {}
    if reader.language == JSONATA:
        extra["timeout_expression"] = reader.jsonata_or_int("TimeoutSeconds")
        extra["heartbeat_expression"] = reader.jsonata_or_int("HeartbeatSeconds")
    else:
        extra["timeout_seconds"] = reader.positive_int("TimeoutSeconds", maximum=99999999)
        extra["timeout_seconds_path"] = reader.reference_path("TimeoutSecondsPath")
        extra["heartbeat_seconds"] = reader.positive_int("HeartbeatSeconds", maximum=99999999)
        extra["heartbeat_seconds_path"] = reader.reference_path("HeartbeatSecondsPath")
    state_fields.check_timeouts(reader)
    if resource is None:
        reader.problems.schema(msg.REQUIRED.format(fields="Resource"), reader.location)
        resource = ""
    elif not isinstance(resource, str):
        reader.problems.schema(
            msg.MUST_BE.format(field="Resource", kind="a STRING"), f"{reader.location}/Resource"
        )
        resource = ""
    elif not is_known_resource(resource):
        reader.problems.schema(msg.UNKNOWN_RESOURCE.format(arn=resource), f"{reader.location}/Resource")
    return TaskState(**common, **extra, resource=resource, credentials=state_fields.credentials(reader))


def _choice(name: str, reader: FieldReader, _ml: str) -> State:
    common = _common(name, reader, transitions=False)
    common["assign"] = reader.assign()
    choices = state_fields.choice_rules(reader)
    return ChoiceState(**common, choices=choices, default=reader.optional_string("Default"))


def _wait(name: str, reader: FieldReader, _ml: str) -> State:
    common = _common(name, reader)
    common["assign"] = reader.assign()
    return WaitState(**common, **state_fields.wait_fields(reader))


def _succeed(name: str, reader: FieldReader, _ml: str) -> State:
    common = _common(name, reader, transitions=False)
    return SucceedState(**common)


def _fail(name: str, reader: FieldReader, _ml: str) -> State:
    return FailState(
        name=name,
        query_language=reader.language,
        comment=reader.optional_string("Comment"),
        **state_fields.fail_fields(reader),
    )


def _parallel(name: str, reader: FieldReader, machine_language: str) -> State:
    common = _errors(reader, _with_result(reader, _common(name, reader)))
    branches = []
    raw_branches = reader.array("Branches", required=True)
    if "Branches" in reader.raw and not raw_branches and isinstance(reader.raw["Branches"], list):
        reader.problems.schema(msg.EMPTY, f"{reader.location}/Branches")
    for i, raw in enumerate(raw_branches):
        where = f"{reader.location}/Branches[{i}]"
        if not isinstance(raw, Mapping):
            reader.problems.schema("A branch must be an object", where)
            continue
        branch = parse_machine(raw, where, reader.problems, machine_language)
        if branch is not None:
            branches.append(branch)
    return ParallelState(**common, branches=tuple(branches))


def _map(name: str, reader: FieldReader, machine_language: str) -> State:
    common = _errors(reader, _with_result(reader, _common(name, reader)))
    # AWS: a Map's Parameters is the legacy spelling of ItemSelector, read by map_fields.
    common.pop("parameters", None)
    return MapState(**common, **read_map_fields(reader, parse_machine))


def _warn_static_result(result: Any, location: str, problems: ProblemCollector) -> None:
    """AWS's PASS_RESULT_IS_STATIC warning: Result is a literal, a ``.$`` key in it is not a path."""
    if isinstance(result, Mapping):
        for key, value in result.items():
            if isinstance(key, str) and key.endswith(".$"):
                problems.warn(
                    "PASS_RESULT_IS_STATIC",
                    f"The field '{key}' in a Pass state's Result is not evaluated as a path: "
                    "Result is static",
                    f"{location}/{key}",
                )
            _warn_static_result(value, f"{location}/{key}", problems)
    elif isinstance(result, list):
        for index, value in enumerate(result):
            _warn_static_result(value, f"{location}[{index}]", problems)


StateParser = Callable[[str, FieldReader, str], State]

STATE_PARSERS: Final[Mapping[type[State], StateParser]] = {
    PassState: _pass,
    TaskState: _task,
    ChoiceState: _choice,
    WaitState: _wait,
    SucceedState: _succeed,
    FailState: _fail,
    ParallelState: _parallel,
    MapState: _map,
}
"""Node class -> the function that parses a state of that type (its fields beyond the common ones)."""


__all__ = ["DefinitionError", "parse_definition", "parse_definition_collecting", "parse_machine"]
