"""Text renderings of executions for people: a compact history table."""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence


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
                return f"{value['error']}: {value.get('cause', '')}"[:80]
            if "index" in value:
                return f"item {value['index']}"
            if "resource" in value:
                return str(value["resource"])
    return ""


def history_table(events: Sequence[dict[str, Any]], start: Any) -> str:
    """``id  +elapsed  type  detail`` per event; elapsed is virtual time since the start."""
    origin = _seconds(start)
    lines = [f"{'id':>5}  {'elapsed':>10}  {'event':<32}  detail"]
    for event in events:
        elapsed = _seconds(event["timestamp"]) - origin
        lines.append(f"{event['id']:>5}  {elapsed:>9.3f}s  {event['type']:<32}  {_summary(event)}")
    return "\n".join(lines)
