"""Render a laid-out definition as Graphviz DOT, and DOT as SVG with the ``dot`` binary.

Parallel and Map states are clusters holding one cluster per branch (or the item
processor). Graphviz draws edges between nodes only, so an edge into or out of a
Parallel/Map goes to its first sub-machine's start (or from its end) terminal,
clipped at the cluster's border (``compound=true`` with ``lhead``/``ltail``).
"""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING, Final

from fakesfn.tools.paint import NOT_REACHED, PALETTE, RETRIED_STROKE, StateSummary, badge
from fakesfn.tools.shapes import CATCH, Edge, Node, Scope

if TYPE_CHECKING:
    from collections.abc import Mapping

GRAPHVIZ_MISSING: Final = "install Graphviz (e.g. apt install graphviz) for --format svg"
_SHAPES: Final = {"Choice": "diamond", "Succeed": "oval", "Fail": "octagon"}
_INDENT: Final = "    "
_POINT: Final = 'shape=point, width=0.1, label=""'


class GraphvizError(RuntimeError):
    """Graphviz is not installed, or ``dot`` refused the graph."""


def quote(text: str) -> str:
    """A DOT double-quoted string."""
    flat = " ".join(text.split())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(scope: Scope, runs: Mapping[str, StateSummary] | None = None) -> str:
    """The DOT text (ending with a newline)."""
    lines = [
        'digraph "state machine" {',
        f"{_INDENT}compound=true;",
        f'{_INDENT}node [fontname="Helvetica", fontsize=11, shape=box, style=rounded];',
        f'{_INDENT}edge [fontname="Helvetica", fontsize=9];',
    ]
    _declare(scope, runs, lines, 1, top=True)
    anchors = _anchors(scope)
    lines.extend(_edge_lines(scope, anchors))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _declare(
    scope: Scope, runs: Mapping[str, StateSummary] | None, lines: list[str], depth: int, *, top: bool
) -> None:
    pad = _INDENT * depth
    start = 'label="Start", shape=circle' if top else _POINT
    lines.append(f"{pad}{scope.start} [{start}];")
    for node in scope.nodes:
        run = None if runs is None else runs.get(node.name, NOT_REACHED)
        label = quote(node.name + badge(run) + (f" ({node.type})" if node.scopes else ""))
        if node.scopes:
            lines.append(f"{pad}subgraph cluster_{node.id} {{")
            lines.append(f"{pad}{_INDENT}label={label};")
            lines.extend(f"{pad}{_INDENT}{attribute};" for attribute in _cluster_style(run))
            for child in node.scopes:
                lines.append(f"{pad}{_INDENT}subgraph cluster_{child.id} {{")
                lines.append(f"{pad}{_INDENT * 2}label={quote(child.label)};")
                lines.append(f"{pad}{_INDENT * 2}style=dotted;")
                _declare(child, runs, lines, depth + 2, top=False)
                lines.append(f"{pad}{_INDENT}}}")
            lines.append(f"{pad}}}")
        else:
            attributes = [f"label={label}", *_node_style(node, run)]
            lines.append(f"{pad}{node.id} [{', '.join(attributes)}];")
    end = 'label="End", shape=doublecircle' if top else _POINT
    lines.append(f"{pad}{scope.end} [{end}];")


def _node_style(node: Node, run: StateSummary | None) -> list[str]:
    attributes = [f"shape={_SHAPES[node.type]}"] if node.type in _SHAPES else []
    if run is None:
        return attributes
    colours = PALETTE[run.status]
    stroke = RETRIED_STROKE if run.retries else colours.stroke
    attributes += [
        'style="rounded,filled"',
        f'fillcolor="{colours.fill}"',
        f'color="{stroke}"',
        f'fontcolor="{colours.text}"',
    ]
    if run.retries:
        attributes.append("penwidth=3")
    return attributes


def _cluster_style(run: StateSummary | None) -> list[str]:
    if run is None:
        return ['style="rounded,dashed"']
    colours = PALETTE[run.status]
    stroke = RETRIED_STROKE if run.retries else colours.stroke
    style = ['style="rounded,filled"', f'fillcolor="{colours.fill}"', f'color="{stroke}"']
    return style + (["penwidth=3"] if run.retries else [])


def _anchors(scope: Scope) -> dict[str, tuple[str, str]]:
    """Container id -> (node edges go into, node edges come out of)."""
    anchors: dict[str, tuple[str, str]] = {}
    for node in scope.walk():
        if node.scopes:
            anchors[node.id] = (node.scopes[0].start, node.scopes[0].end)
    return anchors


def _edge_lines(scope: Scope, anchors: Mapping[str, tuple[str, str]]) -> list[str]:
    lines = [_INDENT + _edge(edge, anchors) for edge in scope.edges]
    for node in scope.nodes:
        for child in node.scopes:
            lines.extend(_edge_lines(child, anchors))
    return lines


def _edge(edge: Edge, anchors: Mapping[str, tuple[str, str]]) -> str:
    attributes = []
    source, target = edge.source, edge.target
    if source in anchors:
        source = anchors[edge.source][1]
        attributes.append(f"ltail=cluster_{edge.source}")
    if target in anchors:
        target = anchors[edge.target][0]
        attributes.append(f"lhead=cluster_{edge.target}")
    if edge.label is not None:
        attributes.insert(0, f"label={quote(edge.label)}")
    if edge.kind == CATCH:
        attributes.append("style=dashed")
    suffix = f" [{', '.join(attributes)}]" if attributes else ""
    return f"{source} -> {target}{suffix};"


def to_svg(dot_text: str) -> str:
    """SVG drawn by Graphviz's ``dot``; :class:`GraphvizError` when it is missing or fails."""
    binary = shutil.which("dot")
    if binary is None:
        raise GraphvizError(GRAPHVIZ_MISSING)
    completed = subprocess.run(  # noqa: S603 - a fixed argv, the graph goes to stdin
        [binary, "-Tsvg"], input=dot_text, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        detail = (completed.stderr.strip().splitlines() or ["no message"])[0]
        raise GraphvizError(f"Graphviz dot failed (exit {completed.returncode}): {detail}")
    return completed.stdout
