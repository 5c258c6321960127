"""Renderings of executions for people: compact history tables as text, HTML and Markdown.

One row per event: id, virtual seconds since the execution started, type, and
the one detail that matters most (the state's name, the error, the Map index or
the resource). The command line prints the text table; notebooks show the HTML
and Markdown ones.
"""

from __future__ import annotations

import datetime as _dt
import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Sequence

_DETAIL_LIMIT: Final = 80


@dataclass(frozen=True, slots=True)
class Row:
    """One event, summarized."""

    id: int
    elapsed: float
    type: str
    detail: str


def _seconds(value: Any) -> float:
    if isinstance(value, _dt.datetime):
        return value.timestamp()
    return float(value)


def _summary(event: dict[str, Any]) -> str:
    for key, value in event.items():
        if key.endswith("EventDetails") and isinstance(value, dict):
            if "name" in value:
                return str(value["name"])
            if "error" in value:
                return f"{value['error']}: {value.get('cause', '')}"[:_DETAIL_LIMIT]
            if "index" in value:
                return f"item {value['index']}"
            if "resource" in value:
                return str(value["resource"])
    return ""


def rows(events: Sequence[dict[str, Any]], start: Any = None) -> list[Row]:
    """Summaries of ``events``; elapsed time counts from ``start`` (default: the first event)."""
    if not events:
        return []
    origin = _seconds(start if start is not None else events[0]["timestamp"])
    return [
        Row(event["id"], _seconds(event["timestamp"]) - origin, event["type"], _summary(event))
        for event in events
    ]


def history_table(events: Sequence[dict[str, Any]], start: Any) -> str:
    """``id  +elapsed  type  detail`` per event; elapsed is virtual time since the start."""
    lines = [f"{'id':>5}  {'elapsed':>10}  {'event':<32}  detail"]
    for row in rows(events, start):
        lines.append(f"{row.id:>5}  {row.elapsed:>9.3f}s  {row.type:<32}  {row.detail}")
    return "\n".join(lines)


def history_html(events: Sequence[dict[str, Any]], start: Any = None, *, new_after: int | None = None) -> str:
    """An HTML table of the events; events with an id above ``new_after`` are highlighted."""
    body = []
    for row in rows(events, start):
        fresh = new_after is not None and row.id > new_after
        style = ' style="background:#d6e9ff"' if fresh else ""
        body.append(
            f"<tr{style}><td>{row.id}</td><td>{row.elapsed:.3f}s</td>"
            f"<td>{html.escape(row.type)}</td><td>{html.escape(row.detail)}</td></tr>"
        )
    head = "<tr><th>id</th><th>elapsed</th><th>event</th><th>detail</th></tr>"
    return f'<table class="fakesfn-history"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>'


def _markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def history_markdown(events: Sequence[dict[str, Any]], start: Any = None) -> str:
    """A Markdown (GitHub) table of the events."""
    lines = ["| id | elapsed | event | detail |", "|---:|---:|---|---|"]
    for row in rows(events, start):
        lines.append(f"| {row.id} | {row.elapsed:.3f}s | {row.type} | {_markdown_cell(row.detail)} |")
    return "\n".join(lines)
