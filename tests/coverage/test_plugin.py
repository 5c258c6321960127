"""``pytest --sfn-cov``: small suites run with pytester, their reports read back (issue 19)."""

from __future__ import annotations

import json

import pytest

pytest_plugins = ["pytester"]

# One machine offering: a Choice with two rules and a Default (the suite takes rule 1
# and the Default), a Task whose first Retrier retries and whose second never does,
# whose first Catcher fires and whose second never does.
SUITE = """
import json

import boto3
import fakesfn

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:"
ROLE = "arn:aws:iam::123456789012:role/r"
DEFINITION = json.dumps({
    "StartAt": "Route",
    "States": {
        "Route": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.kind", "StringEquals": "call", "Next": "Call"},
                {"Variable": "$.kind", "StringEquals": "gift", "Next": "Wrap"},
            ],
            "Default": "Skip",
        },
        "Wrap": {"Type": "Pass", "Next": "Call"},
        "Call": {
            "Type": "Task",
            "Resource": LAMBDA + "flaky",
            "Retry": [
                {"ErrorEquals": ["Busy"], "IntervalSeconds": 1, "MaxAttempts": 3},
                {"ErrorEquals": ["States.Timeout"], "MaxAttempts": 2},
                {"ErrorEquals": ["Fatal"], "MaxAttempts": 0},
            ],
            "Catch": [
                {"ErrorEquals": ["Broken"], "Next": "Recover"},
                {"ErrorEquals": ["States.ALL"], "Next": "GiveUp"},
            ],
            "Next": "Done",
        },
        "Recover": {"Type": "Pass", "Next": "Done"},
        "GiveUp": {"Type": "Fail", "Error": "GaveUp"},
        "Skip": {"Type": "Succeed"},
        "Done": {"Type": "Succeed"},
    },
})


def flaky(event, context):
    flaky.calls = getattr(flaky, "calls", 0) + 1
    if flaky.calls == 1:
        raise fakesfn.LambdaError("Busy", "try again")
    raise fakesfn.LambdaError("Broken", "for good")


def run(client, kind):
    client.backend.register_lambda("flaky", flaky)
    arn = client.create_state_machine(name="orders", definition=DEFINITION, roleArn=ROLE)["stateMachineArn"]
    started = client.start_execution(stateMachineArn=arn, input=json.dumps({"kind": kind}))
    client.backend.settle()
    return client.describe_execution(executionArn=started["executionArn"])["status"]


def test_call_through_the_fixture(sfn):
    assert run(sfn, "call") == "SUCCEEDED"


def test_default_through_mock_sfn():
    with fakesfn.mock_sfn():
        client = boto3.client("stepfunctions", region_name="us-east-1")
        assert run(client, "other") == "SUCCEEDED"


def test_a_machine_never_started_counts_too():
    client = fakesfn.FakeSFNClient()
    client.create_state_machine(
        name="refunds",
        definition=json.dumps({"StartAt": "Refund", "States": {"Refund": {"Type": "Pass", "End": True}}}),
        roleArn=ROLE,
    )
"""

# What that suite never exercises, exactly (the Retrier with MaxAttempts 0 can never retry:
# it is no item). Items: 7 states + 3 choice + 2 retry + 2 catch = 14, 5 missed (9/14).
MISSING_ORDERS = [
    "choice:Route:1",
    "state:Wrap",
    "retry:Call:1",
    "catch:Call:1",
    "state:GiveUp",
]
ORDERS_PERCENT = 100 * 9 / 14  # 64.29
TOTAL_PERCENT = 100 * 9 / 15  # with refunds' one state: 60.00


def _json(pytester: pytest.Pytester, name: str = "cov.json") -> dict:
    return json.loads((pytester.path / name).read_text(encoding="utf-8"))


def test_term_missing_and_json_report_exactly_what_the_suite_never_exercised(pytester):
    pytester.makepyfile(test_orders=SUITE)
    result = pytester.runpytest(
        "-p",
        "no:cacheprovider",
        "--sfn-cov",
        "--sfn-cov-report=term-missing",
        "--sfn-cov-report=json:cov.json",
    )
    result.assert_outcomes(passed=3)
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        [
            "*fakesfn state-machine coverage*",
            "Name*Definition*States*Choices*Catches*Retries*Cover",
            "orders*5/7*2/3*1/2*1/2*64.3%",
            "refunds*0/1*0/0*0/0*0/0*0.0%",
            "TOTAL*5/8*2/3*1/2*1/2*60.0%",
            "orders@* never exercised:",
            '  choice rule  Route → Wrap (rule 2: $.kind == "gift")',
            "  state        Wrap",
            "  retry        Call: Retry #2 [States.Timeout]",
            "  catch        Call: Catch #2 [States.ALL] → GiveUp",
            "  state        GiveUp",
            "refunds@* never exercised:",
            "  state  Refund",
            "State-machine coverage JSON written to file cov.json",
        ]
    )
    report = _json(pytester)
    orders = next(machine for machine in report["machines"] if machine["name"] == "orders")
    assert orders["missing"] == MISSING_ORDERS
    assert orders["summary"]["percent"] == round(ORDERS_PERCENT, 2)
    hits = {item["id"]: item["hits"] for item in orders["items"]}
    assert hits["choice:Route:0"] == 1
    assert hits["default:Route"] == 1
    assert hits["retry:Call:0"] == 1
    assert hits["catch:Call:0"] == 1
    assert "retry:Call:2" not in hits  # MaxAttempts 0: never an item
    assert report["totals"] == {
        "states": {"covered": 5, "total": 8},
        "choices": {"covered": 2, "total": 3},
        "catches": {"covered": 1, "total": 2},
        "retries": {"covered": 1, "total": 2},
        "covered": 9,
        "total": 15,
        "percent": 60.0,
    }


