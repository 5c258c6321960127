"""The HTTP server: real boto3 clients, raw HTTP clients, the clock endpoint and the state file."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from fakesfn.client import FakeSFNClient
from fakesfn.server import exposure_warning, main, start_server
from fakesfn.server.journal import JournalError, decode_record, encode_record
from tests.server.conftest import ROLE_ARN, activity_machine, boto_client, call, raw, wait_machine

PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": 1}, "End": True}}})


def _create(sfn, name="machine", definition=PASS):
    return sfn.create_state_machine(name=name, definition=definition, roleArn=ROLE_ARN)["stateMachineArn"]


def _history(sfn, arn):
    pages = sfn.get_paginator("get_execution_history").paginate(executionArn=arn)
    return [event for page in pages for event in page["events"]]


# the AWS API through a real boto3 client ----------------------------------------------


def test_region_comes_from_the_signature_and_account_from_the_server(server):
    sfn = boto_client(server, region="eu-west-1")
    try:
        arn = _create(sfn)
    finally:
        sfn.close()
    assert arn == "arn:aws:states:eu-west-1:123456789012:stateMachine:machine"


def test_server_account_id_is_a_setting():
    with start_server(account_id="210987654321") as running:
        sfn = boto_client(running)
        assert ":210987654321:" in _create(sfn)
        sfn.close()


def test_execution_lifecycle(client):
    arn = _create(client)
    execution = client.start_execution(stateMachineArn=arn, name="first", input='{"a": 1}')["executionArn"]
    described = client.describe_execution(executionArn=execution)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"ok": 1}
    assert described["startDate"].tzinfo is not None
    assert [e["type"] for e in _history(client, execution)] == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    listed = client.list_executions(stateMachineArn=arn)["executions"]
    assert [e["name"] for e in listed] == ["first"]
    assert client.describe_state_machine_for_execution(executionArn=execution)["name"] == "machine"


def test_replies_match_the_in_process_client_byte_for_byte(server, client):
    local = FakeSFNClient(region_name="us-east-1", seed=0)
    replies = []
    for sfn in (local, client):
        arn = _create(sfn, definition=wait_machine())
        started = sfn.start_execution(stateMachineArn=arn)
        stopped = sfn.stop_execution(executionArn=started["executionArn"], cause="enough")
        described = sfn.describe_execution(executionArn=started["executionArn"])
        history = sfn.get_execution_history(executionArn=started["executionArn"])
        replies.append([started, stopped, described, history])
    for in_process, served in zip(*replies, strict=True):
        assert in_process["ResponseMetadata"]["RequestId"] == served["ResponseMetadata"]["RequestId"]
        assert (
            in_process["ResponseMetadata"]["HTTPStatusCode"] == served["ResponseMetadata"]["HTTPStatusCode"]
        )
        strip = {k: v for k, v in in_process.items() if k != "ResponseMetadata"}
        assert strip == {k: v for k, v in served.items() if k != "ResponseMetadata"}


def test_service_errors_are_the_modelled_exceptions(client):
    with pytest.raises(client.exceptions.StateMachineDoesNotExist) as raised:
        client.describe_state_machine(
            stateMachineArn="arn:aws:states:us-east-1:123456789012:stateMachine:nope"
        )
    assert raised.value.response["Error"]["Message"] == (
        "State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:nope'"
    )
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(client.exceptions.InvalidDefinition):
        _create(client, definition='{"StartAt": "Missing", "States": {}}')
    with pytest.raises(client.exceptions.ExecutionDoesNotExist):
        client.describe_execution(executionArn="arn:aws:states:us-east-1:123456789012:execution:machine:nope")


def test_paginators_follow_next_tokens(client):
    for index in range(5):
        _create(client, name=f"machine-{index}")
    pages = list(client.get_paginator("list_state_machines").paginate(PaginationConfig={"PageSize": 2}))
    assert [len(page["stateMachines"]) for page in pages] == [2, 2, 1]
    names = [m["name"] for page in pages for m in page["stateMachines"]]
    assert sorted(names) == [f"machine-{index}" for index in range(5)]


def test_activity_worker_over_http(client):
    activity = client.create_activity(name="worker-queue")["activityArn"]
    machine = _create(client, definition=activity_machine(activity))
    execution = client.start_execution(stateMachineArn=machine, input='{"job": 7}')["executionArn"]
    task = client.get_activity_task(activityArn=activity, workerName="w1")
    assert json.loads(task["input"]) == {"job": 7}
    assert "taskToken" not in client.get_activity_task(activityArn=activity)
    client.send_task_success(taskToken=task["taskToken"], output='{"done": true}')
    assert json.loads(client.describe_execution(executionArn=execution)["output"]) == {"done": True}
    with pytest.raises(client.exceptions.TaskTimedOut):
        client.send_task_success(taskToken=task["taskToken"], output="{}")


def test_concurrent_clients_share_one_consistent_world(server, client):
    machine = _create(client)

    def start_many(worker: int) -> list[str]:
        sfn = boto_client(server)
        try:
            return [
                sfn.start_execution(stateMachineArn=machine, name=f"w{worker}-{n}")["executionArn"]
                for n in range(8)
            ]
        finally:
            sfn.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        started = [arn for arns in pool.map(start_many, range(4)) for arn in arns]
    listed = client.list_executions(stateMachineArn=machine, statusFilter="SUCCEEDED")["executions"]
    assert sorted(e["executionArn"] for e in listed) == sorted(started)
    assert len(started) == 32


# raw HTTP clients ----------------------------------------------------------------------


def test_a_body_that_is_not_a_json_object_is_a_serialization_error(server):
    for body in (b"[1, 2]", b"not json", b'"text"', b"\xff\xfe"):
        status, headers, reply = call(server, "ListStateMachines", body)
        assert status == 400
        assert reply["__type"].endswith("#SerializationException")
        assert headers["x-amzn-requestid"]


def test_unknown_targets_are_unknown_operations(server):
    status, _, reply = call(server, "LaunchRockets", b"{}")
    assert (status, reply["__type"].split("#")[1]) == (400, "UnknownOperationException")
    status, _, reply = call(server, "", b"{}", **{"X-Amz-Target": "AmazonSQS.SendMessage"})
    assert (status, reply["__type"].split("#")[1]) == (400, "UnknownOperationException")
    status, _, reply = raw(server, "POST", "/", b"{}", {"Content-Type": "application/json"})
    assert reply["__type"].endswith("#UnknownOperationException")


def test_raw_requests_are_checked_against_the_api_model(server):
    status, _, reply = call(server, "StartExecution", b"{}")
    assert status == 400
    assert reply["__type"].endswith("#ValidationException")
    assert reply["message"] == (
        "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: "
        "Member must not be null"
    )
    status, _, reply = call(
        server, "CreateStateMachine", json.dumps({"name": "", "definition": "{}"}).encode()
    )
    assert reply["message"].startswith("2 validation errors detected: ")
    assert (
        "Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1"
        in (reply["message"])
    )
    status, _, reply = call(server, "ListStateMachines", b'{"maxResults": "ten"}')
    assert (status, reply["__type"].split("#")[1]) == (400, "SerializationException")
    status, _, reply = call(
        server, "CreateStateMachineAlias", b'{"name": "a", "routingConfiguration": [{"weight": 1}]}'
    )
    assert "at 'routingConfiguration.1.member.stateMachineVersionArn'" in reply["message"]


def test_null_members_count_as_absent_and_unsigned_requests_use_us_east_1(server):
    status, headers, reply = call(server, "ListStateMachines", b'{"nextToken": null, "maxResults": 5}')
    assert (status, reply) == (200, {"stateMachines": []})
    assert headers["content-type"] == "application/x-amz-json-1.0"
    body = json.dumps({"name": "plain", "definition": PASS, "roleArn": ROLE_ARN}).encode()
    _, _, reply = call(server, "CreateStateMachine", body)
    assert reply["stateMachineArn"].startswith("arn:aws:states:us-east-1:")


def test_chunked_request_bodies_are_read(server):
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        connection.request(
            "POST",
            "/",
            body=iter([b'{"maxResults":', b" 3}"]),
            headers={
                "X-Amz-Target": "AWSStepFunctions.ListStateMachines",
                "Transfer-Encoding": "chunked",
                "Content-Type": "application/x-amz-json-1.0",
            },
            encode_chunked=True,
        )
        response = connection.getresponse()
        assert (response.status, json.loads(response.read())) == (200, {"stateMachines": []})
    finally:
        connection.close()


def test_unknown_paths_and_methods(server):
    for method, path in [("GET", "/"), ("PUT", "/"), ("DELETE", "/"), ("POST", "/other"), ("BREW", "/")]:
        status, headers, body = raw(server, method, path)
        assert (status, body) == (404, "<UnknownOperationException/>\n")
        assert headers["x-amzn-requestid"]
    status, headers, _ = raw(server, "GET", "/_fakesfn/advance")
    assert (status, headers["allow"]) == (405, "POST")
    assert raw(server, "GET", "/_fakesfn/nothing")[0] == 404


def test_a_fake_bug_is_a_500_and_is_kept(server, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(server.app, "respond", broken)
    status, _, reply = raw(server, "POST", "/", b"{}")
    assert (status, reply["__type"]) == (500, "InternalFailure")
    assert [str(error) for error in server.internal_errors] == ["boom"]
    server.internal_errors.clear()
    assert "RuntimeError: boom" in capsys.readouterr().err


# the virtual-clock endpoint ------------------------------------------------------------


def test_clock_advance_and_settle(server, client):
    machine = _create(client, definition=wait_machine(30))
    execution = client.start_execution(stateMachineArn=machine)["executionArn"]
    assert raw(server, "GET", "/_fakesfn/clock")[2] == {
        "now": "2024-01-01T00:00:00+00:00",
        "next_due": "2024-01-01T00:00:30+00:00",
    }
    _, _, clock = raw(server, "POST", "/_fakesfn/advance", b'{"seconds": 10}')
    assert clock["now"] == "2024-01-01T00:00:10+00:00"
    assert client.describe_execution(executionArn=execution)["status"] == "RUNNING"
    _, _, settled = raw(server, "POST", "/_fakesfn/settle", b'{"max_seconds": null}')
    assert settled == {"advanced": 20.0, "now": "2024-01-01T00:00:30+00:00", "next_due": None}
    assert client.describe_execution(executionArn=execution)["status"] == "SUCCEEDED"


def test_settle_with_a_limit_and_an_empty_body(server, client):
    machine = _create(client, definition=wait_machine(30))
    client.start_execution(stateMachineArn=machine)
    assert raw(server, "POST", "/_fakesfn/settle", b'{"max_seconds": 5}')[2]["advanced"] == 5.0
    assert raw(server, "POST", "/_fakesfn/settle")[2]["now"] == "2024-01-01T00:00:30+00:00"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/_fakesfn/advance", b"{}"),
        ("/_fakesfn/advance", b'{"seconds": -1}'),
        ("/_fakesfn/advance", b'{"seconds": true}'),
        ("/_fakesfn/advance", b'{"seconds": Infinity}'),
        ("/_fakesfn/advance", b"[60]"),
        ("/_fakesfn/settle", b'{"max_seconds": "soon"}'),
        ("/_fakesfn/settle", b"{nope"),
    ],
)
def test_bad_clock_requests_are_refused(server, path, body):
    status, _, reply = raw(server, "POST", path, body)
    assert status == 400
    assert reply["message"]


def test_reset_gives_an_empty_world_with_the_same_seed(server, client):
    first = client.start_execution(stateMachineArn=_create(client))["executionArn"]
    raw(server, "POST", "/_fakesfn/advance", b'{"seconds": 5}')
    assert raw(server, "POST", "/_fakesfn/reset")[2]["now"] == "2024-01-01T00:00:00+00:00"
    assert client.list_state_machines()["stateMachines"] == []
    assert client.start_execution(stateMachineArn=_create(client))["executionArn"] == first


# the state file --------------------------------------------------------------------------


def _snapshot(sfn, machine):
    executions = sfn.list_executions(stateMachineArn=machine)["executions"]
    return {
        "machines": sfn.list_state_machines()["stateMachines"],
        "machine": {
            k: v
            for k, v in sfn.describe_state_machine(stateMachineArn=machine).items()
            if k != "ResponseMetadata"
        },
        "executions": executions,
        "described": [
            {
                k: v
                for k, v in sfn.describe_execution(executionArn=e["executionArn"]).items()
                if k != "ResponseMetadata"
            }
            for e in executions
        ],
        "histories": [_history(sfn, e["executionArn"]) for e in executions],
    }


def test_a_restart_on_the_state_file_loses_nothing(tmp_path):
    state = str(tmp_path / "world.jsonl")
    with start_server(state_file=state, seed=7) as first:
        sfn = boto_client(first)
        activity = sfn.create_activity(name="queue")["activityArn"]
        machine = _create(sfn, definition=activity_machine(activity))
        waiting = _create(sfn, name="waiter", definition=wait_machine(60))
        for _ in range(3):
            sfn.start_execution(stateMachineArn=machine, input='{"n": 1}')
        timer = sfn.start_execution(stateMachineArn=waiting)["executionArn"]
        token = sfn.get_activity_task(activityArn=activity, workerName="before")["taskToken"]
        sfn.get_activity_task(activityArn=activity)
        raw(first, "POST", "/_fakesfn/advance", b'{"seconds": 45}')
        before = _snapshot(sfn, machine)
        sfn.close()
    with start_server(state_file=state, seed=0) as second:
        assert second.backend.seed == 7
        sfn = boto_client(second)
        assert _snapshot(sfn, machine) == before
        assert raw(second, "GET", "/_fakesfn/clock")[2]["now"] == "2024-01-01T00:00:45+00:00"
        sfn.send_task_success(taskToken=token, output='{"after": "restart"}')
        finished = [
            e
            for e in sfn.list_executions(stateMachineArn=machine)["executions"]
            if e["status"] == "SUCCEEDED"
        ]
        assert len(finished) == 1
        raw(second, "POST", "/_fakesfn/advance", b'{"seconds": 15}')
        assert sfn.describe_execution(executionArn=timer)["status"] == "SUCCEEDED"
        sfn.close()


def test_the_journal_skips_reads_and_empty_polls(tmp_path):
    state = tmp_path / "world.jsonl"
    with start_server(state_file=str(state)) as running:
        sfn = boto_client(running)
        activity = sfn.create_activity(name="queue")["activityArn"]
        sfn.get_activity_task(activityArn=activity)
        sfn.list_activities()
        sfn.describe_activity(activityArn=activity)
        with pytest.raises(sfn.exceptions.ActivityDoesNotExist):
            sfn.get_activity_task(activityArn=activity + "-gone")
        sfn.close()
    lines = [decode_record(line) for line in state.read_bytes().splitlines()]
    assert [line["kind"] for line in lines] == ["fakesfn-journal", "call", "call"]
    assert lines[1]["operation"] == "CreateActivity"
    assert (lines[2]["operation"], lines[2]["status"]) == ("GetActivityTask", 400)


def test_any_json_string_survives_the_journal(tmp_path):
    state = str(tmp_path / "world.jsonl")
    awkward = '{"text": "\ud800 naïve \u2028"}'  # a real lone surrogate: valid JSON, no UTF-8 form
    with start_server(state_file=state) as running:
        sfn = boto_client(running)
        execution = sfn.start_execution(stateMachineArn=_create(sfn), input=awkward)["executionArn"]
        sfn.close()
    with start_server(state_file=state) as running:
        sfn = boto_client(running)
        assert sfn.describe_execution(executionArn=execution)["input"] == awkward
        sfn.close()


def test_reset_starts_the_journal_over(tmp_path):
    state = tmp_path / "world.jsonl"
    with start_server(state_file=str(state), seed=3) as running:
        sfn = boto_client(running)
        _create(sfn)
        raw(running, "POST", "/_fakesfn/reset")
        sfn.close()
    assert state.read_bytes() == encode_record({"kind": "fakesfn-journal", "version": 2, "seed": 3})


def test_a_torn_last_line_is_cut_off(tmp_path):
    state = tmp_path / "world.jsonl"
    with start_server(state_file=str(state)) as running:
        sfn = boto_client(running)
        _create(sfn)
        sfn.close()
    whole = state.read_bytes()
    state.write_bytes(whole + b'{"kind":"call","opera')
    with start_server(state_file=str(state)) as running:
        sfn = boto_client(running)
        assert [m["name"] for m in sfn.list_state_machines()["stateMachines"]] == ["machine"]
        sfn.close()
    assert state.read_bytes() == whole


def test_files_that_are_not_journals_are_refused_untouched(tmp_path):
    for content in (b'{"StartAt": "A"}', b'{"StartAt": "A"}\n', b"# notes\n"):
        path = tmp_path / "definition.json"
        path.write_bytes(content)
        with pytest.raises(JournalError):
            start_server(state_file=str(path))
        assert path.read_bytes() == content


def test_a_replay_that_answers_differently_is_refused(tmp_path):
    state = tmp_path / "world.jsonl"
    with start_server(state_file=str(state)) as running:
        sfn = boto_client(running)
        _create(sfn)
        sfn.close()
    lines = state.read_bytes().splitlines()
    entry = decode_record(lines[1])
    lines[1] = encode_record({**entry, "status": 400}).rstrip(b"\n")
    state.write_bytes(b"\n".join(lines) + b"\n")
    with pytest.raises(
        JournalError, match=r"world.jsonl:2: replaying CreateStateMachine answered 200, not 400"
    ):
        start_server(state_file=str(state))


def test_a_given_backend_must_have_the_journal_seed(tmp_path):
    from fakesfn.backend import Backend

    state = str(tmp_path / "world.jsonl")
    start_server(Backend(seed=1), state_file=state).stop()
    with pytest.raises(JournalError, match="seed 1, not 2"):
        start_server(Backend(seed=2), state_file=state)


# the command's entry point -------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "warns"),
    [
        ("127.0.0.1", False),
        ("localhost", False),
        ("::1", False),
        ("0.0.0.0", True),
        ("192.168.1.4", True),
        ("example.com", True),
    ],
)
def test_binding_beyond_loopback_warns(host, warns):
    warning = exposure_warning(host)
    assert (warning is not None) == warns
    if warning:
        assert "no authentication" in warning


def test_serves_on_ipv6_loopback():
    try:
        running = start_server(host="::1")
    except OSError:
        pytest.skip("no IPv6 loopback here")
    with running:
        assert running.url == f"http://[::1]:{running.port}"
        sfn = boto_client(running)
        assert sfn.list_state_machines()["stateMachines"] == []
        sfn.close()


def test_main_reports_an_address_in_use_on_one_line(server, capsys):
    assert main("127.0.0.1", server.port, None, 0) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"fakesfn: error: cannot serve on 127.0.0.1:{server.port}: ")
    assert "\n" not in err


def _lambda_machine():
    return {
        "StartAt": "Double",
        "States": {
            "Double": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "double", "Payload.$": "$"},
                "OutputPath": "$.Payload",
                "End": True,
            }
        },
    }


def test_handlers_registered_before_the_journal_replays(tmp_path):
    state = str(tmp_path / "world.jsonl")
    calls = []

    def configure(backend):
        def double(event, context):
            calls.append(event["n"])
            return {"n": event["n"] * 2}

        backend.register_lambda("double", double)

    with start_server(state_file=state, configure=configure) as first:
        sfn = boto_client(first)
        machine = _create(sfn, definition=json.dumps(_lambda_machine()))
        execution = sfn.start_execution(stateMachineArn=machine, input='{"n": 21}')["executionArn"]
        assert json.loads(sfn.describe_execution(executionArn=execution)["output"]) == {"n": 42}
        before = _history(sfn, execution)
        sfn.close()
    with start_server(state_file=state, configure=configure) as second:
        sfn = boto_client(second)
        assert _history(sfn, execution) == before
        sfn.close()
    assert calls == [21, 21]


def test_main_reports_an_unusable_state_file(tmp_path, capsys):
    path = tmp_path / "notes.txt"
    path.write_text("hello\n")
    assert main("127.0.0.1", 0, str(path), 0) == 2
    assert capsys.readouterr().err.startswith("fakesfn: error: ")


def test_main_serves_until_interrupted(tmp_path):
    state = tmp_path / "world.jsonl"
    code = f"import sys; from fakesfn.server import main; sys.exit(main('127.0.0.1', 0, {str(state)!r}, 5))"
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        banner = process.stdout.readline()
        assert banner.startswith("fakesfn: serving Step Functions at http://127.0.0.1:")
        port = int(banner.split("http://127.0.0.1:")[1].split()[0])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/_fakesfn/clock")
        response = connection.getresponse()
        assert (response.status, json.loads(response.read())["now"]) == (200, "2024-01-01T00:00:00+00:00")
        connection.close()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "GET /_fakesfn/clock 200" in err
    assert decode_record(state.read_bytes().splitlines()[0]) == {
        "kind": "fakesfn-journal",
        "version": 2,
        "seed": 5,
    }
