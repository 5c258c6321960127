"""A definition laid out for drawing: scopes of nodes and labelled edges.

Renderers (Mermaid, Graphviz) share this one layout, so both draw the same
graph. Ids are assigned depth-first in definition order (``s0``, ``s1``...), so
the output is byte-for-byte deterministic whatever characters state names hold.
Each machine and sub-machine (Parallel branch, Map item processor) is a
:class:`Scope` with its own start and end terminals.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from fakesfn.asl.nodes import ChoiceState, MapState, ParallelState, State, StateMachine

NEXT: Final = "next"
CHOICE: Final = "choice"
DEFAULT: Final = "default"
CATCH: Final = "catch"

_LABEL_LIMIT: Final = 60


@dataclass(frozen=True, slots=True)
class Edge:
    """A transition: ``kind`` is next, choice, default or catch."""

    source: str
    target: str
    kind: str = NEXT
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Node:
    """One state; a Parallel or Map node holds its sub-machines as ``scopes``."""

    id: str
    name: str
    type: str
    scopes: tuple[Scope, ...] = ()


@dataclass(frozen=True, slots=True)
class Scope:
    """A machine or sub-machine: its terminals, states and the edges between them."""

    id: str
    label: str
    start: str
    end: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def walk(self) -> Iterator[Node]:
        """Every node, depth-first in definition order."""
        for node in self.nodes:
            yield node
            for scope in node.scopes:
                yield from scope.walk()


def layout(machine: StateMachine) -> Scope:
    """Lay out a parsed machine (see :func:`fakesfn.asl.parser.parse_definition`)."""
    return _scope(machine, "root", "", itertools.count())


def _scope(machine: StateMachine, scope_id: str, label: str, counter: Iterator[int]) -> Scope:
    ids = {name: f"s{next(counter)}" for name in machine.states}
    nodes = tuple(_node(state, ids[state.name], counter) for state in machine.states.values())
    start, end = f"{scope_id}_start", f"{scope_id}_end"
    edges = [Edge(start, ids[machine.start_at])] if machine.start_at in ids else []
    raw_states = machine.raw.get("States", {})
    for state in machine.states.values():
        raw = raw_states.get(state.name, {}) if isinstance(raw_states, Mapping) else {}
        edges.extend(_edges(state, ids, end, raw if isinstance(raw, Mapping) else {}))
    return Scope(scope_id, label, start, end, nodes, tuple(edges))


def _node(state: State, node_id: str, counter: Iterator[int]) -> Node:
    if isinstance(state, ParallelState):
        scopes = tuple(
            _scope(branch, f"{node_id}_b{i}", f"Branch {i + 1}", counter)
            for i, branch in enumerate(state.branches)
        )
        return Node(node_id, state.name, state.type, scopes)
    if isinstance(state, MapState) and state.processor is not None:
        label = "Item processor" + (" (distributed)" if state.mode == "DISTRIBUTED" else "")
        return Node(
            node_id, state.name, state.type, (_scope(state.processor, f"{node_id}_items", label, counter),)
        )
    return Node(node_id, state.name, state.type)


def _edges(state: State, ids: Mapping[str, str], end: str, raw: Mapping[str, Any]) -> list[Edge]:
    source = ids[state.name]
    edges: list[Edge] = []
    if state.next is not None and state.next in ids:
        edges.append(Edge(source, ids[state.next]))
    if state.end or state.type in ("Succeed", "Fail"):
        edges.append(Edge(source, end))
    if isinstance(state, ChoiceState):
        rules = raw.get("Choices", [])
        for rule in rules if isinstance(rules, list) else []:
            if isinstance(rule, Mapping) and rule.get("Next") in ids:
                edges.append(Edge(source, ids[rule["Next"]], CHOICE, shorten(rule_label(rule))))
        if state.default is not None and state.default in ids:
            edges.append(Edge(source, ids[state.default], DEFAULT, "Default"))
    for catcher in state.catch:
        if catcher.next in ids:
            edges.append(Edge(source, ids[catcher.next], CATCH, shorten(", ".join(catcher.error_equals))))
    return edges


def shorten(text: str) -> str:
    """One line of at most 60 characters (long rules end with an ellipsis)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= _LABEL_LIMIT else flat[: _LABEL_LIMIT - 1] + "…"


# --- Choice rules as text ---------------------------------------------------------------

_RELATIONS: Final = {
    "Equals": "==",
    "LessThan": "<",
    "GreaterThan": ">",
    "LessThanEquals": "<=",
    "GreaterThanEquals": ">=",
    "Matches": "matches",
}
_TYPES: Final = ("String", "Numeric", "Boolean", "Timestamp")
_TYPE_TESTS: Final = {
    "IsNull": "null",
    "IsPresent": "present",
    "IsNumeric": "numeric",
    "IsString": "a string",
    "IsBoolean": "a boolean",
    "IsTimestamp": "a timestamp",
}
_COMBINATORS: Final = {"And": " and ", "Or": " or "}


def rule_label(rule: Mapping[str, Any]) -> str:
    """A top-level rule's label: its ``Comment`` if it has one, else its condition."""
    comment = rule.get("Comment")
    return comment if isinstance(comment, str) and comment else condition_text(rule)


def condition_text(rule: Mapping[str, Any]) -> str:
    """A Choice rule's condition, compactly: ``$.n > 3 and $.s matches "a*"``."""
    if isinstance(rule.get("Condition"), str):
        return str(rule["Condition"])
    for word, joiner in _COMBINATORS.items():
        if isinstance(rule.get(word), list):
            return joiner.join(_grouped(sub) for sub in rule[word])
    if isinstance(rule.get("Not"), Mapping):
        return f"not {_grouped(rule['Not'])}"
    variable = str(rule.get("Variable", "?"))
    for operator, value in rule.items():
        text = _test_text(variable, operator, value)
        if text is not None:
            return text
    return variable


def _grouped(rule: Any) -> str:
    if not isinstance(rule, Mapping):
        return "?"
    text = condition_text(rule)
    return f"({text})" if any(word in rule for word in (*_COMBINATORS, "Not")) else text


def _test_text(variable: str, operator: str, value: Any) -> str | None:
    if operator in _TYPE_TESTS:
        return f"{variable} is {'' if value is True else 'not '}{_TYPE_TESTS[operator]}"
    kind = next((prefix for prefix in _TYPES if operator.startswith(prefix)), None)
    if kind is None:
        return None
    relation = operator[len(kind) :]
    is_path = relation.endswith("Path")
    relation = relation[: -len("Path")] if is_path else relation
    if relation not in _RELATIONS:
        return None
    operand = str(value) if is_path else json.dumps(value, ensure_ascii=False)
    return f"{variable} {_RELATIONS[relation]} {operand}"
