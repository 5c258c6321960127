"""Draw a laid-out definition as SVG in pure Python: no Graphviz, no JavaScript.

The HTML coverage report must render offline, on a machine without Graphviz, so
this module draws the :class:`~fakesfn.tools.shapes.Scope` itself, as a layered
("Sugiyama") drawing: states are put in layers by the longest path from Start
(loops are turned round for that), edges spanning several layers bend through
placeholder points, each layer is ordered by the mean position of its neighbours
(a few sweeps down and up), and centred under them. Parallel and Map states are
boxes holding their branches (or item processor) side by side, each drawn the
same way. Text widths are estimated (no font metrics), so boxes are sized
generously. The output is deterministic.

A :class:`Paint` gives CSS classes to states and edges (coverage uses ``covered``,
``partial``, ``missed``, ``taken`` and ``untaken``) and tooltips to states; the
``<style>`` in the drawing colours those classes.
"""

from __future__ import annotations

import functools
import html
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from fakesfn.tools.shapes import CATCH, Edge, Node, Scope

if TYPE_CHECKING:
    from collections.abc import Mapping

_CHAR: Final = 7.0  # estimated width of one character at 12px
_STATE_H: Final = 34.0
_MIN_W: Final = 90.0
_HGAP: Final = 28.0
_VGAP: Final = 46.0
_PAD: Final = 12.0
_HEADER: Final = 26.0
_SCOPE_LABEL: Final = 18.0
_DUMMY_W: Final = 12.0
_LANE: Final = 14.0
_LABEL_CHARS: Final = 28
_SWEEPS: Final = 4

STYLE: Final = """
.sfn-graph text { font: 12px Helvetica, Arial, sans-serif; fill: #222; }
.sfn-graph .label { font-size: 10px; fill: #444; }
.sfn-graph .header { font-weight: bold; }
.sfn-graph .state { fill: #fafafa; stroke: #9e9e9e; stroke-width: 1.2; }
.sfn-graph .container { fill: #fcfcfc; stroke: #9e9e9e; stroke-width: 1.2; }
.sfn-graph .scope { fill: none; stroke: #bdbdbd; stroke-dasharray: 4 3; }
.sfn-graph .terminal { fill: #424242; }
.sfn-graph .edge { fill: none; stroke: #757575; stroke-width: 1.2; }
.sfn-graph .edge.catch { stroke-dasharray: 5 3; }
.sfn-graph .label-bg { fill: #ffffff; opacity: 0.85; }
.sfn-graph .covered .state, .sfn-graph .covered.container { fill: #dff0d8; stroke: #2e7d32; }
.sfn-graph .partial .state, .sfn-graph .partial.container {
  fill: #fff3cd; stroke: #e6a100; stroke-width: 2.5;
}
.sfn-graph .missed .state, .sfn-graph .missed.container { fill: #f8d7da; stroke: #c62828; }
.sfn-graph .edge.taken { stroke: #2e7d32; stroke-width: 1.8; }
.sfn-graph .edge.untaken { stroke: #c62828; stroke-width: 1.8; stroke-dasharray: 6 3; }
"""
"""The drawing's stylesheet: neutral by default, coloured by the paint classes."""


@dataclass(frozen=True)
class Paint:
    """How to colour a drawing: CSS classes by node id and by edge, tooltips by node id."""

    nodes: Mapping[str, str] = field(default_factory=dict)
    edges: Mapping[Edge, str] = field(default_factory=dict)
    titles: Mapping[str, str] = field(default_factory=dict)


@dataclass
class _Box:
    """Something placed in a scope: a state, a container, a terminal or a bend point."""

    id: str
    w: float
    h: float
    node: Node | None = None
    inner: list[_Drawing] = field(default_factory=list)
    terminal: bool = False
    x: float = 0.0
    y: float = 0.0

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def dummy(self) -> bool:
        return self.node is None and not self.terminal


