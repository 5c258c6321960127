"""variableReferences: which workflow variables each state of a definition reads."""

from __future__ import annotations

import json
from typing import Any

from fakesfn.asl.variable_refs import variable_references


def refs(states: dict[str, Any], **machine: Any) -> dict[str, list[str]]:
    first = next(iter(states))
    return variable_references(json.dumps({"StartAt": first, "States": states, **machine}))


def test_paths_and_template_entries_read_variables():
    found = refs(
        {
            "Read": {
                "Type": "Pass",
                "InputPath": "$order",
                "Parameters": {"id.$": "$customer.id", "nested": {"total.$": "$total"}},
                "OutputPath": "$.x",
                "Assign": {"copy.$": "$order.lines"},
                "Next": "Wait",
            },
            "Wait": {"Type": "Wait", "SecondsPath": "$delay", "Next": "Fail"},
            "Fail": {"Type": "Fail", "ErrorPath": "$error", "CausePath": "$cause"},
        }
    )
    assert found == {
        "Read": ["customer", "order", "total"],
        "Wait": ["delay"],
        "Fail": ["cause", "error"],
    }


def test_look_alikes_are_not_references():
    found = refs(
        {
            "Literal": {
                "Type": "Pass",
                "Parameters": {"bucket": "$bucket", "input.$": "$", "ctx.$": "$$.Execution.Id"},
                "Result": {"shown.$": "$kept"},
                "ResultPath": "$.out",
                "Comment": "$comment",
                "End": True,
            }
        }
    )
    assert found == {}


def test_intrinsic_arguments_are_read_at_every_depth():
    found = refs(
        {
            "Format": {
                "Type": "Pass",
                "Parameters": {
                    "text.$": "States.Format('{} of {}', $first, States.JsonToString($second.part))",
                    "sum.$": "States.MathAdd($.a, 1)",
                },
                "End": True,
            }
        }
    )
    assert found == {"Format": ["first", "second"]}


def test_choice_rules_read_variables_in_nested_conditions():
    found = refs(
        {
            "Decide": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$guess", "StringEqualsPath": "$answer", "Next": "Done"},
                    {
                        "And": [{"Not": {"Variable": "$.n", "NumericGreaterThanPath": "$limit"}}],
                        "Assign": {"seen.$": "$seen"},
                        "Next": "Done",
                    },
                ],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        }
    )
    assert found == {"Decide": ["answer", "guess", "limit", "seen"]}


def test_states_inside_map_and_parallel_are_listed_under_their_own_names():
    inner = {"StartAt": "Use", "States": {"Use": {"Type": "Pass", "OutputPath": "$bias", "End": True}}}
    found = refs(
        {
            "Each": {
                "Type": "Map",
                "ItemsPath": "$items",
                "MaxConcurrencyPath": "$width",
                "ItemSelector": {"value.$": "States.Format('{}', $label)"},
                "ItemProcessor": inner,
                "Next": "Both",
            },
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "Left",
                        "States": {"Left": {"Type": "Pass", "InputPath": "$left", "End": True}},
                    }
                ],
                "End": True,
            },
        }
    )
    assert found == {"Each": ["items", "label", "width"], "Use": ["bias"], "Left": ["left"]}
    assert list(found) == ["Each", "Use", "Left"]


def test_distributed_map_reader_and_tolerance_paths():
    found = refs(
        {
            "Big": {
                "Type": "Map",
                "ItemReader": {
                    "Resource": "arn:aws:states:::s3:getObject",
                    "ReaderConfig": {"InputType": "JSON", "MaxItemsPath": "$max"},
                    "Parameters": {"Bucket.$": "$bucket", "Key": "k"},
                },
                "ToleratedFailureCountPath": "$count",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "P",
                    "States": {"P": {"Type": "Pass", "End": True}},
                },
                "End": True,
            }
        }
    )
    assert found == {"Big": ["bucket", "count", "max"]}


def test_jsonata_expressions_are_not_listed():
    found = refs(
        {
            "Calc": {
                "Type": "Pass",
                "Output": "{% $total + $states.input.n %}",
                "Assign": {"total": "{% $total + 1 %}"},
                "Next": "Old",
            },
            "Old": {"Type": "Pass", "QueryLanguage": "JSONPath", "InputPath": "$total", "End": True},
        },
        QueryLanguage="JSONata",
    )
    assert found == {"Old": ["total"]}


def test_answers_are_copies():
    text = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$v", "End": True}}})
    variable_references(text)["A"].append("changed")
    assert variable_references(text) == {"A": ["v"]}
