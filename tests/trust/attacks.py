"""Hypothesis strategies for an attacker's machines: loops, extremes and bounds, each cheap to run.

Where :mod:`tests.trust.strategies` draws ordinary machines (transitions only go
forward), these draw what issue 16 found hanging, crashing or taking the memory:
loops with and without a way out, nesting at and past every depth bound, wide
fan-outs, intrinsic and JSONata calls built to blow up, catastrophic regular
expressions, numbers beyond a double and payloads at the 256 KiB limit. Sizes are
kept just past the bounds (never a million of anything) so that an example costs
milliseconds unless the fake itself goes wrong.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def _nested(count: int, around: str, inner: str) -> str:
    """``around`` wrapped ``count`` times around ``inner`` (``around`` has one ``{}`` slot), as text."""
    head, tail = around.split("{}")
    return head * count + inner + tail * count


@st.composite
def loops(draw: st.DrawFn) -> dict[str, Any]:
    """A machine with a back edge: a counter loop that ends, or one that never does."""
    jsonata = draw(st.booleans())
    limit = draw(st.sampled_from([3, 50, None]))
    body = draw(st.sampled_from(["Pass", "Wait0", "Wait1", "Map"]))
    work: dict[str, Any] = {"Type": "Pass", "Next": "Count"}
    if body == "Wait0":
        work = {"Type": "Wait", "Seconds": 0, "Next": "Count"}
    elif body == "Wait1":
        work = {"Type": "Wait", "Seconds": 1, "Next": "Count"}
    elif body == "Map":
        work = {"Type": "Map", "ItemProcessor": PASS, "Next": "Count"}
        if not jsonata:
            work["ItemsPath"] = "$.items"
            work["ResultPath"] = None
        else:
            work["Items"] = "{% $states.input.items %}"
            work["Output"] = "{% $states.input %}"
    if jsonata:
        count = {"Type": "Pass", "Output": "{% $merge([$states.input, {'i': $states.input.i + 1}]) %}"}
        stop = {"Condition": f"{{% $states.input.i >= {limit if limit else 10**9} %}}", "Next": "Done"}
    else:
        count = {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)", "items.$": "$.items"}}
        stop = {"Variable": "$.i", "NumericGreaterThanEquals": limit if limit else 10**9, "Next": "Done"}
    count["Next"] = "Check"
    machine: dict[str, Any] = {
        "StartAt": "Work",
        "States": {
            "Work": work,
            "Count": count,
            "Check": {"Type": "Choice", "Choices": [stop], "Default": "Work"},
            "Done": {"Type": "Succeed"},
        },
    }
    if jsonata:
        machine["QueryLanguage"] = "JSONata"
    if draw(st.booleans()):
        machine["TimeoutSeconds"] = draw(st.sampled_from([1, 30, 400]))
    return machine


def _deep_definitions(draw: st.DrawFn) -> str:
    depth = draw(st.sampled_from([10, 60, 190, 199, 200, 201, 250, 900, 5000]))
    shape = draw(st.sampled_from(["not", "and", "parameters", "result", "parallel", "jsonata-output"]))
    if shape == "not":
        rule = _nested(depth, '{"Not": {}}', '{"Variable": "$.a", "IsPresent": true}')
        choice = '{"Type": "Choice", "Choices": [{"Not": ' + rule + ', "Next": "D"}], "Default": "D"}'
        return '{"StartAt": "C", "States": {"C": ' + choice + ', "D": {"Type": "Succeed"}}}'
    if shape == "and":
        rule = _nested(depth // 2, '{"And": [{}]}', '{"Variable": "$.a", "IsPresent": true}')
        choice = '{"Type": "Choice", "Choices": [{"And": [' + rule + '], "Next": "D"}], "Default": "D"}'
        return '{"StartAt": "C", "States": {"C": ' + choice + ', "D": {"Type": "Succeed"}}}'
    if shape == "parallel":
        inner = json.dumps(PASS)
        return _nested(
            depth // 4,
            '{"StartAt": "X", "States": {"X": {"Type": "Parallel", "Branches": [{}], "End": true}}}',
            inner,
        )
    if shape == "jsonata-output":
        output = _nested(depth, '{"a": {}}', '"{% $states.input %}"')
        return (
            '{"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "Output": '
            + output
            + ', "End": true}}}'
        )
    key = "Parameters" if shape == "parameters" else "Result"
    value = _nested(depth, '{"a": {}}', '{"x.$": "$"}' if key == "Parameters" else "1")
    return '{"StartAt": "P", "States": {"P": {"Type": "Pass", "' + key + '": ' + value + ', "End": true}}}'


_INTRINSIC_ATTACKS = (
    "States.ArrayRange(1, 1e9, 1)",
    "States.ArrayRange(1, 1000, 1)",
    "States.MathRandom(0, 9999999999999, 5)",
    "States.MathRandom(-2147483648, 2147483647, 1)",
    "States.MathAdd(2147483647, 1)",
    "States.StringToJson('1e400')",
    "States.StringToJson($.deepText)",
    "States.StringSplit($.big, ',')",
    "States.Format('{}{}{}{}', $.big, $.big, $.big, $.big)",
    "States.Base64Encode($.big)",
    "States.Hash($.surrogate, 'SHA-256')",
    "States.ArrayPartition($.list, 1)",
    "States.ArrayGetItem($.list, 99999999999999999999)",
    "States.JsonToString($)",
    "States.ArrayUnique($.list)",
)

_JSONATA_ATTACKS = (
    "$count([1..300000].[1..300000])",
    "$reduce([1..64], function($a, $b) { $a & $a }, 'x')",
    "$pad('', 2000000000, 'x')",
    "$count([1..873783])",
    "[1..20000000]",
    "($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(500))",
    "($loop := function($n) { $loop($n + 1) }; $loop(0))",
    "$match($states.input.as, /(a+)+$/)",
    "$contains($states.input.as, /^(a|a)*$/)",
    "$match($states.input.as, /^(a+)+\\\\1$/)",
    "$replace($states.input.as, /a/, $states.input.as)",
    "$split($states.input.as, /(?:)/)",
    "$round(1e300, 2)",
    "$formatBase(1e300, 2)",
    "$round(123.456, 400)",
    "$shuffle([1, 2, 3, 4, 5])",
    "$hash($states.input.surrogate, 'MD5')",
    "$states.input.huge",
    "[$states.input.huge]",
    "$count($distinct([1..200000]))",
    "$string([1..1000].$states.input.big)",
)


def _attack_input() -> dict[str, Any]:
    return {
        "a": 1,
        "list": list(range(2000)),
        "big": "x" * 60_000,
        "as": "a" * 3000 + "!",
        "surrogate": "a\ud800b",
        "huge": 10**400,
        "deepText": "[" * 300 + "]" * 300,
    }


@st.composite
def attacks(draw: st.DrawFn) -> tuple[str, str, Any]:
    """(machine type, definition text, input) of one attack."""
    kind = draw(
        st.sampled_from(["deep", "intrinsic", "jsonata", "fanout", "map", "payload", "intrinsic-nest"])
    )
    value: Any = _attack_input()
    if kind == "deep":
        return draw(st.sampled_from(["STANDARD", "EXPRESS"])), _deep_definitions(draw), {"a": 1}
    if kind == "intrinsic":
        call = draw(st.sampled_from(_INTRINSIC_ATTACKS))
        machine: dict[str, Any] = {
            "StartAt": "P",
            "States": {"P": {"Type": "Pass", "Parameters": {"r.$": call}, "End": True}},
        }
    elif kind == "intrinsic-nest":
        depth = draw(st.sampled_from([9, 10, 11, 50, 2000]))
        call = _nested(depth, "States.JsonToString({})", "$.a")
        machine = {
            "StartAt": "P",
            "States": {"P": {"Type": "Pass", "Parameters": {"r.$": call}, "End": True}},
        }
    elif kind == "jsonata":
        expression = draw(st.sampled_from(_JSONATA_ATTACKS))
        machine = {
            "QueryLanguage": "JSONata",
            "StartAt": "P",
            "States": {"P": {"Type": "Pass", "Output": "{% " + expression + " %}", "End": True}},
        }
    elif kind == "fanout":
        branches = draw(st.sampled_from([1, 40, 200]))
        failing = draw(st.booleans())
        branch = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}} if failing else PASS
        machine = {
            "StartAt": "X",
            "States": {
                "X": {"Type": "Parallel", "Branches": [PASS] * (branches - 1) + [branch], "End": True}
            },
        }
        value = {"a": 1}
    elif kind == "map":
        items = draw(st.sampled_from([0, 1, 41, 3000, 7000]))
        concurrency = draw(st.sampled_from([0, 1, 40]))
        machine = {
            "StartAt": "M",
            "States": {
                "M": {"Type": "Map", "MaxConcurrency": concurrency, "ItemProcessor": PASS, "End": True}
            },
        }
        value = list(range(items))
    else:
        size = draw(st.sampled_from([256 * 1024 - 2, 256 * 1024 - 1, 200 * 1024]))
        machine = {
            "StartAt": "P",
            "States": {"P": {"Type": "Pass", "Parameters": {"a.$": "$", "b.$": "$"}, "End": True}},
        }
        value = "x" * size
    return draw(st.sampled_from(["STANDARD", "EXPRESS"])), json.dumps(machine), value
