from __future__ import annotations

import json
import stat
import sys

import pytest

import fakesfn
from fakesfn.notebook import Execution, SteppingUnavailable, show
from tests.conftest import ROLE_ARN, run_definition
from tests.tools.helpers import ROUTE

needs_stepping = pytest.mark.skipif(
    not hasattr(fakesfn.Backend, "step"), reason="the engine has no stepping hook (Backend.step) yet"
)

SLOW = {
    "StartAt": "Load",
    "States": {
        "Load": {"Type": "Pass", "Result": {"total": 120}, "Next": "Nap"},
        "Nap": {"Type": "Wait", "Seconds": 3600, "Next": "Big order?"},
        "Big order?": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.total", "NumericGreaterThan": 100, "Next": "Review"}],
            "Default": "Reject",
        },
        "Review": {"Type": "Succeed"},
        "Reject": {"Type": "Fail", "Error": "Order.Small"},
    },
}


@pytest.fixture
def no_graphviz(monkeypatch):
    monkeypatch.setattr("fakesfn.tools.dot.shutil.which", lambda name: None)


@pytest.fixture
def graphviz(monkeypatch, tmp_path):
    script = tmp_path / "dot"
    script.write_text(
        f"#!{sys.executable}\nimport sys\nsys.stdin.read()\n"
        'print(\'<?xml version="1.0"?>\\n<!DOCTYPE svg>\\n<svg id="drawn"></svg>\')\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr("fakesfn.tools.dot.shutil.which", lambda name: str(script))


def machine(sfn, definition, name="machine"):
    return sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE_ARN)[
        "stateMachineArn"
    ]


def test_show_reads_an_execution(sfn):
    ran = run_definition(sfn, ROUTE, {})
    shown = show(sfn, ran.arn)
    assert shown.status == "SUCCEEDED"
    assert shown.output == {"total": 120}
    assert [event["id"] for event in shown.events] == [event["id"] for event in ran.events]
    assert {name: run.status.value for name, run in shown.runs().items()} == {
        "Load": "succeeded",
        "Big order?": "succeeded",
        "Review": "succeeded",
        "Reject": "not_reached",
    }
    assert shown.graph("mermaid").startswith("flowchart TD\n")
    assert 'digraph "state machine"' in shown.graph("dot")
    assert repr(shown).startswith("<Execution ")
    assert "SUCCEEDED" in repr(shown)


def test_markdown_has_a_mermaid_block_and_a_history_table(sfn):
    ran = run_definition(sfn, ROUTE, {})
    text = show(sfn, ran.arn)._repr_markdown_()
    assert "```mermaid\nflowchart TD\n" in text
    assert "    class s3 not_reached\n```" in text
    assert "| id | elapsed | event | detail |" in text
    assert "| 2 | 0.000s | PassStateEntered | Load |" in text


def test_html_without_graphviz_is_a_status_table(sfn, no_graphviz):
    ran = run_definition(sfn, ROUTE, {})
    page = show(sfn, ran.arn)._repr_html_()
    assert '<table class="fakesfn-states">' in page
    assert "<td>Reject</td>" not in page  # names sit in indented cells
    assert ">Reject</td><td>Fail</td>" in page
    assert ">not reached</td><td>0</td>" in page
    assert ">succeeded</td><td>1</td>" in page
    assert '<table class="fakesfn-history">' in page
    assert "<svg" not in page


def test_html_with_graphviz_inlines_the_svg(sfn, graphviz):
    ran = run_definition(sfn, ROUTE, {})
    page = show(sfn, ran.arn)._repr_html_()
    assert '<svg id="drawn"></svg>' in page
    assert "<?xml" not in page
    assert "DOCTYPE" not in page


def test_names_are_escaped_in_html(sfn, no_graphviz):
    name = "<b>bold</b> & co"
    definition = {"StartAt": name, "States": {name: {"Type": "Pass", "End": True}}}
    ran = run_definition(sfn, definition, {})
    page = show(sfn, ran.arn)._repr_html_()
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in page
    assert "<b>bold" not in page


def test_long_histories_show_their_end(sfn, no_graphviz):
    loop = {
        "StartAt": "Count",
        "States": {
            "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "More?"},
            "More?": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericLessThan": 30, "Next": "Count"}],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    ran = run_definition(sfn, loop, {"n": 0})
    page = show(sfn, ran.arn)._repr_html_()
    assert f"last 50 of {len(ran.events)} events" in page
    assert page.count("<tr><td>") == 50
    assert page.count('<tr><td style="padding-left') == 3


class PlainClient:
    """A client with only the read API (as a boto3 client against real AWS would be)."""

    def __init__(self, inner):
        self._inner = inner

    def __getattr__(self, name):
        if name == "backend":
            raise AttributeError(name)
        return getattr(self._inner, name)


def test_reading_works_with_any_client_but_stepping_needs_fakesfn(sfn):
    ran = run_definition(sfn, ROUTE, {})
    shown = Execution(PlainClient(sfn), ran.arn)
    assert shown.status == "SUCCEEDED"
    assert shown.next_state is None
    with pytest.raises(SteppingUnavailable, match="stepping needs a fakesfn client"):
        shown.step()


@needs_stepping
def test_stepping_one_transition_at_a_time(sfn, no_graphviz):
    run = Execution.start(sfn, machine(sfn, SLOW), {}, paused=True)
    assert [e["type"] for e in run.events] == ["ExecutionStarted"]
    assert run.next_state == "Load"
    assert "paused before 'Load'" in run._repr_markdown_()
    run.step()
    assert run.events[-1]["type"] == "PassStateExited"
    assert run.next_state == "Nap"
    page = run._repr_html_()
    assert '<tr style="background:#d6e9ff"><td>2</td>' in page  # what the step did is highlighted
    run.step(2)  # enter the Wait, then let virtual time run it out
    assert run.events[-1]["type"] == "WaitStateExited"
    assert sfn.backend.clock.now().hour == 1
    assert run.status == "RUNNING"


@needs_stepping
def test_run_until_a_state_then_resume(sfn):
    run = Execution.start(sfn, machine(sfn, SLOW), {}, paused=True, name="debug-me")
    run.run_until("Review")
    assert run.next_state == "Review"
    assert run.events[-1]["stateExitedEventDetails"]["name"] == "Big order?"
    assert run.runs()["Big order?"].status.value == "succeeded"
    run.resume()
    assert run.status == "SUCCEEDED"
    assert run.next_state is None
    assert run.step().status == "SUCCEEDED"  # stepping a finished execution changes nothing


@needs_stepping
def test_only_the_paused_execution_waits(sfn):
    arn = machine(sfn, ROUTE)
    paused = Execution.start(sfn, arn, {}, paused=True)
    free = Execution.start(sfn, arn, {})
    sfn.backend.settle()
    assert free.refresh().status == "SUCCEEDED"
    assert paused.refresh().status == "RUNNING"


@needs_stepping
def test_run_until_an_unknown_state_is_refused(sfn):
    run = Execution.start(sfn, machine(sfn, ROUTE), {}, paused=True)
    with pytest.raises(ValueError, match="no state named 'Nowhere'"):
        run.run_until("Nowhere")
