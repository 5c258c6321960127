"""Hypothesis strategies for the trust suite: JSON inputs and state machines, valid and broken.

Machines are generated as plain dicts (what a user writes), one state at a time.
Transitions only go forward (``Next`` names a later state), so every generated
machine terminates unless it waits on an outside actor; loops and the history
limit are tested on their own in ``test_limits.py``.

Task resources are drawn from :data:`HANDLERS` (Lambda handlers registered by
:class:`tests.trust.harness.World`), an activity, a ``.waitForTaskToken``
callback, a nested execution and an AWS SDK call with no session configured, so
every kind of task ending (success, failure, timeout, heartbeat, outside actor)
occurs.
"""

from __future__ import annotations

import copy
import json
import os
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

PROFILE_PREFIX = "fakesfn-trust-"
PROFILE_EXAMPLES = {"fast": 100, "long": 4000}
"""Examples per unit of weight: the fuzz tests' weights add up to at least 5."""
PROFILE_ENV = "FAKESFN_FUZZ_PROFILE"

ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/trust"
ACTIVITY = f"arn:aws:states:{REGION}:{ACCOUNT}:activity:worker"
MISSING_ACTIVITY = f"arn:aws:states:{REGION}:{ACCOUNT}:activity:nobody-made-me"
CHILD_MACHINE = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:child"


def profile_name() -> str:
    """The hypothesis profile the environment asks for (``fast`` unless told otherwise)."""
    return PROFILE_PREFIX + os.environ.get(PROFILE_ENV, "fast")


def fuzz_settings(weight: float = 1.0, **overrides: Any) -> settings:
    """Settings of one fuzz test: the selected profile, scaled by ``weight``."""
    from tests.trust import conftest  # noqa: F401 - registers the profiles outside pytest too

    profile = settings.get_profile(profile_name())
    examples = max(1, round(profile.max_examples * weight))
    return settings(profile, max_examples=examples, **overrides)


# --- JSON values -----------------------------------------------------------------------

KEYS = ("a", "b", "c", "n", "s", "flag", "items", "wait", "when", "ü", "名前", "")
"""Keys the generated paths use, so paths sometimes find what they look for."""

huge_integers = st.sampled_from(
    [2**53, 2**53 + 1, -(2**63), 2**63 - 1, 2**64, 10**30, -(10**40), 12345678901234567890123, 10**400, 2**31]
)
integers = st.integers(min_value=-1000, max_value=1000) | st.integers() | huge_integers
floats = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [0.0, -0.0, 1e308, -1e308, 5e-324, 0.1, 1.5, 2.5e-10]
)
texts = (
    st.text(max_size=12)
    | st.sampled_from(
        [
            "",
            "a",
            "ü",
            "名前",
            "🙂",
            "\u0000",
            '\n\t"\\',
            "\ud800",
            "\udfff x",
            "$.a",
            "{}",
            "*",
            "2024-01-01T00:00:00Z",
        ]
    )
    | st.text(st.characters(codec="utf-8"), max_size=8)
)
scalars = st.none() | st.booleans() | integers | floats | texts
keys = st.sampled_from(KEYS) | st.text(max_size=6)


