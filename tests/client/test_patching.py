"""mock_sfn(): boto3's Step Functions clients become fakes; other services are untouched."""

from __future__ import annotations

import asyncio
import datetime
import io
import json
import unittest

import boto3
import botocore.session
import pytest
from moto import mock_aws

import fakesfn

ORIGINAL = botocore.session.Session.create_client


def test_context_manager_patches_every_way_to_make_a_client():
    with fakesfn.mock_sfn() as backend:
        default = boto3.client("stepfunctions", region_name="us-east-1")
        session = boto3.Session(region_name="us-east-1").client("stepfunctions")
        other_region = boto3.Session(region_name="eu-west-1").client("stepfunctions")
        assert default.backend is backend
        assert session.backend is backend
        assert other_region.backend is backend
        default.create_activity(name="shared")
        assert [a["name"] for a in session.list_activities()["activities"]] == ["shared"]
        assert other_region.list_activities()["activities"] == []
    assert botocore.session.Session.create_client is ORIGINAL


def test_no_region_configured_defaults_to_us_east_1(monkeypatch):
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    with fakesfn.mock_sfn():
        assert boto3.Session().client("stepfunctions").meta.region_name == "us-east-1"


def test_other_services_are_untouched():
    with fakesfn.mock_sfn():
        s3 = boto3.client("s3", region_name="us-east-1")
        assert not hasattr(s3, "backend")


@fakesfn.mock_sfn(seed=4)
def test_function_decorator():
    client = boto3.client("stepfunctions", region_name="us-east-1")
    assert client.backend.seed == 4


@fakesfn.mock_sfn()
class TestClassDecorator:
    def test_each_method_is_patched(self):
        assert hasattr(boto3.client("stepfunctions", region_name="us-east-1"), "backend")

    def test_with_a_fresh_backend(self):
        client = boto3.client("stepfunctions", region_name="us-east-1")
        assert client.list_activities()["activities"] == []


def test_start_and_stop():
    patch = fakesfn.mock_sfn()
    backend = patch.start()
    try:
        assert boto3.client("stepfunctions", region_name="us-east-1").backend is backend
        with pytest.raises(RuntimeError):
            patch.start()
    finally:
        patch.stop()
    assert botocore.session.Session.create_client is ORIGINAL
    patch.stop()


def test_with_motos_mock_aws_s3_goes_to_moto_and_sfn_to_fakesfn():
    with mock_aws(), fakesfn.mock_sfn() as backend:
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="reports")
        s3.put_object(Bucket="reports", Key="a.json", Body=b"{}")
        assert [o["Key"] for o in s3.list_objects_v2(Bucket="reports")["Contents"]] == ["a.json"]
        sfn = boto3.client("stepfunctions", region_name="us-east-1")
        assert sfn.backend is backend
        sfn.create_activity(name="in-fakesfn")
        assert [a.name for a in backend.store.activities.values()] == ["in-fakesfn"]


def test_mock_sfn_entered_first_then_mock_aws():
    with fakesfn.mock_sfn() as backend, mock_aws():
        sfn = boto3.client("stepfunctions", region_name="us-east-1")
        sfn.create_activity(name="x")
        assert [a.name for a in backend.store.activities.values()] == ["x"]


# --- decorator options ---------------------------------------------------------------------------

START = datetime.datetime(2030, 6, 1, tzinfo=datetime.timezone.utc)


@fakesfn.mock_sfn(start_time=START, seed=11, account_id="333333333333")
def test_decorator_options_are_honoured():
    client = boto3.client("stepfunctions", region_name="eu-west-1")
    assert client.backend.clock.now() == START
    assert client.backend.seed == 11
    arn = client.create_activity(name="a")["activityArn"]
    assert arn == "arn:aws:states:eu-west-1:333333333333:activity:a"


SHARED = fakesfn.Backend(seed=5)


@fakesfn.mock_sfn(backend=SHARED)
def _uses_the_shared_backend(name):
    boto3.client("stepfunctions", region_name="us-east-1").create_activity(name=name)


def test_decorator_with_a_backend_uses_it_for_every_call():
    _uses_the_shared_backend("one")
    _uses_the_shared_backend("two")
    assert sorted(a.name for a in SHARED.store.activities.values()) == ["one", "two"]


def test_decorator_without_a_backend_gives_a_fresh_world_per_call():
    seen = []

    @fakesfn.mock_sfn(seed=3)
    def work():
        client = boto3.client("stepfunctions", region_name="us-east-1")
        client.create_activity(name="a")
        seen.append((client.backend, len(client.list_activities()["activities"])))

    work()
    work()
    assert seen[0][0] is not seen[1][0]
    assert [count for _, count in seen] == [1, 1]
    assert botocore.session.Session.create_client is ORIGINAL


def test_mock_sfn_region_name_is_the_default_where_none_is_configured(monkeypatch):
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    with fakesfn.mock_sfn(region_name="ap-south-1"):
        assert boto3.Session().client("stepfunctions").meta.region_name == "ap-south-1"
        assert boto3.Session(region_name="eu-west-1").client("stepfunctions").meta.region_name == "eu-west-1"


def test_decorating_something_that_is_not_callable_is_refused():
    with pytest.raises(TypeError, match="decorates functions and classes"):
        fakesfn.mock_sfn()(42)


