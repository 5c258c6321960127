"""One moto S3 world per module for the ItemReader/ResultWriter tests."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

REGION = "us-east-1"


@pytest.fixture(scope="module")
def s3_world():
    """moto's S3 with a source and a results bucket (creating the world is the slow part)."""
    with mock_aws():
        session = boto3.Session(region_name=REGION)
        client = session.client("s3")
        for bucket in ("source-data", "map-results"):
            client.create_bucket(Bucket=bucket)
        yield {"session": session, "s3": client}


@pytest.fixture
def s3(s3_world, sfn):
    """The moto S3 client, with the test's backend calling S3 through the same session."""
    sfn.backend.aws_session = s3_world["session"]
    return s3_world["s3"]
