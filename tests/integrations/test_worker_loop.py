"""An activity worker written the way a user writes one for AWS, run against the fake.

The worker only knows boto3 (``boto3.client("stepfunctions")`` under ``mock_sfn``)
and a ``sleep`` it is given: in production ``time.sleep``, here the backend's
``advance``, so an hour of work with heartbeats takes no real time.
"""

from __future__ import annotations

import json

import boto3
import pytest

import fakesfn
from tests.conftest import ROLE_ARN

HEARTBEAT_SECONDS = 60


def process_orders(activity_arn, sleep, *, work_seconds, heartbeat_every, worker_name="order-worker"):
    """Poll until no task is left; work on each, heartbeating; report success or failure."""
    client = boto3.client("stepfunctions", region_name="us-east-1")
    finished = []
    while True:
        task = client.get_activity_task(activityArn=activity_arn, workerName=worker_name)
        token = task.get("taskToken")
        if not token:
            return finished
        order = json.loads(task["input"])
        if order.get("quantity", 0) <= 0:
            client.send_task_failure(
                taskToken=token, error="Order.Invalid", cause=f"quantity {order.get('quantity')}"
            )
            continue
        try:
            worked = 0
            while worked < work_seconds:
                sleep(heartbeat_every)
                worked += heartbeat_every
                client.send_task_heartbeat(taskToken=token)
            client.send_task_success(taskToken=token, output=json.dumps({"packed": order["id"]}))
            finished.append(order["id"])
        except client.exceptions.TaskTimedOut:
            continue


@pytest.fixture
def world():
    with fakesfn.mock_sfn() as backend:
        client = boto3.client("stepfunctions", region_name="us-east-1")
        activity = client.create_activity(name="pack-orders")["activityArn"]
        definition = {
            "StartAt": "Pack",
            "States": {
                "Pack": {
                    "Type": "Task",
                    "Resource": activity,
                    "HeartbeatSeconds": HEARTBEAT_SECONDS,
                    "TimeoutSeconds": 3600,
                    "Retry": [
                        {"ErrorEquals": ["States.HeartbeatTimeout"], "MaxAttempts": 1, "IntervalSeconds": 5}
                    ],
                    "End": True,
                }
            },
        }
        machine = client.create_state_machine(
            name="packing", definition=json.dumps(definition), roleArn=ROLE_ARN
        )
        yield backend, client, activity, machine["stateMachineArn"]


def start_orders(client, machine, orders):
    return [
        client.start_execution(stateMachineArn=machine, name=f"order-{o['id']}", input=json.dumps(o))[
            "executionArn"
        ]
        for o in orders
    ]


def test_worker_loop_packs_every_order(world):
    backend, client, activity, machine = world
    executions = start_orders(
        client, machine, [{"id": 1, "quantity": 2}, {"id": 2, "quantity": 1}, {"id": 3, "quantity": 0}]
    )
    started = backend.clock.now()
    packed = process_orders(activity, backend.advance, work_seconds=600, heartbeat_every=50)
    assert packed == [1, 2]
    assert (backend.clock.now() - started).total_seconds() == 1200
    results = [client.describe_execution(executionArn=arn) for arn in executions]
    assert [r["status"] for r in results] == ["SUCCEEDED", "SUCCEEDED", "FAILED"]
    assert json.loads(results[0]["output"]) == {"packed": 1}
    assert (results[2]["error"], results[2]["cause"]) == ("Order.Invalid", "quantity 0")
    events = client.get_execution_history(executionArn=executions[1])["events"]
    started_event = next(e for e in events if e["type"] == "ActivityStarted")
    assert started_event["activityStartedEventDetails"] == {"workerName": "order-worker"}


def test_slow_heartbeats_lose_the_task_and_the_retry_is_picked_up(world):
    backend, client, activity, machine = world
    (execution,) = start_orders(client, machine, [{"id": 9, "quantity": 1}])
    assert (
        process_orders(activity, backend.advance, work_seconds=120, heartbeat_every=HEARTBEAT_SECONDS + 1)
        == []
    )
    assert client.describe_execution(executionArn=execution)["status"] == "RUNNING"
    backend.advance(5)
    assert process_orders(activity, backend.advance, work_seconds=120, heartbeat_every=30) == [9]
    result = client.describe_execution(executionArn=execution)
    assert result["status"] == "SUCCEEDED"
    types = [e["type"] for e in client.get_execution_history(executionArn=execution)["events"]]
    assert types.count("ActivityTimedOut") == 1
    assert types.count("ActivityStarted") == 2


def test_an_idle_worker_returns_at_once(world):
    backend, _client, activity, _machine = world
    before = backend.clock.now()
    assert process_orders(activity, backend.advance, work_seconds=10, heartbeat_every=5) == []
    assert backend.clock.now() == before
