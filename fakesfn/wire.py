"""The AWS JSON 1.0 wire format, as the Step Functions endpoint speaks it: a leaf.

The in-process transport (:mod:`fakesfn.client`), the backend and the HTTP server
(:mod:`fakesfn.server`) all speak it, so it sits below every layer: a request is an
operation name plus a JSON body, a reply is a status code plus JSON bytes.
Timestamps travel as epoch seconds (floats), which is what the service layer
produces already. The region and account a client speaks for when none is given
live here too, for the same readers.
"""

from __future__ import annotations

import json
from typing import Any, Final, Protocol

CONTENT_TYPE: Final = "application/x-amz-json-1.0"
TARGET_PREFIX: Final = "AWSStepFunctions."

DEFAULT_REGION: Final = "us-east-1"
"""The region a client, the server or a fixture speaks for when none is given."""

DEFAULT_ACCOUNT_ID: Final = "123456789012"
"""The account a client, the server or a fixture speaks for when none is given."""


class RefusedCall(Protocol):
    """A refused API call as the wire carries it (the service's ``ServiceError`` is one)."""

    @property
    def status(self) -> int:
        """The HTTP status code."""
        ...

    def body(self) -> dict[str, Any]:
        """The JSON error body (``{"__type": ..., "message": ...}``)."""
        ...


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


def encode_error(error: RefusedCall) -> tuple[int, bytes]:
    """The status code and reply body of a refused call."""
    return error.status, json.dumps(error.body(), separators=(",", ":")).encode("utf-8")


def operation_from_target(target: str | None) -> str | None:
    """``AWSStepFunctions.StartExecution`` -> ``StartExecution``."""
    if target and target.startswith(TARGET_PREFIX):
        return target[len(TARGET_PREFIX) :]
    return None
