"""The result of ``lambda:invoke`` as AWS records it: the Invoke API response.

Step Functions hands on what the Java SDK returned for Lambda's Invoke call: the
payload, ``ExecutedVersion``, ``StatusCode``, the HTTP headers twice (``HttpHeaders``
in name order, ``AllHttpHeaders`` in the order Lambda sent them, each value in a
list) and ``SdkResponseMetadata``. With ``LogType: Tail`` the response also carries
``LogResult``: the base64 of the last 4 KB of the invocation's log, as Lambda writes
it (recorded: LocalStack's test_invoke_unsupported_param, 2025-11-06).
"""

from __future__ import annotations

import base64
import email.utils
import math
from typing import Any, Final

LOG_TAIL_BYTES: Final = 4096
"""Lambda: "the last 4 KB of the execution log" (Invoke, LogType=Tail)."""

MEMORY_SIZE_MB: Final = 128
"""The memory size the fake's functions report (their context says the same)."""

# The order Lambda sends its headers in, as every recording shows them in AllHttpHeaders.
_SENT_ORDER: Final = (
    "X-Amz-Log-Result",
    "X-Amz-Executed-Version",
    "x-amzn-Remapped-Content-Length",
    "Connection",
    "x-amzn-RequestId",
    "Content-Length",
    "Date",
    "X-Amzn-Trace-Id",
    "Content-Type",
)


def log_text(request_id: str, printed: str, duration: float) -> str:
    """The log of one invocation, in the Python runtime's START / END / REPORT shape."""
    millis = duration * 1000
    return (
        f"START RequestId: {request_id} Version: $LATEST\n"
        f"{printed}"
        f"END RequestId: {request_id}\n"
        f"REPORT RequestId: {request_id}\tDuration: {millis:.2f} ms\t"
        f"Billed Duration: {max(1, math.ceil(millis))} ms\tMemory Size: {MEMORY_SIZE_MB} MB\t\n"
    )


def log_result(text: str) -> str:
    """``LogResult``: the base64 of the log's last 4 KB."""
    return base64.b64encode(text.encode("utf-8")[-LOG_TAIL_BYTES:]).decode("ascii")


def invoke_response(
    payload: Any, length: int, request_id: str, *, now: float, log: str | None = None
) -> dict[str, Any]:
    """The shape AWS returns for lambda:invoke.

    Args:
        payload: the function's payload, parsed.
        length: the payload's size in bytes (``Content-Length``).
        request_id: the invocation's request id.
        now: the virtual instant of the answer (``Date``), epoch seconds.
        log: the invocation's ``LogResult`` when ``LogType`` was ``Tail``.
    """
    headers = {
        "Connection": "keep-alive",
        "Content-Length": str(length),
        "Content-Type": "application/json",
        "Date": email.utils.formatdate(now, usegmt=True),
        "X-Amz-Executed-Version": "$LATEST",
        "x-amzn-Remapped-Content-Length": "0",
        "x-amzn-RequestId": request_id,
        "X-Amzn-Trace-Id": f"Root=1-{int(now):08x}-{request_id.replace('-', '')[:24]};Sampled=0",
    }
    if log is not None:
        headers["X-Amz-Log-Result"] = log
    response: dict[str, Any] = {"ExecutedVersion": "$LATEST"}
    if log is not None:
        response["LogResult"] = log
    response["Payload"] = payload
    response["SdkHttpMetadata"] = {
        "AllHttpHeaders": {name: [headers[name]] for name in _SENT_ORDER if name in headers},
        "HttpHeaders": dict(sorted(headers.items(), key=lambda item: item[0].lower())),
        "HttpStatusCode": 200,
    }
    response["SdkResponseMetadata"] = {"RequestId": request_id}
    response["StatusCode"] = 200
    return response