@dataclass
class _Drawing:
    """A laid-out scope: its boxes (positions relative to its top-left) and routed edges."""

    scope: Scope
    w: float
    h: float
    boxes: dict[str, _Box]
    routes: list[tuple[Edge, list[tuple[float, float]], bool]]
    label_h: float = 0.0


def render(scope: Scope, paint: Paint | None = None, *, title: str | None = None) -> str:
    """An ``<svg>`` element drawing ``scope`` (with its stylesheet), coloured by ``paint``."""
    drawing = _lay_out(scope, top=True)
    paint = paint or Paint()
    parts: list[str] = []
    _draw(drawing, 0.0, 0.0, paint, parts)
    width, height = drawing.w, drawing.h
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sfn-graph" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img">'
    )
    caption = f"<title>{_text(title)}</title>" if title else ""
    marker = (
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#616161"/>'
        "</marker></defs>"
    )
    return head + caption + f"<style>{STYLE}</style>" + marker + "".join(parts) + "</svg>"


def _text(value: str) -> str:
    return html.escape(value, quote=True)


def _text_width(text: str) -> float:
    return len(text) * _CHAR


# --- layout ---------------------------------------------------------------------------


def _box(node: Node) -> _Box:
    if not node.scopes:
        return _Box(node.id, max(_MIN_W, _text_width(node.name) + 28), _STATE_H, node)
    inner = [_lay_out(child, top=False) for child in node.scopes]
    inner_w = sum(part.w for part in inner) + _HGAP * (len(inner) - 1)
    header_w = _text_width(f"{node.name} ({node.type})") + 24
    height = _HEADER + max(part.h for part in inner) + _PAD
    return _Box(node.id, max(header_w, inner_w + 2 * _PAD, _MIN_W), height, node, inner)


def _lay_out(scope: Scope, *, top: bool) -> _Drawing:
    size = 28.0 if top else 10.0
    boxes: dict[str, _Box] = {scope.start: _Box(scope.start, size, size, terminal=True)}
    for node in scope.nodes:
        boxes[node.id] = _box(node)
    boxes[scope.end] = _Box(scope.end, size, size, terminal=True)
    order = list(boxes)
    pairs = list(dict.fromkeys((e.source, e.target) for e in scope.edges if e.source != e.target))
    back = _back_edges(order, pairs, scope.start)
    layer = _layers(order, pairs, back, scope.end)
    chains = _chains(pairs, back, layer, boxes)
    layers = _ordered_layers(order, layer, chains, boxes)
    label_h = _SCOPE_LABEL if not top else 0.0
    _place(layers, boxes, chains, label_h)
    lanes = _back_lanes(back, boxes)
    width = max(box.x + box.w for box in boxes.values()) + _PAD + _LANE * len(back)
    height = max(box.y + box.h for box in boxes.values()) + _PAD
    routes = [_route(edge, boxes, chains, lanes, scope.edges) for edge in scope.edges]
    return _Drawing(scope, width, height, boxes, routes, label_h)


def _back_edges(order: list[str], pairs: list[tuple[str, str]], start: str) -> set[tuple[str, str]]:
    """Edges closing a loop, found by a depth-first walk from Start in definition order."""
    succ: dict[str, list[str]] = {v: [] for v in order}
    for source, target in pairs:
        succ[source].append(target)
    state: dict[str, int] = {}
    back: set[tuple[str, str]] = set()
    for root in [start, *order]:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(succ[root]))]
        while stack:
            vertex, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[vertex] = 2
                stack.pop()
            elif state.get(child) == 1:
                back.add((vertex, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(succ[child])))
    return back


