"""HTTP Tasks (``arn:aws:states:::http:invoke``) and API Gateway calls, answered by Python handlers.

AWS calls the HTTPS API named by ``ApiEndpoint`` with an EventBridge connection's
credentials. fakesfn never touches the network (one seed, one history):
``backend.register_http(handler, endpoint=...)`` makes ``handler(request)`` answer the
calls whose URL starts with ``endpoint`` (the longest registered prefix wins; no
endpoint answers every URL).

The request is built as AWS documents it (call-https-apis): ``Method``, ``ApiEndpoint``
plus ``QueryParameters``, ``Headers`` (AWS refuses a list of reserved ones), and
``RequestBody`` sent as JSON, as the string itself, or URL-encoded under
``Transform.RequestBodyEncoding: URL_ENCODED`` with ``RequestEncodingOptions.ArrayFormat``.
AWS adds ``User-Agent: Amazon|StepFunctions|HttpInvoke|<region>`` and
``Range: bytes=0-262144``. The connection is not resolved: its ARN is checked and
handed to the handler, and no credentials are added.

The result is ``{"Headers": {name: [values]}, "ResponseBody": ..., "StatusCode": n,
"StatusText": ...}``, the body parsed when the response is JSON. A status outside 2xx
fails the task with ``States.Http.StatusCode.<n>`` (the response, as JSON, is the
cause); no handler, or a handler that raises, is ``States.Http.Socket``, as an
unreachable endpoint is on AWS.

``arn:aws:states:::apigateway:invoke`` goes to the same handlers, at
``https://<ApiEndpoint>/<Stage>/<Path>``, with the same result shape; AWS's error for a
status outside 2xx is ``APIGateway.<n>`` with the response body as the cause.
"""

from __future__ import annotations

import http
import json
import re
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote, urlencode, urlsplit

from fakesfn.asl.errors import StatesError
from fakesfn.engine.tasks import TaskEvents, answer_after
from fakesfn.integrations.callbacks import service_task
from fakesfn.integrations.registry import register
from fakesfn.payload import dump

if TYPE_CHECKING:
    from fakesfn.engine.ports import TaskBody
    from fakesfn.engine.signals import Signal
    from fakesfn.engine.tasks import TaskCall
    from fakesfn.integrations.services import TaskServices

METHODS: Final = ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")
ARRAY_FORMATS: Final = ("INDICES", "REPEAT", "COMMAS", "BRACKETS")
USER_AGENT: Final = "Amazon|StepFunctions|HttpInvoke|{region}"
RANGE: Final = "bytes=0-262144"
SOCKET_ERROR: Final = "States.Http.Socket"
STATUS_ERROR: Final = "States.Http.StatusCode.{status}"

_RESERVED_HEADERS: Final = frozenset(
    {
        "a-im", "accept-charset", "accept-datetime", "accept-encoding", "authorization",
        "cache-control", "connection", "content-encoding", "content-md5", "date", "expect",
        "forwarded", "from", "host", "http2-settings", "if-match", "if-modified-since",
        "if-none-match", "if-range", "if-unmodified-since", "max-forwards", "origin", "pragma",
        "proxy-authorization", "referer", "server", "te", "trailer", "transfer-encoding",
        "upgrade", "via", "warning",
    }
)  # fmt: skip
"""Headers AWS does not let a definition set (call-https-apis, "Headers")."""

_RESERVED_PREFIXES: Final = ("x-forwarded-", "x-amz-", "x-amzn-")

_CONNECTION_ARN: Final = re.compile(r"arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:connection/.+")


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """The request an HTTP Task sends, as a handler receives it.

    Attributes:
        method: ``GET``, ``POST``...
        url: ``ApiEndpoint`` with the encoded ``QueryParameters``.
        headers: the definition's headers plus those AWS adds.
        body: the encoded body, or None without ``RequestBody``.
        connection_arn: the task's ``Authentication.ConnectionArn``.
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


Builder = Callable[[Any, str], HttpRequest]
Failure = Callable[[RenderedResponse], StatesError]


@register("service", "http:invoke")
def invoke_task(call: TaskCall, services: TaskServices) -> TaskBody:
    """``arn:aws:states:::http:invoke``: ``Task*`` events, the response as the result."""
    result = yield from _request_response(call, services, build_request, _http_failure)
    return result


@register("service", "apigateway:invoke")
def apigateway_task(call: TaskCall, services: TaskServices) -> TaskBody:
    """``arn:aws:states:::apigateway:invoke[.waitForTaskToken]``: an API Gateway endpoint's handler."""
    if call.resource.pattern:
        result = yield from service_task(call, services, _apigateway_request)
    else:
        result = yield from _request_response(call, services, build_apigateway_request, _apigateway_failure)
    return result


def _apigateway_request(call: TaskCall, services: TaskServices) -> TaskBody:
    """The request part of a ``.waitForTaskToken`` call: its response is ``TaskSubmitted``."""
    request = build_apigateway_request(call.parameters, call.region)
    response = yield from _exchange(call, services, request)
    return _outcome(response, _apigateway_failure)


