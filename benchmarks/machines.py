"""State machine definitions the workloads run, and what each must produce.

Every builder returns a plain ASL dict plus (where it helps) a pure-Python model of
the expected output, so a workload can check the engine's answer without trusting
the engine. Event and transition counts follow AWS's history rules: each state
records ``<Type>StateEntered`` and ``<Type>StateExited``; an inline Map adds
``MapStateStarted``/``MapStateSucceeded`` once and ``MapIterationStarted``/
``MapIterationSucceeded`` per item; a Parallel adds ``ParallelStateStarted``/
``ParallelStateSucceeded`` once.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

Definition = dict[str, Any]


def _link(states: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Chain ``(name, body)`` pairs with Next, the last one with End."""
    out: dict[str, Any] = {}
    for index, (name, body) in enumerate(states):
        if index + 1 < len(states):
            out[name] = {**body, "Next": states[index + 1][0]}
        else:
            out[name] = {**body, "End": True}
    return out


# -- Pass chain ------------------------------------------------------------------------


def pass_chain(length: int) -> Definition:
    """``length`` Pass states, each copying ``$.v`` and its own index into ``$.last``."""
    states = [
        (f"Step{i}", {"Type": "Pass", "Parameters": {"v.$": "$.v", "step": i}, "ResultPath": "$.last"})
        for i in range(length)
    ]
    return {"StartAt": "Step0", "States": _link(states)}


def pass_chain_output(length: int, value: Any) -> Any:
    """What :func:`pass_chain` returns for input ``{"v": value}``."""
    return {"v": value, "last": {"v": value, "step": length - 1}}


def chain_events(states: int) -> int:
    """Events of a successful execution that enters ``states`` plain states in sequence."""
    return 2 + 2 * states


# -- Choice loop -----------------------------------------------------------------------


def choice_loop() -> Definition:
    """Count ``$.i`` up to ``$.limit`` with a Choice and a Pass using ``States.MathAdd``."""
    return {
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass", "Parameters": {"i": 0, "limit.$": "$.limit"}, "Next": "Loop"},
            "Loop": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.i", "NumericLessThanPath": "$.limit", "Next": "Inc"}],
                "Default": "Done",
            },
            "Inc": {
                "Type": "Pass",
                "Parameters": {"i.$": "States.MathAdd($.i, 1)", "limit.$": "$.limit"},
                "Next": "Loop",
            },
            "Done": {"Type": "Succeed"},
        },
    }


def choice_loop_transitions(iterations: int) -> int:
    """Init, then Loop+Inc per iteration, then the last Loop and Done."""
    return 3 + 2 * iterations


# -- Map -------------------------------------------------------------------------------


def inline_map(max_concurrency: int) -> Definition:
    """An inline Map over ``$.items`` with a 2-state iterator (wrap, then ``States.MathAdd``)."""
    processor = {
        "ProcessorConfig": {"Mode": "INLINE"},
        "StartAt": "Wrap",
        "States": {
            "Wrap": {"Type": "Pass", "Parameters": {"x.$": "$"}, "Next": "Add"},
            "Add": {"Type": "Pass", "Parameters": {"y.$": "States.MathAdd($.x, 1)"}, "End": True},
        },
    }
    return {
        "StartAt": "Fan",
        "States": {
            "Fan": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "MaxConcurrency": max_concurrency,
                "ItemProcessor": processor,
                "End": True,
            }
        },
    }


def map_output(items: int) -> Any:
    """What :func:`inline_map` returns for ``{"items": [0, ..., items-1]}``."""
    return [{"y": i + 1} for i in range(items)]


def map_events(items: int) -> int:
    """Execution 2 + Map entered/started/succeeded/exited 4 + per item (2 iteration + 4 state) events."""
    return 6 + 6 * items


def map_transitions(items: int) -> int:
    """The Map state itself plus two states per item."""
    return 1 + 2 * items


# -- Parallel --------------------------------------------------------------------------


def parallel(branches: int) -> Definition:
    """``branches`` branches of two Pass states each."""
    branch_list = [
        {
            "StartAt": "Tag",
            "States": {
                "Tag": {"Type": "Pass", "Parameters": {"branch": j, "v.$": "$.v"}, "Next": "Mark"},
                "Mark": {"Type": "Pass", "Result": True, "ResultPath": "$.done", "End": True},
            },
        }
        for j in range(branches)
    ]
    return {
        "StartAt": "Split",
        "States": {"Split": {"Type": "Parallel", "Branches": branch_list, "End": True}},
    }


def parallel_output(branches: int, value: Any) -> Any:
    """What :func:`parallel` returns for ``{"v": value}``."""
    return [{"branch": j, "v": value, "done": True} for j in range(branches)]


# -- intrinsic functions ---------------------------------------------------------------

