from __future__ import annotations

import json
import stat
import sys

import pytest

import fakesfn
from fakesfn.asl.problems import DefinitionError
from fakesfn.graph import GRAPHVIZ_MISSING, GraphvizError, Status, dot, mermaid, state_runs, svg
from tests.conftest import run_definition
from tests.tools.helpers import FANOUT, ROUTE, exported, run_fanout

ROUTE_MERMAID = """\
flowchart TD
    root_start(("Start"))
    s0["Load"]
    s1{"Big order?"}
    s2(["Review"])
    s3(["Reject"])
    root_end(("End"))
    root_start --> s0
    s0 --> s1
    s1 -->|"$.total > 100"| s2
    s1 -->|"Default"| s3
    s2 --> root_end
    s3 --> root_end
"""

ROUTE_DOT = """\
digraph "state machine" {
    compound=true;
    node [fontname="Helvetica", fontsize=11, shape=box, style=rounded];
    edge [fontname="Helvetica", fontsize=9];
    root_start [label="Start", shape=circle];
    s0 [label="Load"];
    s1 [label="Big order?", shape=diamond];
    s2 [label="Review", shape=oval];
    s3 [label="Reject", shape=octagon];
    root_end [label="End", shape=doublecircle];
    root_start -> s0;
    s0 -> s1;
    s1 -> s2 [label="$.total > 100"];
    s1 -> s3 [label="Default"];
    s2 -> root_end;
    s3 -> root_end;
}
"""

FANOUT_MERMAID = """\
flowchart TD
    root_start(("Start"))
    s0["Charge (1 retry)"]
    s1["Ship"]
    subgraph s2 ["Notify (Parallel)"]
        subgraph s2_b0 ["Branch 1"]
            s2_b0_start((" "))
            s4["Email"]
            s2_b0_end((" "))
        end
        subgraph s2_b1 ["Branch 2"]
            s2_b1_start((" "))
            s5["Sms"]
            s2_b1_end((" "))
        end
    end
    subgraph s3 ["Each (Map)"]
        subgraph s3_items ["Item processor"]
            s3_items_start((" "))
            s6["Pack"]
            s3_items_end((" "))
        end
    end
    root_end(("End"))
    root_start --> s0
    s0 --> s1
    s0 -.->|"States.ALL"| s2
    s1 --> root_end
    s2 --> s3
    s3 --> root_end
    s2_b0_start --> s4
    s4 --> s2_b0_end
    s2_b1_start --> s5
    s5 --> s2_b1_end
    s3_items_start --> s6
    s6 --> s3_items_end
    classDef succeeded fill:#dff0d8,stroke:#2e7d32,color:#1b3d1b
    classDef failed fill:#f8d7da,stroke:#c62828,color:#5f1111
    classDef caught fill:#ffe0b2,stroke:#ef6c00,color:#5d2a00
    classDef running fill:#d6e9ff,stroke:#1565c0,color:#0d2f5a
    classDef cancelled fill:#e0e0e0,stroke:#616161,color:#303030
    classDef not_reached fill:#f5f5f5,stroke:#bdbdbd,color:#9e9e9e
    classDef retried stroke:#f9a825,stroke-width:3px
    class s4,s5,s6 succeeded
    class s0 caught
    class s1 not_reached
    class s0 retried
    style s2 fill:#dff0d8,stroke:#2e7d32,color:#1b3d1b
    style s3 fill:#dff0d8,stroke:#2e7d32,color:#1b3d1b
"""

