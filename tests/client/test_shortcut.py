"""Answering at ``before-call`` is invisible: the same answers as the full path, every user hook fired.

The shortcut (``fakesfn/client/shortcut.py``) skips the request side of botocore's
pipeline when nobody but botocore watches it. These tests run one script of calls
(successes, datetimes, paginators, modelled and unmodelled errors, a retryable error)
on two clients of the same seed, one answered by the shortcut and one forced down the
full path, and require identical outcomes; then they register a user's handler on
every event of a call and require each to fire, as on a client talking to AWS.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.endpoint import Endpoint
from botocore.stub import Stubber

import fakesfn

ROLE = "arn:aws:iam::123456789012:role/r"
DEFINITION = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"n": 1}, "End": True}}})


def _outcome(call: Any) -> Any:
    """A call's parsed reply, or everything a caller can read from its exception."""
    try:
        return ("ok", call())
    except Exception as error:  # noqa: BLE001 - the exception is the outcome compared
        response = getattr(error, "response", None)
        return (type(error).__name__, str(error), getattr(error, "operation_name", None), response)


def _script(client: Any) -> list[Any]:
    machine = client.create_state_machine(name="m", definition=DEFINITION, roleArn=ROLE)["stateMachineArn"]
    run = client.start_execution(stateMachineArn=machine, name="run", input='{"a": 1}')["executionArn"]
    calls = [
        lambda: client.describe_state_machine(stateMachineArn=machine),
        lambda: client.describe_execution(executionArn=run),
        lambda: list(client.get_paginator("get_execution_history").paginate(executionArn=run, maxResults=1)),
        lambda: client.list_executions(stateMachineArn=machine),
        lambda: client.create_state_machine(name="bad", definition="{}", roleArn=ROLE),
        lambda: client.describe_execution(executionArn=run + "-missing"),
        lambda: client.send_task_success(taskToken="nope", output="{}"),
        lambda: client.tag_resource(resourceArn=machine, tags=[{"key": "k", "value": "v"}]),
        lambda: client.list_tags_for_resource(resourceArn=machine),
        lambda: client.test_state(definition='{"Type": "Pass", "End": true}', roleArn=ROLE, input="{}"),
        lambda: client.start_execution(stateMachineArn=machine, name="run", input='{"a": 2}'),
    ]
    return [_outcome(call) for call in calls]


def _force_full_path(client: Any) -> list[str]:
    """A user's ``before-send`` handler that answers nothing: the shortcut must step aside."""
    seen: list[str] = []
    client.meta.events.register("before-send.sfn", lambda request, **_: seen.append(request.url))
    return seen


@pytest.fixture
def http_requests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every call that went through botocore's endpoint (the full path)."""
    made: list[str] = []
    original = Endpoint.make_request

    def counting(self: Any, operation_model: Any, request_dict: Any) -> Any:
        made.append(operation_model.name)
        return original(self, operation_model, request_dict)

    monkeypatch.setattr(Endpoint, "make_request", counting)
    return made


def test_the_shortcut_answers_exactly_as_the_full_path(http_requests):
    short = fakesfn.FakeSFNClient(seed=7)
    short_outcomes = _script(short)
    assert http_requests == []  # every call was answered at before-call

    full = fakesfn.FakeSFNClient(seed=7)
    sent = _force_full_path(full)
    full_outcomes = _script(full)
    assert len(http_requests) == len(sent) >= 13  # the history paginator makes several calls

    assert short_outcomes == full_outcomes
    kinds = [outcome[0] for outcome in short_outcomes]
    assert kinds.count("ok") == 7
    errors = {"InvalidDefinition", "ExecutionDoesNotExist", "InvalidToken", "ExecutionAlreadyExists"}
    assert errors == set(kinds) - {"ok"}


def _throttled(client: Any) -> None:
    """Make the backend refuse every call with a retryable error (AWS's throttling)."""
    body = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()
    client.backend.handle = lambda *args, **kwargs: (400, body, "request-1")


