"""Pictures of state machines, with an execution's path drawn on them.

    from fakesfn.graph import mermaid, dot, svg
    print(mermaid(definition_text))                       # the machine
    print(mermaid(definition_text, history=events))       # coloured by what happened

``history`` is the events of ``get_execution_history`` in any shape people export
(see :mod:`fakesfn.tools.recording`), from fakesfn or from real AWS: colours come
from the events alone. Each state is coloured the way the AWS console shows it:
succeeded (green), failed (red), caught (orange: failed, then left through a
Catch), running (blue), cancelled (grey), not reached (light grey); a retried
state gets a yellow outline and a "(N retries)" badge. The output is
deterministic text, fit for snapshots and docs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.parser import parse_definition
from fakesfn.tools import dot as _dot
from fakesfn.tools import mermaid as _mermaid
from fakesfn.tools.dot import GRAPHVIZ_MISSING, GraphvizError
from fakesfn.tools.paint import StateSummary, Status
from fakesfn.tools.paint import state_runs as _state_runs
from fakesfn.tools.recording import normalize_history
from fakesfn.tools.shapes import Scope, layout

if TYPE_CHECKING:
    from fakesfn.asl.nodes import StateMachine

__all__ = [
    "FORMATS",
    "GRAPHVIZ_MISSING",
    "GraphvizError",
    "StateSummary",
    "Status",
    "dot",
    "mermaid",
    "state_runs",
    "svg",
]

Definition = str | Mapping[str, Any]
"""A definition: its JSON text, or the parsed object."""


def _machine(definition: Definition) -> StateMachine:
    """Parse (and validate, as CreateStateMachine does): raises ``DefinitionError``."""
    text = definition if isinstance(definition, str) else json.dumps(definition)
    return parse_definition(text)


def _prepare(definition: Definition, history: Any) -> tuple[Scope, dict[str, StateSummary] | None]:
    scope = layout(_machine(definition))
    return scope, None if history is None else state_runs(history)


def state_runs(history: Any) -> dict[str, StateSummary]:
    """State name -> its status, retries and visit count, from an execution's events."""
    return _state_runs(normalize_history(history))


def mermaid(definition: Definition, history: Any = None) -> str:
    """A Mermaid flowchart of ``definition``, coloured by ``history`` when given."""
    return _mermaid.render(*_prepare(definition, history))


def dot(definition: Definition, history: Any = None) -> str:
    """Graphviz DOT text of ``definition``, coloured by ``history`` when given."""
    return _dot.render(*_prepare(definition, history))


def svg(definition: Definition, history: Any = None) -> str:
    """An SVG drawing; needs Graphviz's ``dot`` on PATH, else raises :class:`GraphvizError`."""
    return _dot.to_svg(dot(definition, history))


FORMATS: Final[Mapping[str, Callable[[Definition, Any], str]]] = {"mermaid": mermaid, "dot": dot, "svg": svg}
"""Output format name -> renderer, for the command line and notebooks."""