_OK = 'style="rounded,filled", fillcolor="#dff0d8", color="#2e7d32", fontcolor="#1b3d1b"'
_OK_CLUSTER = '        style="rounded,filled";\n        fillcolor="#dff0d8";\n        color="#2e7d32";\n'
FANOUT_DOT = (
    """\
digraph "state machine" {
    compound=true;
    node [fontname="Helvetica", fontsize=11, shape=box, style=rounded];
    edge [fontname="Helvetica", fontsize=9];
    root_start [label="Start", shape=circle];
    s0 [label="Charge (1 retry)", style="rounded,filled", fillcolor="#ffe0b2", color="#f9a825", \
fontcolor="#5d2a00", penwidth=3];
    s1 [label="Ship", style="rounded,filled", fillcolor="#f5f5f5", color="#bdbdbd", fontcolor="#9e9e9e"];
    subgraph cluster_s2 {
        label="Notify (Parallel)";
"""
    + _OK_CLUSTER
    + f"""\
        subgraph cluster_s2_b0 {{
            label="Branch 1";
            style=dotted;
            s2_b0_start [shape=point, width=0.1, label=""];
            s4 [label="Email", {_OK}];
            s2_b0_end [shape=point, width=0.1, label=""];
        }}
        subgraph cluster_s2_b1 {{
            label="Branch 2";
            style=dotted;
            s2_b1_start [shape=point, width=0.1, label=""];
            s5 [label="Sms", {_OK}];
            s2_b1_end [shape=point, width=0.1, label=""];
        }}
    }}
    subgraph cluster_s3 {{
        label="Each (Map)";
"""
    + _OK_CLUSTER
    + f"""\
        subgraph cluster_s3_items {{
            label="Item processor";
            style=dotted;
            s3_items_start [shape=point, width=0.1, label=""];
            s6 [label="Pack", {_OK}];
            s3_items_end [shape=point, width=0.1, label=""];
        }}
    }}
    root_end [label="End", shape=doublecircle];
    root_start -> s0;
    s0 -> s1;
    s0 -> s2_b0_start [label="States.ALL", lhead=cluster_s2, style=dashed];
    s1 -> root_end;
    s2_b0_end -> s3_items_start [ltail=cluster_s2, lhead=cluster_s3];
    s3_items_end -> root_end [ltail=cluster_s3];
    s2_b0_start -> s4;
    s4 -> s2_b0_end;
    s2_b1_start -> s5;
    s5 -> s2_b1_end;
    s3_items_start -> s6;
    s6 -> s3_items_end;
}}
"""
)


def test_plain_machine_as_mermaid_and_dot():
    assert mermaid(json.dumps(ROUTE)) == ROUTE_MERMAID
    assert dot(ROUTE) == ROUTE_DOT


def test_execution_path_as_mermaid_and_dot(sfn):
    ran = run_fanout(sfn)
    assert ran.status == "SUCCEEDED"
    assert mermaid(FANOUT, ran.events) == FANOUT_MERMAID
    assert dot(FANOUT, ran.events) == FANOUT_DOT


def test_exported_history_paints_like_the_live_one(sfn):
    ran = run_fanout(sfn)
    text = exported(ran.events)
    pages = json.loads(text)["events"]
    shuffled = [{"events": pages[20:]}, {"events": pages[:25]}]  # overlapping pages, out of order
    assert state_runs(json.loads(text)) == state_runs(ran.events) == state_runs(shuffled)
    epoch = [{**event, "timestamp": 1700000000 + event["id"]} for event in pages]
    assert state_runs(epoch) == state_runs(ran.events)


def _statuses(events):
    return {name: run.status for name, run in state_runs(events).items()}


def test_running_and_not_reached(run):
    definition = {
        "StartAt": "Hold",
        "States": {
            "Hold": {"Type": "Wait", "Seconds": 60, "Next": "After"},
            "After": {"Type": "Pass", "End": True},
        },
    }
    ran = run(definition, settle=False)
    assert _statuses(ran.events) == {"Hold": Status.RUNNING}
    assert "class s0 running" in mermaid(definition, ran.events)
    assert "class s1 not_reached" in mermaid(definition, ran.events)


def test_failed_branch_cancels_its_sibling(run):
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 30, "End": True}}},
                    {"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "E"}}},
                ],
            }
        },
    }
    ran = run(definition)
    assert ran.status == "FAILED"
    assert _statuses(ran.events) == {"Both": Status.FAILED, "Slow": Status.CANCELLED, "Boom": Status.FAILED}


def test_a_loop_shows_its_most_telling_visit_and_counts_visits(run):
    definition = {
        "StartAt": "Count",
        "States": {
            "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Again?"},
            "Again?": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericLessThan": 3, "Next": "Count"}],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    runs = state_runs(run(definition, {"n": 0}).events)
    assert runs["Count"].visits == 3
    assert runs["Again?"].status is Status.SUCCEEDED


def test_aws_style_history_with_a_distributed_map_quirk():
    # AWS links MapStateExited to MapRunStarted (not MapStateSucceeded) for distributed maps.
    events = [
        {"id": 1, "previousEventId": 0, "type": "ExecutionStarted", "timestamp": "2024-05-01T10:00:00Z"},
        _state(2, 0, "MapStateEntered", "Fan"),
        {"id": 3, "previousEventId": 2, "type": "MapStateStarted", "timestamp": "2024-05-01T10:00:00Z"},
        {"id": 4, "previousEventId": 3, "type": "MapRunStarted", "timestamp": "2024-05-01T10:00:01Z"},
        {"id": 5, "previousEventId": 4, "type": "MapRunSucceeded", "timestamp": "2024-05-01T10:00:02Z"},
        {"id": 6, "previousEventId": 5, "type": "MapStateSucceeded", "timestamp": "2024-05-01T10:00:02Z"},
        _state(7, 4, "MapStateExited", "Fan"),
        {"id": 8, "previousEventId": 7, "type": "ExecutionSucceeded", "timestamp": "2024-05-01T10:00:02Z"},
    ]
    assert _statuses(events) == {"Fan": Status.SUCCEEDED}


def _state(event_id, previous, kind, name):
    key = "stateEnteredEventDetails" if kind.endswith("Entered") else "stateExitedEventDetails"
    return {
        "id": event_id,
        "previousEventId": previous,
        "type": kind,
        "timestamp": "2024-05-01T10:00:00.000000+00:00",
        key: {"name": name},
    }


def test_output_is_deterministic(sfn):
    ran = run_fanout(sfn)
    again = fakesfn.FakeSFNClient(seed=0)
    ran_again = run_fanout(again)
    assert mermaid(FANOUT, ran.events) == mermaid(FANOUT, ran_again.events)
    assert dot(FANOUT, ran.events) == dot(FANOUT, ran_again.events)


def test_invalid_definition_is_refused_with_aws_wording():
    with pytest.raises(DefinitionError, match="MISSING_TRANSITION_TARGET"):
        mermaid({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}})