def json_values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Any JSON value: nulls, huge numbers, unicode, nested lists and objects."""
    return st.recursive(
        scalars,
        lambda children: st.lists(children, max_size=5) | st.dictionaries(keys, children, max_size=5),
        max_leaves=max_leaves,
    )


@st.composite
def deep_values(draw: st.DrawFn, max_depth: int = 60) -> Any:
    """A value nested ``max_depth`` levels or less (lists and objects alternating)."""
    depth = draw(st.integers(min_value=1, max_value=max_depth))
    value: Any = draw(scalars)
    for level in range(depth):
        value = [value] if level % 2 else {draw(st.sampled_from(KEYS)): value}
    return value


wide_values = st.one_of(
    st.lists(st.integers(), min_size=50, max_size=300),
    st.dictionaries(st.text(max_size=10), st.integers() | st.none(), min_size=50, max_size=200),
)

# Deep values stay at most 60 levels deep: deeper ones crash the engine (issue 10 trust report, B1).
_standard_inputs = st.fixed_dictionaries(
    {
        "a": st.fixed_dictionaries({"b": json_values(4)}) | json_values(),
        "b": integers,
        "c": texts,
        "n": integers | floats,
        "s": texts,
        "flag": st.booleans(),
        "items": st.lists(json_values(4), max_size=4),
        "wait": st.integers(min_value=0, max_value=50),
        "when": st.sampled_from(["2024-01-01T00:00:10Z", "2023-12-31T00:00:00Z", "not a time"]),
    },
    optional={"deep": deep_values(), "wide": wide_values, "ü": texts, "名前": scalars},
)
_wild_inputs = (
    st.dictionaries(st.sampled_from(KEYS), json_values(6) | deep_values() | wide_values, max_size=6)
    | json_values()
)
inputs = st.one_of(_standard_inputs, _standard_inputs, _standard_inputs, _wild_inputs)
"""Execution inputs: mostly objects with the keys generated paths look at."""


# --- paths, intrinsics, payload templates ----------------------------------------------

REFERENCE_PATHS = (
    "$",
    "$.a",
    "$.b",
    "$.c",
    "$.n",
    "$.s",
    "$.flag",
    "$.items",
    "$.items[0]",
    "$.a.b",
    "$.a[0]",
    "$.missing",
    "$.deep",
    "$['ü']",
    "$.wide",
)
QUERY_PATHS = ("$.items[*]", "$.items[1:]", "$..a", "$.items[?(@.a)]", "$.items[-1:]")
CONTEXT_PATHS = ("$$", "$$.Execution.Id", "$$.Execution.Input", "$$.State.Name", "$$.StateMachine.Name")

reference_paths = st.sampled_from(REFERENCE_PATHS)
input_paths = reference_paths | st.sampled_from(CONTEXT_PATHS)
query_paths = input_paths | st.sampled_from(QUERY_PATHS)


_BIG_LITERALS = ("1e300", "-2147483649", "2147483648", "99999999999999999999", "1e-320")
"""Numbers at and past the math intrinsics' Java int, in literals a valid definition may hold."""


def _literal(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["int", "float", "string", "null", "bool", "path", "int", "big"]))
    if kind == "big":
        return draw(st.sampled_from(_BIG_LITERALS))
    if kind == "int":
        return str(draw(st.integers(min_value=-5, max_value=20)))
    if kind == "float":
        return repr(draw(st.sampled_from([0.5, 1.0, -2.25])))
    if kind == "string":
        text = draw(
            st.sampled_from(["x", "a,b", "{}", "hello {}", "", "ü", "\\'q\\'", "1", "1e400", "[[[1]]]"])
        )
        return f"'{text}'"
    if kind == "null":
        return "null"
    if kind == "bool":
        return draw(st.sampled_from(["true", "false"]))
    return draw(input_paths)


INTRINSIC_ARITY = {
    "States.Format": (1, 4),
    "States.StringToJson": (1, 1),
    "States.JsonToString": (1, 1),
    "States.Array": (0, 4),
    "States.ArrayPartition": (2, 2),
    "States.ArrayContains": (2, 2),
    "States.ArrayRange": (3, 3),
    "States.ArrayGetItem": (2, 2),
    "States.ArrayLength": (1, 1),
    "States.ArrayUnique": (1, 1),
    "States.Base64Encode": (1, 1),
    "States.Base64Decode": (1, 1),
    "States.Hash": (2, 2),
    "States.JsonMerge": (3, 3),
    "States.MathRandom": (2, 3),
    "States.MathAdd": (2, 2),
    "States.StringSplit": (2, 2),
    "States.UUID": (0, 0),
}


@st.composite
def intrinsic_calls(draw: st.DrawFn, depth: int = 2) -> str:
    """An intrinsic call; arguments of any type, so some fail at run time (IntrinsicFailure)."""
    name = draw(st.sampled_from(sorted(INTRINSIC_ARITY)))
    low, high = INTRINSIC_ARITY[name]
    count = draw(st.integers(min_value=low, max_value=high))
    arguments = []
    for _ in range(count):
        if depth > 0 and draw(st.integers(min_value=0, max_value=5)) == 0:
            arguments.append(draw(intrinsic_calls(depth - 1)))
        else:
            arguments.append(_literal(draw))
    if name == "States.Hash" and count == 2 and draw(st.booleans()):
        arguments[1] = draw(st.sampled_from(["'SHA-256'", "'MD5'", "'SHA-1'", "'SHA-384'", "'SHA-512'"]))
    return f"{name}({', '.join(arguments)})"


