"""The request an HTTP Task or an API Gateway call sends, built as AWS documents it.

HTTP Tasks (call-https-apis): ``Method``, ``ApiEndpoint`` plus ``QueryParameters``,
``Headers`` (AWS refuses a list of reserved ones), and ``RequestBody`` sent as JSON, as
the string itself, or URL-encoded under ``Transform.RequestBodyEncoding: URL_ENCODED``
with ``RequestEncodingOptions.ArrayFormat``. AWS adds
``User-Agent: Amazon|StepFunctions|HttpInvoke|<region>`` and ``Range: bytes=0-262144``.
The connection (``InvocationConfig.ConnectionArn``, or the earlier
``Authentication.ConnectionArn``) is not resolved: its ARN is checked and handed to the
handler, and no credentials are added.

API Gateway (connect-api-gateway): ``https://<ApiEndpoint>/<Stage>/<Path>``, with list
values for ``Headers`` and ``QueryParameters``. A parameter AWS refuses fails the task
with ``States.Runtime``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote, urlencode, urlsplit

from fakesfn.asl.errors import StatesError
from fakesfn.integrations.http_tasks import HttpRequest
from fakesfn.payload import dump

if TYPE_CHECKING:
    from collections.abc import Mapping

METHODS: Final = ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")
ARRAY_FORMATS: Final = ("INDICES", "REPEAT", "COMMAS", "BRACKETS")
USER_AGENT: Final = "Amazon|StepFunctions|HttpInvoke|{region}"
RANGE: Final = "bytes=0-262144"

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


CONNECTION_FIELDS: Final = ("InvocationConfig", "Authentication")
"""Where an HTTP Task names its EventBridge connection: ``InvocationConfig.ConnectionArn``
(AWS's documented field since HTTP Tasks reach private APIs) or the earlier
``Authentication.ConnectionArn``, which AWS still accepts."""


def _connection_arn(parameters: Mapping[str, Any]) -> str:
    given = [field for field in CONNECTION_FIELDS if field in parameters]
    if len(given) > 1:
        raise _invalid("Only one of the fields 'InvocationConfig' and 'Authentication' may be given")
    holder = parameters.get(given[0]) if given else None
    arn = holder.get("ConnectionArn") if isinstance(holder, dict) else None
    if not isinstance(arn, str) or not _CONNECTION_ARN.fullmatch(arn):
        field = given[0] if given else CONNECTION_FIELDS[0]
        raise _invalid(f"The field '{field}.ConnectionArn' must be an EventBridge connection ARN")
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
