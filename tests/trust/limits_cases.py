"""Every limit and bad input the trust suite tries, each a small function, with the answer expected.

Each case runs against a fresh :class:`~tests.trust.harness.World` and returns an
:class:`Outcome`: the API refused the call (error code and message), accepted it,
or the execution it started ended (status, error, cause). ``expect`` is AWS's
answer (the code, or the execution's error name) and is asserted; the message is
what the fake says, and ``docs/limits.md`` shows it. ``test_limits.py`` re-runs
every row of that table, so the page cannot go stale.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tests.trust import strategies as s
from tests.trust.harness import Refused, World
from tests.trust.invariants import check_agreement, snapshot

if TYPE_CHECKING:
    from collections.abc import Callable

MACHINE = f"arn:aws:states:{s.REGION}:{s.ACCOUNT}:stateMachine:limits"
PASS_MACHINE = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
KIB_256 = 256 * 1024
REFUSED = "refused"
ACCEPTED = "accepted"


@dataclass(frozen=True)
class Outcome:
    """What happened: ``refused`` (code, message), ``accepted``, or an execution status."""

    kind: str
    code: str = ""
    message: str = ""


@dataclass(frozen=True)
class Case:
    """One limit or bad input: what is tried, AWS's answer, and the function that tries it."""

    key: str
    tried: str
    expect: str
    run: Callable[[World], Outcome]


CASES: dict[str, Case] = {}


def case(
    key: str, tried: str, expect: str
) -> Callable[[Callable[[World], Outcome]], Callable[[World], Outcome]]:
    """Register a case; ``expect`` is an error code, ``accepted`` or ``SUCCEEDED``."""

    def register(function: Callable[[World], Outcome]) -> Callable[[World], Outcome]:
        assert key not in CASES, key
        CASES[key] = Case(key, tried, expect, function)
        return function

    return register


def fresh_world() -> World:
    world = World(seed=0)
    world.call("create_state_machine", name="limits", definition=json.dumps(PASS_MACHINE), roleArn=s.ROLE)
    return world


def api(world: World, operation: str, **params: Any) -> Outcome:
    """Make one call; a refusal must leave everything ``list_*`` shows unchanged."""
    before = snapshot(world.client)
    try:
        world.call(operation, **params)
    except Refused as refused:
        assert snapshot(world.client) == before, f"{operation} was refused but changed state"
        return Outcome(REFUSED, refused.code, _message(refused.error))
    return Outcome(ACCEPTED)


def _message(error: Exception) -> str:
    response = getattr(error, "response", None)
    if response is not None:
        return str(response["Error"]["Message"])
    return str(error).replace("\n", " ")


def execute(
    world: World,
    definition: dict[str, Any],
    value: Any = None,
    *,
    text: str | None = None,
    check: bool = True,
) -> Outcome:
    """Run ``definition`` on ``value`` (or input ``text``) to its end; the execution's outcome.

    ``check`` runs the describe/list/history invariants (reading the whole history).
    """
    created = world.call(
        "create_state_machine", name="exec", definition=json.dumps(definition), roleArn=s.ROLE
    )
    started = world.call(
        "start_execution",
        stateMachineArn=created["stateMachineArn"],
        input=text if text is not None else json.dumps(value if value is not None else {}),
    )
    world.backend.settle()
    arn = started["executionArn"]
    world.executions.append(arn)
    if check:
        check_agreement(world.client, arn)
    described = world.client.describe_execution(executionArn=arn)
    if described["status"] == "SUCCEEDED":
        return Outcome("SUCCEEDED", "", described["output"])
    return Outcome(described["status"], described.get("error", ""), described.get("cause", ""))