@st.composite
def payload_templates(draw: st.DrawFn, depth: int = 2, context: tuple[str, ...] = ()) -> dict[str, Any]:
    """A Parameters / ResultSelector / ItemSelector template: constants, paths, intrinsics."""
    template: dict[str, Any] = {}
    for index in range(draw(st.integers(min_value=0, max_value=4))):
        kind = draw(st.sampled_from(["const", "path", "intrinsic", "nested", "context"]))
        key = f"k{index}"
        if kind == "const":
            template[key] = draw(json_values(4))
        elif kind == "path":
            template[f"{key}.$"] = draw(query_paths)
        elif kind == "intrinsic":
            template[f"{key}.$"] = draw(intrinsic_calls())
        elif kind == "context" and context:
            template[f"{key}.$"] = draw(st.sampled_from(context))
        elif depth > 0:
            template[key] = draw(payload_templates(depth - 1, context))
    return template


# --- Choice rules ----------------------------------------------------------------------

_OPERAND = {
    "String": texts,
    "Numeric": integers | floats,
    "Timestamp": st.sampled_from(
        ["2024-01-01T00:00:00Z", "2024-01-01T00:00:10.5Z", "2023-01-01T00:00:00+01:00"]
    ),
}
_COMPARISONS = ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals")
_TYPE_TESTS = ("IsPresent", "IsNull", "IsBoolean", "IsNumeric", "IsString", "IsTimestamp")
_PATTERNS = ("*", "a*", "*a*b", "\\*", "*.json", "**a**a**a**b", "ü*", "")


@st.composite
def choice_conditions(draw: st.DrawFn, depth: int = 2) -> dict[str, Any]:
    """A JSONPath Choice condition (no ``Next``): comparisons, type tests, And/Or/Not."""
    kind = draw(st.integers(min_value=0, max_value=9))
    if depth > 0 and kind == 0:
        return {"Not": draw(choice_conditions(depth - 1))}
    if depth > 0 and kind == 1:
        combinator = draw(st.sampled_from(["And", "Or"]))
        return {combinator: draw(st.lists(choice_conditions(depth - 1), min_size=1, max_size=3))}
    variable = draw(reference_paths | st.sampled_from(["$$.Execution.Name", "$.when"]))
    if kind == 2:
        return {"Variable": variable, draw(st.sampled_from(_TYPE_TESTS)): draw(st.booleans())}
    if kind == 3:
        return {"Variable": variable, "BooleanEquals": draw(st.booleans())}
    if kind == 4:
        return {"Variable": variable, "StringMatches": draw(st.sampled_from(_PATTERNS))}
    family = draw(st.sampled_from(sorted(_OPERAND)))
    comparison = draw(st.sampled_from(_COMPARISONS))
    if kind == 5:
        return {"Variable": variable, f"{family}{comparison}Path": draw(reference_paths)}
    return {"Variable": variable, f"{family}{comparison}": draw(_OPERAND[family])}


# --- JSONata ---------------------------------------------------------------------------

_JSONATA_ATOMS = (
    "$states.input",
    "$states.input.a",
    "$states.input.b",
    "$states.input.items",
    "$states.context.Execution.Name",
    "1",
    "2.5",
    "'text'",
    "null",
    "true",
    "[1, 2, 3]",
    "{'k': 1}",
    "$missingVariable",
    "$v",
    "$states.input.n",
    "1e300",
    "'\\ud800'",
)
_JSONATA_UNARY = (
    "$count({})",
    "$string({})",
    "$number({})",
    "$uppercase($string({}))",
    "$exists({})",
    "$hash($string({}), 'SHA-256')",
    "$parse($string({}))",
    "$round($number($string({})), 2)",
    "$formatBase($count({}) * 1e300, 2)",
    "$pad($string({}), 12, '#')",
    "$shuffle([{}, 1, 2])",
    "$match($string({}), /a+b?|[0-9]{{2,}}/i)",
    "$replace($string({}), /(\\w)\\w*/, '$1')",
    "$split($string({}), /[,:]\\s*/)",
    "$contains($string({}), /^(a+)+$/)",
    "$distinct([{0}, {0}, 1])",
    "$sort([$string({}), 'b', 'a'])",
)
_JSONATA_BINARY = ("({} + {})", "({} & {})", "({} = {})", "({} > {})", "({} ? {} : 1)", "[{}, {}]")