def test_fail_under_fails_below_the_total_and_passes_at_it(pytester):
    pytester.makepyfile(test_orders=SUITE)
    failing = pytester.runpytest("-p", "no:cacheprovider", "--sfn-cov", "--sfn-cov-fail-under=60.01")
    failing.assert_outcomes(passed=3)
    assert failing.ret == pytest.ExitCode.TESTS_FAILED
    failing.stdout.fnmatch_lines(
        [
            "ERROR: State-machine coverage failure: total of 60.00 is less than fail-under=60.01",
            "FAIL Required state-machine coverage of 60.01% not reached. Total coverage: 60.00%",
        ]
    )
    passing = pytester.runpytest("-p", "no:cacheprovider", "--sfn-cov", "--sfn-cov-fail-under=60")
    passing.assert_outcomes(passed=3)
    assert passing.ret == pytest.ExitCode.OK
    passing.stdout.fnmatch_lines(["Required state-machine coverage of 60% reached. Total coverage: 60.00%"])
    passing.stdout.no_fnmatch_line("*FAIL Required*")


def test_fail_under_alone_turns_recording_on(pytester):
    pytester.makepyfile(test_orders=SUITE)
    result = pytester.runpytest("-p", "no:cacheprovider", "--sfn-cov-fail-under=100")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["FAIL Required state-machine coverage of 100% not reached.*"])


def test_the_ini_settings_turn_it_on_and_no_sfn_cov_off(pytester):
    pytester.makepyfile(test_orders=SUITE)
    pytester.makeini(
        """
        [pytest]
        sfn_cov = true
        sfn_cov_report = term json:from-ini.json
        sfn_cov_fail_under = 50
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["TOTAL*60.0%", "Required state-machine coverage of 50% reached.*"])
    result.stdout.no_fnmatch_line("*never exercised*")
    assert _json(pytester, "from-ini.json")["totals"]["percent"] == 60.0
    off = pytester.runpytest("-p", "no:cacheprovider", "--no-sfn-cov")
    assert off.ret == pytest.ExitCode.OK
    off.stdout.no_fnmatch_line("*state-machine coverage*")


def test_pyproject_settings_turn_it_on(pytester):
    pytester.makepyfile(test_orders=SUITE)
    pytester.makepyprojecttoml(
        """
        [tool.pytest.ini_options]
        sfn_cov = true
        sfn_cov_report = ["term-missing"]
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["TOTAL*60.0%", "orders@* never exercised:"])


