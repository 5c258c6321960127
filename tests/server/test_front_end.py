"""The HTTP front end answers junk as AWS's front end does (issue 16, item 8), never with a 500."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from typing import Any

import pytest

from fakesfn.server import start_server
from fakesfn.server.loop import Limits
from tests.server.conftest import boto_client, call, raw

SIGNED = (
    "AWS4-HMAC-SHA256 Credential=AKID/20240101/{region}/{service}/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=0"
)


def _serialization(reply: Any) -> bool:
    return reply["__type"] == "com.amazon.coral.service#SerializationException"


@pytest.mark.parametrize("depth", [600, 1_000, 100_000])
def test_deeply_nested_bodies_are_serialization_errors(server, depth):
    for body in (b'{"x": ' + b"[" * depth + b"]" * depth + b"}", b"[" * depth + b"]" * depth):
        status, _, reply = call(server, "ListStateMachines", body)
        assert status == 400
        assert _serialization(reply)


def test_nesting_within_the_limit_is_read_and_unknown_members_are_ignored(server):
    body = b'{"maxResults": 5, "x": ' + b"[" * 500 + b"]" * 500 + b"}"
    assert call(server, "ListStateMachines", body)[:3:2] == (200, {"stateMachines": []})


def test_brackets_inside_strings_do_not_count_as_nesting(server):
    # 600 brackets, escaped quotes and escaped backslashes inside strings: one level deep
    text = '{"maxResults": 5, "x": "' + "[{" * 300 + '\\"\\\\", "y": ["]]\\\\"]}'
    assert call(server, "ListStateMachines", text.encode())[:3:2] == (200, {"stateMachines": []})


def test_bodies_are_decoded_as_json_decodes_bytes(server):
    # UTF-16 (told apart by its first bytes), as json.loads reads bytes; not UTF-8: not JSON
    assert call(server, "ListStateMachines", '{"maxResults": 5}'.encode("utf-16-le"))[0] == 200
    status, _, reply = call(server, "ListStateMachines", b'{"x": "\xff"}')
    assert status == 400
    assert _serialization(reply)


@pytest.mark.parametrize(
    "body",
    [b'{"maxResults": NaN}', b'{"maxResults": Infinity}', b'{"x": 1e400}', b'{"x": ' + b"9" * 5000 + b"}"],
)
def test_numbers_json_cannot_hold_are_serialization_errors(server, body):
    status, _, reply = call(server, "ListStateMachines", body)
    assert status == 400
    assert _serialization(reply)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("advance", b'{"seconds": 1e300}'),
        ("advance", b'{"seconds": 1e400}'),
        ("advance", b'{"seconds": ' + b"9" * 400 + b"}"),
        ("advance", b'{"seconds": 300000000000}'),
        ("settle", b'{"max_seconds": 1e300}'),
        ("settle", b'{"max_seconds": ' + b"9" * 400 + b"}"),
    ],
)
def test_huge_clock_moves_are_refused_not_crashed(server, path, body):
    status, _, reply = raw(server, "POST", f"/_fakesfn/{path}", body)
    assert status == 400
    assert "seconds" in reply["message"] or "does not fit a double" in reply["message"]
    assert raw(server, "GET", "/_fakesfn/clock")[2]["now"] == "2024-01-01T00:00:00+00:00"


@pytest.mark.parametrize(
    ("length", "status"),
    [("-1", 400), ("-0", 400), ("+5", 400), ("0x10", 400), ("1 2", 400), ("5, 6", 400),
     ("99999999999999999999", 413)],
)  # fmt: skip
def test_content_length_must_be_a_length(server, length, status):
    reply = _exchange(
        server, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + length.encode() + b"\r\n\r\n{}"
    )
    assert reply.startswith(f"HTTP/1.1 {status} ".encode())
    assert b"Connection: close" in reply
    assert b"<html" not in reply.lower()


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/x-amz-json-1.1", None]
)
def test_other_content_types_are_unknown_operations(server, content_type):
    headers = {"X-Amz-Target": "AWSStepFunctions.ListStateMachines"}
    if content_type:
        headers["Content-Type"] = content_type
    status, reply_headers, body = raw(server, "POST", "/", b"{}", headers)
    assert (status, body) == (404, "<UnknownOperationException/>\n")
    assert reply_headers["x-amzn-requestid"]


@pytest.mark.parametrize(
    ("content_type", "answered_as"),
    [
        ("application/x-amz-json-1.0", "application/x-amz-json-1.0"),
        ("application/x-amz-json-1.0; charset=utf-8", "application/x-amz-json-1.0"),
        ("Application/JSON", "application/json"),
        ("application/json", "application/json"),
    ],
)
def test_json_content_types_are_read(server, content_type, answered_as):
    status, headers, body = call(server, "ListStateMachines", b"{}", **{"Content-Type": content_type})
    assert (status, body, headers["content-type"]) == (200, {"stateMachines": []}, answered_as)


def test_an_empty_body_needs_no_content_type(server):
    status, _, body = raw(server, "POST", "/", b"", {"X-Amz-Target": "AWSStepFunctions.ListActivities"})
    assert (status, body) == (200, {"activities": []})


@pytest.mark.parametrize(
    ("region", "service", "message"),
    [
        ("mars-north-1", "states", "Credential should be scoped to a valid region, not 'mars-north-1'. "),
        ("us-east-1;x", "states", "Credential should be scoped to a valid region, not 'us-east-1;x'. "),
        ("us-east-1", "s3", "Credential should be scoped to correct service: 'states'. "),
    ],
)
def test_the_signing_region_must_be_an_aws_region(server, region, service, message):
    authorization = SIGNED.format(region=region, service=service)
    status, _, reply = call(server, "ListStateMachines", b"{}", Authorization=authorization)
    assert (status, reply) == (400, {"__type": "InvalidSignatureException", "message": message})


@pytest.mark.parametrize("region", ["eu-west-3", "cn-north-1", "us-gov-west-1", "ap-southeast-7"])
def test_every_partition_region_is_served(server, region):
    sfn = boto_client(server, region=region)
    arn = sfn.create_activity(name="queue")["activityArn"]
    assert arn.startswith(f"arn:aws:states:{region}:") or arn.split(":")[3] == region


def _exchange(server: Any, data: bytes, *, read_until_close: bool = True) -> bytes:
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
            if not read_until_close:
                break
        return b"".join(chunks)


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GARBAGE\r\n\r\n",
        b"POST / HTTP/9.9\r\n\r\n",
        b"POST /\x01 HTTP/1.1\r\n\r\n",
        b"POST / HTTP/1.1\r\nNo colon here\r\n\r\n",
        b"POST / HTTP/1.1\r\nBad Name: x\r\n\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"POST / HTTP/1.1\r\nX: " + b"a" * 70_000 + b"\r\n\r\n",
    ],
)
def test_malformed_requests_get_a_json_answer_and_the_connection_closes(server, request_bytes):
    reply = _exchange(server, request_bytes)
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.split(b" ")[1] in (b"400", b"431", b"501")
    assert "message" in json.loads(body)


def test_pipelined_requests_are_answered_in_order(server):
    one = (
        b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.ListActivities\r\n"
        b"Content-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\n\r\n{}"
    )
    close = one.replace(b"Host: x\r\n", b"Host: x\r\nConnection: close\r\n")
    reply = _exchange(server, one + one + close)
    assert reply.count(b"HTTP/1.1 200 OK") == 3


def test_expect_100_continue_is_honoured(server):
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.ListActivities\r\n"
            b"Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"
        )
        assert sock.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"{}")
        assert sock.recv(4096).startswith(b"HTTP/1.1 200 OK")


def test_idle_connections_hold_no_thread_and_are_capped():
    limits = Limits(workers=4, max_connections=20, idle_timeout=60, request_timeout=60)
    with start_server(limits=limits) as running:
        before = threading.active_count()
        sockets = [socket.create_connection((running.host, running.port), timeout=10) for _ in range(200)]
        try:
            sfn = boto_client(running)
            assert sfn.list_activities()["activities"] == []  # the oldest idle ones made room
            assert threading.active_count() <= before
            for sock in sockets[:150]:  # the oldest: closed to make room for newer ones
                sock.settimeout(10)
                with contextlib.suppress(ConnectionError):
                    assert sock.recv(1) == b""
        finally:
            for sock in sockets:
                sock.close()


def test_when_no_connection_is_idle_a_new_one_is_told_to_come_back():
    limits = Limits(workers=2, max_connections=3, idle_timeout=60, request_timeout=60)
    with start_server(limits=limits) as running:
        partial = [socket.create_connection((running.host, running.port), timeout=10) for _ in range(3)]
        try:
            for sock in partial:  # requests still arriving: the server has read their heads...
                sock.sendall(
                    b"POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 9\r\n\r\n"
                )
            for sock in partial:  # ...as its "100 Continue" shows
                assert sock.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
            reply = _exchange(running, b"")
            assert reply.startswith(b"HTTP/1.1 503 Service Unavailable")
            assert json.loads(reply.partition(b"\r\n\r\n")[2])["__type"] == "ServiceUnavailable"
        finally:
            for sock in partial:
                sock.close()


def test_idle_and_slow_connections_are_closed_after_their_timeouts():
    limits = Limits(workers=2, max_connections=10, idle_timeout=0.5, request_timeout=0.5)
    with start_server(limits=limits) as running:
        with (
            socket.create_connection((running.host, running.port), timeout=10) as idle,
            socket.create_connection((running.host, running.port), timeout=10) as slow,
        ):
            slow.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
            assert idle.recv(1) == b""
            assert slow.recv(1) == b""


def test_a_head_request_gets_headers_and_no_body(server):
    reply = _exchange(server, b"HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 404 Not Found")
    assert b"Content-Length: 29" in head
    assert body == b""