def pass_with(parameters: dict[str, Any]) -> dict[str, Any]:
    return {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": parameters, "End": True}}}


def start(world: World, **params: Any) -> Outcome:
    return api(world, "start_execution", stateMachineArn=MACHINE, **params)


# --- execution input and outputs -------------------------------------------------------


@case("input-malformed", 'execution input that is not JSON (`{"a": `)', "InvalidExecutionInput")
def _input_malformed(world: World) -> Outcome:
    return start(world, input='{"a": ')


@case("input-plain-text", "execution input `hello` (a bare word)", "InvalidExecutionInput")
def _input_plain_text(world: World) -> Outcome:
    return start(world, input="hello")


@case(
    "input-nan",
    "execution input with `NaN` (not JSON, though Python's parser takes it)",
    "InvalidExecutionInput",
)
def _input_nan(world: World) -> Outcome:
    return start(world, input='{"a": NaN}')


@case("input-infinity", "execution input `Infinity`", "InvalidExecutionInput")
def _input_infinity(world: World) -> Outcome:
    return start(world, input="Infinity")


@case("input-overflow", "execution input `1e400` (beyond a double)", "InvalidExecutionInput")
def _input_overflow(world: World) -> Outcome:
    return start(world, input="1e400")


@case("input-256KiB", "execution input of exactly 256 KiB", ACCEPTED)
def _input_at_limit(world: World) -> Outcome:
    return start(world, input=json.dumps("x" * (KIB_256 - 2)))


@case("input-over-256KiB", "execution input of 256 KiB + 1 byte", "InvalidExecutionInput")
def _input_over_limit(world: World) -> Outcome:
    return start(world, input=json.dumps("x" * (KIB_256 - 1)))


@case(
    "input-over-256KiB-utf8",
    "execution input under 256 Ki characters but over 256 KiB in UTF-8",
    "InvalidExecutionInput",
)
def _input_over_limit_utf8(world: World) -> Outcome:
    return start(world, input=json.dumps("名" * 100_000, ensure_ascii=False))


@case("input-deep", "execution input nested 100,000 levels deep", "InvalidExecutionInput")
def _input_deep(world: World) -> Outcome:
    return start(world, input="[" * 100_000 + "]" * 100_000)


@case("input-nested-60", "execution input nested 60 levels deep, through a Pass state", "SUCCEEDED")
def _input_nested(world: World) -> Outcome:
    value: Any = 1
    for _ in range(60):
        value = {"a": [value]}
    outcome = execute(world, pass_with({"copy.$": "$", "text.$": "States.JsonToString($)"}), value)
    return Outcome(outcome.kind, outcome.code, "(the input, copied)")


@case("input-huge-integer", "execution input `12345678901234567890123456789` (beyond 64 bits)", "SUCCEEDED")
def _input_huge_integer(world: World) -> Outcome:
    return execute(world, PASS_MACHINE, text="12345678901234567890123456789")


@case(
    "state-output-over-256KiB",
    "a state output over 256 KiB (Pass doubling a 200 KiB input)",
    "States.DataLimitExceeded",
)
def _state_output(world: World) -> Outcome:
    return execute(world, pass_with({"a.$": "$.s", "b.$": "$.s"}), {"s": "x" * (200 * 1024)})


@case("lambda-result-over-256KiB", "a Lambda result over 256 KiB", "States.DataLimitExceeded")
def _lambda_result(world: World) -> Outcome:
    task = {"Type": "Task", "Resource": f"arn:aws:lambda:{s.REGION}:{s.ACCOUNT}:function:huge", "End": True}
    return execute(world, {"StartAt": "T", "States": {"T": task}})


@case("task-output-not-json", "SendTaskSuccess with an output that is not JSON", "InvalidOutput")
def _task_output_not_json(world: World) -> Outcome:
    return api(world, "send_task_success", taskToken=_waiting_token(world), output="{nope")


@case("task-output-nan", "SendTaskSuccess with `NaN` as the output", "InvalidOutput")
def _task_output_nan(world: World) -> Outcome:
    return api(world, "send_task_success", taskToken=_waiting_token(world), output="NaN")


@case("task-output-deep", "SendTaskSuccess with an output nested 100,000 levels deep", "InvalidOutput")
def _task_output_deep(world: World) -> Outcome:
    return api(
        world, "send_task_success", taskToken=_waiting_token(world), output="[" * 100_000 + "]" * 100_000
    )


@case("task-output-over-256KiB", "SendTaskSuccess with an output over 256 KiB", "ValidationException")
def _task_output_over(world: World) -> Outcome:
    return api(world, "send_task_success", taskToken=_waiting_token(world), output=json.dumps("x" * KIB_256))


@case("task-error-over-256", "SendTaskFailure with an error over 256 characters", "ValidationException")
def _task_error_over(world: World) -> Outcome:
    return api(world, "send_task_failure", taskToken=_waiting_token(world), error="E" * 257)


@case("task-cause-over-32KiB", "SendTaskFailure with a cause over 32,768 characters", "ValidationException")
def _task_cause_over(world: World) -> Outcome:
    return api(world, "send_task_failure", taskToken=_waiting_token(world), cause="c" * 32_769)


# --- definitions -----------------------------------------------------------------------


@case("definition-over-1MB", "a definition over 1 MB (1,048,577 characters)", "ValidationException")
def _definition_over(world: World) -> Outcome:
    padded = {**PASS_MACHINE, "Comment": "x" * 1_048_576}
    return api(world, "create_state_machine", name="big", definition=json.dumps(padded), roleArn=s.ROLE)


@case("definition-not-json", "a definition that is not JSON", "InvalidDefinition")
def _definition_not_json(world: World) -> Outcome:
    return api(world, "create_state_machine", name="bad", definition="{StartAt", roleArn=s.ROLE)


@case("definition-not-object", "a definition that is a JSON array", "InvalidDefinition")
def _definition_not_object(world: World) -> Outcome:
    return api(world, "create_state_machine", name="bad", definition="[]", roleArn=s.ROLE)


@case(
    "definition-states-all-not-last", "a Retry with `States.ALL` before another retrier", "InvalidDefinition"
)
def _definition_states_all(world: World) -> Outcome:
    task = {
        "Type": "Task",
        "Resource": f"arn:aws:lambda:{s.REGION}:{s.ACCOUNT}:function:echo",
        "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["Boom"]}],
        "End": True,
    }
    definition = json.dumps({"StartAt": "T", "States": {"T": task}})
    return api(world, "create_state_machine", name="bad", definition=definition, roleArn=s.ROLE)


# --- names -----------------------------------------------------------------------------

FORBIDDEN_IN_NAMES = ' \t\n<>{}[]?*"#%\\^|~`$&,;:/\x00\x1f\x7f\x9f\ufffe\uffff\ud800'


@case("name-empty", "an empty state machine name", "ParamValidationError")
def _name_empty(world: World) -> Outcome:
    return api(world, "create_state_machine", name="", definition=json.dumps(PASS_MACHINE), roleArn=s.ROLE)


@case("name-81", "a state machine name of 81 characters", "ValidationException")
def _name_81(world: World) -> Outcome:
    return api(
        world, "create_state_machine", name="n" * 81, definition=json.dumps(PASS_MACHINE), roleArn=s.ROLE
    )


@case("name-80-unicode", "a state machine name of 80 characters, non-ASCII", ACCEPTED)
def _name_80(world: World) -> Outcome:
    return api(
        world, "create_state_machine", name="ü" * 80, definition=json.dumps(PASS_MACHINE), roleArn=s.ROLE
    )


@case(
    "name-forbidden-characters",
    'names with white space, any of `< > { } [ ] ? * " # % \\ ^ \\| ~ $ & , ; : /`, a backtick, '
    "a control character, U+FFFE, U+FFFF or a lone surrogate (each tried)",
    "InvalidName",
)
def _name_forbidden(world: World) -> Outcome:
    definition = json.dumps(PASS_MACHINE)
    for char in FORBIDDEN_IN_NAMES[1:]:
        refused = world.attempt(
            "create_state_machine", name=f"a{char}b", definition=definition, roleArn=s.ROLE
        )
        assert isinstance(refused, Refused), char
        assert refused.code == "InvalidName", (char, refused.code)
    return api(world, "create_state_machine", name="a b", definition=definition, roleArn=s.ROLE)


@case("execution-name-81", "an execution name of 81 characters", "ValidationException")
def _execution_name_81(world: World) -> Outcome:
    return start(world, name="e" * 81)


@case("execution-name-forbidden", "an execution name with a `/`", "InvalidName")
def _execution_name_slash(world: World) -> Outcome:
    return start(world, name="a/b")


@case("execution-name-reused", "an execution name reused with another input", "ExecutionAlreadyExists")
def _execution_name_reused(world: World) -> Outcome:
    world.call("start_execution", stateMachineArn=MACHINE, name="once", input="{}")
    return start(world, name="once", input='{"other": 1}')


@case("alias-name-digits", "an alias name of digits only (`123`)", "ValidationException")
def _alias_digits(world: World) -> Outcome:
    version = world.call("publish_state_machine_version", stateMachineArn=MACHINE)["stateMachineVersionArn"]
    return api(
        world,
        "create_state_machine_alias",
        name="123",
        routingConfiguration=[{"stateMachineVersionArn": version, "weight": 100}],
    )


# --- ARNs ------------------------------------------------------------------------------

WRONG_ARNS = {
    "not-an-arn": "not-an-arn",
    "prefix-only": "arn:",
    "too-few-fields": "arn:aws:states:us-east-1",
    "wrong-service": f"arn:aws:lambda:{s.REGION}:{s.ACCOUNT}:function:f",
    "wrong-resource-type": f"arn:aws:states:{s.REGION}:{s.ACCOUNT}:activity:a",
    "no-name": f"arn:aws:states:{s.REGION}:{s.ACCOUNT}:stateMachine:",
    "no-region": f"arn:aws:states::{s.ACCOUNT}:stateMachine:m",
    "no-account": f"arn:aws:states:{s.REGION}::stateMachine:m",
    "extra-field": f"arn:aws:states:{s.REGION}:{s.ACCOUNT}:stateMachine:m:1:2",
}


def _arn_case(key: str, arn: str) -> None:
    @case(f"arn-{key}", f"a state machine ARN `{arn}` ({key.replace('-', ' ')})", "InvalidArn")
    def _run(world: World) -> Outcome:
        return api(world, "describe_state_machine", stateMachineArn=arn)


for _key, _arn in WRONG_ARNS.items():
    _arn_case(_key, _arn)


@case(
    "arn-execution-for-machine",
    "an execution ARN where a state machine ARN belongs (StartExecution)",
    "InvalidArn",
)
def _arn_execution(world: World) -> Outcome:
    return api(
        world, "start_execution", stateMachineArn=f"arn:aws:states:{s.REGION}:{s.ACCOUNT}:execution:limits:x"
    )


@case(
    "arn-machine-for-execution",
    "a state machine ARN where an execution ARN belongs (DescribeExecution)",
    "InvalidArn",
)
def _arn_machine(world: World) -> Outcome:
    return api(world, "describe_execution", executionArn=MACHINE)


@case("arn-activity-qualified", "an activity ARN with a qualifier (`activity:a:1`)", "InvalidArn")
def _arn_activity(world: World) -> Outcome:
    return api(world, "describe_activity", activityArn=f"arn:aws:states:{s.REGION}:{s.ACCOUNT}:activity:a:1")


@case("arn-role-not-arn", "a role ARN that is not an ARN", "InvalidArn")
def _arn_role(world: World) -> Outcome:
    return api(world, "create_state_machine", name="r", definition=json.dumps(PASS_MACHINE), roleArn="role")


@case("arn-role-over-256", "a role ARN over 256 characters", "ValidationException")
def _arn_role_long(world: World) -> Outcome:
    role = f"arn:aws:iam::{s.ACCOUNT}:role/" + "r" * 256
    return api(world, "create_state_machine", name="r", definition=json.dumps(PASS_MACHINE), roleArn=role)


@case(
    "arn-over-256",
    "an execution ARN over 256 characters (any ARN over its model length)",
    "ValidationException",
)
def _arn_long(world: World) -> Outcome:
    arn = f"arn:aws:states:us-east-1:{s.ACCOUNT}:execution:limits:" + "x" * 256
    return api(world, "describe_execution", executionArn=arn)


@case(
    "arn-unknown-execution", "a well-formed ARN of an execution that does not exist", "ExecutionDoesNotExist"
)
def _arn_unknown_execution(world: World) -> Outcome:
    return api(
        world,
        "describe_execution",
        executionArn=f"arn:aws:states:{s.REGION}:{s.ACCOUNT}:execution:limits:none",
    )


@case("arn-unknown-activity", "GetActivityTask on an activity that does not exist", "ActivityDoesNotExist")
def _arn_unknown_activity(world: World) -> Outcome:
    return api(world, "get_activity_task", activityArn=f"arn:aws:states:{s.REGION}:{s.ACCOUNT}:activity:none")


# --- tags ------------------------------------------------------------------------------


def _tags(count: int, prefix: str = "k") -> list[dict[str, str]]:
    return [{"key": f"{prefix}{index}", "value": "v"} for index in range(count)]


@case("tags-51-on-create", "CreateStateMachine with 51 tags", "TooManyTags")
def _tags_create(world: World) -> Outcome:
    return api(
        world,
        "create_state_machine",
        name="t",
        definition=json.dumps(PASS_MACHINE),
        roleArn=s.ROLE,
        tags=_tags(51),
    )


@case("tags-30-plus-21", "TagResource adding 21 tags to a machine with 30 (nothing is added)", "TooManyTags")
def _tags_add(world: World) -> Outcome:
    world.call("tag_resource", resourceArn=MACHINE, tags=_tags(30))
    return api(world, "tag_resource", resourceArn=MACHINE, tags=_tags(21, "other"))


@case("tags-50", "TagResource up to exactly 50 tags", ACCEPTED)
def _tags_50(world: World) -> Outcome:
    return api(world, "tag_resource", resourceArn=MACHINE, tags=_tags(50))


@case("tag-key-129", "a tag key of 129 characters", "ValidationException")
def _tag_key(world: World) -> Outcome:
    return api(world, "tag_resource", resourceArn=MACHINE, tags=[{"key": "k" * 129, "value": "v"}])


@case("tag-value-257", "a tag value of 257 characters", "ValidationException")
def _tag_value(world: World) -> Outcome:
    return api(world, "tag_resource", resourceArn=MACHINE, tags=[{"key": "k", "value": "v" * 257}])


# --- task tokens -----------------------------------------------------------------------

ACTIVITY_MACHINE = {
    "StartAt": "A",
    "States": {"A": {"Type": "Task", "Resource": s.ACTIVITY, "TimeoutSeconds": 10, "End": True}},
}


def _waiting_token(world: World) -> str:
    """The token of an activity task that is waiting for its worker."""
    created = world.call(
        "create_state_machine", name="acts", definition=json.dumps(ACTIVITY_MACHINE), roleArn=s.ROLE
    )
    world.call("start_execution", stateMachineArn=created["stateMachineArn"])
    return str(world.call("get_activity_task", activityArn=s.ACTIVITY)["taskToken"])


@case("token-malformed", "SendTaskSuccess with a token that is not a task token", "InvalidToken")
def _token_malformed(world: World) -> Outcome:
    return api(world, "send_task_success", taskToken="not-a-token", output="{}")


@case("token-unknown", "SendTaskSuccess with a well-formed token no task has", "TaskDoesNotExist")
def _token_unknown(world: World) -> Outcome:
    return api(world, "send_task_success", taskToken="AQ" + "0" * 128, output="{}")


@case("token-expired", "SendTaskSuccess after the task timed out", "TaskTimedOut")
def _token_expired(world: World) -> Outcome:
    token = _waiting_token(world)
    world.backend.advance(11)
    return api(world, "send_task_success", taskToken=token, output="{}")


@case("token-used-twice", "SendTaskSuccess twice with one token", "TaskTimedOut")
def _token_twice(world: World) -> Outcome:
    token = _waiting_token(world)
    world.call("send_task_success", taskToken=token, output="{}")
    return api(world, "send_task_success", taskToken=token, output="{}")


@case("token-heartbeat-after-failure", "SendTaskHeartbeat after SendTaskFailure", "TaskTimedOut")
def _token_heartbeat(world: World) -> Outcome:
    token = _waiting_token(world)
    world.call("send_task_failure", taskToken=token, error="E")
    return api(world, "send_task_heartbeat", taskToken=token)


@case("token-over-2048", "a task token of 2,049 characters", "ValidationException")
def _token_long(world: World) -> Outcome:
    return api(world, "send_task_heartbeat", taskToken="AQ" + "0" * 2047)


@case("token-empty", "an empty task token", "ParamValidationError")
def _token_empty(world: World) -> Outcome:
    return api(world, "send_task_heartbeat", taskToken="")


# --- paging ----------------------------------------------------------------------------


def _machines_token(world: World) -> str:
    for index in range(3):
        world.call(
            "create_state_machine", name=f"page{index}", definition=json.dumps(PASS_MACHINE), roleArn=s.ROLE
        )
    return str(world.call("list_state_machines", maxResults=1)["nextToken"])


@case("page-token-other-operation", "a ListStateMachines nextToken given to ListActivities", "InvalidToken")
def _page_other_operation(world: World) -> Outcome:
    return api(world, "list_activities", nextToken=_machines_token(world))


@case(
    "page-token-other-machine", "a ListExecutions nextToken of one machine given for another", "InvalidToken"
)
def _page_other_machine(world: World) -> Outcome:
    for _ in range(2):
        world.call("start_execution", stateMachineArn=MACHINE)
    token = world.call("list_executions", stateMachineArn=MACHINE, maxResults=1)["nextToken"]
    other = world.call(
        "create_state_machine", name="other", definition=json.dumps(PASS_MACHINE), roleArn=s.ROLE
    )
    return api(world, "list_executions", stateMachineArn=other["stateMachineArn"], nextToken=token)


@case(
    "page-token-history-other-execution",
    "a GetExecutionHistory nextToken given for another execution",
    "InvalidToken",
)
def _page_history(world: World) -> Outcome:
    first = world.call("start_execution", stateMachineArn=MACHINE)["executionArn"]
    second = world.call("start_execution", stateMachineArn=MACHINE)["executionArn"]
    token = world.call("get_execution_history", executionArn=first, maxResults=1)["nextToken"]
    return api(world, "get_execution_history", executionArn=second, nextToken=token)


@case("page-token-garbage", "a nextToken that is not one the fake issued", "InvalidToken")
def _page_garbage(world: World) -> Outcome:
    return api(world, "list_state_machines", nextToken="garbage!")


@case("page-token-over-1024", "a nextToken of 1,025 characters", "ValidationException")
def _page_long(world: World) -> Outcome:
    return api(world, "list_state_machines", nextToken="t" * 1025)


@case("max-results-1001", "maxResults 1001", "ValidationException")
def _max_1001(world: World) -> Outcome:
    return api(world, "list_state_machines", maxResults=1001)


@case("max-results-huge", "maxResults 2,147,483,647 (GetExecutionHistory)", "ValidationException")
def _max_huge(world: World) -> Outcome:
    arn = world.call("start_execution", stateMachineArn=MACHINE)["executionArn"]
    return api(world, "get_execution_history", executionArn=arn, maxResults=2**31 - 1)


@case("max-results-negative", "maxResults -1", "ParamValidationError")
def _max_negative(world: World) -> Outcome:
    return api(world, "list_activities", maxResults=-1)


# --- inside executions -----------------------------------------------------------------


@case(
    "string-matches-pathological",
    "Choice `StringMatches` `*a*a…*a*b` (40 stars) against 20,000 `a`s (answers in under a second)",
    "SUCCEEDED",
)
def _string_matches(world: World) -> Outcome:
    choice = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.text", "StringMatches": "*a" * 40 + "*b", "Next": "Matched"}],
        "Default": "NoMatch",
    }
    definition = {
        "StartAt": "C",
        "States": {
            "C": choice,
            "Matched": {"Type": "Pass", "Result": "matched", "End": True},
            "NoMatch": {"Type": "Pass", "Result": "no match", "End": True},
        },
    }
    began = time.perf_counter()
    outcome = execute(world, definition, {"text": "a" * 20_000})
    assert time.perf_counter() - began < 1.0, "StringMatches backtracks"
    return outcome


