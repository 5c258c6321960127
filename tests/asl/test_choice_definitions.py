"""JSONPath Choice rules: what makes one an invalid definition, and where it is reported."""

from __future__ import annotations

import pytest

from fakesfn.asl.choice import compile_choice_rule
from fakesfn.asl.problems import ProblemCollector

WHERE = "/States/Route/Choices[2]"


def problems_of(rule, *, top_level=True):
    problems = ProblemCollector()
    compiled = compile_choice_rule(rule, WHERE, problems, top_level=top_level)
    found = [(p.message, p.location) for p in problems.problems]
    assert all(p.code == "SCHEMA_VALIDATION_FAILED" for p in problems.problems)
    assert (compiled is None) is bool(found)
    return found


def test_a_valid_rule_has_no_problems_and_exposes_next_and_assign():
    problems = ProblemCollector()
    rule = compile_choice_rule(
        {
            "Comment": "ignored",
            "Variable": "$.n",
            "NumericEquals": 1,
            "Assign": {"seen.$": "$.n", "fixed": [1, 2]},
            "Next": "One",
        },
        WHERE,
        problems,
    )
    assert problems.problems == []
    assert rule is not None
    assert rule.next == "One"
    assert rule.assign == {"seen.$": "$.n", "fixed": [1, 2]}


def test_a_nested_rule_has_no_next():
    problems = ProblemCollector()
    rule = compile_choice_rule(
        {"Variable": "$.n", "IsNull": True, "Comment": "ok"}, WHERE, problems, top_level=False
    )
    assert problems.problems == []
    assert rule is not None
    assert rule.next is None
    assert rule.assign is None


def test_top_level_rule_needs_next():
    assert problems_of({"Variable": "$.n", "IsNull": True}) == [("These fields are required: [Next]", WHERE)]


def test_next_must_be_a_string():
    assert problems_of({"Variable": "$.n", "IsNull": True, "Next": 3}) == [
        ("The value for the field 'Next' must be a STRING", f"{WHERE}/Next")
    ]


def test_assign_must_be_an_object():
    assert problems_of({"Variable": "$.n", "IsNull": True, "Next": "N", "Assign": [1]}) == [
        ("The value for the field 'Assign' must be an OBJECT", f"{WHERE}/Assign")
    ]


@pytest.mark.parametrize("field", ["Next", "Assign"])
def test_nested_rules_may_not_carry_next_or_assign(field):
    rule = {"Not": {"Variable": "$.n", "IsNull": True, field: "X"}, "Next": "N"}
    assert problems_of(rule) == [(f"Field '{field}' is not supported", f"{WHERE}/Not/{field}")]
    assert problems_of({"Variable": "$.n", "IsNull": True, field: "X"}, top_level=False) == [
        (f"Field '{field}' is not supported", f"{WHERE}/{field}")
    ]


def test_unknown_fields_are_refused():
    assert problems_of({"Variable": "$.n", "IsNull": True, "Next": "N", "End": True}) == [
        ("Field 'End' is not supported", f"{WHERE}/End")
    ]


@pytest.mark.parametrize("field", ["Condition", "Output"])
def test_jsonata_fields_are_refused_in_a_jsonpath_rule(field):
    assert problems_of({"Variable": "$.n", "IsNull": True, "Next": "N", field: "{% true %}"}) == [
        (
            f"The QueryLanguage is set to 'JSONPath', but field '{field}' is only supported for the "
            "'JSONata' QueryLanguage",
            f"{WHERE}/{field}",
        )
    ]


def test_a_rule_needs_an_operator():
    assert problems_of({"Variable": "$.n", "Next": "N"}) == [
        ("A Choice Rule must contain one comparison operator, or one of And, Or, Not", WHERE)
    ]


def test_a_rule_has_exactly_one_operator():
    assert problems_of({"Variable": "$.n", "IsNull": True, "NumericEquals": 1, "Next": "N"}) == [
        ("There should only be one of the following fields: [IsNull, NumericEquals]", WHERE)
    ]
    assert problems_of({"And": [], "Or": [], "Next": "N"}) == [
        ("There should only be one of the following fields: [And, Or]", WHERE)
    ]


def test_a_data_test_needs_a_variable():
    assert problems_of({"StringEquals": "x", "Next": "N"}) == [
        ("These fields are required: [Variable]", WHERE)
    ]


def test_a_boolean_expression_has_no_variable():
    assert problems_of({"Variable": "$.n", "Not": {"Variable": "$.n", "IsNull": True}, "Next": "N"}) == [
        ("Field 'Variable' is not supported", f"{WHERE}/Variable")
    ]


