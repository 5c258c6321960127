"""mock_sfn(): boto3's Step Functions clients become fakes; other services are untouched."""

from __future__ import annotations

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
