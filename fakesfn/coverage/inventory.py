r"""What a definition offers to exercise: its coverage items, each with a stable id and a label.

An *item* is one thing a test suite can make happen in a state machine:

- ``state``: the state is entered (every state of the machine, of its Parallel
  branches and of its Map item processors, inline or distributed);
- ``choice``: a Choice state takes rule *i* of ``Choices``;
- ``default``: a Choice state takes its ``Default`` (only where it has one);
- ``retry``: Retrier *i* of a state's ``Retry`` retries it (a Retrier with
  ``MaxAttempts: 0`` can never retry: it is no item);
- ``catch``: Catcher *i* of a state's ``Catch`` catches an error.

Items come from the definition's JSON alone, so a report can be made (and merged
across pytest-xdist workers) from data that holds just definitions and hit counts.
States are named by *path*: ``Route``, ``Fan/Branch 2/Check`` (a Parallel's
branch, numbered from 1), ``Each/Transform`` (a Map's item processor). A ``/`` or
``\\`` inside a state name is escaped with a backslash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.nodes import MapState, ParallelState
from fakesfn.tools.shapes import rule_label, shorten

if TYPE_CHECKING:
    from fakesfn.asl.nodes import StateMachine

STATE: Final = "state"
CHOICE: Final = "choice"
DEFAULT: Final = "default"
RETRY: Final = "retry"
CATCH: Final = "catch"

KINDS: Final = (STATE, CHOICE, DEFAULT, CATCH, RETRY)
"""Every item kind, in the order reports list them."""

COVERED: Final = "covered"
PARTIAL: Final = "partial"
MISSED: Final = "missed"
"""A state's status in a report: entered with everything it offers exercised, entered, never entered."""

KIND_NAMES: Final = {
    STATE: "state",
    CHOICE: "choice rule",
    DEFAULT: "default",
    CATCH: "catch",
    RETRY: "retry",
}
"""How reports name each kind of item."""

GROUPS: Final[Mapping[str, tuple[str, ...]]] = {
    "states": (STATE,),
    "choices": (CHOICE, DEFAULT),
    "catches": (CATCH,),
    "retries": (RETRY,),
}
"""Report columns: Choice rules and Defaults count together."""


@dataclass(frozen=True, slots=True)
class Item:
    """One coverable thing of a definition.

    Attributes:
        id: stable within the definition: ``state:Route``, ``choice:Route:0``,
            ``default:Route``, ``retry:Call:1``, ``catch:Call:0`` (indexes from 0).
        kind: ``state``, ``choice``, ``default``, ``retry`` or ``catch``.
        path: the path of the state the item belongs to.
        index: the rule's, Retrier's or Catcher's index in its list; ``None`` otherwise.
        label: how reports name it (``Route → Ship (rule 1: $.ok == true)``).
    """

    id: str
    kind: str
    path: str
    index: int | None
    label: str


def segment(name: str) -> str:
    r"""A state name as one path segment (``/`` and ``\`` escaped)."""
    return name.replace("\\", "\\\\").replace("/", "\\/")


def join(prefix: str, name: str) -> str:
    """The path of state ``name`` inside the (sub-)machine at ``prefix``."""
    return segment(name) if not prefix else f"{prefix}/{segment(name)}"


def branch_prefix(parallel_path: str, index: int) -> str:
    """Where the states of a Parallel's branch ``index`` (from 0) live."""
    return f"{parallel_path}/Branch {index + 1}"


def state_id(path: str) -> str:
    """The item id of entering the state at ``path``."""
    return f"{STATE}:{path}"


def digest(definition: Mapping[str, Any]) -> str:
    """A short hash of the definition's canonical JSON: changed definitions get their own entry."""
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:8]


def items(definition: Mapping[str, Any]) -> tuple[Item, ...]:
    """Every item of ``definition`` (a parsed-JSON definition), depth-first in definition order."""
    return tuple(_walk(definition, ""))


def _walk(machine: Mapping[str, Any], prefix: str) -> Iterator[Item]:
    states = machine.get("States")
    if not isinstance(states, Mapping):
        return
    for name, state in states.items():
        if isinstance(state, Mapping):
            yield from _state_items(str(name), state, join(prefix, str(name)))


def _state_items(name: str, state: Mapping[str, Any], path: str) -> Iterator[Item]:
    yield Item(state_id(path), STATE, path, None, path)
    kind = state.get("Type")
    if kind == "Choice":
        yield from _choice_items(state, path)
    for index, retrier in enumerate(_list(state.get("Retry"))):
        if isinstance(retrier, Mapping) and retrier.get("MaxAttempts", 3) != 0:
            errors = ", ".join(str(error) for error in _list(retrier.get("ErrorEquals")))
            yield Item(
                f"{RETRY}:{path}:{index}", RETRY, path, index, f"{path}: Retry #{index + 1} [{errors}]"
            )
    for index, catcher in enumerate(_list(state.get("Catch"))):
        if isinstance(catcher, Mapping):
            errors = ", ".join(str(error) for error in _list(catcher.get("ErrorEquals")))
            label = f"{path}: Catch #{index + 1} [{errors}] → {catcher.get('Next')}"
            yield Item(f"{CATCH}:{path}:{index}", CATCH, path, index, label)
    if kind == "Parallel":
        for index, branch in enumerate(_list(state.get("Branches"))):
            if isinstance(branch, Mapping):
                yield from _walk(branch, branch_prefix(path, index))
    elif kind == "Map":
        processor = state.get("ItemProcessor", state.get("Iterator"))
        if isinstance(processor, Mapping):
            yield from _walk(processor, path)


def _choice_items(state: Mapping[str, Any], path: str) -> Iterator[Item]:
    for index, rule in enumerate(_list(state.get("Choices"))):
        if isinstance(rule, Mapping):
            condition = shorten(rule_label(rule))
            label = f"{path} → {rule.get('Next')} (rule {index + 1}: {condition})"
            yield Item(f"{CHOICE}:{path}:{index}", CHOICE, path, index, label)
    if "Default" in state:
        yield Item(f"{DEFAULT}:{path}", DEFAULT, path, None, f"{path} → {state['Default']} (Default)")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def sub_machines(machine: StateMachine) -> Iterator[tuple[StateMachine, str]]:
    """``machine`` and every sub-machine in it (branches, item processors), with its path prefix.

    The prefixes are those :func:`items` gives the sub-machines' states, so what the
    engine reports about a parsed sub-machine lands on the right items.
    """
    pending: list[tuple[StateMachine, str]] = [(machine, "")]
    while pending:
        current, prefix = pending.pop()
        yield current, prefix
        for state in current.states.values():
            path = join(prefix, state.name)
            if isinstance(state, ParallelState):
                pending.extend((branch, branch_prefix(path, i)) for i, branch in enumerate(state.branches))
            elif isinstance(state, MapState) and state.processor is not None:
                pending.append((state.processor, path))
