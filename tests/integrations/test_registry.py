"""Integrations register once, under a resource AWS knows; the optimized rows agree with AWS's catalogue."""

from __future__ import annotations

import pytest

from fakesfn.asl.optimized import OPTIMIZED_INTEGRATIONS
from fakesfn.integrations import (
    catalog,  # noqa: F401 - registers every integration
    registry,
)
from fakesfn.integrations.jobs import Job
from fakesfn.integrations.optimized import ACTIONS, Call


def _integration(call, services):
    yield from ()


def test_a_key_registered_twice_is_refused(monkeypatch):
    monkeypatch.setattr(registry, "INTEGRATIONS", {})
    registry.register("aws-sdk", "*")(_integration)
    with pytest.raises(RuntimeError, match="registered twice"):
        registry.register("aws-sdk", "*")(_integration)


def test_a_service_action_aws_does_not_offer_is_refused(monkeypatch):
    monkeypatch.setattr(registry, "INTEGRATIONS", {})
    with pytest.raises(RuntimeError, match="no optimized integration AWS offers"):
        registry.register("service", "dynamodb:scan")(_integration)


def test_every_optimized_integration_aws_offers_runs():
    registered = {key for kind, key in registry.INTEGRATIONS if kind == "service"}
    assert set(OPTIMIZED_INTEGRATIONS) <= registered


def test_every_registered_service_integration_is_in_aws_catalogue():
    keys = [key for kind, key in registry.INTEGRATIONS if kind == "service"]
    assert keys
    assert set(keys) <= set(OPTIMIZED_INTEGRATIONS)


@pytest.mark.parametrize(("key", "action"), sorted(ACTIONS.items(), key=lambda item: item[0]))
def test_each_optimized_row_runs_every_pattern_aws_offers(key, action):
    offered = OPTIMIZED_INTEGRATIONS[key]
    runs = {"", "waitForTaskToken", "sync"} if isinstance(action, Job) else {"", "waitForTaskToken"}
    assert offered <= runs
    assert isinstance(action, (Call, Job))
    assert ("service", key) in registry.INTEGRATIONS
