"""Executions in Jupyter: the graph with the path drawn on it, a history table, stepping.

    from fakesfn.notebook import Execution, show
    show(sfn, execution_arn)                  # a cell showing the coloured graph and the history

    run = Execution.start(sfn, machine_arn, {"order": 1}, paused=True)
    run.step()                                # one state transition; the cell shows where it is
    run.run_until("Charge")                   # stop just before state "Charge" is entered
    run.resume()                              # run to the end

Display needs nothing in the browser: with Graphviz installed (``dot`` on PATH)
the graph is inline SVG; without it, a table lists every state with its status
colour. ``_repr_markdown_`` gives a Mermaid block and a Markdown table (GitHub and
JupyterLab draw Mermaid). Reading works with any Step Functions client, real AWS
included (it only calls ``describe_execution``,
``describe_state_machine_for_execution`` and ``get_execution_history``);
stepping needs a fakesfn client.
"""

from __future__ import annotations

import html
import json
from typing import Any, Final

from fakesfn.asl.parser import parse_definition
from fakesfn.graph import GraphvizError, mermaid, state_runs, svg
from fakesfn.render import history_html, history_markdown
from fakesfn.tools.paint import NOT_REACHED, PALETTE, StateSummary, badge
from fakesfn.tools.recording import normalize_history
from fakesfn.tools.shapes import Scope, layout

__all__ = ["Execution", "SteppingUnavailable", "show"]

_HISTORY_ROWS: Final = 50


class SteppingUnavailable(RuntimeError):
    """Stepping needs a fakesfn client whose backend can pause executions."""


class Execution:
    """One execution, read through a Step Functions client, that draws itself in notebooks.

    Args:
        client: a fakesfn client (``FakeSFNClient``) or any boto3 ``stepfunctions`` client.
        execution_arn: the execution to show.
    """

    def __init__(self, client: Any, execution_arn: str) -> None:
        self.client = client
        self.arn = execution_arn
        self.definition: str = client.describe_state_machine_for_execution(executionArn=execution_arn)[
            "definition"
        ]
        self._seen = 0
        self.description: dict[str, Any] = {}
        self.events: list[dict[str, Any]] = []
        self.refresh()

    @classmethod
    def start(
        cls,
        client: Any,
        state_machine_arn: str,
        input: Any = None,  # noqa: A002 - the StartExecution field's name
        *,
        name: str | None = None,
        paused: bool = False,
    ) -> Execution:
        """Start an execution; with ``paused`` it stops before every state until stepped (fakesfn only).

        Only this execution is paused: executions started later run freely.
        """
        request: dict[str, Any] = {"stateMachineArn": state_machine_arn, "input": json.dumps(input or {})}
        if name is not None:
            request["name"] = name
        if not paused:
            return cls(client, client.start_execution(**request)["executionArn"])
        backend = _stepping_backend(client)
        backend.pause_executions(True)
        try:
            arn = client.start_execution(**request)["executionArn"]
        finally:
            backend.pause_executions(False)
        return cls(client, arn)

    # reading ---------------------------------------------------------------------------

    def refresh(self) -> Execution:
        """Read the status and history again (after the execution moved on)."""
        self.description = self.client.describe_execution(executionArn=self.arn)
        pages = self.client.get_paginator("get_execution_history").paginate(executionArn=self.arn)
        self.events = normalize_history([event for page in pages for event in page["events"]])
        return self

    @property
    def status(self) -> str:
        """``RUNNING``, ``SUCCEEDED``, ``FAILED``, ``TIMED_OUT`` or ``ABORTED``."""
        return str(self.description["status"])

    @property
    def output(self) -> Any:
        """The parsed output of a succeeded execution (``None`` otherwise)."""
        text = self.description.get("output")
        return None if text is None else json.loads(text)

    def runs(self) -> dict[str, StateSummary]:
        """Every state of the machine (nested ones included) -> what happened to it so far."""
        found = state_runs(self.events)
        return {name: found.get(name, NOT_REACHED) for name in self._state_names()}

    def graph(self, format: str = "mermaid") -> str:  # noqa: A002 - reads as the CLI flag
        """The graph as ``mermaid``, ``dot`` or ``svg`` text, coloured by the history."""
        from fakesfn.graph import FORMATS

        return FORMATS[format](self.definition, self.events)

    # stepping (fakesfn only) -----------------------------------------------------------

    def step(self, transitions: int = 1) -> Execution:
        """Let ``transitions`` state transitions happen, then show where the execution is."""
        backend = _stepping_backend(self.client)
        self._seen = self._last_id()
        for _ in range(transitions):
            if not backend.step(self.arn):
                break
        return self.refresh()

    def run_until(self, state_name: str) -> Execution:
        """Run until state ``state_name`` is about to be entered (or the execution ends)."""
        if state_name not in self._state_names():
            raise ValueError(f"the state machine has no state named {state_name!r}")
        self._seen = self._last_id()
        _stepping_backend(self.client).break_before(self.arn, state_name)
        return self.refresh()

    def resume(self) -> Execution:
        """Run this execution until it ends or waits for an outside actor."""
        backend = _stepping_backend(self.client)
        self._seen = self._last_id()
        while backend.step(self.arn):
            pass
        return self.refresh()

    def _last_id(self) -> int:
        return int(self.events[-1]["id"]) if self.events else 0

    def _state_names(self) -> list[str]:
        return [node.name for node in layout(parse_definition(self.definition)).walk()]

    # display ---------------------------------------------------------------------------

    @property
    def next_state(self) -> str | None:
        """The state a paused execution enters on the next :meth:`step` (``None`` if not paused)."""
        backend = getattr(self.client, "backend", None)
        if backend is None or not hasattr(backend, "next_state") or self.status != "RUNNING":
            return None
        found = backend.next_state(self.arn)
        return found if isinstance(found, str) else None

    def _title(self) -> str:
        name = self.arn.rsplit(":", 1)[-1]
        paused = f", paused before '{self.next_state}'" if self.next_state is not None else ""
        return f"{name}: {self.status}{paused}, {len(self.events)} events"

    def _repr_html_(self) -> str:
        try:
            picture = _inline_svg(svg(self.definition, self.events))
        except GraphvizError:
            picture = states_html(layout(parse_definition(self.definition)), self.runs())
        shown = self.events[-_HISTORY_ROWS:]
        note = (
            f"<p><i>last {len(shown)} of {len(self.events)} events</i></p>"
            if len(shown) < len(self.events)
            else ""
        )
        start = self.events[0]["timestamp"] if self.events else None
        table = history_html(shown, start, new_after=self._seen or None)
        return (
            f'<div class="fakesfn-execution"><p><b>{html.escape(self._title())}</b></p>'
            f"{picture}{note}{table}</div>"
        )

    def _repr_markdown_(self) -> str:
        shown = self.events[-_HISTORY_ROWS:]
        start = self.events[0]["timestamp"] if self.events else None
        return (
            f"**{self._title()}**\n\n```mermaid\n{mermaid(self.definition, self.events)}```\n\n"
            f"{history_markdown(shown, start)}\n"
        )

    def __repr__(self) -> str:
        return f"<Execution {self._title()}>"


