"""Read execution histories the way people export them from AWS.

Accepted: the JSON of ``get_execution_history`` (an object with ``events``), the
``aws stepfunctions get-execution-history`` output, a bare list of events, a list
of pages, or several pages concatenated in one file (``cat page*.json``).
Timestamps may be ISO-8601 strings (as the AWS CLI prints them), epoch seconds
or milliseconds (older CLIs), or ``datetime`` objects (boto3). The result is one
list of events sorted by id, duplicates dropped, with ``timestamp`` an aware
``datetime``: the shape boto3 returns.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping
from typing import Any, Final

from dateutil.parser import isoparse

from fakesfn.payload import check_depth

_EPOCH: Final = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_MILLISECONDS_FROM: Final = 1e11
"""Epoch numbers above this are milliseconds: 1e11 seconds is the year 5138."""


class HistoryFormatError(ValueError):
    """The text or object is not an execution history in any shape we accept."""


def parse_history_text(text: str) -> list[dict[str, Any]]:
    """Events of an exported history file (one or more concatenated JSON documents)."""
    try:
        check_depth(text)  # before the parser recurses: the limit decides, not the Python version
    except ValueError as error:
        raise HistoryFormatError(f"not an execution history: {error}") from None
    decoder = json.JSONDecoder()
    documents: list[Any] = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            break
        try:
            document, position = decoder.raw_decode(text, position)
        except ValueError as error:
            raise HistoryFormatError(f"not valid JSON: {error}") from None
        documents.append(document)
    if not documents:
        raise HistoryFormatError("the file is empty: expected the JSON of get-execution-history")
    return normalize_history(documents if len(documents) > 1 else documents[0])


def normalize_history(value: Any) -> list[dict[str, Any]]:
    """Events of any accepted in-memory shape, sorted by id, timestamps as datetimes."""
    by_id: dict[int, dict[str, Any]] = {}
    for event in _events(value):
        normalized = _event(event)
        by_id.setdefault(normalized["id"], normalized)
    return [by_id[key] for key in sorted(by_id)]


def _events(value: Any) -> list[Any]:
    if isinstance(value, Mapping):
        if "events" not in value:
            raise HistoryFormatError("expected an object with 'events' (the get-execution-history output)")
        events = value["events"]
        if not isinstance(events, list):
            raise HistoryFormatError("'events' must be a list")
        return events
    if isinstance(value, list):
        if all(isinstance(item, Mapping) and "events" in item for item in value):
            return [event for page in value for event in _events(page)]
        return value
    raise HistoryFormatError("expected an object with 'events' or a list of events")


def _event(event: Any) -> dict[str, Any]:
    if not isinstance(event, Mapping) or not isinstance(event.get("type"), str):
        raise HistoryFormatError(f"not a history event (no 'type'): {json.dumps(event, default=str)[:80]}")
    event_id = event.get("id")
    if not isinstance(event_id, int) or isinstance(event_id, bool):
        raise HistoryFormatError(f"event of type {event['type']} has no integer 'id'")
    normalized = dict(event)
    normalized["previousEventId"] = int(event.get("previousEventId") or 0)
    if "timestamp" in event:
        normalized["timestamp"] = to_datetime(event["timestamp"])
    return normalized


def to_datetime(value: Any) -> _dt.datetime:
    """An aware datetime from an ISO string, epoch seconds/milliseconds or a datetime."""
    if isinstance(value, _dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=_dt.timezone.utc)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > _MILLISECONDS_FROM else value
        return _EPOCH + _dt.timedelta(seconds=seconds)
    if isinstance(value, str):
        try:
            parsed = isoparse(value)
        except ValueError:
            raise HistoryFormatError(f"unreadable timestamp {value!r}") from None
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=_dt.timezone.utc)
    raise HistoryFormatError(f"unreadable timestamp {value!r}")


def details(event: Mapping[str, Any]) -> dict[str, Any]:
    """The event's ``*EventDetails`` object (empty when it has none)."""
    for key, value in event.items():
        if key.endswith("EventDetails") and isinstance(value, Mapping):
            return dict(value)
    return {}


def decode(text: Any) -> Any:
    """A JSON string field (``input``, ``output``...) as its value; other values as they are."""
    if not isinstance(text, str):
        return text
    try:
        check_depth(text)  # too deep to be a payload: kept as the text it is
        return json.loads(text)
    except ValueError:
        return text


def history_json(events: list[dict[str, Any]]) -> str:
    """Events as the AWS CLI prints them: ``{"events": [...]}`` with ISO timestamps."""

    def encode(value: Any) -> Any:
        if isinstance(value, _dt.datetime):
            return value.isoformat()
        raise TypeError(f"not JSON serializable: {type(value).__name__}")

    return json.dumps({"events": events}, indent=4, default=encode)
