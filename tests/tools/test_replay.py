from __future__ import annotations

import copy
import json

import pytest

import fakesfn
from fakesfn.asl.problems import DefinitionError
from fakesfn.replay import NOT_RECORDED, ReplayError, recorded_attempts, replay
from fakesfn.tools.recording import HistoryFormatError, parse_history_text
from tests.conftest import run_definition
from tests.tools.helpers import FANOUT, exported, run_fanout

PRICE = "arn:aws:lambda:eu-west-1:123456789012:function:price"

# One of everything a replay must get right: a lambda retried on virtual time, a Wait, a
# Choice, a Parallel, and a Map whose iterations call the lambda with different inputs.
SHOP = {
    "StartAt": "Price",
    "States": {
        "Price": {
            "Type": "Task",
            "Resource": PRICE,
            "Parameters": {"sku.$": "$.sku"},
            "ResultPath": "$.price",
            "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 3, "BackoffRate": 2, "MaxAttempts": 3}],
            "Next": "Cool off",
        },
        "Cool off": {"Type": "Wait", "Seconds": 90, "Next": "Expensive?"},
        "Expensive?": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.price.amount", "NumericGreaterThan": 100, "Next": "Approve"}],
            "Default": "Lines",
        },
        "Approve": {"Type": "Succeed"},
        "Lines": {
            "Type": "Map",
            "ItemsPath": "$.lines",
            "ItemSelector": {"sku.$": "$$.Map.Item.Value"},
            "ItemProcessor": {
                "StartAt": "Line price",
                "States": {"Line price": {"Type": "Task", "Resource": PRICE, "End": True}},
            },
            "ResultPath": "$.line_prices",
            "Next": "Tell",
        },
        "Tell": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Mail", "States": {"Mail": {"Type": "Pass", "End": True}}},
                {"StartAt": "Log", "States": {"Log": {"Type": "Wait", "Seconds": 5, "End": True}}},
            ],
            "ResultPath": None,
            "End": True,
        },
    },
}
ORDER = {"sku": "basket", "lines": ["tea", "jam", "bread"]}


def price_lambda():
    calls = {"n": 0}

    def price(event, context):
        calls["n"] += 1
        if event["sku"] == "basket" and calls["n"] < 3:
            raise fakesfn.LambdaError("Flaky", "try again")
        return {"sku": event["sku"], "amount": len(event["sku"]) * 10}

    return price


def record(definition=SHOP, order=ORDER):
    """Run on fakesfn and export as the AWS CLI would: (exported text, events)."""
    sfn = fakesfn.FakeSFNClient(region_name="eu-west-1", seed=7)
    sfn.backend.register_lambda(PRICE, price_lambda())
    ran = run_definition(sfn, definition, order, name="shop")
    assert ran.status == "SUCCEEDED"
    return exported(ran.events), ran


def event_id(events, kind, name=None):
    for event in events:
        found = next((v for k, v in event.items() if k.endswith("EventDetails")), {})
        if event["type"] == kind and (name is None or found.get("name") == name):
            return event["id"]
    raise AssertionError(f"no {kind} {name}")


def test_a_recording_replays_with_no_divergence():
    text, ran = record()
    report = replay(json.dumps(SHOP), text)
    assert not report.diverged, report.summary()
    assert report.first is None
    assert report.replayed_status == report.recorded_status == "SUCCEEDED"
    assert str(report).startswith(f"replay: OK: {len(ran.events)} recorded events match")
    # virtual time replays as recorded: retry backoffs (3 s, 6 s) and the Waits
    recorded_times = [event["timestamp"] for event in ran.events]
    assert [event["timestamp"] for event in report.replayed_events] == recorded_times


def test_no_lambda_runs_during_a_replay():
    text, _ = record()
    # a fresh world with no lambda registered: every result comes from the recording
    assert not replay(SHOP, text).diverged