_INTRINSICS: dict[str, str] = {
    "n.$": "States.MathAdd($.n, 1)",
    "label.$": "States.Format('item-{}-{}', $.n, $.tag)",
    "pair.$": "States.Array($.n, $.tag)",
    "count.$": "States.ArrayLength($.list)",
    "seen.$": "States.ArrayContains($.list, $.n)",
    "chunks.$": "States.ArrayPartition($.list, 2)",
    "b64.$": "States.Base64Encode($.tag)",
    "hash.$": "States.Hash($.tag, 'SHA-256')",
    "text.$": "States.JsonToString($.obj)",
    "parts.$": "States.StringSplit($.csv, ',')",
}
_CARRIED = {"list.$": "$.list", "tag.$": "$.tag", "obj.$": "$.obj", "csv.$": "$.csv"}


def intrinsic_chain(length: int) -> Definition:
    """``length`` Pass states, each evaluating ten intrinsic functions in its Parameters."""
    states = [
        (f"Calc{i}", {"Type": "Pass", "Parameters": {**_INTRINSICS, **_CARRIED}}) for i in range(length)
    ]
    return {"StartAt": "Calc0", "States": _link(states)}


def intrinsic_input() -> dict[str, Any]:
    """The input :func:`intrinsic_chain` starts from."""
    return {"n": 0, "tag": "bench", "list": [1, 2, 3, 5, 8], "obj": {"k": [1, "two"]}, "csv": "a,b,c"}


def intrinsic_output(length: int) -> Any:
    """A Python model of the last state's Parameters after ``length`` states."""
    start = intrinsic_input()
    previous_n = start["n"] + length - 1
    tag, items = start["tag"], start["list"]
    return {
        "n": previous_n + 1,
        "label": f"item-{previous_n}-{tag}",
        "pair": [previous_n, tag],
        "count": len(items),
        "seen": previous_n in items,
        "chunks": [items[i : i + 2] for i in range(0, len(items), 2)],
        "b64": base64.b64encode(tag.encode()).decode(),
        "hash": hashlib.sha256(tag.encode()).hexdigest(),
        "text": json.dumps(start["obj"], separators=(",", ":")),
        "parts": start["csv"].split(","),
        "list": items,
        "tag": tag,
        "obj": start["obj"],
        "csv": start["csv"],
    }


# -- large payload ---------------------------------------------------------------------


def payload_chain(length: int) -> Definition:
    """``length`` Pass states carrying a large ``$.blob`` and bumping ``$.n``."""
    states = [
        (f"Carry{i}", {"Type": "Pass", "Parameters": {"blob.$": "$.blob", "n.$": "States.MathAdd($.n, 1)"}})
        for i in range(length)
    ]
    return {"StartAt": "Carry0", "States": _link(states)}


def payload_input(size_bytes: int) -> dict[str, Any]:
    """An input of about ``size_bytes`` bytes (ASCII, so bytes and characters agree)."""
    return {"blob": "x" * size_bytes, "n": 0}


# -- Retry and Catch -------------------------------------------------------------------

RETRY_INTERVAL = 1
RETRY_BACKOFF = 2
RETRY_ATTEMPTS = 3


def _retry_then_catch(body: dict[str, Any]) -> Definition:
    return {
        "StartAt": "Attempt",
        "States": {
            "Attempt": {
                **body,
                "Retry": [
                    {
                        "ErrorEquals": ["Boom"],
                        "IntervalSeconds": RETRY_INTERVAL,
                        "MaxAttempts": RETRY_ATTEMPTS,
                        "BackoffRate": RETRY_BACKOFF,
                    }
                ],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.caught", "Next": "Handled"}],
                "Next": "Handled",
            },
            "Handled": {"Type": "Pass", "End": True},
        },
    }


def retry_parallel() -> Definition:
    """A Parallel whose only branch always fails with ``Boom``: retried 3 times, then caught.

    Pure ASL (no Task), so engines without Lambda (moto without Docker) can run it.
    """
    branch = {
        "StartAt": "Explode",
        "States": {"Explode": {"Type": "Fail", "Error": "Boom", "Cause": "always"}},
    }
    return _retry_then_catch({"Type": "Parallel", "Branches": [branch]})


def retry_lambda(function_name: str) -> Definition:
    """A Lambda Task whose function always raises ``Boom``: retried 3 times, then caught."""
    return _retry_then_catch(
        {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": function_name, "Payload.$": "$"},
        }
    )


def retry_gaps() -> list[float]:
    """Seconds between attempts: IntervalSeconds x BackoffRate^k."""
    return [float(RETRY_INTERVAL * RETRY_BACKOFF**k) for k in range(RETRY_ATTEMPTS)]


# -- Wait ------------------------------------------------------------------------------


def wait(seconds: int) -> Definition:
    """A Wait of ``seconds`` between two Pass states."""
    return {
        "StartAt": "Before",
        "States": {
            "Before": {"Type": "Pass", "Next": "Nap"},
            "Nap": {"Type": "Wait", "Seconds": seconds, "Next": "After"},
            "After": {"Type": "Pass", "End": True},
        },
    }