def _layers(
    order: list[str], pairs: list[tuple[str, str]], back: set[tuple[str, str]], end: str
) -> dict[str, int]:
    """Longest-path layers over the edges with loops turned round; End below everything."""
    forward = [(t, s) if (s, t) in back else (s, t) for s, t in pairs]
    preds: dict[str, list[str]] = {v: [] for v in order}
    indegree = dict.fromkeys(order, 0)
    succ: dict[str, list[str]] = {v: [] for v in order}
    for source, target in dict.fromkeys(forward):
        preds[target].append(source)
        succ[source].append(target)
        indegree[target] += 1
    layer = dict.fromkeys(order, 0)
    ready = [v for v in order if indegree[v] == 0]
    while ready:
        vertex = ready.pop(0)
        for child in succ[vertex]:
            layer[child] = max(layer[child], layer[vertex] + 1)
            indegree[child] -= 1
            if indegree[child] == 0:
                ready.append(child)
    layer[end] = max([layer[v] for v in order if v != end] + [0]) + 1
    return layer


def _chains(
    pairs: list[tuple[str, str]], back: set[tuple[str, str]], layer: dict[str, int], boxes: dict[str, _Box]
) -> dict[tuple[str, str], list[str]]:
    """Forward edge -> the vertices it passes through, bend points included (added to ``boxes``)."""
    chains: dict[tuple[str, str], list[str]] = {}
    for source, target in pairs:
        if (source, target) in back:
            continue
        chain = [source]
        for step in range(layer[source] + 1, layer[target]):
            dummy = f"{source}->{target}#{step}"
            boxes[dummy] = _Box(dummy, _DUMMY_W, 1.0)
            layer[dummy] = step
            chain.append(dummy)
        chains[(source, target)] = [*chain, target]
    return chains


def _ordered_layers(
    order: list[str], layer: dict[str, int], chains: dict[tuple[str, str], list[str]], boxes: dict[str, _Box]
) -> list[list[str]]:
    rank: dict[str, float] = {vertex: float(index) for index, vertex in enumerate(order)}
    for (source, _target), chain in chains.items():
        for offset, dummy in enumerate(chain[1:-1], start=1):
            rank[dummy] = rank[source] + offset / 1000
    count = max(layer.values()) + 1
    layers: list[list[str]] = [[] for _ in range(count)]
    for vertex in sorted(boxes, key=lambda v: rank[v]):
        layers[layer[vertex]].append(vertex)
    up, down = _neighbours(chains)
    for sweep in range(_SWEEPS):
        indices = range(1, count) if sweep % 2 == 0 else range(count - 2, -1, -1)
        links = up if sweep % 2 == 0 else down
        for index in indices:
            position = {v: i for i, v in enumerate(layers[index - 1 if sweep % 2 == 0 else index + 1])}
            current = {v: i for i, v in enumerate(layers[index])}

            layers[index].sort(key=functools.partial(_barycentre, links, position, current))
    return layers


def _barycentre(
    links: dict[str, list[str]], position: dict[str, int], current: dict[str, int], vertex: str
) -> float:
    """Mean position of ``vertex``'s neighbours in the layer swept from; its own place without any."""
    seen = [position[n] for n in links.get(vertex, ()) if n in position]
    return sum(seen) / len(seen) if seen else float(current[vertex])