@pytest.mark.parametrize("text", ["n", "", 7, None, "$.a[", "$..a", "$.a[*]", "$.a[?(@.b)]"])
def test_variable_must_be_a_reference_path(text):
    found = problems_of({"Variable": text, "IsNull": True, "Next": "N"})
    assert len(found) == 1
    message, location = found[0]
    assert location == f"{WHERE}/Variable"
    assert message in {
        "The value for the field 'Variable' must be a valid JSONPath",
        "The value for the field 'Variable' must be a Reference Path",
    }


def test_path_operands_must_be_reference_paths():
    assert problems_of({"Variable": "$.n", "NumericEqualsPath": "n", "Next": "N"}) == [
        ("The value for the field 'NumericEqualsPath' must be a valid JSONPath", f"{WHERE}/NumericEqualsPath")
    ]
    assert problems_of({"Variable": "$.n", "StringLessThanPath": "$.items[*].x", "Next": "N"}) == [
        (
            "The value for the field 'StringLessThanPath' must be a Reference Path",
            f"{WHERE}/StringLessThanPath",
        )
    ]


def test_there_is_no_string_matches_path():
    assert problems_of({"Variable": "$.n", "StringMatchesPath": "$.p", "Next": "N"}) == [
        ("Field 'StringMatchesPath' is not supported", f"{WHERE}/StringMatchesPath"),
        ("A Choice Rule must contain one comparison operator, or one of And, Or, Not", WHERE),
    ]


@pytest.mark.parametrize(
    ("op", "operand", "kind"),
    [
        ("NumericEquals", "1", "NUMBER"),
        ("NumericLessThan", True, "NUMBER"),
        ("NumericGreaterThanEquals", None, "NUMBER"),
        ("StringEquals", 1, "STRING"),
        ("StringGreaterThan", ["a"], "STRING"),
        ("StringMatches", 5, "STRING"),
        ("BooleanEquals", "true", "BOOLEAN"),
        ("BooleanEquals", 1, "BOOLEAN"),
        ("TimestampEquals", "2020-01-01", "valid timestamp STRING"),
        ("TimestampLessThan", 1577836800, "valid timestamp STRING"),
        ("IsNull", "yes", "BOOLEAN"),
        ("IsPresent", 1, "BOOLEAN"),
        ("IsTimestamp", None, "BOOLEAN"),
    ],
)
def test_literal_operands_must_have_the_operator_type(op, operand, kind):
    assert problems_of({"Variable": "$.n", op: operand, "Next": "N"}) == [
        (f"The value for the field '{op}' must be a {kind}", f"{WHERE}/{op}")
    ]


@pytest.mark.parametrize("items", [{}, "x", None])
def test_and_or_need_an_array(items):
    for op in ("And", "Or"):
        assert problems_of({op: items, "Next": "N"}) == [
            (f"The value for the field '{op}' must be a non-empty ARRAY of Choice Rules", f"{WHERE}/{op}")
        ]


def test_and_or_must_not_be_empty():
    for op in ("And", "Or"):
        assert problems_of({op: [], "Next": "N"}) == [("Value cannot be empty", f"{WHERE}/{op}")]


def test_not_needs_a_rule_object():
    assert problems_of({"Not": [{"Variable": "$.n", "IsNull": True}], "Next": "N"}) == [
        ("The value must be an object", f"{WHERE}/Not")
    ]


def test_every_problem_is_reported_with_its_location():
    rule = {
        "And": [
            {"Variable": "$.a", "NumericEquals": "1"},
            {"Or": [{"Variable": "a", "IsNull": True}, 3]},
            {"Not": {"StringEquals": "x", "Next": "Z"}},
        ],
        "Extra": 1,
    }
    assert problems_of(rule) == [
        ("Field 'Extra' is not supported", f"{WHERE}/Extra"),
        ("The value for the field 'NumericEquals' must be a NUMBER", f"{WHERE}/And[0]/NumericEquals"),
        ("The value for the field 'Variable' must be a valid JSONPath", f"{WHERE}/And[1]/Or[0]/Variable"),
        ("The value must be an object", f"{WHERE}/And[1]/Or[1]"),
        ("Field 'Next' is not supported", f"{WHERE}/And[2]/Not/Next"),
        ("These fields are required: [Variable]", f"{WHERE}/And[2]/Not"),
        ("These fields are required: [Next]", WHERE),
    ]