def test_an_altered_task_output_diverges_at_the_state_that_returned_it():
    text, ran = record()
    data = json.loads(text)
    last_price = [e for e in data["events"] if e["type"] == "LambdaFunctionSucceeded"][0]
    last_price["lambdaFunctionSucceededEventDetails"]["output"] = json.dumps({"sku": "basket", "amount": 999})
    report = replay(SHOP, json.dumps(data))
    assert report.diverged
    first = report.first
    assert first.reason == "data"
    assert first.expected.position == event_id(ran.events, "TaskStateExited", "Price")
    assert first.expected.title() == "TaskStateExited 'Price'"
    assert first.fields == ("output",)
    assert first.actual.fields["output"]["price"] == {"sku": "basket", "amount": 999}
    assert "first divergence: recorded event" in report.summary()
    # the cascade: the Choice now goes to Approve, so the Map and Parallel threads never ran
    assert {d.reason for d in report.divergences[1:]} == {"missing"}
    assert "more thread(s) diverge after it" in report.summary()


def test_a_changed_choice_outcome_diverges_at_the_first_state_of_the_other_path():
    text, ran = record()
    changed = copy.deepcopy(SHOP)
    changed["States"]["Expensive?"]["Choices"][0]["NumericGreaterThan"] = 10
    report = replay(changed, text)
    first = report.first
    assert first.reason == "type"
    entered_lines = event_id(ran.events, "MapStateEntered", "Lines")
    assert first.expected.position == entered_lines
    assert first.expected.title() == "MapStateEntered 'Lines'"
    assert first.actual.title() == "SucceedStateEntered 'Approve'"
    assert (
        f"recorded event {entered_lines} (replay event {entered_lines}): "
        "expected MapStateEntered 'Lines', got SucceedStateEntered 'Approve'"
    ) in report.summary()
    assert "recorded task attempts never replayed: Line price (3)" in report.summary()


def test_an_edited_recorded_path_is_found_at_its_event():
    text, ran = record()
    data = json.loads(text)
    target = event_id(ran.events, "WaitStateEntered", "Cool off")
    event = next(e for e in data["events"] if e["id"] == target)
    event["type"] = "PassStateEntered"
    event["stateEnteredEventDetails"]["name"] = "Shortcut"
    report = replay(SHOP, json.dumps(data))
    assert (report.first.reason, report.first.expected.position) == ("type", target)


def _reinterleave(events, first_thread_events):
    """Move some events earlier, renumbering ids, the way AWS may interleave concurrent work."""
    moved = [e for e in events if e["id"] in first_thread_events]
    rest = [e for e in events if e["id"] not in first_thread_events]
    cut = min(first_thread_events) - 1
    ordered = [e for e in rest if e["id"] <= cut] + moved + [e for e in rest if e["id"] > cut]
    new_ids = {event["id"]: index + 1 for index, event in enumerate(ordered)}
    new_ids[0] = 0
    return [{**e, "id": new_ids[e["id"]], "previousEventId": new_ids[e["previousEventId"]]} for e in ordered]


def test_concurrent_work_interleaved_differently_still_matches():
    text, ran = record()
    events = json.loads(text)["events"]
    # run Map iteration 2 (its MapIterationStarted and everything after it) before iterations 0 and 1
    started = [e for e in events if e["type"] == "MapIterationStarted"]
    third = started[2]["id"]
    chain = {third}
    for event in events:
        if event["previousEventId"] in chain and event["type"] != "MapIterationStarted":
            chain.add(event["id"])
    chain = {i for i in chain if i < event_id(ran.events, "MapStateSucceeded")}
    reordered = _reinterleave(events, chain)
    assert [e["type"] for e in reordered] != [e["type"] for e in events]
    report = replay(SHOP, {"events": reordered})
    assert not report.diverged, report.summary()


def test_history_shapes_people_export():
    text, ran = record()
    events = json.loads(text)["events"]
    pages = json.dumps({"events": events[:10], "nextToken": "x"}) + "\n" + json.dumps({"events": events[10:]})
    assert not replay(SHOP, pages).diverged
    epoch = [
        {**e, "timestamp": e_time.timestamp()}
        for e, e_time in zip(events, (x["timestamp"] for x in ran.events), strict=True)
    ]
    assert not replay(SHOP, {"events": list(reversed(epoch))}).diverged
    assert not replay(SHOP, ran.events).diverged  # boto3's own shape (datetimes)


