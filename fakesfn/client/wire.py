"""The AWS JSON 1.0 wire format, as the Step Functions endpoint speaks it.

Kept apart from the botocore hook so the same encoding serves the in-process
transport and the HTTP server: a request is an operation name plus a JSON body,
a reply is a status code plus JSON bytes. Timestamps travel as epoch seconds
(floats), which is what the service layer produces already.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from fakesfn.service.errors import ServiceError

CONTENT_TYPE: Final = "application/x-amz-json-1.0"
TARGET_PREFIX: Final = "AWSStepFunctions."


def decode_body(body: bytes | str | None) -> dict[str, Any]:
    """The request parameters of a JSON 1.0 body (an empty body means no parameters)."""
    if not body:
        return {}
    params = json.loads(body)
    if not isinstance(params, dict):
        raise ValueError("a JSON 1.0 request body must be an object")
    return params


_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
"""One encoder for every reply (``json.dumps`` with options builds one per call)."""


def encode_result(result: dict[str, Any]) -> bytes:
    """The reply body of a successful call."""
    text = _encode(result)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate ("\ud800" is valid JSON) has no UTF-8 form: send it escaped.
        return json.dumps(result, separators=(",", ":")).encode("ascii")


def encode_error(error: ServiceError) -> tuple[int, bytes]:
    """The status code and reply body of a refused call."""
    return error.status, json.dumps(error.body(), separators=(",", ":")).encode("utf-8")


def operation_from_target(target: str | None) -> str | None:
    """``AWSStepFunctions.StartExecution`` -> ``StartExecution``."""
    if target and target.startswith(TARGET_PREFIX):
        return target[len(TARGET_PREFIX) :]
    return None