def _request_response(call: TaskCall, services: TaskServices, build: Builder, failure: Failure) -> TaskBody:
    """Scheduled, Started (a turn later), then Succeeded, Failed or TimedOut.

    A refused request fails right after Scheduled, before anything is sent.
    """
    events = TaskEvents(call)
    events.scheduled()
    try:
        request = build(call.parameters, call.region)
    except StatesError as refused:
        events.failed(refused)
        raise
    yield call.run.runtime.next_turn()
    events.started()
    try:
        response = yield from _exchange(call, services, request)
        result = _outcome(response, failure)
    except StatesError as error:
        events.ended_by(error)
        raise
    events.succeeded(dump(result))
    return result


def _exchange(
    call: TaskCall, services: TaskServices, request: HttpRequest
) -> Generator[Signal, Any, RenderedResponse]:
    """Ask the handler and wait its virtual duration, racing the task's TimeoutSeconds."""
    registered = services.http.lookup(request.url)
    if registered is None:
        raise StatesError(
            SOCKET_ERROR,
            f"fakesfn has no HTTP handler for {request.method} {request.url}: register one with "
            "backend.register_http(handler, endpoint=...)",
        )
    response = _ask(registered.handler, request)
    observer = services.http_observer
    if observer is not None:
        observer(request, response)
    answered: RenderedResponse = yield answer_after(call, registered.duration, response)
    return answered


def _ask(handler: HttpHandler, request: HttpRequest) -> RenderedResponse:
    try:
        answer = handler(request)
    except Exception as exc:  # the user's handler: reported like a broken connection
        raise StatesError(SOCKET_ERROR, f"The HTTP handler raised {type(exc).__name__}: {exc}") from None
    return render_response(answer if isinstance(answer, HttpResponse) else HttpResponse(body=answer))


def _outcome(response: RenderedResponse, failure: Failure) -> dict[str, Any]:
    """AWS: a 2xx status is success; any other fails the task."""
    if 200 <= response.result["StatusCode"] < 300:
        return response.result
    raise failure(response)


def _http_failure(response: RenderedResponse) -> StatesError:
    """``States.Http.StatusCode.<n>``; the cause is the response as JSON (house form)."""
    return StatesError(STATUS_ERROR.format(status=response.result["StatusCode"]), dump(response.result))


def _apigateway_failure(response: RenderedResponse) -> StatesError:
    """AWS: ``APIGateway.<status>``, the cause the response body as a string."""
    return StatesError(f"APIGateway.{response.result['StatusCode']}", response.body_text)


# --- the request --------------------------------------------------------------------------


def build_request(parameters: Any, region: str) -> HttpRequest:
    """The request AWS would send for these Parameters (or Arguments); States.Runtime if invalid."""
    if not isinstance(parameters, dict):
        raise _invalid("The HTTP Task parameters must be an object")
    endpoint = parameters.get("ApiEndpoint")
    if (
        not isinstance(endpoint, str)
        or urlsplit(endpoint).scheme not in ("https", "http")
        or not urlsplit(endpoint).netloc
    ):
        raise _invalid("The field 'ApiEndpoint' must be an http(s) URL")
    method = parameters.get("Method")
    if method not in METHODS:
        raise _invalid(f"The field 'Method' must be one of {', '.join(METHODS)}")
    connection = _connection_arn(parameters)
    headers = _headers(parameters.get("Headers"), _RESERVED_HEADERS, "an HTTP Task")
    url = _with_query(endpoint, parameters.get("QueryParameters"))
    body, content_type = _body(parameters)
    if body is not None and not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = content_type
    headers["User-Agent"] = USER_AGENT.format(region=region)
    headers["Range"] = RANGE
    return HttpRequest(method, url, headers, body, connection)


def _invalid(cause: str) -> StatesError:
    return StatesError("States.Runtime", cause)


def _connection_arn(parameters: Mapping[str, Any]) -> str:
    authentication = parameters.get("Authentication")
    arn = authentication.get("ConnectionArn") if isinstance(authentication, dict) else None
    if not isinstance(arn, str) or not _CONNECTION_ARN.fullmatch(arn):
        raise _invalid("The field 'Authentication.ConnectionArn' must be an EventBridge connection ARN")
    return arn


