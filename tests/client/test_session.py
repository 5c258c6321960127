"""The fake clients' session answers endpoint questions as botocore's own data does, without loading it."""

from __future__ import annotations

import botocore.session
import pytest
from botocore.config import Config
from botocore.loaders import create_loader
from botocore.regions import EndpointResolver

import fakesfn
from fakesfn.client import merged_config, new_client
from fakesfn.client.session import StatesEndpoints


@pytest.fixture(scope="module")
def botocore_resolver() -> EndpointResolver:
    return EndpointResolver(create_loader().load_data("endpoints"), uses_builtin_data=True)


def _every_region(data: dict) -> set[str]:
    regions = {"mars-7", "eu-nowhere-9", "us-isof-south-1", "cn-made-up-3"}
    for partition in data["partitions"]:
        regions |= set(partition["regions"])
        regions |= set(partition["services"].get("states", {}).get("endpoints", {}))
    return {region for region in regions if not region.startswith("fips-") and "-fips" not in region}


def _as_botocore_resolves(resolver: EndpointResolver, region: str) -> dict:
    # botocore's client factory asks again in the "aws" partition when a region is unknown.
    found = resolver.construct_endpoint("states", region)
    return found or resolver.construct_endpoint("states", region, partition_name="aws")


def test_every_region_gets_botocores_partition_protocols_and_signature(botocore_resolver):
    ours = StatesEndpoints()
    regions = _every_region(botocore_resolver._endpoint_data)
    assert len(regions) > 30
    for region in sorted(regions):
        theirs = _as_botocore_resolves(botocore_resolver, region)
        mine = ours.construct_endpoint("states", region)
        assert mine is not None
        assert mine["partition"] == theirs["partition"], region
        assert mine["protocols"] == theirs["protocols"], region
        assert mine["signatureVersions"] == theirs["signatureVersions"], region
        assert "credentialScope" not in theirs, region


@pytest.mark.parametrize("region", ["us-east-1", "cn-north-1", "us-gov-west-1", "us-isob-east-1", "mars-7"])
def test_a_fake_client_reads_as_one_built_from_botocores_own_session(region):
    plain = botocore.session.Session().create_client(
        "stepfunctions",
        region_name=region,
        endpoint_url=f"https://states.{region}.amazonaws.com",
        config=merged_config(None),
    )
    fake = new_client(region)
    for client in (plain, fake):
        assert client.meta.partition == plain.meta.partition
        assert client.meta.region_name == region
        assert client.meta.endpoint_url == plain.meta.endpoint_url
        assert client._request_signer.signing_name == plain._request_signer.signing_name
        assert client._request_signer.region_name == plain._request_signer.region_name


def test_variants_and_other_services_are_botocores_answers(botocore_resolver):
    ours = StatesEndpoints()
    fips = ours.construct_endpoint("states", "us-east-1", use_fips_endpoint=True)
    assert fips == botocore_resolver.construct_endpoint("states", "us-east-1", use_fips_endpoint=True)
    assert ours.construct_endpoint("lambda", "eu-west-1") == botocore_resolver.construct_endpoint(
        "lambda", "eu-west-1"
    )
    assert ours.get_available_partitions() == botocore_resolver.get_available_partitions()
    assert ours.get_available_endpoints("states") == botocore_resolver.get_available_endpoints("states")


def test_a_fips_client_works():
    client = fakesfn.FakeSFNClient(region_name="us-east-1", config=Config(use_fips_endpoint=True))
    assert client.list_activities()["activities"] == []
