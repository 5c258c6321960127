"""The HTML report: an index of machines, and per machine its graph painted by coverage.

Every page is one self-contained file (inline CSS and SVG, no script, no web font,
nothing fetched), so the report opens offline and from a CI artifact. Graphs are
drawn by :mod:`fakesfn.tools.svg` from the layout every fakesfn graph uses
(:mod:`fakesfn.tools.shapes`): green states were entered and exercised every
rule, Catcher and Retrier they have; amber ones were entered but left something
untried (a Choice rule never taken, a Catcher never fired, a Retrier that never
retried); red ones were never entered. Choice and Catch edges are green when
taken and dashed red when not.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Final

from fakesfn.asl.parser import parse_definition
from fakesfn.asl.problems import DefinitionError
from fakesfn.coverage.inventory import (
    CATCH,
    CHOICE,
    COVERED,
    DEFAULT,
    GROUPS,
    KIND_NAMES,
    MISSED,
    PARTIAL,
    branch_prefix,
    join,
)
from fakesfn.coverage.terminal import shown
from fakesfn.tools import shapes, svg

if TYPE_CHECKING:
    from collections.abc import Iterator

    from fakesfn.coverage.report import CoverageReport, MachineCoverage
    from fakesfn.tools.shapes import Edge, Node, Scope

_CSS: Final = """
body { font: 14px/1.45 Helvetica, Arial, sans-serif; color: #222; margin: 24px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e0e0e0; text-align: right; }
th:first-child, td:first-child, td.text { text-align: left; }
tr.total td { font-weight: bold; border-top: 2px solid #bdbdbd; }
.bar { display: inline-block; width: 80px; height: 9px; background: #f8d7da; margin-right: 6px; }
.bar span { display: block; height: 100%; background: #66bb6a; }
.legend { display: flex; gap: 18px; flex-wrap: wrap; margin: 10px 0 16px; font-size: 13px; }
.legend span { display: inline-flex; align-items: center; gap: 6px; }
.swatch { width: 22px; height: 14px; border: 2px solid; border-radius: 3px; display: inline-block; }
.line { width: 26px; height: 0; border-top: 2px solid; display: inline-block; }
.graph { overflow: auto; border: 1px solid #e0e0e0; padding: 8px; background: #fff; }
.missing td { text-align: left; } .muted { color: #757575; }
code { font-size: 13px; }
"""

_LEGEND: Final = (
    '<div class="legend">'
    '<span><i class="swatch" style="background:#dff0d8;border-color:#2e7d32"></i>exercised</span>'
    '<span><i class="swatch" style="background:#fff3cd;border-color:#e6a100"></i>'
    "partially (entered; a rule, Catcher or Retrier never ran)</span>"
    '<span><i class="swatch" style="background:#f8d7da;border-color:#c62828"></i>never exercised</span>'
    '<span><i class="line" style="border-color:#2e7d32"></i>rule or Catch taken</span>'
    '<span><i class="line" style="border-color:#c62828;border-top-style:dashed"></i>never taken</span>'
    "</div>"
)

_HEADINGS: Final = ("State machine", "Definition", "States", "Choices", "Catches", "Retries", "Cover")


def page_name(machine: MachineCoverage) -> str:
    """The file name of a machine's page (its key, made safe for any file system)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", machine.key) + ".html"


def _text(value: object) -> str:
    return html.escape(str(value), quote=True)


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{_text(title)}</title><style>{_CSS}</style></head><body>{body}</body></html>\n"
    )


def _bar(value: float) -> str:
    return f'<i class="bar"><span style="width:{value:.1f}%"></span></i>{shown(value)}'


def _cells(tallies: list[str], value: float) -> str:
    return "".join(f"<td>{cell}</td>" for cell in tallies) + f"<td>{_bar(value)}</td>"


def index(report: CoverageReport) -> str:
    """The index page: every machine with its figures, and the total."""
    rows = []
    for machine in report.machines:
        link = f'<a href="{_text(page_name(machine))}">{_text(machine.name)}</a>'
        tallies = [machine.tally(group).text() for group in GROUPS]
        rows.append(
            f'<tr><td class="text">{link}</td><td class="text"><code>{machine.digest}</code></td>'
            f"{_cells(tallies, machine.percent)}</tr>"
        )
    totals = [report.tally(group).text() for group in GROUPS]
    rows.append(f'<tr class="total"><td>TOTAL</td><td></td>{_cells(totals, report.percent)}</tr>')
    head = "".join(f"<th>{heading}</th>" for heading in _HEADINGS)
    empty = "" if report.machines else '<p class="muted">No state machine was created while recording.</p>'
    body = (
        "<h1>State-machine coverage</h1>"
        f'<p class="muted">{len(report.machines)} state machine definition(s); '
        f"total {shown(report.percent)} of items exercised "
        "(states entered, Choice rules and Defaults taken, Catchers fired, Retriers that retried).</p>"
        f"{empty}<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return _page("State-machine coverage", body)


def machine_page(machine: MachineCoverage) -> str:
    """A machine's page: its figures, the painted graph, and what was never exercised."""
    tallies = [machine.tally(group).text() for group in GROUPS]
    head = "".join(f"<th>{heading}</th>" for heading in _HEADINGS[2:])
    row = _cells(tallies, machine.percent)
    summary = f"<table><thead><tr>{head}</tr></thead><tbody><tr>{row}</tr></tbody></table>"
    never = machine.missing
    if never:
        rows = "".join(
            f"<tr><td>{_text(KIND_NAMES[item.kind])}</td><td>{_text(item.label)}</td></tr>" for item in never
        )
        missing = (
            f'<h2>Never exercised ({len(never)})</h2><table class="missing"><tbody>{rows}</tbody></table>'
        )
    else:
        missing = "<h2>Never exercised</h2><p>Nothing: every item was exercised.</p>"
    body = (
        '<p><a href="index.html">&larr; all state machines</a></p>'
        f"<h1>{_text(machine.name)} <code>{machine.digest}</code></h1>"
        f'{summary}{_LEGEND}<div class="graph">{graph(machine)}</div>{missing}'
    )
    return _page(f"{machine.key} — state-machine coverage", body)


def graph(machine: MachineCoverage) -> str:
    """The machine's graph as inline SVG, painted by its coverage."""
    try:
        parsed = parse_definition(json.dumps(machine.definition))
    except DefinitionError as error:  # a report loaded from a hand-edited JSON file
        return f'<p class="muted">No graph: the definition does not parse ({_text(error)}).</p>'
    scope = shapes.layout(parsed)
    nodes: dict[str, str] = {}
    titles: dict[str, str] = {}
    edges: dict[Edge, str] = {}
    for node, path, child_scope in _nodes(scope, ""):
        status = machine.state_status(path)
        nodes[node.id] = {COVERED: "covered", PARTIAL: "partial", MISSED: "missed"}[status]
        titles[node.id] = _tooltip(machine, path)
        edges.update(_edge_paint(machine, child_scope, node, path))
    return svg.render(scope, svg.Paint(nodes, edges, titles), title=machine.key)


def _nodes(scope: Scope, prefix: str) -> Iterator[tuple[Node, str, Scope]]:
    """Every node with its item path and the scope holding it."""
    for node in scope.nodes:
        path = join(prefix, node.name)
        yield node, path, scope
        if node.type == "Parallel":
            for index, child in enumerate(node.scopes):
                yield from _nodes(child, branch_prefix(path, index))
        else:
            for child in node.scopes:
                yield from _nodes(child, path)


def _edge_paint(machine: MachineCoverage, scope: Scope, node: Node, path: str) -> dict[Edge, str]:
    painted: dict[Edge, str] = {}
    counters = {shapes.CHOICE: 0, shapes.CATCH: 0}
    for edge in scope.edges:
        if edge.source != node.id or edge.kind == shapes.NEXT:
            continue
        if edge.kind == shapes.DEFAULT:
            item = f"{DEFAULT}:{path}"
        else:
            index = counters[edge.kind]
            counters[edge.kind] += 1
            item = f"{CHOICE if edge.kind == shapes.CHOICE else CATCH}:{path}:{index}"
        painted[edge] = "taken" if machine.hits.get(item, 0) else "untaken"
    return painted


def _tooltip(machine: MachineCoverage, path: str) -> str:
    entered = machine.hits.get(f"state:{path}", 0)
    lines = [f"{path}: entered {entered} time{'s' if entered != 1 else ''}"]
    for item in machine.items:
        if item.path == path and item.kind != "state":
            mark = "✓" if machine.covered(item) else "✗"
            lines.append(f"{mark} {item.label} ({machine.hits.get(item.id, 0)})")
    return "\n".join(lines)


def write(report: CoverageReport, directory: str | Path) -> Path:
    """Write ``index.html`` and one page per machine into ``directory``; returns the index's path."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    for machine in report.machines:
        (target / page_name(machine)).write_text(machine_page(machine), encoding="utf-8")
    path = target / "index.html"
    path.write_text(index(report), encoding="utf-8")
    return path