def test_an_unfinished_recording_compares_only_what_it_has():
    text, ran = record()
    events = json.loads(text)["events"]
    cut = event_id(ran.events, "ChoiceStateEntered")
    report = replay(SHOP, {"events": [e for e in events if e["id"] <= cut]})
    assert report.recorded_status == "RUNNING"
    assert not report.diverged
    assert "later replay event(s) not compared" in report.summary()


def test_recorded_failures_and_timeouts_are_fed_back(sfn):
    activity = sfn.create_activity(name="packer")["activityArn"]
    definition = {
        "StartAt": "Pack",
        "States": {
            "Pack": {
                "Type": "Task",
                "Resource": activity,
                "TimeoutSeconds": 30,
                "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.why", "Next": "Charge"}],
                "Next": "Charge",
            },
            "Charge": {"Type": "Task", "Resource": PRICE, "End": True},
        },
    }

    def declined(event, context):
        raise fakesfn.LambdaError("Card.Declined", "no funds")

    sfn.backend.register_lambda(PRICE, declined)
    ran = run_definition(sfn, definition, {"sku": "x"})
    assert ran.status == "FAILED"
    assert "ActivityTimedOut" in ran.types
    report = replay(definition, exported(ran.events))
    assert not report.diverged, report.summary()
    assert report.replayed_status == "FAILED"
    attempts = recorded_attempts(report.recorded_events)
    assert [(a.state, type(a.outcome).__name__) for a in attempts] == [("Pack", "Throw"), ("Charge", "Throw")]
    assert attempts[0].outcome.error == "States.Timeout"
    assert attempts[1].outcome.error == "Card.Declined"


def test_execution_arn_makes_context_values_match(sfn):
    definition = {
        "StartAt": "Who",
        "States": {"Who": {"Type": "Pass", "Parameters": {"id.$": "$$.Execution.Id"}, "End": True}},
    }
    sfn_eu = fakesfn.FakeSFNClient(region_name="eu-west-1", account_id="111122223333")
    ran = run_definition(sfn_eu, definition, {}, name="whoami")
    text = exported(ran.events)
    assert replay(definition, text).first.fields == ("output",)
    assert not replay(definition, text, execution_arn=ran.arn).diverged


def test_a_task_the_recording_never_ran_fails_as_not_recorded():
    text, _ = record()
    extended = copy.deepcopy(SHOP)
    extended["States"]["Cool off"]["Next"] = "Audit"
    extended["States"]["Audit"] = {"Type": "Task", "Resource": PRICE, "Next": "Expensive?"}
    report = replay(extended, text)
    assert report.first.reason == "type"
    errors = [
        e["lambdaFunctionFailedEventDetails"]["error"]
        for e in report.replayed_events
        if e["type"] == "LambdaFunctionFailed"
    ]
    assert errors == ["Flaky", "Flaky", NOT_RECORDED]


def test_fanout_machine_with_catch_and_retry_replays(sfn):
    ran = run_fanout(sfn)
    assert not replay(FANOUT, exported(ran.events)).diverged


def test_bad_inputs_raise_clear_errors():
    text, _ = record()
    with pytest.raises(DefinitionError):
        replay({"StartAt": "Nope", "States": {}}, text)
    with pytest.raises(HistoryFormatError, match="not valid JSON"):
        replay(SHOP, "{oops")
    with pytest.raises(HistoryFormatError, match="expected an object with 'events'"):
        replay(SHOP, {"history": []})
    with pytest.raises(ReplayError, match="does not start with an ExecutionStarted event"):
        replay(SHOP, {"events": json.loads(text)["events"][1:]})
    with pytest.raises(ReplayError, match="not an execution ARN"):
        replay(SHOP, text, execution_arn="arn:aws:states:eu-west-1:1:stateMachine:x")


def test_a_history_nested_past_the_payload_limit_is_refused_on_every_python():
    with pytest.raises(HistoryFormatError, match="nests 5000 levels deep, more than the 200 allowed"):
        parse_history_text('{"events": ' + "[" * 4999 + "]" * 4999 + "}")


def test_a_recording_without_execution_data_is_refused():
    text, _ = record()
    events = json.loads(text)["events"]
    del events[0]["executionStartedEventDetails"]["input"]
    with pytest.raises(ReplayError, match="no execution data"):
        replay(SHOP, {"events": events})
