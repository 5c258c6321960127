"""A state type's facts live on its node class; the tables built from them agree."""

from __future__ import annotations

import pytest

from fakesfn.asl import problems
from fakesfn.asl.nodes import JSONATA, JSONPATH, STATE_TYPES
from fakesfn.asl.parser import STATE_PARSERS, parse_definition
from fakesfn.engine.states import STATE_BODIES

TYPES = sorted(STATE_TYPES.items())


def test_every_state_type_is_parsed_run_and_named_in_aws_message():
    assert set(STATE_PARSERS) == set(STATE_BODIES) == set(STATE_TYPES.values())
    assert sorted(problems.STATE_TYPES) == sorted(STATE_TYPES)


@pytest.mark.parametrize(("name", "node_class"), TYPES)
def test_facts_agree_with_the_fields_a_state_type_accepts(name, node_class):
    fields = node_class.FIELDS
    assert name == node_class.TYPE
    assert set(fields) == {JSONPATH, JSONATA}
    for language in (JSONPATH, JSONATA):
        assert {"Type", "Comment", "QueryLanguage"} <= fields[language]
        assert ("Retry" in fields[language]) == ("Catch" in fields[language]) == node_class.CAN_RETRY
    assert not node_class.RECORDS_FAILED or node_class.CAN_RETRY


def test_retry_and_results_are_the_facts_of_task_parallel_and_map():
    assert {name for name, cls in TYPES if cls.CAN_RETRY} == {"Task", "Parallel", "Map"}
    assert {name for name, cls in TYPES if cls.HAS_RESULT} == {"Task", "Parallel", "Map"}
    assert {name for name, cls in TYPES if cls.RECORDS_FAILED} == {"Parallel", "Map"}


def test_a_parsed_state_carries_its_type_name():
    text = '{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": true}}}'
    assert parse_definition(text).states["W"].type == "Wait"