INTRINSIC_FAILURES = {
    "intrinsic-math-add-string": ("States.MathAdd($.s, 1)", "a string where MathAdd wants a number"),
    "intrinsic-partition-zero": ("States.ArrayPartition($.list, 0)", "ArrayPartition with chunk size 0"),
    "intrinsic-get-item-string-index": (
        "States.ArrayGetItem($.list, $.s)",
        "ArrayGetItem with a string index",
    ),
    "intrinsic-string-to-json-bad": ("States.StringToJson($.s)", "StringToJson of a string that is not JSON"),
    "intrinsic-range-too-long": ("States.ArrayRange(0, 2000, 1)", "ArrayRange of more than 1,000 items"),
    "intrinsic-format-arity": ("States.Format('{} {}', $.s)", "Format with fewer arguments than `{}`"),
    "intrinsic-base64-bad": ("States.Base64Decode($.s)", "Base64Decode of text that is not Base64"),
    "intrinsic-hash-algorithm": ("States.Hash($.s, 'CRC32')", "Hash with an unknown algorithm"),
    "intrinsic-split-number": ("States.StringSplit($.list, ',')", "StringSplit of an array"),
}


def _intrinsic_case(key: str, call: str, tried: str) -> None:
    @case(key, f"intrinsic `{call}`: {tried}", "States.IntrinsicFailure")
    def _run(world: World) -> Outcome:
        return execute(world, pass_with({"r.$": call}), {"s": "a b!", "list": [1, 2, 3]})