def _headers(raw: Any, reserved: frozenset[str], where: str) -> dict[str, str]:
    """The definition's headers (a list of values joined by commas); AWS refuses ``reserved``."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _invalid("The field 'Headers' must be an object")
    headers: dict[str, str] = {}
    for name, value in raw.items():
        lower = name.lower()
        if lower in reserved or lower.startswith(_RESERVED_PREFIXES):
            raise _invalid(f"The header '{name}' cannot be set in {where}")
        headers[name] = ",".join(map(_scalar, value)) if isinstance(value, list) else _scalar(value)
    return headers


def _with_query(endpoint: str, raw: Any) -> str:
    if raw is None:
        return endpoint
    if not isinstance(raw, dict):
        raise _invalid("The field 'QueryParameters' must be an object")
    pairs = [
        (key, _scalar(item))
        for key, value in raw.items()
        for item in (value if isinstance(value, list) else [value])
    ]
    if not pairs:
        return endpoint
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(pairs, quote_via=quote)}"


def _body(parameters: Mapping[str, Any]) -> tuple[str | None, str]:
    """The encoded body and its default Content-Type."""
    if "RequestBody" not in parameters:
        return None, ""
    body = parameters["RequestBody"]
    transform = parameters.get("Transform") or {}
    if not isinstance(transform, dict):
        raise _invalid("The field 'Transform' must be an object")
    encoding = transform.get("RequestBodyEncoding", "NONE")
    if encoding not in ("NONE", "URL_ENCODED"):
        raise _invalid("The field 'Transform.RequestBodyEncoding' must be NONE or URL_ENCODED")
    if encoding == "URL_ENCODED" and isinstance(body, dict):
        options = transform.get("RequestEncodingOptions") or {}
        array_format = options.get("ArrayFormat", "INDICES") if isinstance(options, dict) else None
        if array_format not in ARRAY_FORMATS:
            raise _invalid(f"The field 'ArrayFormat' must be one of {', '.join(ARRAY_FORMATS)}")
        return form_encode(body, array_format), "application/x-www-form-urlencoded"
    if isinstance(body, str):
        return body, "application/json; charset=UTF-8"
    return dump(body), "application/json; charset=UTF-8"


def form_encode(body: Mapping[str, Any], array_format: str) -> str:
    """``key=value&...``; nested objects as ``key[sub]``, arrays as ``array_format`` says."""
    pairs: list[tuple[str, str]] = []
    for key, value in body.items():
        _form_pairs(str(key), value, array_format, pairs)
    return "&".join(f"{quote(key, safe='[]')}={quote(value, safe='')}" for key, value in pairs)


def _form_pairs(key: str, value: Any, array_format: str, pairs: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for sub, item in value.items():
            _form_pairs(f"{key}[{sub}]", item, array_format, pairs)
    elif isinstance(value, list):
        if array_format == "COMMAS":
            pairs.append((key, ",".join(_scalar(item) for item in value)))
            return
        for index, item in enumerate(value):
            name = {"INDICES": f"{key}[{index}]", "BRACKETS": f"{key}[]", "REPEAT": key}[array_format]
            _form_pairs(name, item, array_format, pairs)
    else:
        pairs.append((key, _scalar(value)))


def _scalar(value: Any) -> str:
    """A string as it is, anything else as its JSON text (``true``, ``3``, ``null``)."""
    return value if isinstance(value, str) else dump(value)


# --- API Gateway ----------------------------------------------------------------------------

_APIGATEWAY_RESERVED: Final = frozenset(
    {
        "authorization", "connection", "content-md5", "expect", "host", "max-forwards",
        "proxy-authenticate", "server", "te", "transfer-encoding", "trailer", "upgrade", "via",
        "www-authenticate",
    }
)  # fmt: skip
"""Headers AWS does not permit in an ``apigateway:invoke`` call (connect-api-gateway)."""

_APIGATEWAY_HOST: Final = re.compile(r"[0-9a-z]+\.execute-api\.[a-z0-9-]+\.amazonaws\.com")
AUTH_TYPES: Final = ("NO_AUTH", "IAM_ROLE", "RESOURCE_POLICY")


def build_apigateway_request(parameters: Any, region: str) -> HttpRequest:
    """``https://<ApiEndpoint>/<Stage>/<Path>?<QueryParameters>``, as AWS documents the call.

    ``Headers`` and ``QueryParameters`` hold lists of values; null members of an object
    ``RequestBody`` are left out unless ``AllowNullValues`` is true.
    """
    if not isinstance(parameters, dict):
        raise _invalid("The API Gateway parameters must be an object")
    endpoint = parameters.get("ApiEndpoint")
    if not isinstance(endpoint, str) or not _APIGATEWAY_HOST.fullmatch(endpoint):
        raise _invalid("The field 'ApiEndpoint' must be <API ID>.execute-api.<region>.amazonaws.com")
    method = parameters.get("Method")
    if method not in METHODS:
        raise _invalid(f"The field 'Method' must be one of {', '.join(METHODS)}")
    if parameters.get("AuthType", "NO_AUTH") not in AUTH_TYPES:
        raise _invalid(f"The field 'AuthType' must be one of {', '.join(AUTH_TYPES)}")
    segments = [str(parameters[key]).strip("/") for key in ("Stage", "Path") if parameters.get(key)]
    url = _with_query("/".join([f"https://{endpoint}", *segments]), parameters.get("QueryParameters"))
    headers = _headers(parameters.get("Headers"), _APIGATEWAY_RESERVED, "an API Gateway call")
    body: str | None = None
    if "RequestBody" in parameters:
        raw = parameters["RequestBody"]
        if not parameters.get("AllowNullValues"):
            raw = _without_nulls(raw)
        body = raw if isinstance(raw, str) else dump(raw)
        if not any(name.lower() == "content-type" for name in headers):
            headers["Content-Type"] = "application/json; charset=UTF-8"
    return HttpRequest(method, url, headers, body, "")


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


# --- the response -------------------------------------------------------------------------


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
            return json.loads(text)
        except ValueError:
            return text
    return text


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""
