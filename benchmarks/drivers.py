"""The engines under test, behind one small interface, plus botocore's own floor.

A :class:`Driver` creates machines, runs an execution to its end and reads its
history, always through a real botocore client, so fakesfn and moto are measured
on the same path users take. fakesfn finishes an execution by settling its virtual
clock; moto runs executions in real time on worker threads, so its driver polls
``describe_execution`` until the execution ends or a deadline passes.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

ROLE_ARN = "arn:aws:iam::123456789012:role/fakesfn-bench"
REGION = "us-east-1"
_MOTO_POLLS = (0.001, 0.002, 0.005, 0.01)
"""Seconds between polls: fine at first (short runs), then 10 ms (faster starves moto's worker of the GIL)."""


class EngineTimeout(Exception):
    """A workload did not finish within the driver's deadline."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"not finished after {seconds:.0f} s")
        self.seconds = seconds


class Driver:
    """What every workload needs from an engine; subclasses bind it to one."""

    name = "engine"
    virtual_time = False
    """Whether history timestamps come from a virtual clock (exact gaps) or real time."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._machines = 0

    def create(self, definition: dict[str, Any], machine_type: str = "STANDARD", name: str = "") -> str:
        """Create a state machine; return its ARN."""
        self._machines += 1
        reply = self.client.create_state_machine(
            name=name or f"bench-{self._machines}",
            definition=json.dumps(definition),
            roleArn=ROLE_ARN,
            type=machine_type,
        )
        return str(reply["stateMachineArn"])

    def execute(self, machine_arn: str, input_text: str) -> dict[str, Any]:
        """Start an execution, let it end, and return ``describe_execution``'s reply."""
        raise NotImplementedError

    def execute_sync(self, machine_arn: str, input_text: str) -> dict[str, Any]:
        """Run an EXPRESS execution with ``start_sync_execution``; return its reply."""
        return dict(self.client.start_sync_execution(stateMachineArn=machine_arn, input=input_text))

    def history(self, execution_arn: str) -> list[dict[str, Any]]:
        """Every history event, oldest first, through the client's paginator."""
        pages = self.client.get_paginator("get_execution_history").paginate(
            executionArn=execution_arn, PaginationConfig={"PageSize": 1000}
        )
        return [event for page in pages for event in page["events"]]

    def last_event(self, execution_arn: str) -> dict[str, Any]:
        """The newest history event alone (cheap, whatever the history's length)."""
        reply = self.client.get_execution_history(executionArn=execution_arn, reverseOrder=True, maxResults=1)
        return dict(reply["events"][0])

    def recorded_events(self, execution_arn: str) -> list[dict[str, Any]] | None:
        """Events the engine kept for an execution the API shows no history of (EXPRESS)."""
        return None

    def recorded_event_count(self, execution_arn: str) -> int | None:
        """How many events the engine numbered for such an execution, when it counts without keeping them."""
        return None

    def register_lambda(self, name: str, handler: Any) -> bool:
        """Make ``handler`` answer a Lambda function; False when the engine cannot."""
        return False

    def use_aws_session(self, session: Any) -> bool:
        """Make the engine reach other AWS services (S3 for ItemReader) through ``session``; False if not."""
        return False

    def reset(self) -> bool:
        """Forget every machine and execution (the AWS session stays); False when the engine cannot."""
        return False


class FakeDriver(Driver):
    """fakesfn: a fresh backend per workload, executions settled on the virtual clock."""

    name = "fakesfn"
    virtual_time = True

    def __init__(self) -> None:
        import fakesfn

        super().__init__(fakesfn.FakeSFNClient(region_name=REGION, seed=0))

    def execute(self, machine_arn: str, input_text: str) -> dict[str, Any]:
        client = self.client
        arn = client.start_execution(stateMachineArn=machine_arn, input=input_text)["executionArn"]
        client.backend.settle()
        return dict(client.describe_execution(executionArn=arn))

    def recorded_events(self, execution_arn: str) -> list[dict[str, Any]] | None:
        # EXPRESS executions have no GetExecutionHistory (AWS sends them to CloudWatch
        # Logs); the benchmark still checks what the engine recorded, when it keeps it.
        execution = self.client.backend.store.executions.get(execution_arn)
        if execution is None or not execution.history.kept:
            return None
        return list(execution.history.events)

    def recorded_event_count(self, execution_arn: str) -> int | None:
        # fakesfn numbers an EXPRESS execution's events (errors quote their ids) but keeps none.
        execution = self.client.backend.store.executions.get(execution_arn)
        return None if execution is None else len(execution.history)

    def register_lambda(self, name: str, handler: Any) -> bool:
        self.client.backend.register_lambda(name, handler)
        return True

    def use_aws_session(self, session: Any) -> bool:
        self.client.backend.aws_session = session
        return True

    def reset(self) -> bool:
        self.client.backend.reset()
        return True


class MotoDriver(Driver):
    """moto's ``mock_aws`` with state machine execution on (its real-time, threaded engine).

    One driver serves one workload, and ``timeout`` caps the whole workload: every
    execution it starts must end before the deadline set when the driver was made.
    """

    name = "moto"

    def __init__(self, client: Any, timeout: float) -> None:
        super().__init__(client)
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self._executions = 0

    def execute(self, machine_arn: str, input_text: str) -> dict[str, Any]:
        client = self.client
        deadline = self.deadline
        # moto's default execution names repeat within one mock (ExecutionAlreadyExists): name each one.
        self._executions += 1
        arn = client.start_execution(
            stateMachineArn=machine_arn, input=input_text, name=f"run-{self._executions}"
        )["executionArn"]
        polls = 0
        while True:
            reply = dict(client.describe_execution(executionArn=arn))
            if reply["status"] != "RUNNING":
                return reply
            if time.monotonic() > deadline:
                # Stop the worker thread so it does not eat the CPU of later workloads.
                client.stop_execution(executionArn=arn)
                raise EngineTimeout(self.timeout)
            time.sleep(_MOTO_POLLS[min(polls, len(_MOTO_POLLS) - 1)])
            polls += 1


def moto_available() -> str | None:
    """``None`` when moto can execute state machines here, else why not."""
    if find_spec("moto") is None:
        return "moto is not installed (pip install -e '.[bench]')"
    if find_spec("antlr4") is None:
        return "moto's state machine parser needs antlr4-python3-runtime (pip install -e '.[bench]')"
    return None


@contextlib.contextmanager
def moto_driver(timeout: float) -> Iterator[MotoDriver]:
    """A fresh moto world with execution on, and a boto3 client into it."""
    import boto3
    from moto import mock_aws

    # moto logs every caught or retried States error with its whole parse tree.
    moto_log = logging.getLogger("moto")
    level = moto_log.level
    moto_log.setLevel(logging.CRITICAL)
    try:
        with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
            client = boto3.client(
                "stepfunctions",
                region_name=REGION,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
            yield MotoDriver(client, timeout)
    finally:
        moto_log.setLevel(level)


# -- botocore's floor ------------------------------------------------------------------


def canned_describe_reply(machine_arn: str, definition: str) -> bytes:
    """A DescribeStateMachine reply with every field AWS returns for a plain STANDARD machine."""
    return json.dumps(
        {
            "stateMachineArn": machine_arn,
            "name": machine_arn.rsplit(":", 1)[-1],
            "status": "ACTIVE",
            "definition": definition,
            "roleArn": ROLE_ARN,
            "type": "STANDARD",
            "creationDate": 1704067200.0,
            "loggingConfiguration": {"level": "OFF", "includeExecutionData": False},
            "tracingConfiguration": {"enabled": False},
            "encryptionConfiguration": {"type": "AWS_OWNED_KEY"},
        }
    ).encode()


def floor_client(body: bytes) -> Any:
    """A botocore Step Functions client whose every call is answered with ``body``.

    No fakesfn involved: botocore's ``before-send`` hook returns a fixed
    :class:`~botocore.awsrequest.AWSResponse`, so what remains is the cost botocore
    itself imposes per call (validation, serialisation, events, parsing). It is
    configured like fakesfn's client (unsigned, one attempt) so the two compare
    like for like.
    """
    import botocore.session
    from botocore import UNSIGNED
    from botocore.awsrequest import AWSResponse
    from botocore.config import Config

    from fakesfn.client.transport import RawBody

    session = botocore.session.get_session()
    client = session.create_client(
        "stepfunctions",
        region_name=REGION,
        endpoint_url=f"https://states.{REGION}.amazonaws.com",
        config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1, "mode": "standard"}),
    )
    headers = {
        "x-amzn-RequestId": "00000000-0000-0000-0000-000000000000",
        "Content-Type": "application/x-amz-json-1.0",
        "Content-Length": str(len(body)),
    }

    def answer(request: Any, **_: Any) -> Any:
        return AWSResponse(request.url, 200, headers, RawBody(body))

    # First in line, so an inactive global hook (moto's, once imported) never runs either.
    client.meta.events.register_first("before-send.sfn", answer, unique_id="bench-canned-reply")
    return client
