"""Render a laid-out definition as a Mermaid flowchart.

Parallel and Map states are subgraphs holding one subgraph per branch (or the
item processor); Choice edges carry their rule, Catch edges are dotted and carry
their error names. With an execution's state runs, ``classDef``/``class`` lines
colour every state by status. Labels are quoted, and the characters that could
still end a label or open markup (``"``, ``<``, ``|``, and ``#`` which starts an
entity) are written as Mermaid's numeric entities, so any state name is safe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from fakesfn.tools.paint import NOT_REACHED, PALETTE, RETRIED_STROKE, Colours, StateSummary, Status, badge
from fakesfn.tools.shapes import CATCH, Edge, Scope

if TYPE_CHECKING:
    from collections.abc import Mapping

_ESCAPES: Final = (("#", "#35;"), ('"', "#34;"), ("<", "#60;"), ("|", "#124;"))
_SHAPES: Final = {"Choice": ('{"', '"}'), "Succeed": ('(["', '"])'), "Fail": ('(["', '"])')}
_BOX: Final = ('["', '"]')
_INDENT: Final = "    "


def escape(text: str) -> str:
    """A label safe inside Mermaid double quotes, on one line."""
    flat = " ".join(text.split())
    for raw, entity in _ESCAPES:
        flat = flat.replace(raw, entity)
    return flat


def render(scope: Scope, runs: Mapping[str, StateSummary] | None = None) -> str:
    """The flowchart text (ending with a newline)."""
    lines = ["flowchart TD"]
    _declare(scope, runs, lines, 1, top=True)
    lines.extend(_edge_lines(scope))
    if runs is not None:
        lines.extend(_class_lines(scope, runs))
    return "\n".join(lines) + "\n"


def _declare(
    scope: Scope, runs: Mapping[str, StateSummary] | None, lines: list[str], depth: int, *, top: bool
) -> None:
    pad = _INDENT * depth
    start, end = ('(("Start"))', '(("End"))') if top else ('((" "))', '((" "))')
    lines.append(f"{pad}{scope.start}{start}")
    for node in scope.nodes:
        label = escape(node.name + badge(runs.get(node.name) if runs is not None else None))
        if node.scopes:
            lines.append(f'{pad}subgraph {node.id} ["{label} ({node.type})"]')
            for child in node.scopes:
                lines.append(f'{pad}{_INDENT}subgraph {child.id} ["{escape(child.label)}"]')
                _declare(child, runs, lines, depth + 2, top=False)
                lines.append(f"{pad}{_INDENT}end")
            lines.append(f"{pad}end")
        else:
            opening, closing = _SHAPES.get(node.type, _BOX)
            lines.append(f"{pad}{node.id}{opening}{label}{closing}")
    lines.append(f"{pad}{scope.end}{end}")


def _edge_lines(scope: Scope) -> list[str]:
    lines = [_INDENT + _edge(edge) for edge in scope.edges]
    for node in scope.nodes:
        for child in node.scopes:
            lines.extend(_edge_lines(child))
    return lines


def _edge(edge: Edge) -> str:
    arrow = "-.->" if edge.kind == CATCH else "-->"
    label = f'|"{escape(edge.label)}"|' if edge.label is not None else ""
    return f"{edge.source} {arrow}{label} {edge.target}"


def _class_lines(scope: Scope, runs: Mapping[str, StateSummary]) -> list[str]:
    """``class`` lines for states; ``style`` lines for Parallel/Map subgraphs.

    Mermaid applies ``class`` to nodes only (a class on a linked subgraph is
    ignored), so subgraphs get their colours through ``style``.
    """
    lines = []
    for status, colours in PALETTE.items():
        lines.append(f"{_INDENT}classDef {status.value} {_style(colours)}")
    lines.append(f"{_INDENT}classDef retried stroke:{RETRIED_STROKE},stroke-width:3px")
    members: dict[str, list[str]] = {status.value: [] for status in Status}
    retried: list[str] = []
    styles: list[str] = []
    for node in scope.walk():
        run = runs.get(node.name, NOT_REACHED)
        if node.scopes:
            extra = f",stroke:{RETRIED_STROKE},stroke-width:3px" if run.retries else ""
            styles.append(f"{_INDENT}style {node.id} {_style(PALETTE[run.status])}{extra}")
            continue
        members[run.status.value].append(node.id)
        if run.retries:
            retried.append(node.id)
    members["retried"] = retried
    lines.extend(f"{_INDENT}class {','.join(ids)} {name}" for name, ids in members.items() if ids)
    return lines + styles


def _style(colours: Colours) -> str:
    return f"fill:{colours.fill},stroke:{colours.stroke},color:{colours.text}"