def show(client: Any, execution_arn: str) -> Execution:
    """The execution as a notebook object: make it a cell's last expression to draw it."""
    return Execution(client, execution_arn)


def _stepping_backend(client: Any) -> Any:
    backend = getattr(client, "backend", None)
    if backend is None or not hasattr(backend, "step"):
        raise SteppingUnavailable("stepping needs a fakesfn client (FakeSFNClient) whose backend supports it")
    return backend


def _inline_svg(text: str) -> str:
    """The ``<svg>`` element alone: Graphviz prepends an XML declaration and a DOCTYPE."""
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def states_html(scope: Scope, runs: dict[str, StateSummary]) -> str:
    """Every state with its status colour, nested like the machine: a graph without Graphviz."""
    body: list[str] = []
    _state_rows(scope, runs, 0, body)
    head = "<tr><th>state</th><th>type</th><th>status</th><th>visits</th></tr>"
    return f'<table class="fakesfn-states"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>'


def _state_rows(scope: Scope, runs: dict[str, StateSummary], depth: int, body: list[str]) -> None:
    for node in scope.nodes:
        run = runs.get(node.name, NOT_REACHED)
        colours = PALETTE[run.status]
        cell = f"background:{colours.fill};color:{colours.text};border-left:4px solid {colours.stroke}"
        indent = f"padding-left:{0.3 + 1.2 * depth:.1f}em"
        label = html.escape(run.status.value.replace("_", " ") + badge(run))
        body.append(
            f'<tr><td style="{indent}">{html.escape(node.name)}</td><td>{node.type}</td>'
            f'<td style="{cell}">{label}</td><td>{run.visits}</td></tr>'
        )
        for child in node.scopes:
            _state_rows(child, runs, depth + 1, body)