def test_svg_without_graphviz_names_it(monkeypatch):
    monkeypatch.setattr("fakesfn.tools.dot.shutil.which", lambda name: None)
    with pytest.raises(GraphvizError) as raised:
        svg(ROUTE)
    assert str(raised.value) == GRAPHVIZ_MISSING
    assert "Graphviz" in GRAPHVIZ_MISSING


def fake_dot(tmp_path, body):
    script = tmp_path / "dot"
    script.write_text(f"#!{sys.executable}\nimport sys\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_svg_with_graphviz_pipes_the_dot_text(monkeypatch, tmp_path):
    binary = fake_dot(tmp_path, "text = sys.stdin.read()\nprint('<svg>' + str(text.count('->')) + '</svg>')")
    monkeypatch.setattr("fakesfn.tools.dot.shutil.which", lambda name: binary if name == "dot" else None)
    assert svg(ROUTE) == "<svg>6</svg>\n"


def test_svg_reports_a_graphviz_failure_on_one_line(monkeypatch, tmp_path):
    binary = fake_dot(tmp_path, "sys.stderr.write('Error: syntax error in line 1\\nmore\\n'); sys.exit(1)")
    monkeypatch.setattr("fakesfn.tools.dot.shutil.which", lambda name: binary)
    with pytest.raises(
        GraphvizError, match=r"^Graphviz dot failed \(exit 1\): Error: syntax error in line 1$"
    ):
        svg(ROUTE)


def test_history_of_a_run_that_never_started_a_state(run):
    ran = run(ROUTE)
    only_start = ran.events[:1]
    assert state_runs(only_start) == {}
    assert "class s0,s1,s2,s3 not_reached" in mermaid(ROUTE, only_start)


def test_a_definition_given_as_text_or_object_draws_the_same(sfn):
    ran = run_definition(sfn, ROUTE, {})
    assert mermaid(json.dumps(ROUTE), ran.events) == mermaid(ROUTE, ran.events)


def test_a_caught_parallel_is_orange_and_its_failed_branch_red(run):
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Fine", "States": {"Fine": {"Type": "Pass", "End": True}}},
                    {"StartAt": "Broken", "States": {"Broken": {"Type": "Fail", "Error": "Oops"}}},
                ],
                "Catch": [{"ErrorEquals": ["Oops"], "Next": "Recover"}],
                "End": True,
            },
            "Recover": {"Type": "Pass", "End": True},
        },
    }
    ran = run(definition)
    assert ran.status == "SUCCEEDED"
    assert _statuses(ran.events) == {
        "Both": Status.CAUGHT,
        "Fine": Status.SUCCEEDED,
        "Broken": Status.FAILED,
        "Recover": Status.SUCCEEDED,
    }
    text = mermaid(definition, ran.events)
    assert "    style s0 fill:#ffe0b2,stroke:#ef6c00,color:#5d2a00\n" in text
    assert "    class s3 failed\n" in text
    assert '        fillcolor="#ffe0b2";\n' in dot(definition, ran.events)


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ([{"type": "ExecutionStarted"}], "has no integer 'id'"),
        ([{"id": 1}], "not a history event"),
        ([{"id": 1, "type": "ExecutionStarted", "timestamp": "yesterday"}], "unreadable timestamp"),
        ("not a history", "expected an object with 'events' or a list of events"),
        ({"events": {"id": 1}}, "'events' must be a list"),
    ],
)
def test_unreadable_histories_say_why(history, message):
    from fakesfn.tools.recording import HistoryFormatError

    with pytest.raises(HistoryFormatError, match=message):
        state_runs(history)