def test_without_sfn_cov_nothing_is_recorded_or_reported(pytester):
    pytester.makepyfile(
        """
        def test_plain(sfn_backend):
            assert sfn_backend.runtime.observer is None
            assert sfn_backend.store.watcher is None
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.no_fnmatch_line("*state-machine coverage*")


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--sfn-cov-report=xml", "*invalid choice: 'xml'*"),
        ("--sfn-cov-report=term:out.txt", "*term takes no output location*"),
        ("--sfn-cov-report=html:", "*html: needs a location after the colon*"),
        ("--sfn-cov-fail-under=101", "*from 0 to 100*"),
        ("--sfn-cov-fail-under=lots", "*a number from 0 to 100 is required*"),
    ],
)
def test_bad_options_are_usage_errors(pytester, option, message):
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest("-p", "no:cacheprovider", option)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])


def test_a_bad_ini_setting_is_a_usage_error(pytester):
    pytester.makepyfile("def test_nothing(): pass")
    pytester.makeini("[pytest]\nsfn_cov = true\nsfn_cov_report = pdf\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*fakesfn coverage ini setting: invalid choice: 'pdf'*"])


def test_the_html_report_has_an_index_and_a_painted_graph_per_machine(pytester):
    pytester.makepyfile(test_orders=SUITE)
    result = pytester.runpytest("-p", "no:cacheprovider", "--sfn-cov-report=html:cov-html")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["State-machine coverage HTML written to dir cov-html"])
    result.stdout.no_fnmatch_line("TOTAL*")  # no terminal table was asked for
    index = (pytester.path / "cov-html" / "index.html").read_text(encoding="utf-8")
    assert "<h1>State-machine coverage</h1>" in index
    assert ">orders</a>" in index
    assert ">refunds</a>" in index
    assert "64.3%" in index
    assert "60.0%" in index
    pages = sorted(path.name for path in (pytester.path / "cov-html").glob("orders_*.html"))
    assert len(pages) == 1
    assert f'href="{pages[0]}"' in index
    page = (pytester.path / "cov-html" / pages[0]).read_text(encoding="utf-8")
    assert "<script" not in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "<svg" in page
    assert "partially (entered; a rule, Catcher or Retrier never ran)" in page
    # The Choice (a rule never taken) and the Task (a Retrier and a Catcher never used) are
    # partial; Wrap and GiveUp were never entered; Skip, Recover and Done were.
    assert '<g class="node partial" data-state="Route">' in page
    assert '<g class="node partial" data-state="Call">' in page
    assert '<g class="node missed" data-state="Wrap">' in page
    assert '<g class="node missed" data-state="GiveUp">' in page
    for name in ("Skip", "Recover", "Done"):
        assert f'<g class="node covered" data-state="{name}">' in page
    assert page.count('class="edge taken"') == 2  # rule 1 and the Default
    assert page.count('class="edge catch taken"') == 1
    assert page.count('class="edge untaken"') == 1  # rule 2
    assert page.count('class="edge catch untaken"') == 1
    assert "Call: Retry #2 [States.Timeout]" in page


XDIST_ONE = """
import json
import fakesfn

DEFINITION = json.dumps({
    "StartAt": "Route",
    "States": {
        "Route": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "One"}],
            "Default": "Other",
        },
        "One": {"Type": "Succeed"},
        "Other": {"Type": "Succeed"},
    },
})


def run(sfn, n):
    arn = sfn.create_state_machine(
        name="route", definition=DEFINITION, roleArn="arn:aws:iam::123456789012:role/r"
    )["stateMachineArn"]
    sfn.start_execution(stateMachineArn=arn, input=json.dumps({"n": n}))
"""


def test_xdist_workers_data_is_merged_and_the_threshold_applies_to_the_merge(pytester):
    pytest.importorskip("xdist")
    pytester.makepyfile(
        helper=XDIST_ONE,
        test_one="from helper import run\n\ndef test_one(sfn):\n    run(sfn, 1)\n",
        test_other="from helper import run\n\ndef test_other(sfn):\n    run(sfn, 2)\n",
    )
    result = pytester.runpytest_subprocess(
        "-p",
        "xdist",
        "-n",
        "2",
        "-p",
        "no:cacheprovider",
        "--dist=loadfile",
        "--sfn-cov",
        "--sfn-cov-report=term-missing",
        "--sfn-cov-report=json:merged.json",
        "--sfn-cov-fail-under=100",
    )
    result.assert_outcomes(passed=2)
    # Each worker ran one test, so each saw one path; only the merge covers everything.
    result.stdout.fnmatch_lines(["route*3/3*2/2*100.0%", "Required state-machine coverage of 100% reached.*"])
    result.stdout.no_fnmatch_line("*never exercised*")
    assert result.ret == pytest.ExitCode.OK
    merged = _json(pytester, "merged.json")
    (route,) = merged["machines"]
    assert {item["id"]: item["hits"] for item in route["items"]} == {
        "state:Route": 2,
        "choice:Route:0": 1,
        "default:Route": 1,
        "state:One": 1,
        "state:Other": 1,
    }


def test_xdist_fail_under_fails_on_the_merged_total(pytester):
    pytest.importorskip("xdist")
    pytester.makepyfile(
        helper=XDIST_ONE,
        test_one="from helper import run\n\ndef test_one(sfn):\n    run(sfn, 1)\n",
        test_two="from helper import run\n\ndef test_two(sfn):\n    run(sfn, 1)\n",
    )
    result = pytester.runpytest_subprocess(
        "-p", "xdist", "-n", "2", "-p", "no:cacheprovider", "--sfn-cov-fail-under=80"
    )
    result.assert_outcomes(passed=2)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        ["FAIL Required state-machine coverage of 80% not reached. Total coverage: 60.00%"]
    )


def test_an_empty_report_option_writes_nothing(pytester):
    pytester.makepyfile(test_orders=SUITE)
    result = pytester.runpytest("-p", "no:cacheprovider", "--sfn-cov", "--sfn-cov-report=")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.no_fnmatch_line("*state-machine coverage*")