def test_a_fake_client_made_inside_mock_sfn_keeps_its_own_backend():
    mine = fakesfn.Backend(seed=1)
    with fakesfn.mock_sfn() as patched:
        client = fakesfn.FakeSFNClient(backend=mine)
        client.create_activity(name="mine")
    assert [a.name for a in mine.store.activities.values()] == ["mine"]
    assert list(patched.store.activities.values()) == []


# --- unittest -------------------------------------------------------------------------------------

ROLE = "arn:aws:iam::123456789012:role/sfn"
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


@fakesfn.mock_sfn()
class TestEveryPhaseOfATestCase(unittest.TestCase):
    """setUp, the test and tearDown share one world per test; each test gets a fresh one."""

    def setUp(self):
        self.client = boto3.client("stepfunctions", region_name="us-east-1")
        self.arn = self.client.create_state_machine(name="m", definition=PASS, roleArn=ROLE)[
            "stateMachineArn"
        ]

    def tearDown(self):
        # Still patched: a client made here reaches the test's world.
        machines = boto3.client("stepfunctions", region_name="us-east-1").list_state_machines()
        assert [m["name"] for m in machines["stateMachines"]] == ["m"]

    def test_runs(self):
        run = boto3.client("stepfunctions", region_name="us-east-1").start_execution(stateMachineArn=self.arn)
        assert self.client.describe_execution(executionArn=run["executionArn"])["status"] == "SUCCEEDED"

    def test_sees_a_fresh_world(self):
        assert len(self.client.list_state_machines()["stateMachines"]) == 1


@fakesfn.mock_sfn(seed=8)
class TestSetUpClassSharesItsWorld(unittest.TestCase):
    """With setUpClass, the class's tests share the world it made (unittest's meaning)."""

    @classmethod
    def setUpClass(cls):
        cls.client = boto3.client("stepfunctions", region_name="us-east-1")
        cls.arn = cls.client.create_state_machine(name="shared", definition=PASS, roleArn=ROLE)[
            "stateMachineArn"
        ]

    @classmethod
    def tearDownClass(cls):
        names = [
            m["name"]
            for m in boto3.client("stepfunctions", region_name="us-east-1").list_state_machines()[
                "stateMachines"
            ]
        ]
        assert names == ["shared"]

    def test_a_sees_the_class_world(self):
        assert self.client.backend.seed == 8
        client = boto3.client("stepfunctions", region_name="us-east-1")
        assert client.backend is self.client.backend
        client.start_execution(stateMachineArn=self.arn)

    def test_b_sees_the_class_world_too(self):
        assert len(self.client.list_executions(stateMachineArn=self.arn)["executions"]) == 1


def test_unittest_phases_run_patched_and_unpatched_after():
    calls = []

    @fakesfn.mock_sfn()
    class Case(unittest.TestCase):
        @classmethod
        def setUpClass(cls):
            calls.append(
                ("setUpClass", hasattr(boto3.client("stepfunctions", region_name="us-east-1"), "backend"))
            )

        @classmethod
        def tearDownClass(cls):
            calls.append(
                ("tearDownClass", hasattr(boto3.client("stepfunctions", region_name="us-east-1"), "backend"))
            )

        def setUp(self):
            calls.append(
                ("setUp", hasattr(boto3.client("stepfunctions", region_name="us-east-1"), "backend"))
            )

        def tearDown(self):
            calls.append(
                ("tearDown", hasattr(boto3.client("stepfunctions", region_name="us-east-1"), "backend"))
            )

        def test_x(self):
            calls.append(
                ("test_x", hasattr(boto3.client("stepfunctions", region_name="us-east-1"), "backend"))
            )

    result = unittest.TextTestRunner(stream=io.StringIO()).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(Case)
    )
    assert result.wasSuccessful()
    assert calls == [
        ("setUpClass", True),
        ("setUp", True),
        ("test_x", True),
        ("tearDown", True),
        ("tearDownClass", True),
    ]
    assert botocore.session.Session.create_client is ORIGINAL


def test_a_failing_setupclass_leaves_nothing_patched():
    @fakesfn.mock_sfn()
    class Case(unittest.TestCase):
        @classmethod
        def setUpClass(cls):
            raise RuntimeError("boom")

        def test_x(self):
            pass

    result = unittest.TextTestRunner(stream=io.StringIO()).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(Case)
    )
    assert len(result.errors) == 1
    assert botocore.session.Session.create_client is ORIGINAL
    assert "_fakesfn_class_backend" not in vars(Case)


@fakesfn.mock_sfn()
class TestPytestStyleClass:
    def setup_method(self):
        self.client = boto3.client("stepfunctions", region_name="us-east-1")
        self.client.create_activity(name="from-setup")

    def test_sees_setup_world(self):
        names = [
            a["name"]
            for a in boto3.client("stepfunctions", region_name="us-east-1").list_activities()["activities"]
        ]
        assert names == ["from-setup"]


# --- async test methods ----------------------------------------------------------------------------


def test_an_async_function_is_patched_while_it_runs():
    @fakesfn.mock_sfn(seed=2)
    async def work():
        await asyncio.sleep(0)
        return boto3.client("stepfunctions", region_name="us-east-1").backend.seed

    assert asyncio.run(work()) == 2
    assert botocore.session.Session.create_client is ORIGINAL


@fakesfn.mock_sfn()
class TestIsolatedAsyncio(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        boto3.client("stepfunctions", region_name="us-east-1").create_activity(name="async-setup")

    async def test_sees_async_setup(self):
        names = [
            a["name"]
            for a in boto3.client("stepfunctions", region_name="us-east-1").list_activities()["activities"]
        ]
        assert names == ["async-setup"]
