"""HTTP Tasks and API Gateway calls answered by Python handlers: what a handler receives and answers.

AWS calls the HTTPS API named by ``ApiEndpoint`` with an EventBridge connection's
credentials. fakesfn never touches the network (one seed, one history):
``backend.register_http(handler, endpoint=...)`` makes ``handler(request)`` answer the
calls whose URL starts with ``endpoint`` (the longest registered prefix wins; no
endpoint answers every URL). A handler receives an :class:`HttpRequest` and answers an
:class:`HttpResponse` (or any value, as a 200 response's body).

The result a task gets is ``{"Headers": {name: [values]}, "ResponseBody": ...,
"StatusCode": n, "StatusText": ...}``, the body parsed when the response is JSON
(:func:`render_response`). How the request is built is :mod:`fakesfn.integrations.http_request`;
the tasks themselves are :mod:`fakesfn.integrations.http_invoke`.
"""

from __future__ import annotations

import http
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fakesfn.payload import check_depth, dump


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """The request an HTTP Task sends, as a handler receives it.

    Attributes:
        method: ``GET``, ``POST``...
        url: ``ApiEndpoint`` with the encoded ``QueryParameters``.
        headers: the definition's headers plus those AWS adds.
        body: the encoded body, or None without ``RequestBody``.
        connection_arn: the task's ``InvocationConfig.ConnectionArn`` (or ``Authentication.ConnectionArn``).
    """

    method: str
    url: str
    headers: dict[str, str]
    body: str | None
    connection_arn: str

    def json(self) -> Any:
        """The body decoded as JSON (None without a body)."""
        return None if self.body is None else json.loads(self.body)


@dataclass(slots=True)
class HttpResponse:
    """What a handler answers.

    Attributes:
        status: the HTTP status code.
        body: a string is sent as it is; anything else as JSON.
        headers: response headers (a list for a repeated header).
        reason: the status text (default: the standard phrase for ``status``).
    """

    status: int = 200
    body: Any = None
    headers: Mapping[str, str | list[str]] = field(default_factory=dict)
    reason: str | None = None


HttpHandler = Callable[[HttpRequest], Any]


@dataclass(slots=True)
class _Registered:
    handler: HttpHandler
    duration: float


class HttpRegistry:
    """The handlers one backend answers HTTP Tasks with, by URL prefix."""

    def __init__(self) -> None:
        self._by_prefix: dict[str, _Registered] = {}

    def register(self, handler: HttpHandler, endpoint: str = "", duration: float = 0.0) -> None:
        """Make ``handler`` answer the URLs starting with ``endpoint`` ("" for all)."""
        if duration < 0:
            raise ValueError("duration must be >= 0 virtual seconds")
        self._by_prefix[endpoint] = _Registered(handler, float(duration))

    def lookup(self, url: str) -> _Registered | None:
        """The handler with the longest prefix of ``url``."""
        matches = [prefix for prefix in self._by_prefix if url.startswith(prefix)]
        return self._by_prefix[max(matches, key=len)] if matches else None


@dataclass(frozen=True, slots=True)
class RenderedResponse:
    """A handler's answer as AWS reports it: the task's result and the raw text sent."""

    result: dict[str, Any]
    body_text: str


def render_response(response: HttpResponse) -> RenderedResponse:
    """The task result AWS builds from a response, and the body text that was sent."""
    headers: dict[str, list[str]] = {
        name: list(value) if isinstance(value, list) else [value] for name, value in response.headers.items()
    }
    body = response.body
    if isinstance(body, (bytes, bytearray)):
        body = body.decode("utf-8", errors="replace")
    if body is None:
        text = ""
    elif isinstance(body, str):
        text = body
    else:
        text = dump(body)
        if not _header(headers, "content-type"):
            headers["Content-Type"] = ["application/json"]
    if text and not _header(headers, "content-type"):
        headers["Content-Type"] = ["text/plain; charset=UTF-8"]
    result = {
        "Headers": headers,
        "ResponseBody": _parsed(text, _header(headers, "content-type")),
        "StatusCode": response.status,
        "StatusText": response.reason if response.reason is not None else _phrase(response.status),
    }
    return RenderedResponse(result, text)


def _header(headers: Mapping[str, list[str]], name: str) -> str:
    for key, values in headers.items():
        if key.lower() == name and values:
            return values[0]
    return ""


def _parsed(text: str, content_type: str) -> Any:
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        try:
            check_depth(text)
            return json.loads(text)
        except ValueError:
            return text
    return text


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""