def _neighbours(
    chains: dict[tuple[str, str], list[str]],
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    up: dict[str, list[str]] = {}
    down: dict[str, list[str]] = {}
    for chain in chains.values():
        for a, b in itertools.pairwise(chain):
            up.setdefault(b, []).append(a)
            down.setdefault(a, []).append(b)
    return up, down


def _place(
    layers: list[list[str]], boxes: dict[str, _Box], chains: dict[tuple[str, str], list[str]], top: float
) -> None:
    y = _PAD + top
    for members in layers:
        height = max(boxes[v].h for v in members) if members else 0.0
        for vertex in members:
            boxes[vertex].y = y + (height - boxes[vertex].h) / 2
        y += height + _VGAP
    for members in layers:
        _pack(members, boxes, {})
    up, down = _neighbours(chains)
    for sweep in range(3):
        links, indices = (
            (up, range(1, len(layers))) if sweep % 2 == 0 else (down, range(len(layers) - 2, -1, -1))
        )
        for index in indices:
            wanted = {}
            for vertex in layers[index]:
                centres = [boxes[n].cx for n in links.get(vertex, ())]
                if centres:
                    wanted[vertex] = sum(centres) / len(centres)
            _pack(layers[index], boxes, wanted)
    left = min(box.x for box in boxes.values())
    for box in boxes.values():
        box.x += _PAD - left


def _pack(members: list[str], boxes: dict[str, _Box], wanted: dict[str, float]) -> None:
    """Place a layer left to right without overlap, as close as it can to the wanted centres.

    Without wishes the layer is packed from 0; a box with no wish keeps its place
    unless a neighbour pushes it. The layer is then shifted so that, on average,
    boxes sit on their wanted centres.
    """
    right = float("-inf")
    shifts = []
    for vertex in members:
        box = boxes[vertex]
        if not wanted:
            left = 0.0 if right == float("-inf") else right + _HGAP
        else:
            left = wanted[vertex] - box.w / 2 if vertex in wanted else box.x
        box.x = max(left, right + _HGAP)
        right = box.x + box.w
        if vertex in wanted:
            shifts.append(box.cx - wanted[vertex])
    if shifts:
        mean = sum(shifts) / len(shifts)
        for vertex in members:
            boxes[vertex].x -= mean


def _back_lanes(back: set[tuple[str, str]], boxes: dict[str, _Box]) -> dict[tuple[str, str], float]:
    right = max(box.x + box.w for box in boxes.values())
    return {pair: right + _LANE * (index + 1) for index, pair in enumerate(sorted(back))}


def _route(
    edge: Edge,
    boxes: dict[str, _Box],
    chains: dict[tuple[str, str], list[str]],
    lanes: dict[tuple[str, str], float],
    edges: tuple[Edge, ...],
) -> tuple[Edge, list[tuple[float, float]], bool]:
    source, target = boxes[edge.source], boxes[edge.target]
    twins = [e for e in edges if (e.source, e.target) == (edge.source, edge.target)]
    shift = (twins.index(edge) - (len(twins) - 1) / 2) * 10 if len(twins) > 1 else 0.0
    pair = (edge.source, edge.target)
    if pair in lanes or edge.source == edge.target:
        lane = lanes.get(pair, source.x + source.w + _LANE)
        start = (source.x + source.w, source.y + source.h / 2 + shift / 2)
        end = (target.x + target.w, target.y + target.h / 2 - shift / 2)
        return edge, [start, (lane, start[1]), (lane, end[1]), end], True
    points = [(source.cx + shift, source.y + source.h)]
    points += [(boxes[v].cx, boxes[v].y) for v in chains[pair][1:-1]]
    points.append((target.cx + shift, target.y))
    return edge, points, False


# --- drawing ----------------------------------------------------------------------------


def _draw(drawing: _Drawing, dx: float, dy: float, paint: Paint, parts: list[str]) -> None:
    for edge, points, looped in drawing.routes:
        _draw_edge(edge, [(x + dx, y + dy) for x, y in points], looped, paint, parts)
    for box in drawing.boxes.values():
        x, y = box.x + dx, box.y + dy
        if box.terminal:
            radius = box.w / 2
            parts.append(
                f'<circle class="terminal" cx="{x + radius:.1f}" cy="{y + radius:.1f}" r="{radius:.1f}"/>'
            )
            if box.w > 20:
                word = "Start" if box.id == drawing.scope.start else "End"
                parts.append(f'<text x="{x + box.w + 6:.1f}" y="{y + radius + 4:.1f}">{word}</text>')
        elif box.node is not None:
            _draw_node(box, x, y, paint, parts)


def _draw_node(box: _Box, x: float, y: float, paint: Paint, parts: list[str]) -> None:
    node = box.node
    assert node is not None
    css = paint.nodes.get(node.id)
    title = paint.titles.get(node.id)
    tooltip = f"<title>{_text(title)}</title>" if title else ""
    if box.inner:
        classes = "container" + (f" {css}" if css else "")
        parts.append(f'<g class="node" data-state="{_text(node.name)}">{tooltip}')
        parts.append(
            f'<rect class="{classes}" x="{x:.1f}" y="{y:.1f}" '
            f'width="{box.w:.1f}" height="{box.h:.1f}" rx="8"/>'
        )
        header = _text(f"{node.name} ({node.type})")
        parts.append(f'<text class="header" x="{x + 10:.1f}" y="{y + 17:.1f}">{header}</text>')
        cx = x + (box.w - (sum(p.w for p in box.inner) + _HGAP * (len(box.inner) - 1))) / 2
        for part in box.inner:
            top = y + _HEADER
            parts.append(
                f'<rect class="scope" x="{cx:.1f}" y="{top:.1f}" width="{part.w:.1f}" '
                f'height="{part.h:.1f}" rx="6"/>'
            )
            parts.append(
                f'<text class="label" x="{cx + 8:.1f}" y="{top + 13:.1f}">{_text(part.scope.label)}</text>'
            )
            _draw(part, cx, top, paint, parts)
            cx += part.w + _HGAP
        parts.append("</g>")
        return
    group = "node" + (f" {css}" if css else "")
    parts.append(f'<g class="{group}" data-state="{_text(node.name)}">{tooltip}')
    parts.append(_shape(node.type, x, y, box.w, box.h))
    parts.append(
        f'<text x="{x + box.w / 2:.1f}" y="{y + box.h / 2 + 4:.1f}" '
        f'text-anchor="middle">{_text(node.name)}</text>'
    )
    parts.append("</g>")


def _shape(kind: str, x: float, y: float, w: float, h: float) -> str:
    if kind == "Choice":
        inset = 12.0
        points = [
            (x + inset, y),
            (x + w - inset, y),
            (x + w, y + h / 2),
            (x + w - inset, y + h),
            (x + inset, y + h),
            (x, y + h / 2),
        ]
        return '<polygon class="state" points="' + " ".join(f"{a:.1f},{b:.1f}" for a, b in points) + '"/>'
    radius = h / 2 if kind in ("Succeed", "Fail") else 6.0
    return f'<rect class="state" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{radius:.1f}"/>'


def _draw_edge(
    edge: Edge, points: list[tuple[float, float]], looped: bool, paint: Paint, parts: list[str]
) -> None:
    classes = ["edge"]
    if edge.kind == CATCH:
        classes.append("catch")
    painted = paint.edges.get(edge)
    if painted:
        classes.append(painted)
    if looped:
        path = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points)
    else:
        path = f"M{points[0][0]:.1f},{points[0][1]:.1f}"
        for (ax, ay), (bx, by) in itertools.pairwise(points):
            middle = (ay + by) / 2
            path += f" C{ax:.1f},{middle:.1f} {bx:.1f},{middle:.1f} {bx:.1f},{by:.1f}"
    parts.append(f'<path class="{" ".join(classes)}" d="{path}" marker-end="url(#arrow)"/>')
    if edge.label:
        short = edge.label if len(edge.label) <= _LABEL_CHARS else edge.label[: _LABEL_CHARS - 1] + "…"
        (ax, ay), (bx, by) = points[0], points[1]
        # Three quarters down the first leg: edges fanning out of a Choice have
        # parted by then, so their labels do not sit on one another.
        lx, ly = (
            (ax + (bx - ax) * 0.85, ay + (by - ay) * 0.7) if not looped else (bx, (ay + points[2][1]) / 2)
        )
        width = len(short) * 6.0 + 6
        parts.append(
            f'<g class="edge-label"><title>{_text(edge.label)}</title>'
            f'<rect class="label-bg" x="{lx - width / 2:.1f}" y="{ly - 8:.1f}" '
            f'width="{width:.1f}" height="13"/>'
            f'<text class="label" x="{lx:.1f}" y="{ly + 2:.1f}" '
            f'text-anchor="middle">{_text(short)}</text></g>'
        )
