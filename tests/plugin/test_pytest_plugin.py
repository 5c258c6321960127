"""The pytest plugin, exercised with pytester in a separate test session."""

from __future__ import annotations

pytest_plugins = ["pytester"]


def test_fixtures_are_fresh_per_test(pytester):
    pytester.makepyfile(
        """
        def test_one(sfn, sfn_backend):
            assert sfn.backend is sfn_backend
            sfn.create_activity(name="a")

        def test_two(sfn):
            assert sfn.list_activities()["activities"] == []
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2)


def test_marker_configures_the_fixtures(pytester):
    pytester.makepyfile(
        """
        import datetime as dt
        import pytest

        @pytest.mark.fakesfn(seed=9, region_name="eu-central-1", account_id="111111111111",
                             start_time=dt.datetime(2031, 1, 1, tzinfo=dt.timezone.utc))
        def test_marked(sfn, sfn_backend):
            assert sfn_backend.seed == 9
            assert sfn_backend.clock.now().year == 2031
            arn = sfn.create_activity(name="a")["activityArn"]
            assert arn == "arn:aws:states:eu-central-1:111111111111:activity:a"
        """
    )
    result = pytester.runpytest("--strict-markers")
    result.assert_outcomes(passed=1)


def test_unknown_marker_option_is_a_usage_error(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.fakesfn(sead=1)
        def test_typo(sfn):
            pass
        """
    )
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(["*unknown options*sead*"])
    assert result.ret != 0


def test_code_under_test_that_builds_its_own_client_reaches_the_fixtures_backend(pytester):
    pytester.makepyfile(
        orders="""
        import boto3
        import botocore.session

        def make_activity(name):
            boto3.client("stepfunctions", region_name="us-east-1").create_activity(name=name)

        def via_session(name):
            boto3.Session(region_name="us-east-1").client("stepfunctions").create_activity(name=name)

        def via_botocore(name):
            session = botocore.session.get_session()
            session.create_client("stepfunctions", region_name="us-east-1").create_activity(name=name)
        """,
        test_orders="""
        import boto3
        import orders

        def test_with_sfn(sfn):
            orders.make_activity("a")
            orders.via_session("b")
            orders.via_botocore("c")
            assert [a["name"] for a in sfn.list_activities()["activities"]] == ["a", "b", "c"]

        def test_with_sfn_backend_only(sfn_backend):
            orders.make_activity("d")
            assert [a.name for a in sfn_backend.store.activities.values()] == ["d"]

        def test_other_services_and_after_the_test_are_untouched(sfn):
            assert not hasattr(boto3.client("s3", region_name="us-east-1"), "backend")
        """,
    )
    result = pytester.runpytest_inprocess("-p", "no:randomly")
    result.assert_outcomes(passed=3)
    import boto3

    # The patch ended with the tests: a client made now is a real one.
    assert not hasattr(boto3.client("stepfunctions", region_name="us-east-1"), "backend")


def test_the_markers_region_and_account_reach_clients_made_by_the_code(pytester, monkeypatch):
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    pytester.makepyfile(
        """
        import boto3
        import pytest

        @pytest.mark.fakesfn(region_name="eu-west-3", account_id="222222222222")
        def test_marked(sfn_backend):
            arn = boto3.client("stepfunctions").create_activity(name="a")["activityArn"]
            assert arn == "arn:aws:states:eu-west-3:222222222222:activity:a"
        """
    )
    pytester.runpytest_inprocess().assert_outcomes(passed=1)


def test_same_seed_same_arns_in_every_test_whatever_the_order(pytester):
    pytester.makepyfile(
        """
        import json
        import pytest

        DEFINITION = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
        SEEN = []

        @pytest.mark.parametrize("n", range(4))
        def test_run(sfn, sfn_backend, n):
            for _ in range(n):  # earlier tests did more work: it must not show
                sfn.create_activity(name=f"x{_}")
            arn = sfn.create_state_machine(name="m", definition=DEFINITION,
                                           roleArn="arn:aws:iam::123456789012:role/r")["stateMachineArn"]
            run = sfn.start_execution(stateMachineArn=arn)
            history = sfn.get_execution_history(executionArn=run["executionArn"])
            SEEN.append((run["executionArn"], history["ResponseMetadata"]["RequestId"] if n == 0 else None,
                         str(sfn_backend.clock.now())))

        def test_all_equal():
            assert len({arn for arn, _, _ in SEEN}) == 1
            assert len({now for _, _, now in SEEN}) == 1
        """
    )
    pytester.runpytest_inprocess("-p", "no:randomly").assert_outcomes(passed=5)


