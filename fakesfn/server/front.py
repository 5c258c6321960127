"""What AWS's shared front end checks before a request reaches Step Functions.

Step Functions sits behind the same front end as every AWS JSON 1.0 service. Its
answers, as observed on the live services (and reproduced by emulators tested
against them, such as dynalite's connection tests for DynamoDB, another JSON 1.0
service):

* a method other than ``POST``, or a body sent with a ``Content-Type`` other than
  ``application/x-amz-json-1.0`` or ``application/json``: ``404`` with the body
  ``<UnknownOperationException/>`` (not JSON);
* a body that is not JSON: ``400 SerializationException``;
* a request larger than the service's quota (1 MB for Step Functions): ``413``
  with ``{"message": "HTTP content length exceeded 1048576 bytes."}``
  (:mod:`fakesfn.server.http11`);
* a signature scoped to a region that does not exist, or to another service:
  ``400 InvalidSignatureException`` ("Credential should be scoped to a valid
  region, not 'x'. ").

The fake checks no signature (any credentials work, and an unsigned request acts
in us-east-1), but it reads the region from the signature, so it checks that the
region is one AWS could have: a region name of one of AWS's partitions, as
botocore's endpoint data describes them.

Parsing is bounded so that no body can reach an interpreter limit: nesting deeper
than :data:`MAX_DEPTH`, ``NaN``/``Infinity``, numbers that overflow a double, and
integers longer than :data:`MAX_INTEGER_DIGITS` digits are serialization errors,
whatever the Python version.
"""

from __future__ import annotations

import functools
import json
import math
import re
from typing import TYPE_CHECKING, Any, Final

import botocore.loaders

from fakesfn.payload import json_depth
from fakesfn.server.shapes import FrontEndError, SerializationException
from fakesfn.wire import DEFAULT_REGION

if TYPE_CHECKING:
    from fakesfn.server.app import Headers

JSON_TYPES: Final = frozenset({"application/x-amz-json-1.0", "application/json"})
"""The content types AWS's JSON 1.0 front end reads a body as."""

UNKNOWN_OPERATION_BODY: Final = b"<UnknownOperationException/>\n"
"""AWS's answer to a method or content type it does not serve: 404, and this body."""

MAX_DEPTH: Final = 512
"""How deeply a request body may nest arrays and objects (house limit; AWS refuses
deep nesting too, at a depth it does not document; the API's own shapes nest less
than ten deep)."""

MAX_INTEGER_DIGITS: Final = 1000
"""No member of the API holds an integer anywhere near this long (the longest is 64-bit)."""

_CREDENTIAL_SCOPE: Final = re.compile(r"Credential=[^/,\s]*/[^/,\s]*/([^/,\s]*)/([^/,\s]*)/")
"""SigV4: ``Credential=AKID/20240101/us-east-1/states/aws4_request``; never verified."""

SIGNING_NAME: Final = "states"


class InvalidSignatureException(FrontEndError):
    """The request's signature is scoped to a region or service that cannot be this one."""

    code = "InvalidSignatureException"

    def body(self) -> dict[str, Any]:
        """As observed from AWS's JSON front end: no namespace, lower-case ``message``."""
        return {"__type": self.code, "message": self.message}


def content_type_ok(headers: Headers, body: bytes) -> bool:
    """Whether AWS would read this body as JSON 1.0 (an empty body needs no content type)."""
    if not body:
        return True
    media = (headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
    return media in JSON_TYPES


def reply_content_type(headers: Headers) -> str:
    """AWS answers ``application/json`` requests in kind, everything else as JSON 1.0."""
    media = (headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
    return "application/json" if media == "application/json" else "application/x-amz-json-1.0"


def decode_body(body: bytes) -> dict[str, Any]:
    """The parameters of a JSON 1.0 body (an empty body means none).

    Raises:
        SerializationException: not a JSON object, or outside the limits above.
    """
    if not body.strip():
        return {}
    try:
        params = parse_json(body)
    except ValueError as error:
        raise SerializationException(str(error)) from None
    if not isinstance(params, dict):
        raise SerializationException("The request body is not a JSON object")
    return params


def parse_json(body: bytes) -> Any:
    """A JSON document within the limits above, whatever the Python version.

    The body is decoded as ``json.loads`` decodes bytes (UTF-8, -16 or -32, told apart
    by its first bytes), and its nesting measured by :func:`fakesfn.payload.json_depth`,
    the one scan every payload boundary uses, before anything recurses over it.

    Raises:
        ValueError: not JSON, or outside the limits, with a message that says which.
    """
    try:
        text = body.decode(json.detect_encoding(body), "surrogatepass")
    except UnicodeDecodeError:
        raise ValueError("The request body is not valid JSON") from None
    if text.count("[") + text.count("{") > MAX_DEPTH and json_depth(text) > MAX_DEPTH:
        raise ValueError(f"The request body nests deeper than {MAX_DEPTH} levels")
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_float, parse_int=_int)
    except _OutOfRange as error:
        raise ValueError(str(error)) from None
    except (ValueError, RecursionError):
        raise ValueError("The request body is not valid JSON") from None


class _OutOfRange(ValueError):
    """JSON the parser could read, but no member of the API can hold."""


def _refuse_constant(name: str) -> Any:
    raise _OutOfRange(f"The request body holds {name}, which is not JSON")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _OutOfRange(f"The number {text[:40]} does not fit a double")
    return value


def _int(text: str) -> int:
    if len(text) > MAX_INTEGER_DIGITS:
        raise _OutOfRange(f"An integer of {len(text)} digits does not fit any member")
    return int(text)


@functools.lru_cache(maxsize=1)
def _region_patterns() -> tuple[re.Pattern[str], ...]:
    """Every partition's region-name pattern, from botocore's endpoint data."""
    data = botocore.loaders.create_loader().load_data("endpoints")
    return tuple(re.compile(p["regionRegex"]) for p in data["partitions"] if p.get("regionRegex"))


def region_of(headers: Headers) -> str:
    """The region a SigV4-signed request was signed for, or us-east-1 when unsigned.

    Raises:
        InvalidSignatureException: the credential scope names no AWS region, or
            another service than Step Functions.
    """
    authorization = headers.get("Authorization") or ""
    match = _CREDENTIAL_SCOPE.search(authorization)
    if match is None:
        return DEFAULT_REGION
    region, service = match.groups()
    problems = []
    if not any(pattern.fullmatch(region) for pattern in _region_patterns()):
        problems.append(f"Credential should be scoped to a valid region, not '{region[:64]}'. ")
    if service != SIGNING_NAME:
        problems.append(f"Credential should be scoped to correct service: '{SIGNING_NAME}'. ")
    if problems:
        raise InvalidSignatureException("".join(problems))
    return region