def test_a_retryable_error_is_marked_as_on_the_full_path(http_requests):
    short, full = fakesfn.FakeSFNClient(), fakesfn.FakeSFNClient()
    _force_full_path(full)
    _throttled(short)
    _throttled(full)
    outcomes = [_outcome(client.list_activities) for client in (short, full)]
    assert http_requests == ["ListActivities"]
    assert outcomes[0] == outcomes[1]
    name, text, operation, response = outcomes[0]
    assert name == "ClientError"  # Step Functions' model declares no ThrottlingException
    assert response["Error"]["Code"] == "ThrottlingException"
    assert operation == "ListActivities"
    assert response["ResponseMetadata"]["MaxAttemptsReached"] is True
    assert text.endswith("(reached max retries: 0): Rate exceeded")


def test_hooks_on_events_the_shortcut_keeps_fire_and_it_stays_on(http_requests):
    client = fakesfn.FakeSFNClient()
    fired: list[tuple[str, Any]] = []
    events = client.meta.events
    events.register("provide-client-params.sfn", lambda **_: fired.append(("provide-client-params", None)))
    events.register("before-parameter-build.sfn", lambda **_: fired.append(("before-parameter-build", None)))
    events.register("before-call.sfn", lambda **_: fired.append(("before-call", None)))
    events.register(
        "before-parse.sfn",
        lambda response_dict, **_: fired.append(("before-parse", response_dict["status_code"])),
    )
    events.register(
        "response-received.sfn",
        lambda parsed_response, **_: fired.append(("response-received", sorted(parsed_response))),
    )
    events.register(
        "after-call.sfn",
        lambda http_response, parsed, **_: fired.append(
            ("after-call", (http_response.status_code, sorted(parsed)))
        ),
    )
    client.list_activities()
    assert http_requests == []
    assert fired == [
        ("provide-client-params", None),
        ("before-parameter-build", None),
        ("before-call", None),
        ("before-parse", 200),
        ("response-received", ["ResponseMetadata", "activities"]),
        ("after-call", (200, ["ResponseMetadata", "activities"])),
    ]


SKIPPED = ["request-created", "choose-signer", "before-sign", "before-send", "needs-retry"]


@pytest.mark.parametrize("event", SKIPPED)
def test_a_users_hook_on_a_skipped_event_turns_the_shortcut_off_and_fires(event, http_requests):
    client = fakesfn.FakeSFNClient()
    client.list_activities()
    assert http_requests == []
    fired: list[str] = []
    client.meta.events.register(f"{event}.sfn.ListActivities", lambda **_: fired.append(event))
    client.list_activities()
    client.list_state_machines()  # another operation: nobody watches it, the shortcut answers
    assert fired == [event]
    assert http_requests == ["ListActivities"]


def test_a_before_call_hook_registered_last_still_fires(http_requests):
    client = fakesfn.FakeSFNClient()
    fired: list[str] = []
    client.meta.events.register_last("before-call", lambda **_: fired.append("last"), unique_id="mine")
    client.list_activities()
    assert fired == ["last"]
    assert http_requests == ["ListActivities"]
    client.meta.events.unregister("before-call", unique_id="mine")
    client.list_activities()
    assert http_requests == ["ListActivities"]


def test_a_stubber_answers_before_the_shortcut_and_then_hands_back():
    client = fakesfn.FakeSFNClient()
    with Stubber(client) as stubber:
        activity = {"activityArn": "x" * 20, "name": "stub", "creationDate": 0}
        stubber.add_response("list_activities", {"activities": [activity]})
        assert client.list_activities()["activities"][0]["name"] == "stub"
    assert client.list_activities()["activities"] == []


def test_a_failure_inside_the_backend_reaches_after_call_error(http_requests):
    client = fakesfn.FakeSFNClient()
    fired: list[str] = []
    client.meta.events.register("after-call-error.sfn", lambda exception, **_: fired.append(str(exception)))

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    client.backend.handle = broken
    with pytest.raises(RuntimeError, match="boom"):
        client.list_activities()
    assert fired == ["boom"]
    assert http_requests == []


def test_after_call_sees_the_same_http_response_and_context_on_both_paths(http_requests):
    seen = []
    for full in (False, True):
        client = fakesfn.FakeSFNClient()
        if full:
            _force_full_path(client)
        client.meta.events.register(
            "after-call.sfn",
            lambda http_response, context, **_: seen.append(
                (
                    type(http_response),
                    http_response.url,
                    dict(http_response.headers),
                    http_response.content,
                    sorted(context),
                    context["retries"]["attempt"],
                )
            ),
        )
        client.list_activities()
    assert http_requests == ["ListActivities"]
    assert seen[0] == seen[1]
