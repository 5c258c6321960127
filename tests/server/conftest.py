"""Fixtures for the HTTP server tests: a running server and real boto3 clients aimed at it."""

from __future__ import annotations

import http.client
import json
from typing import Any

import boto3
import pytest

from fakesfn.server import RunningServer, start_server

ROLE_ARN = "arn:aws:iam::123456789012:role/fakesfn-server-tests"


def wait_machine(seconds: int = 30) -> str:
    """A machine that waits, then echoes its input."""
    return json.dumps(
        {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": seconds, "End": True}}}
    )


def activity_machine(activity_arn: str) -> str:
    """A machine whose one Task is done by an activity worker."""
    return json.dumps(
        {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": activity_arn, "End": True}}}
    )


def boto_client(server: RunningServer, region: str = "us-east-1") -> Any:
    """A real boto3 client that signs with dummy credentials and talks HTTP to ``server``."""
    return boto3.client(
        "stepfunctions",
        endpoint_url=server.url,
        region_name=region,
        aws_access_key_id="AKIDFAKESFNTESTS",
        aws_secret_access_key="not-a-secret",
    )


def raw(
    server: RunningServer, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], Any]:
    """One plain HTTP request: status, headers (lower-cased names) and the JSON reply."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        names = {name.lower(): value for name, value in response.getheaders()}
        return response.status, names, _parsed(data)
    finally:
        connection.close()


def _parsed(data: bytes) -> Any:
    """JSON replies parsed; AWS's few non-JSON ones (``<UnknownOperationException/>``) as text."""
    if not data:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return data.decode("utf-8", "replace")


def call(
    server: RunningServer, operation: str, body: bytes, **headers: str
) -> tuple[int, dict[str, str], Any]:
    """An AWS JSON 1.0 request from a client that is not an SDK (no signature, no validation)."""
    return raw(
        server,
        "POST",
        "/",
        body,
        {
            "X-Amz-Target": f"AWSStepFunctions.{operation}",
            "Content-Type": "application/x-amz-json-1.0",
            **headers,
        },
    )


@pytest.fixture
def server():
    running = start_server()
    yield running
    running.stop()
    assert running.internal_errors == []


@pytest.fixture
def client(server):
    sfn = boto_client(server)
    yield sfn
    sfn.close()
