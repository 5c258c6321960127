"""Junk over HTTP: ``fakesfn serve`` answers every body, header, method and byte stream, never a 500.

Three kinds of junk, each against one running server:

* API requests whose framing is right but whose content is not: random bodies
  (bytes, text, JSON of every type, deep nesting, huge numbers, real operation
  members with wrong values), content types, targets and signatures;
* raw byte streams: request lines, headers, ``Content-Length`` and chunked
  framing assembled from plausible and broken pieces, cut anywhere;
* methods and paths, the clock controls included, with junk bodies.

The invariants: an answer is HTTP with a status below 500 (501 for a transfer
coding other than chunked, as HTTP/1.1 asks; or the connection closes on an
incomplete request), the server records no internal error, no
request takes longer than the socket timeout (no hang), and the server still
answers a valid request afterwards. ``FAKESFN_FUZZ_PROFILE=long`` (``nox -s
fuzz``) runs many more examples.
"""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakesfn.server import Limits, start_server
from fakesfn.server.shapes import operation_names
from tests.trust.strategies import fuzz_settings

TIMEOUT = 20.0
"""Seconds a reply may take before the test calls it a hang (the server closes sooner)."""


@pytest.fixture(scope="module")
def server():
    limits = Limits(workers=4, max_connections=64, idle_timeout=5, request_timeout=2)
    with start_server(limits=limits) as running:
        yield running
        assert running.internal_errors == []


def _exchange(server: Any, data: bytes) -> bytes:
    """Send ``data``, say nothing more, and read until the server closes."""
    with socket.create_connection((server.host, server.port), timeout=TIMEOUT) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server refused early and closed: read what it said
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            pass
        return b"".join(chunks)


def _statuses(reply: bytes, *, head: bool = False) -> list[int]:
    statuses = []
    rest = reply
    while rest.startswith(b"HTTP/1.1 "):
        statuses.append(int(rest[9:12]))
        lines, _, rest = rest.partition(b"\r\n\r\n")
        length = 0
        for line in lines.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        rest = rest if head else rest[length:]  # a HEAD reply announces a body it does not send
    assert not rest, f"trailing bytes that are not HTTP: {rest[:80]!r}"
    return statuses


def _healthy(server: Any) -> None:
    assert server.internal_errors == []
    request = (
        b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.ListActivities\r\n"
        b"Content-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
    )
    assert _statuses(_exchange(server, request)) == [200]


def _request(method: bytes, path: bytes, headers: list[tuple[bytes, bytes]], body: bytes) -> bytes:
    lines = [method + b" " + path + b" HTTP/1.1", b"Host: fuzz"]
    lines += [name + b": " + value for name, value in headers]
    lines += [b"Content-Length: " + str(len(body)).encode(), b"Connection: close"]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


# API requests with junk content ------------------------------------------------------------

OPERATIONS = sorted(operation_names())
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
MEMBERS = [
    "stateMachineArn", "executionArn", "name", "definition", "roleArn", "input", "maxResults",
    "nextToken", "taskToken", "output", "type", "tags", "activityArn", "includeExecutionData",
    "reverseOrder", "statusFilter", "error", "cause", "loggingConfiguration", "publish",
]  # fmt: skip
deep = st.integers(1, 3000).map(lambda n: b"[" * n + b"]" * n)
numbers = st.sampled_from([b"NaN", b"-Infinity", b"1e400", b"-0", b"9" * 2000, b"1" * 999, b"0.0e-999"])
bodies = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(st.sampled_from(MEMBERS), json_values, max_size=6).map(lambda d: json.dumps(d).encode()),
    deep.map(lambda d: b'{"name": ' + d + b"}"),
    numbers.map(lambda n: b'{"maxResults": ' + n + b"}"),
    st.just(b""),
)
targets = st.one_of(
    st.sampled_from(OPERATIONS).map(lambda op: f"AWSStepFunctions.{op}"),
    st.text(max_size=40),
    st.just("AWSStepFunctions."),
)
content_types = st.sampled_from(
    ["application/x-amz-json-1.0", "application/json", "application/x-amz-json-1.0; charset=utf-8",
     "text/plain", "", "application/x-amz-json-1.1", "multipart/form-data; boundary=x"]
)  # fmt: skip
authorizations = st.one_of(
    st.just(""),
    st.builds(
        "AWS4-HMAC-SHA256 Credential=AKID/20240101/{}/{}/aws4_request, Signature=0".format,
        st.sampled_from(["us-east-1", "eu-west-3", "mars-1", "", "us-east-1;x", "ap-southeast-7"]),
        st.sampled_from(["states", "s3", ""]),
    ),
    st.text(max_size=60),
)


