"""Which workflow variables each state reads: DescribeStateMachine's ``variableReferences``.

AWS documents the member as "a map of state name to a list of variables referenced by
that state. States that do not use variable references will not be shown". What counts,
as LocalStack recorded it against AWS (test_sfn_api_variable_references, Nov 2024):

- a JSONPath reference ``$name`` or ``$name.path`` in a field that takes a path: a
  ``*Path`` field (InputPath, ItemsPath, SecondsPath, ErrorPath, MaxItemsPath,
  ToleratedFailureCountPath...), a Choice rule's ``Variable`` and ``...Path`` operands,
  and a ``key.$`` entry of a payload template (Parameters, ItemSelector, Assign...);
- a ``$name`` argument of an intrinsic function in such an entry;
- not a string that only looks like one (``"bucket": "$bucket"`` without ``.$``), not
  ``$``/``$$`` paths, not a Pass state's literal ``Result``;
- not an expression of a JSONata state ("variable references within jsonata
  expression are not included").

A state inside a Map or Parallel is listed under its own name; the names are the
variables' names without ``$``, once each, sorted (the recording's order).
"""

from __future__ import annotations

import functools
import json
from typing import Any, Final

from fakesfn.asl.intrinsics.grammar import (
    Call,
    IntrinsicSyntaxError,
    PathArg,
    compile_intrinsic,
    is_intrinsic,
)
from fakesfn.asl.nodes import JSONATA
from fakesfn.asl.paths import PathSyntaxError, compile_path

_CHILD_MACHINES: Final = ("Iterator", "ItemProcessor")
_LITERAL_FIELDS: Final = frozenset({"Result", "Comment"})


def variable_references(definition: str) -> dict[str, list[str]]:
    """State name -> the variables it reads (empty when none does), a fresh copy each time."""
    return {name: list(names) for name, names in _scan(definition)}


@functools.lru_cache(maxsize=256)
def _scan(definition: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Cached by text: DescribeStateMachine is called often and a definition never changes."""
    try:
        machine = json.loads(definition)
    except ValueError:
        return ()
    found: dict[str, list[str]] = {}
    if isinstance(machine, dict):
        _machine(machine, None, found)
    return tuple((name, tuple(names)) for name, names in found.items())


def _machine(machine: dict[str, Any], inherited: str | None, found: dict[str, list[str]]) -> None:
    language = machine.get("QueryLanguage", inherited)
    states = machine.get("States")
    if not isinstance(states, dict):
        return
    for name, state in states.items():
        if not isinstance(state, dict):
            continue
        state_language = state.get("QueryLanguage", language)
        if state_language != JSONATA:
            names: set[str] = set()
            _fields(state, names)
            if names:
                found[name] = sorted(names)
        for child in _children(state):
            _machine(child, state_language, found)


def _children(state: dict[str, Any]) -> list[dict[str, Any]]:
    children = [state[key] for key in _CHILD_MACHINES if isinstance(state.get(key), dict)]
    branches = state.get("Branches")
    if isinstance(branches, list):
        children.extend(branch for branch in branches if isinstance(branch, dict))
    return children


def _fields(node: dict[str, Any], names: set[str]) -> None:
    """Collect from one object of a state's definition, nested objects and lists included."""
    for key, value in node.items():
        if key in _LITERAL_FIELDS or key in _CHILD_MACHINES or key == "Branches":
            continue
        if isinstance(value, str):
            if key.endswith(".$") or key.endswith("Path") or key == "Variable":
                _reference(value, names)
        elif isinstance(value, dict):
            _fields(value, names)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    _fields(item, names)


def _reference(text: str, names: set[str]) -> None:
    """A path (``$name...``) or an intrinsic call whose arguments may be paths."""
    if is_intrinsic(text):
        try:
            call = compile_intrinsic(text).call
        except IntrinsicSyntaxError:
            return
        _call(call, names)
        return
    if not text.startswith("$") or text.startswith("$$"):
        return
    try:
        variable = compile_path(text).variable
    except PathSyntaxError:
        return
    if variable is not None:
        names.add(variable)


def _call(call: Call, names: set[str]) -> None:
    for arg in call.args:
        if isinstance(arg, Call):
            _call(arg, names)
        elif isinstance(arg, PathArg) and arg.path.root == "var" and arg.path.variable:
            names.add(arg.path.variable)
