"""Renderings of executions for people: compact history tables as text, HTML and Markdown.

One row per event: id, virtual seconds since the execution started, type, and
the one detail that matters most (the state's name, the error and its whole
cause, the Map index, or what a task called: the function or the resource). The
command line prints the text table, wrapping long details onto continuation lines
rather than cutting them; notebooks show the HTML and Markdown ones.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Sequence

_DETAIL_WIDTH: Final = 72
"""Characters of detail per line in the text table; longer details continue on the next lines."""

_DETAIL_INDENT: Final = " " * 53
"""Where the detail column starts in the text table (after id, elapsed and event)."""


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


def _called(details: dict[str, Any]) -> str:
    """What a task event called: ``lambda:invoke greet``, an activity's ARN, a function's name."""
    resource = str(details["resource"])
    if "resourceType" in details:
        called = f"{details['resourceType']}:{resource}"
        target = _target(details.get("parameters"))
        return f"{called} {target}" if target else called
    if resource.startswith("arn:aws:lambda:") and ":function:" in resource:
        return "function " + resource.split(":function:", 1)[1]
    return resource


_TARGETS: Final = ("FunctionName", "StateMachineArn", "QueueUrl", "TopicArn", "TableName", "ApiEndpoint")
"""Request parameters that name what a service integration acts on, most telling first."""


def _target(parameters: Any) -> str:
    if not isinstance(parameters, str):
        return ""
    try:
        decoded = json.loads(parameters)
    except ValueError:
        return ""
    if not isinstance(decoded, dict):
        return ""
    return next((str(decoded[key]) for key in _TARGETS if isinstance(decoded.get(key), str)), "")


def _summary(event: dict[str, Any]) -> str:
    for key, value in event.items():
        if key.endswith("EventDetails") and isinstance(value, dict):
            if "name" in value:
                return str(value["name"])
            if "error" in value:
                cause = value.get("cause")
                return f"{value['error']}: {cause}" if cause else str(value["error"])
            if "index" in value:
                return f"item {value['index']}"
            if "resource" in value:
                return _called(value)
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
        first, *rest = _wrapped(row.detail)
        lines.append(f"{row.id:>5}  {row.elapsed:>9.3f}s  {row.type:<32}  {first}".rstrip())
        lines.extend(_DETAIL_INDENT + line for line in rest)
    return "\n".join(lines)


def _wrapped(detail: str) -> list[str]:
    """The detail in lines of at most ``_DETAIL_WIDTH`` characters; nothing is left out."""
    if len(detail) <= _DETAIL_WIDTH:
        return [detail]
    return textwrap.wrap(
        detail, _DETAIL_WIDTH, break_long_words=True, break_on_hyphens=False, replace_whitespace=True
    ) or [""]


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