def _header_value(text: str) -> bytes:
    return text.encode("utf-8", "replace").replace(b"\r", b" ").replace(b"\n", b" ")


@fuzz_settings(weight=1.0)
@given(target=targets, body=bodies, content_type=content_types, authorization=authorizations)
def test_junk_api_requests_get_aws_errors_never_a_500(server, target, body, content_type, authorization):
    headers = [(b"X-Amz-Target", _header_value(target))]
    if content_type:
        headers.append((b"Content-Type", content_type.encode()))
    if authorization:
        headers.append((b"Authorization", _header_value(authorization)))
    statuses = _statuses(_exchange(server, _request(b"POST", b"/", headers, body)))
    assert len(statuses) == 1
    assert statuses[0] < 500
    _healthy(server)


# raw byte streams ----------------------------------------------------------------------------

request_lines = st.one_of(
    st.sampled_from(
        [b"POST / HTTP/1.1", b"GET / HTTP/1.0", b"POST / HTTP/2.0", b"POST  / HTTP/1.1", b"POST /",
         b"", b"POST /_fakesfn/advance HTTP/1.1", b"\x00\xff", b"POST " + b"/" * 70_000 + b" HTTP/1.1"]
    ),
    st.binary(max_size=40),
)  # fmt: skip
header_lines = st.lists(
    st.one_of(
        st.sampled_from(
            [b"Content-Length: 2", b"Content-Length: -1", b"Content-Length: 99999999999999999999",
             b"Content-Length: 1, 2", b"Transfer-Encoding: chunked", b"Transfer-Encoding: gzip",
             b"Expect: 100-continue", b"Connection: keep-alive",
             b"X-Amz-Target: AWSStepFunctions.ListActivities",
             b"Content-Type: application/json", b" folded", b"NoColon", b"Bad Name: x", b"X: \x01"]
        ),
        st.binary(max_size=30),
    ),
    max_size=8,
)  # fmt: skip
tails = st.one_of(
    st.sampled_from([b"{}", b"2\r\n{}\r\n0\r\n\r\n", b"zz\r\n", b"ffffffff\r\n", b"1;ext\r\n{\r\n0\r\n\r\n"]),
    st.binary(max_size=60),
)  # fmt: skip
separators = st.sampled_from([b"\r\n", b"\n", b"\r"])


@fuzz_settings(weight=1.0)
@given(line=request_lines, headers=header_lines, sep=separators, tail=tails, cut=st.integers(0, 400))
def test_junk_byte_streams_are_answered_or_closed_never_hung(server, line, headers, sep, tail, cut):
    data = sep.join([line, *headers]) + sep + sep + tail
    data = data[: max(cut, 1)] if cut < len(data) else data
    for status in _statuses(_exchange(server, data)):
        assert status < 500 or status == 501  # 501: a transfer coding HTTP says to refuse so
    _healthy(server)


# methods and paths ---------------------------------------------------------------------------

methods = st.one_of(
    st.sampled_from([b"GET", b"POST", b"PUT", b"DELETE", b"HEAD", b"OPTIONS", b"PATCH", b"TRACE"]),
    st.from_regex(rb"\A[A-Z]{1,12}\Z"),
)
paths = st.one_of(
    st.sampled_from(
        [b"/", b"/_fakesfn/clock", b"/_fakesfn/advance", b"/_fakesfn/settle", b"/_fakesfn/nothing",
         b"/_fakesfn/", b"/?x=1", b"*", b"/%00", b"//", b"/_fakesfn/advance?x"]
    ),
    st.from_regex(rb"\A/[!-~]{0,30}\Z"),
)  # fmt: skip
control_bodies = st.one_of(
    bodies,
    st.builds(lambda v: json.dumps({"seconds": v}).encode(), json_values),
    st.builds(lambda v: json.dumps({"max_seconds": v}).encode(), json_values),
    st.sampled_from([b'{"seconds": 1e308}', b'{"seconds": 1e-320}', b'{"max_seconds": 5}']),
)


@fuzz_settings(weight=1.0)
@given(method=methods, path=paths, body=control_bodies)
def test_any_method_and_path_gets_an_answer_never_a_500(server, method, path, body):
    if path == b"/_fakesfn/reset":
        return  # a reset is no junk; it works
    statuses = _statuses(_exchange(server, _request(method, path, [], body)), head=method == b"HEAD")
    assert len(statuses) == 1
    assert statuses[0] < 500
    _healthy(server)
