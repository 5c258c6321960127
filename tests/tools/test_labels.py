"""How definitions read in pictures: Choice rules as conditions, labels, escaping."""

from __future__ import annotations

import pytest

from fakesfn.graph import dot, mermaid
from fakesfn.tools.shapes import condition_text, rule_label, shorten


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ({"Variable": "$.a", "StringEquals": "x"}, '$.a == "x"'),
        ({"Variable": "$.a", "NumericLessThanEqualsPath": "$.b"}, "$.a <= $.b"),
        ({"Variable": "$.t", "TimestampGreaterThan": "2024-01-01T00:00:00Z"}, '$.t > "2024-01-01T00:00:00Z"'),
        ({"Variable": "$.s", "StringMatches": "log-*"}, '$.s matches "log-*"'),
        ({"Variable": "$.a", "IsPresent": False}, "$.a is not present"),
        ({"Variable": "$.a", "IsNull": True}, "$.a is null"),
        ({"Variable": "$.ok", "BooleanEquals": True}, "$.ok == true"),
        (
            {
                "And": [
                    {"Variable": "$.a", "NumericGreaterThanEquals": 1},
                    {
                        "Or": [
                            {"Variable": "$.b", "IsString": True},
                            {"Not": {"Variable": "$.c", "IsNumeric": True}},
                        ]
                    },
                ]
            },
            "$.a >= 1 and ($.b is a string or (not $.c is numeric))",
        ),
        ({"Condition": "{% $states.input.n > 2 %}"}, "{% $states.input.n > 2 %}"),
    ],
)
def test_choice_rules_read_as_conditions(rule, text):
    assert condition_text(rule) == text


def test_rule_comment_wins_and_long_labels_are_shortened():
    assert rule_label({"Variable": "$.a", "IsNull": True, "Comment": "no customer"}) == "no customer"
    long = shorten("x" * 100)
    assert len(long) == 60
    assert long.endswith("…")


def test_jsonata_choice_edges_carry_their_condition():
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Pick",
        "States": {
            "Pick": {
                "Type": "Choice",
                "Choices": [{"Condition": "{% $states.input.n > 2 %}", "Next": "Big"}],
                "Default": "Small",
            },
            "Big": {"Type": "Succeed"},
            "Small": {"Type": "Succeed"},
        },
    }
    assert '    s0 -->|"{% $states.input.n > 2 %}"| s1\n' in mermaid(definition)
    assert '    s0 -> s1 [label="{% $states.input.n > 2 %}"];\n' in dot(definition)


def test_any_state_name_is_escaped():
    name = 'say "hi" #1 <b>|\\'
    definition = {"StartAt": name, "States": {name: {"Type": "Pass", "End": True}}}
    assert '    s0["say #34;hi#34; #35;1 #60;b>#124;\\"]\n' in mermaid(definition)
    assert '    s0 [label="say \\"hi\\" #1 <b>|\\\\"];\n' in dot(definition)