for _key, (_call, _tried) in INTRINSIC_FAILURES.items():
    _intrinsic_case(_key, _call, _tried)


@case("jsonata-type-error", "JSONata `'a' + 1`", "States.QueryEvaluationError")
def _jsonata_type(world: World) -> Outcome:
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Output": "{% 'a' + 1 %}", "End": True}},
    }
    return execute(world, definition)


@case("wait-too-long", "a Wait whose SecondsPath gives 10^30", "States.Runtime")
def _wait_long(world: World) -> Outcome:
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": True}}}
    return execute(world, definition, text='{"s": 1000000000000000000000000000000}')


@case("map-over-non-array", "a Map whose ItemsPath selects an object", "States.Runtime")
def _map_object(world: World) -> Outcome:
    processor = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    definition = {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": processor, "End": True}}}
    return execute(world, definition, {"not": "a list"})


@case("history-25000", "a machine that loops forever (Pass -> Choice -> Pass ...)", "States.Runtime")
def _history_limit(world: World) -> Outcome:
    definition = {
        "StartAt": "Again",
        "States": {
            "Again": {"Type": "Pass", "Next": "Loop"},
            "Loop": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.stop", "IsPresent": True, "Next": "Done"}],
                "Default": "Again",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    outcome = execute(world, definition, check=False)
    last = world.client.get_execution_history(
        executionArn=world.executions[-1], reverseOrder=True, maxResults=2
    )
    assert [event["id"] for event in last["events"]] == [25_000, 24_999]
    assert last["events"][0]["previousEventId"] == 24_999
    return outcome


# Covered in tests/engine/test_robustness.py (once crashes found here): a Retry whose
# backoff grows past a float, a timer beyond year 9999, payloads nested ~400 levels
# deep.


# --- issue 16: what once hung, crashed or took the memory ---------------------------------


def _jsonata_pass(expression: str) -> dict[str, Any]:
    return {
        "QueryLanguage": "JSONata",
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Output": "{% " + expression + " %}", "End": True}},
    }


@case(
    "express-busy-loop",
    "an EXPRESS machine looping Pass -> Choice with no Wait (StartSyncExecution)",
    "TIMED_OUT",
)
def _express_busy_loop(world: World) -> Outcome:
    loop = {
        "StartAt": "Again",
        "States": {
            "Again": {"Type": "Pass", "Next": "Loop"},
            "Loop": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.stop", "IsPresent": True, "Next": "Done"}],
                "Default": "Again",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    created = world.call(
        "create_state_machine", name="busy", definition=json.dumps(loop), roleArn=s.ROLE, type="EXPRESS"
    )
    reply = world.call("start_sync_execution", stateMachineArn=created["stateMachineArn"])
    seconds = (reply["stopDate"] - reply["startDate"]).total_seconds()
    return Outcome(reply["status"], reply.get("error", ""), f"after {seconds:.0f} virtual seconds")


JSONATA_BOUNDS = {
    "jsonata-range-product": ("$count([1..300000].[1..300000])", "States.QueryEvaluationError"),
    "jsonata-string-doubling": (
        "$reduce([1..64], function($a, $b) { $a & $a }, 'x')",
        "States.QueryEvaluationError",
    ),
    "jsonata-pad-2e9": ("$pad('', 2000000000, 'x')", "States.QueryEvaluationError"),
    "jsonata-range-873783": ("$count([1..873783])", "States.QueryEvaluationError"),
    "jsonata-deep-recursion": (
        "($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(500))",
        "States.QueryEvaluationError",
    ),
    "jsonata-catastrophic-regex": ("$exists($match($pad('', 5000, 'a') & '!', /(a+)+$/))", "SUCCEEDED"),
    "jsonata-round-1e300": ("$round(1e300, 2)", "SUCCEEDED"),
    "jsonata-hash-lone-surrogate": ("$hash('\\ud800', 'SHA-256')", "SUCCEEDED"),
}


def _jsonata_case(key: str, expression: str, expect: str) -> None:
    @case(key, f"JSONata `{expression}`", expect)
    def _run(world: World) -> Outcome:
        return execute(world, _jsonata_pass(expression))


for _key, (_expression, _expect) in JSONATA_BOUNDS.items():
    _jsonata_case(_key, _expression, _expect)


@case(
    "intrinsic-math-random-beyond-int",
    "intrinsic `States.MathRandom(0, 9999999999999, 5)`",
    "States.IntrinsicFailure",
)
def _math_random_beyond(world: World) -> Outcome:
    return execute(world, pass_with({"r.$": "States.MathRandom(0, 9999999999999, 5)"}))


@case("intrinsic-string-to-json-1e400", "intrinsic `States.StringToJson('1e400')`", "States.IntrinsicFailure")
def _string_to_json_overflow(world: World) -> Outcome:
    return execute(world, pass_with({"r.$": "States.StringToJson('1e400')"}))


@case("intrinsic-nested-11", "an intrinsic field with 11 nested calls", "InvalidDefinition")
def _intrinsic_nested(world: World) -> Outcome:
    call = "States.JsonToString(" * 11 + "$" + ")" * 11
    return api(
        world,
        "create_state_machine",
        name="n",
        definition=json.dumps(pass_with({"r.$": call})),
        roleArn=s.ROLE,
    )


@case("definition-nested-900", "a Choice rule of 900 nested `Not`", "InvalidDefinition")
def _definition_nested(world: World) -> Outcome:
    rule = '{"Not": ' * 900 + '{"Variable": "$.a", "IsPresent": true}' + "}" * 900
    text = (
        '{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Not": '
        + rule
        + ', "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}'
    )
    return api(world, "create_state_machine", name="n", definition=text, roleArn=s.ROLE)


@case("definition-nan", "a definition whose Pass `Result` is `NaN`", "InvalidDefinition")
def _definition_nan(world: World) -> Outcome:
    text = '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": NaN, "End": true}}}'
    return api(world, "create_state_machine", name="n", definition=text, roleArn=s.ROLE)