@st.composite
def jsonata_expressions(draw: st.DrawFn, depth: int = 2) -> str:
    """A JSONata expression (without ``{% %}``); some fail at run time on their input."""
    kind = draw(st.integers(min_value=0, max_value=4)) if depth > 0 else 0
    if kind == 0:
        return draw(st.sampled_from(_JSONATA_ATOMS))
    if kind == 1:
        return draw(st.sampled_from(_JSONATA_UNARY)).format(draw(jsonata_expressions(depth - 1)))
    if kind == 2:
        return draw(st.sampled_from(["$uuid()", "$random()", "$now()", "$partition([1,2,3], 2)"]))
    left, right = draw(jsonata_expressions(depth - 1)), draw(jsonata_expressions(depth - 1))
    return draw(st.sampled_from(_JSONATA_BINARY)).format(left, right)


def _jsonata(draw: st.DrawFn) -> str:
    return "{% " + draw(jsonata_expressions()) + " %}"


@st.composite
def jsonata_templates(draw: st.DrawFn) -> Any:
    """A JSONata template: an expression, or an object with expressions and constants inside."""
    if draw(st.booleans()):
        return _jsonata(draw)
    return {f"k{i}": _jsonata(draw) if draw(st.booleans()) else draw(json_values(3)) for i in range(3)}


# --- states ----------------------------------------------------------------------------

HANDLERS = ("echo", "const", "boom", "custom", "unmarshal", "raw", "slow", "huge", "nan", "callback")
"""Lambda functions the harness registers (see :mod:`tests.trust.harness`)."""

ERROR_NAMES = (
    "States.ALL",
    "States.TaskFailed",
    "States.Timeout",
    "States.HeartbeatTimeout",
    "States.Runtime",
    "States.IntrinsicFailure",
    "States.DataLimitExceeded",
    "States.BranchFailed",
    "States.NoChoiceMatched",
    "States.ResultPathMatchFailure",
    "States.ParameterPathFailure",
    "States.QueryEvaluationError",
    "ValueError",
    "Custom.Error",
    "Runtime.MarshalError",
    "Lambda.Unknown",
    "Lambda.ResourceNotFoundException",
    "Boom",
)