def test_a_client_changed_by_one_test_does_not_leak_into_the_next(pytester):
    pytester.makepyfile(
        """
        from botocore.stub import Stubber

        def test_stubbed(sfn):
            stubber = Stubber(sfn)
            stubber.add_response("list_activities", {"activities": [
                {"activityArn": "arn:aws:states:us-east-1:123456789012:activity:stub", "name": "stub",
                 "creationDate": 0}]})
            stubber.activate()  # never deactivated
            assert sfn.list_activities()["activities"][0]["name"] == "stub"

        def test_monkeypatched(sfn):
            sfn.list_activities = lambda **kwargs: {"activities": ["patched"]}

        def test_hooked(sfn):
            sfn.meta.events.register("before-call.sfn.ListActivities", lambda **kwargs: 1 / 0)

        def test_next(sfn, sfn_backend):
            assert sfn.backend is sfn_backend
            sfn.create_activity(name="real")
            assert [a["name"] for a in sfn.list_activities()["activities"]] == ["real"]
        """
    )
    pytester.runpytest_inprocess("-p", "no:randomly").assert_outcomes(passed=4)


def test_a_client_kept_from_the_previous_test_is_a_fresh_world_again(pytester):
    pytester.makepyfile(
        """
        KEPT = []

        def test_one(sfn):
            KEPT.append(sfn)
            sfn.create_activity(name="first")

        def test_two(sfn, sfn_backend):
            assert sfn.backend is sfn_backend
            assert sfn.list_activities()["activities"] == []
        """
    )
    pytester.runpytest_inprocess("-p", "no:randomly").assert_outcomes(passed=2)


def test_a_naive_start_time_in_the_marker_means_utc(pytester):
    pytester.makepyfile(
        """
        import datetime as dt
        import pytest

        @pytest.mark.fakesfn(start_time=dt.datetime(2031, 1, 1, 12))
        def test_marked(sfn_backend):
            assert sfn_backend.clock.now() == dt.datetime(2031, 1, 1, 12, tzinfo=dt.timezone.utc)

        @pytest.mark.fakesfn(start_time="2031-01-01")
        def test_not_a_datetime(sfn_backend):
            pass
        """
    )
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*must be a datetime (naive means UTC)*"])


def test_nothing_a_test_leaves_in_its_world_reaches_the_next(pytester):
    # One test changes everything a world holds (lambdas, mocks, clock, a paused and a
    # waiting execution, the AWS session, the seeded stream); the next test, handed the
    # same pooled client, must see a world exactly as fresh as the first test's was.
    pytester.makepyfile(
        """
        import datetime as dt
        import json

        ROLE = "arn:aws:iam::123456789012:role/r"
        TASK = json.dumps({"StartAt": "Call", "States": {"Call": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "fn", "Payload.$": "$"}, "OutputPath": "$.Payload",
            "End": True}}})
        WAIT = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}})
        FRESH = {}

        def first_run(sfn):
            arn = sfn.create_state_machine(name="m", definition=TASK, roleArn=ROLE)["stateMachineArn"]
            run = sfn.start_execution(stateMachineArn=arn, input='{"a": 1}')["executionArn"]
            return run, sfn.describe_execution(executionArn=run)

        def test_changes_everything(sfn, sfn_backend):
            FRESH["start"] = sfn_backend.clock.now()
            FRESH["client"] = sfn
            run, unregistered = first_run(sfn)
            FRESH["run"], FRESH["status"] = run, unregistered["status"]
            sfn_backend.register_lambda("fn", lambda event, context: {"echo": event})
            sfn_backend.mocks.state("Call").returns({"Payload": {"mocked": True}})
            machine = run.replace(":execution:", ":stateMachine:").rsplit(":", 1)[0]
            again = sfn.start_execution(stateMachineArn=machine)["executionArn"]
            assert json.loads(sfn.describe_execution(executionArn=again)["output"]) == {"mocked": True}
            sfn_backend.advance(dt.timedelta(days=3))
            waiting = sfn.create_state_machine(name="w", definition=WAIT, roleArn=ROLE)["stateMachineArn"]
            sfn.start_execution(stateMachineArn=waiting)
            sfn_backend.pause_executions()
            sfn_backend.aws_session = object()
            for n in range(5):
                sfn.create_activity(name=f"a{n}")

        def test_sees_a_fresh_world(sfn, sfn_backend):
            assert sfn is FRESH["client"]  # the pooled client, pointed at a new world
            assert sfn_backend.clock.now() == FRESH["start"]
            assert sfn_backend.next_due() is None
            assert sfn_backend.aws_session is None
            assert sfn.list_state_machines()["stateMachines"] == []
            assert sfn.list_activities()["activities"] == []
            run, described = first_run(sfn)  # neither the lambda nor the mock is there
            assert (run, described["status"]) == (FRESH["run"], FRESH["status"]) == (FRESH["run"], "FAILED")
        """
    )
    pytester.runpytest_inprocess("-p", "no:randomly").assert_outcomes(passed=2)
