"""fakesfn.coverage from Python: what counts where (nested and child executions, updates, resets)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import fakesfn
from fakesfn.coverage import Coverage, CoverageData, CoverageReport, record
from fakesfn.coverage.inventory import items
from tests.conftest import ROLE_ARN
from tests.distributed.helpers import distributed_map, run_map


def _create(sfn, name, definition):
    return sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE_ARN)[
        "stateMachineArn"
    ]


def _run(sfn, arn, value=None):
    started = sfn.start_execution(stateMachineArn=arn, input=json.dumps(value or {}))
    sfn.backend.settle()
    return sfn.describe_execution(executionArn=started["executionArn"])["status"]


PASS_ONE = {"StartAt": "One", "States": {"One": {"Type": "Pass", "End": True}}}


def test_parallel_branches_and_map_processors_count_by_path():
    sfn = fakesfn.FakeSFNClient()
    coverage = record(sfn.backend)
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": True}}},
                    {"StartAt": "Right", "States": {"Right": {"Type": "Pass", "End": True}}},
                ],
                "Next": "Each",
            },
            "Each": {
                "Type": "Map",
                "ItemsPath": "$[0].items",
                "ItemProcessor": {"StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": True}}},
                "End": True,
            },
        },
    }
    assert _run(sfn, _create(sfn, "fan", definition), {"items": [1, 2, 3]}) == "SUCCEEDED"
    machine = coverage.report().machine("fan")
    assert machine.hits == {
        "state:Both": 1,
        "state:Both/Branch 1/Left": 1,
        "state:Both/Branch 2/Right": 1,
        "state:Each": 1,
        "state:Each/Item": 3,
    }
    assert machine.percent == 100.0


def test_a_nested_execution_counts_toward_its_own_definition():
    sfn = fakesfn.FakeSFNClient()
    coverage = record(sfn.backend)
    child = _create(sfn, "child", PASS_ONE)
    parent = {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": child},
                "End": True,
            }
        },
    }
    assert _run(sfn, _create(sfn, "parent", parent)) == "SUCCEEDED"
    report = coverage.report()
    assert report.machine("parent").hits == {"state:Call": 1}
    assert report.machine("child").hits == {"state:One": 1}


def test_distributed_map_children_count_with_their_parent_definition(sfn):
    coverage = record(sfn.backend)
    assert run_map(sfn, distributed_map(), [1, 2, 3]).status == "SUCCEEDED"
    (machine,) = coverage.report().machines
    assert machine.hits == {"state:Fan": 1, "state:Fan/Keep": 3}


def test_a_changed_definition_is_its_own_entry_and_versions_keep_theirs():
    sfn = fakesfn.FakeSFNClient()
    coverage = record(sfn.backend)
    arn = _create(sfn, "m", PASS_ONE)
    version = sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"]
    two = {"StartAt": "Two", "States": {"Two": {"Type": "Pass", "End": True}}}
    sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(two))
    _run(sfn, version)
    keys = [machine.key for machine in coverage.report().machines]
    assert len(keys) == 2
    assert all(key.startswith("m@") for key in keys)
    hits = {machine.key: machine.hits for machine in coverage.report().machines}
    assert sorted(hits.values(), key=len) == [{}, {"state:One": 1}]
    with pytest.raises(ValueError, match="several definitions"):
        coverage.report().machine("m")
    with pytest.raises(KeyError, match="no state machine 'x'"):
        coverage.report().machine("x")


def test_the_same_machine_in_many_backends_is_one_entry():
    with Coverage() as coverage:
        for value in ({"go": 1}, {"go": 2}):
            sfn = fakesfn.FakeSFNClient()
            _run(sfn, _create(sfn, "same", PASS_ONE), value)
    (machine,) = coverage.report().machines
    assert machine.hits == {"state:One": 2}
    after = fakesfn.FakeSFNClient()  # built after stop(): not recorded
    assert after.backend.runtime.observer is None


def test_attaching_late_counts_the_machines_already_there_and_reset_keeps_recording():
    sfn = fakesfn.FakeSFNClient()
    arn = _create(sfn, "early", PASS_ONE)
    coverage = record(sfn.backend)
    assert coverage.report().machine("early").hits == {}
    _run(sfn, arn)
    sfn.backend.reset()
    _run(sfn, _create(sfn, "early", PASS_ONE))
    assert coverage.report().machine("early").hits == {"state:One": 2}
    Coverage.detach(sfn.backend)
    assert sfn.backend.runtime.observer is None


def test_data_round_trips_and_merges():
    sfn = fakesfn.FakeSFNClient()
    coverage = record(sfn.backend)
    _run(sfn, _create(sfn, "m", PASS_ONE))
    merged = CoverageData()
    merged.merge(coverage.data.to_dict())
    merged.merge(coverage.data)
    assert CoverageReport.of(merged).machine("m").hits == {"state:One": 2}
    with pytest.raises(ValueError, match="not fakesfn coverage data"):
        CoverageData.from_dict({"machines": {}})
    with pytest.raises(ValueError, match="malformed fakesfn coverage entry 'k'"):
        CoverageData.from_dict({"format": 1, "machines": {"k": {"name": "n"}}})


def test_the_json_report_loads_back(tmp_path):
    sfn = fakesfn.FakeSFNClient()
    coverage = record(sfn.backend)
    _run(sfn, _create(sfn, "m", PASS_ONE))
    _create(sfn, "never", PASS_ONE)
    coverage.report().write_json(tmp_path / "cov.json")
    loaded = CoverageReport.load(tmp_path / "cov.json")
    assert loaded.to_json() == coverage.report().to_json()
    assert loaded.percent == 50.0


def test_items_name_every_kind_and_escape_slashes():
    definition = {
        "StartAt": "a/b",
        "States": {
            "a/b": {
                "Type": "Choice",
                "Choices": [{"Condition": "{% $states.input.x %}", "Next": "T"}],
                "QueryLanguage": "JSONata",
            },
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Retry": [{"ErrorEquals": ["States.ALL"]}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "a/b"}],
                "End": True,
            },
        },
    }
    assert [(item.id, item.label) for item in items(definition)] == [
        ("state:a\\/b", "a\\/b"),
        ("choice:a\\/b:0", "a\\/b → T (rule 1: {% $states.input.x %})"),
        ("state:T", "T"),
        ("retry:T:0", "T: Retry #1 [States.ALL]"),
        ("catch:T:0", "T: Catch #1 [States.ALL] → a/b"),
    ]


def test_an_empty_report_is_vacuously_complete():
    report = Coverage().report()
    assert report.percent == 100.0
    assert report.text() == "No state machine was created while coverage was recorded.\n"


def _modules_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint('\\n'.join(m for m in sys.modules if m.startswith('fakesfn')))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_the_coverage_plugin_loads_nothing_of_fakesfn_until_coverage_is_on():
    assert _modules_after("import fakesfn.coverage.plugin") == {
        "fakesfn",
        "fakesfn._version",
        "fakesfn.coverage",
        "fakesfn.coverage.options",
        "fakesfn.coverage.plugin",
    }
    loaded = _modules_after("import fakesfn\nfakesfn.FakeSFNClient().list_activities()")
    assert not any(module.startswith("fakesfn.coverage") for module in loaded)