class Namer:
    """Hands out state names, unique in one definition and sometimes unicode."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.count = 0

    def next(self) -> str:
        self.count += 1
        suffix = self.draw(st.sampled_from(["", "", "", " ü", "-名前", ".x"]))
        return f"S{self.count}{suffix}"


def _error_lists(draw: st.DrawFn, count: int) -> list[list[str]]:
    """``count`` ErrorEquals lists; ``States.ALL`` only alone and in the last one (AWS's rule)."""
    lists = []
    for index in range(count):
        specific = [name for name in ERROR_NAMES if name != "States.ALL"]
        if index == count - 1 and draw(st.booleans()):
            lists.append(["States.ALL"])
        else:
            lists.append(draw(st.lists(st.sampled_from(specific), min_size=1, max_size=3, unique=True)))
    return lists


def _retry(draw: st.DrawFn) -> list[dict[str, Any]]:
    retriers = []
    for errors in _error_lists(draw, draw(st.integers(min_value=1, max_value=2))):
        retrier: dict[str, Any] = {"ErrorEquals": errors}
        if draw(st.booleans()):
            retrier["IntervalSeconds"] = draw(st.integers(min_value=1, max_value=5))
        if draw(st.booleans()):
            retrier["MaxAttempts"] = draw(st.integers(min_value=0, max_value=3))
        if draw(st.booleans()):
            retrier["BackoffRate"] = draw(st.sampled_from([1, 1.5, 2.0, 3]))
        if draw(st.booleans()):
            retrier["MaxDelaySeconds"] = draw(st.integers(min_value=1, max_value=10))
        if draw(st.booleans()):
            retrier["JitterStrategy"] = draw(st.sampled_from(["FULL", "NONE"]))
        retriers.append(retrier)
    return retriers


def _catch(draw: st.DrawFn, targets: list[str], jsonata: bool) -> list[dict[str, Any]]:
    catchers = []
    for errors in _error_lists(draw, draw(st.integers(min_value=1, max_value=2))):
        catcher: dict[str, Any] = {"ErrorEquals": errors, "Next": draw(st.sampled_from(targets))}
        if jsonata:
            if draw(st.booleans()):
                catcher["Output"] = "{% $states.errorOutput %}"
        elif draw(st.booleans()):
            catcher["ResultPath"] = draw(st.sampled_from(["$.error", "$", None, "$.a.b"]))
        catchers.append(catcher)
    return catchers


def _targets(state: dict[str, Any]) -> list[str]:
    found = [state.get("Next"), state.get("Default")]
    found += [rule.get("Next") for rule in state.get("Choices", [])]
    found += [catcher.get("Next") for catcher in state.get("Catch", [])]
    return [name for name in found if isinstance(name, str)]


def _reachable(start: str, states: dict[str, Any]) -> dict[str, Any]:
    """``states`` without those no transition reaches (AWS refuses unreachable states)."""
    seen = {start}
    todo = [start]
    while todo:
        for target in _targets(states[todo.pop()]):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return {name: state for name, state in states.items() if name in seen}


_PATH_IO = frozenset({"InputPath", "OutputPath"})
JSONPATH_FIELDS = {
    "Pass": _PATH_IO | {"Parameters", "ResultPath", "Assign"},
    "Task": _PATH_IO | {"Parameters", "ResultSelector", "ResultPath", "Assign"},
    "Choice": _PATH_IO,
    "Wait": _PATH_IO | {"Assign"},
    "Succeed": _PATH_IO,
    "Fail": frozenset(),
    "Parallel": _PATH_IO | {"Parameters", "ResultSelector", "ResultPath", "Assign"},
    "Map": _PATH_IO | {"ResultSelector", "ResultPath", "Assign"},
}
"""The input/output fields AWS allows per state type (JSONPath)."""
JSONATA_FIELDS = {
    "Pass": frozenset({"Output", "Assign"}),
    "Task": frozenset({"Output", "Assign"}),
    "Choice": frozenset(),
    "Wait": frozenset({"Output", "Assign"}),
    "Succeed": frozenset({"Output"}),
    "Fail": frozenset(),
    "Parallel": frozenset({"Output", "Assign"}),
    "Map": frozenset({"Output", "Assign"}),
}
"""The same for JSONata states."""


class StateGen:
    """Draws the states of one (sub-)machine; ``depth`` bounds Parallel/Map nesting."""

    def __init__(
        self, draw: st.DrawFn, namer: Namer, depth: int, jsonata: bool, in_map: bool, express: bool = False
    ) -> None:
        self.express = express
        self.draw = draw
        self.namer = namer
        self.depth = depth
        self.jsonata = jsonata
        self.in_map = in_map

    def machine(self, size: int, *, express: bool = False) -> dict[str, Any]:
        names = [self.namer.next() for _ in range(size)]
        states: dict[str, Any] = {}
        for index, name in enumerate(names):
            later = names[index + 1 :]
            states[name] = self.state(later, express)
        return {"StartAt": names[0], "States": _reachable(names[0], states)}

    def state(self, later: list[str], express: bool) -> dict[str, Any]:
        kinds = ["Pass", "Task", "Choice", "Wait", "Succeed", "Fail"]
        if self.depth > 0:
            kinds += ["Parallel", "Map"]
        kind = self.draw(st.sampled_from(kinds))
        if kind == "Choice" and not later:
            kind = "Pass"
        body: dict[str, Any] = {"Type": kind}
        getattr(self, f"_{kind.lower()}")(body, later, express)
        if kind not in ("Choice", "Succeed", "Fail"):
            self._transition(body, later)
        return body

    def _transition(self, body: dict[str, Any], later: list[str]) -> None:
        if later and self.draw(st.integers(min_value=0, max_value=3)):
            body["Next"] = self.draw(st.sampled_from(later))
        else:
            body["End"] = True

    def _io(self, body: dict[str, Any]) -> None:
        """Input/output fields, only those AWS allows on the state's type."""
        draw = self.draw
        allowed = (JSONATA_FIELDS if self.jsonata else JSONPATH_FIELDS)[body["Type"]]
        if "Output" in allowed and draw(st.booleans()):
            body["Output"] = draw(jsonata_templates())
        if "Assign" in allowed and draw(st.integers(min_value=0, max_value=4)) == 0:
            body["Assign"] = {"v": _jsonata(draw)} if self.jsonata else {"v.$": draw(input_paths), "w": 1}
        if "InputPath" in allowed and draw(st.integers(min_value=0, max_value=3)) == 0:
            body["InputPath"] = draw(st.sampled_from([*REFERENCE_PATHS[:6], None]))
        if "Parameters" in allowed and draw(st.integers(min_value=0, max_value=2)) == 0:
            context = ("$$.Map.Item.Value", "$$.Map.Item.Index") if self.in_map else ()
            body["Parameters"] = draw(payload_templates(context=context))
        if "ResultSelector" in allowed and draw(st.integers(min_value=0, max_value=3)) == 0:
            body["ResultSelector"] = draw(payload_templates(1))
        if "ResultPath" in allowed and draw(st.integers(min_value=0, max_value=3)) == 0:
            body["ResultPath"] = draw(st.sampled_from(["$", "$.result", "$.a.deeper", None, "$.b"]))
        if "OutputPath" in allowed and draw(st.integers(min_value=0, max_value=4)) == 0:
            body["OutputPath"] = draw(st.sampled_from(["$", "$.result", "$.a", "$.missing", None]))

    def _pass(self, body: dict[str, Any], later: list[str], express: bool) -> None:
        if not self.jsonata and self.draw(st.booleans()):
            body["Result"] = self.draw(json_values(6))
        self._io(body)

    def _task(self, body: dict[str, Any], later: list[str], express: bool) -> None:
        draw = self.draw
        options = ["lambda", "lambda", "invoke", "invoke", "sdk", "missing"]
        if not express:
            options += ["activity", "activity", "callback", "callback", "nested", "ghost-activity"]
        kind = draw(st.sampled_from(options))
        handler = draw(st.sampled_from(HANDLERS[:-1]))
        arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{handler}"
        arguments_key = "Arguments" if self.jsonata else "Parameters"
        if kind == "lambda":
            body["Resource"] = arn
        elif kind == "missing":
            body["Resource"] = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:not-registered"
        elif kind == "invoke":
            body["Resource"] = "arn:aws:states:::lambda:invoke"
            payload = "{% $states.input %}" if self.jsonata else {"in.$": "$"}
            body[arguments_key] = {"FunctionName": arn, "Payload": payload}
        elif kind == "sdk":
            body["Resource"] = "arn:aws:states:::aws-sdk:s3:listBuckets"
            body[arguments_key] = {}
        elif kind in ("activity", "ghost-activity"):
            body["Resource"] = ACTIVITY if kind == "activity" else MISSING_ACTIVITY
        elif kind == "callback":
            body["Resource"] = "arn:aws:states:::lambda:invoke.waitForTaskToken"
            token = "{% $states.context.Task.Token %}" if self.jsonata else None
            payload = {"token": token} if token else {"token.$": "$$.Task.Token"}
            body[arguments_key] = {
                "FunctionName": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:callback",
                "Payload": payload,
            }
        else:
            body["Resource"] = (
                f"arn:aws:states:::states:startExecution.{draw(st.sampled_from(['sync', 'sync:2']))}"
            )
            child_input = "{% $states.input %}" if self.jsonata else {"from.$": "$$.Execution.Id"}
            body[arguments_key] = {"StateMachineArn": CHILD_MACHINE, "Input": child_input}
        if draw(st.booleans()):
            body["TimeoutSeconds"] = draw(st.integers(min_value=1, max_value=60))
        if kind in ("activity", "callback") and draw(st.booleans()):
            body["HeartbeatSeconds"] = draw(
                st.integers(min_value=1, max_value=body.get("TimeoutSeconds", 61) - 1 or 1)
            )
            if body["HeartbeatSeconds"] >= body.get("TimeoutSeconds", 99999):
                del body["HeartbeatSeconds"]
        saved = body.get(arguments_key)
        self._io(body)
        if saved is not None:
            body[arguments_key] = saved
        self._errors(body, later)

    def _errors(self, body: dict[str, Any], later: list[str]) -> None:
        if self.draw(st.booleans()):
            body["Retry"] = _retry(self.draw)
        if later and self.draw(st.booleans()):
            body["Catch"] = _catch(self.draw, later, self.jsonata)

    def _choice(self, body: dict[str, Any], later: list[str], express: bool) -> None:
        draw = self.draw
        count = draw(st.integers(min_value=1, max_value=3))
        if self.jsonata:
            body["Choices"] = [
                {"Condition": _jsonata(draw), "Next": draw(st.sampled_from(later))} for _ in range(count)
            ]
        else:
            body["Choices"] = [
                {**draw(choice_conditions()), "Next": draw(st.sampled_from(later))} for _ in range(count)
            ]
        if draw(st.integers(min_value=0, max_value=3)):
            body["Default"] = draw(st.sampled_from(later))
        self._io(body)

    def _wait(self, body: dict[str, Any], later: list[str], express: bool) -> None:
        draw = self.draw
        if self.jsonata:
            key = draw(st.sampled_from(["Seconds", "Timestamp"]))
            body[key] = (
                f"{{% {draw(st.sampled_from(['1', '$states.input.wait', '0', '$count([1,2])']))} %}}"
                if key == "Seconds"
                else "{% '2024-01-01T00:00:05Z' %}"
            )
            self._io(body)
            return
        form = draw(st.sampled_from(["Seconds", "Timestamp", "SecondsPath", "TimestampPath"]))
        body[form] = {
            "Seconds": draw(st.integers(min_value=0, max_value=100)),
            "Timestamp": draw(
                st.sampled_from(["2024-01-01T00:00:05Z", "2023-06-01T00:00:00Z", "2024-01-01T01:00:00.5Z"])
            ),
            "SecondsPath": draw(st.sampled_from(["$.wait", "$.b", "$.missing"])),
            "TimestampPath": draw(st.sampled_from(["$.when", "$.c", "$.missing"])),
        }[form]
        self._io(body)

    def _succeed(self, body: dict[str, Any], later: list[str], express: bool) -> None:
        self._io(body)

    def _fail(self, body: dict[str, Any], later: list[str], express: bool) -> None:
        draw = self.draw
        if self.jsonata:
            if draw(st.booleans()):
                body["Error"] = draw(st.sampled_from(["Boom", "{% 'E' & $string($states.input.b) %}"]))
            if draw(st.booleans()):
                body["Cause"] = "{% $string($states.input) %}"
            return
        form = draw(st.sampled_from(["const", "path", "intrinsic", "none"]))
        if form == "const":
            body["Error"], body["Cause"] = "Boom", draw(texts)
        elif form == "path":
            body["ErrorPath"], body["CausePath"] = draw(reference_paths), draw(reference_paths)
        elif form == "intrinsic":
            body["ErrorPath"] = "States.Format('E{}', $.b)"
            body["CausePath"] = draw(intrinsic_calls(1))

    def _sub(self, in_map: bool) -> dict[str, Any]:
        size = self.draw(st.integers(min_value=1, max_value=3))
        sub = StateGen(
            self.draw, self.namer, self.depth - 1, self.jsonata, in_map or self.in_map, self.express
        )
        return sub.machine(size, express=self.express)

    def _parallel(self, body: dict[str, Any], later: list[str], express: bool) -> None:
        count = self.draw(st.integers(min_value=1, max_value=3))
        body["Branches"] = [self._sub(in_map=False) for _ in range(count)]
        self._io(body)
        self._errors(body, later)

    def _map(self, body: dict[str, Any], later: list[str], express: bool) -> None:
        draw = self.draw
        processor = self._sub(in_map=True)
        processor["ProcessorConfig"] = {"Mode": "INLINE"}
        body["ItemProcessor"] = processor
        if self.jsonata:
            body["Items"] = draw(
                st.sampled_from(["{% $states.input.items %}", "{% [1, 2, 3] %}", "{% $states.input %}"])
            )
            if draw(st.booleans()):
                body["ItemSelector"] = {"value": "{% $states.context.Map.Item.Value %}"}
        else:
            body["ItemsPath"] = draw(st.sampled_from(["$.items", "$.items", "$", "$.a", "$.missing"]))
            if draw(st.booleans()):
                body["ItemSelector"] = draw(payload_templates(1, ("$$.Map.Item.Value", "$$.Map.Item.Index")))
        if draw(st.booleans()):
            body["MaxConcurrency"] = draw(st.integers(min_value=0, max_value=3))
        self._io(body)
        self._errors(body, later)


@st.composite
def definitions(draw: st.DrawFn, *, express: bool = False, max_states: int = 5) -> dict[str, Any]:
    """A valid definition (as a dict): every state type, nested Parallel/Map, either query language."""
    jsonata = draw(st.integers(min_value=0, max_value=3)) == 0
    depth = draw(st.integers(min_value=0, max_value=2))
    generator = StateGen(draw, Namer(draw), depth=depth, jsonata=jsonata, in_map=False, express=express)
    definition = generator.machine(draw(st.integers(min_value=1, max_value=max_states)), express=express)
    if jsonata:
        definition["QueryLanguage"] = "JSONata"
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        definition["TimeoutSeconds"] = draw(st.integers(min_value=1, max_value=120))
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        definition["Comment"] = draw(texts)
    return definition


# --- broken definitions ----------------------------------------------------------------

_WRONG_VALUES = (
    None,
    0,
    -1,
    1.5,
    "",
    "text",
    [],
    {},
    [1],
    {"x": 1},
    True,
    "$..[",
    "States.Nope($.a)",
    "{% $$ %}",
)
_FIELDS = (
    "Type",
    "Next",
    "End",
    "Resource",
    "Choices",
    "Default",
    "Branches",
    "ItemProcessor",
    "ItemsPath",
    "Parameters",
    "ResultPath",
    "InputPath",
    "OutputPath",
    "Seconds",
    "TimestampPath",
    "Retry",
    "Catch",
    "TimeoutSeconds",
    "HeartbeatSeconds",
    "Error",
    "CausePath",
    "Result",
    "Assign",
    "Output",
    "Arguments",
    "QueryLanguage",
    "MaxConcurrency",
    "ResultSelector",
    "Comment",
    "Bogus",
)


def _states_of(definition: Any) -> list[dict[str, Any]]:
    """Every state object of a definition dict, nested ones included."""
    found: list[dict[str, Any]] = []
    machines = [definition]
    while machines:
        machine = machines.pop()
        if not isinstance(machine, dict) or not isinstance(machine.get("States"), dict):
            continue
        for state in machine["States"].values():
            if isinstance(state, dict):
                found.append(state)
                machines.extend(
                    state.get("Branches") or [] if isinstance(state.get("Branches"), list) else []
                )
                machines.append(state.get("ItemProcessor"))
    return found


@st.composite
def broken_definitions(draw: st.DrawFn) -> str:
    """A definition text with a few deliberate faults (some mutations happen to stay valid)."""
    definition = draw(definitions())
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        states = _states_of(definition)
        if not states:
            break
        mutation = draw(st.sampled_from(["set", "delete", "retarget", "start", "top", "retry"]))
        state = draw(st.sampled_from(states))
        if mutation == "set":
            wrong = copy.deepcopy(draw(st.sampled_from(_WRONG_VALUES) | json_values(3)))
            state[draw(st.sampled_from(_FIELDS))] = wrong
        elif mutation == "delete" and state:
            del state[draw(st.sampled_from(sorted(state)))]
        elif mutation == "retarget":
            state["Next"] = draw(st.sampled_from(["Nowhere", "", "S1"]))
            state.pop("End", None) if draw(st.booleans()) else None
        elif mutation == "start":
            definition["StartAt"] = draw(st.sampled_from(["Nowhere", "", 7, None]))
        elif mutation == "top":
            definition[
                draw(st.sampled_from(["States", "Version", "TimeoutSeconds", "QueryLanguage", "Bogus"]))
            ] = draw(st.sampled_from(_WRONG_VALUES))
        else:
            state["Retry"] = draw(
                st.sampled_from(
                    [
                        [{"ErrorEquals": ["States.ALL", "Boom"]}],
                        [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["Boom"]}],
                        [{"ErrorEquals": []}],
                        [{"ErrorEquals": ["Boom"], "MaxAttempts": -1, "BackoffRate": 0.5}],
                        [{"ErrorEquals": ["Boom"], "JitterStrategy": "SOME"}],
                        {"ErrorEquals": ["Boom"]},
                    ]
                )
            )
    text = json.dumps(definition)
    cut = draw(st.sampled_from(["none", "none", "none", "truncate", "not-object", "garbage"]))
    if cut == "truncate":
        return text[: draw(st.integers(min_value=0, max_value=max(0, len(text) - 1)))]
    if cut == "not-object":
        return json.dumps(draw(st.sampled_from([[], 1, "x", None, [definition]])))
    if cut == "garbage":
        return draw(st.text(min_size=1, max_size=40))
    return text
