"""JSONPath Choice rules: operators, run-time errors, nesting, definition problems."""

from __future__ import annotations

import pytest

from fakesfn.asl.choice import ChoiceRule, compile_choice_rule
from fakesfn.asl.context import Env, Variables
from fakesfn.asl.errors import StateFieldError
from fakesfn.asl.problems import ProblemCollector

WHERE = "/States/Route/Choices[0]"
ENV = Env()


def compile_rule(rule, *, top_level=True):
    problems = ProblemCollector()
    compiled = compile_choice_rule(rule, WHERE, problems, top_level=top_level)
    return compiled, [(p.message, p.location) for p in problems.problems]


def make(rule, *, top_level=True) -> ChoiceRule:
    compiled, problems = compile_rule(rule, top_level=top_level)
    assert problems == []
    assert compiled is not None
    return compiled


def literal(op, operand, value):
    """Evaluate ``{"Variable": "$.v", op: operand}`` against ``{"v": value}``."""
    return make({"Variable": "$.v", op: operand, "Next": "Yes"}).evaluate({"v": value}, ENV)


def via_path(op, operand, value):
    """The same comparison through ``opPath`` reading the operand from ``$.w``."""
    rule = make({"Variable": "$.v", f"{op}Path": "$.w", "Next": "Yes"})
    return rule.evaluate({"v": value, "w": operand}, ENV)


# (operator, literal operand, variable value, expected)
COMPARISONS = [
    ("StringEquals", "pear", "pear", True),
    ("StringEquals", "pear", "Pear", False),
    ("StringEquals", "", "", True),
    ("StringLessThan", "pear", "apple", True),
    ("StringLessThan", "pear", "pear", False),
    ("StringLessThan", "pear", "pea", True),
    ("StringGreaterThan", "pear", "plum", True),
    ("StringGreaterThan", "pear", "pear", False),
    ("StringGreaterThan", "B", "a", True),
    ("StringLessThanEquals", "pear", "pear", True),
    ("StringLessThanEquals", "pear", "pears", False),
    ("StringGreaterThanEquals", "pear", "pear", True),
    ("StringGreaterThanEquals", "pear", "peach", False),
    ("NumericEquals", 7, 7, True),
    ("NumericEquals", 7, 7.0, True),
    ("NumericEquals", 0.5, 0.5, True),
    ("NumericEquals", 7, 8, False),
    ("NumericLessThan", 10, 9.99, True),
    ("NumericLessThan", 10, 10, False),
    ("NumericLessThan", -1, -2, True),
    ("NumericGreaterThan", 10, 10.01, True),
    ("NumericGreaterThan", 10, 10.0, False),
    ("NumericLessThanEquals", 3, 3.0, True),
    ("NumericLessThanEquals", 3, 4, False),
    ("NumericGreaterThanEquals", 3, 3, True),
    ("NumericGreaterThanEquals", 3, 2.5, False),
    ("BooleanEquals", True, True, True),
    ("BooleanEquals", False, False, True),
    ("BooleanEquals", True, False, False),
    ("TimestampEquals", "2020-02-29T10:00:00Z", "2020-02-29T10:00:00Z", True),
    ("TimestampEquals", "2020-02-29T10:00:00Z", "2020-02-29T12:30:00+02:30", True),
    ("TimestampEquals", "2020-02-29T10:00:00Z", "2020-02-29T10:00:00.000Z", True),
    ("TimestampEquals", "2020-02-29T10:00:00Z", "2020-02-29T10:00:00.001Z", False),
    ("TimestampLessThan", "2020-02-29T10:00:00Z", "2020-02-29T09:59:59.999999999Z", True),
    ("TimestampLessThan", "2020-02-29T10:00:00Z", "2020-02-29T10:30:00+01:00", True),
    ("TimestampLessThan", "2020-02-29T10:00:00Z", "2020-02-29T10:00:00Z", False),
    ("TimestampGreaterThan", "2020-02-29T10:00:00Z", "2020-02-29T09:00:00-01:01", True),
    ("TimestampGreaterThan", "2020-02-29T10:00:00Z", "2019-12-31T23:59:59Z", False),
    ("TimestampLessThanEquals", "2020-02-29T10:00:00Z", "2020-02-29T11:00:00+01:00", True),
    ("TimestampLessThanEquals", "2020-02-29T10:00:00Z", "2020-02-29T10:00:01Z", False),
    ("TimestampGreaterThanEquals", "2020-02-29T10:00:00Z", "2020-02-29T10:00Z", True),
    ("TimestampGreaterThanEquals", "2020-02-29T10:00:00Z", "1999-01-01T00:00:00Z", False),
]


@pytest.mark.parametrize(("op", "operand", "value", "expected"), COMPARISONS)
def test_literal_comparison(op, operand, value, expected):
    assert literal(op, operand, value) is expected


@pytest.mark.parametrize(("op", "operand", "value", "expected"), COMPARISONS)
def test_path_variant_compares_like_the_literal(op, operand, value, expected):
    assert via_path(op, operand, value) is expected


# One value of each JSON type; a comparison against a value of another type is false.
SAMPLES = {
    "null": None,
    "bool": True,
    "int": 1,
    "float": 1.0,
    "string": "1",
    "timestamp": "2020-02-29T10:00:00Z",
    "array": [1],
    "object": {"a": 1},
}
ACCEPTS = {
    "String": {"string", "timestamp"},
    "Numeric": {"int", "float"},
    "Boolean": {"bool"},
    "Timestamp": {"timestamp"},
}
OPERANDS = {"String": "1", "Numeric": 1, "Boolean": True, "Timestamp": "2020-02-29T10:00:00Z"}
MISMATCHES = [
    (f"{family}{suffix}", OPERANDS[family], kind)
    for family in ACCEPTS
    for suffix in (
        ("Equals",)
        if family == "Boolean"
        else ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals")
    )
    for kind in SAMPLES
    if kind not in ACCEPTS[family]
]


@pytest.mark.parametrize(("op", "operand", "kind"), MISMATCHES)
def test_variable_of_another_type_is_false_not_an_error(op, operand, kind):
    assert literal(op, operand, SAMPLES[kind]) is False
    assert via_path(op, operand, SAMPLES[kind]) is False


def test_booleans_are_not_numbers():
    assert literal("NumericEquals", 1, True) is False
    assert literal("NumericEquals", 0, False) is False
    assert literal("BooleanEquals", True, 1) is False


def test_numeric_comparisons_mix_ints_and_floats_by_value():
    assert literal("NumericEquals", 2, 2.0) is True
    assert literal("NumericLessThan", 2, 1.9999) is True
    assert literal("NumericGreaterThan", 2.5, 3) is True
    assert literal("NumericEquals", 10**20, 10**20) is True


def test_timestamp_operators_accept_only_timestamp_strings():
    assert literal("TimestampEquals", "2021-06-01T00:00:00Z", "2021-06-01") is False
    assert literal("TimestampEquals", "2021-06-01T00:00:00Z", "2021-06-01T00:00:00") is False
    assert literal("TimestampEquals", "2021-06-01T00:00:00Z", "2021-06-01t00:00:00z") is False
    assert literal("TimestampEquals", "2021-06-01T00:00:00Z", 1622505600) is False


def test_a_timestamp_is_also_a_string():
    assert literal("StringEquals", "2021-06-01T00:00:00Z", "2021-06-01T00:00:00Z") is True
    # Same instant, different text: equal as timestamps, not as strings.
    assert literal("StringEquals", "2021-06-01T00:00:00Z", "2021-06-01T02:00:00+02:00") is False


def test_strings_order_by_utf16_code_unit_like_java():
    # U+1F600 is the surrogate pair D83D DE00 in UTF-16, which sorts before U+FFFD.
    assert literal("StringLessThan", "\ufffd", "\U0001f600") is True
    assert literal("StringGreaterThan", "\ufffd", "\U0001f600") is False
    assert literal("StringEquals", "\U0001f600", "\U0001f600") is True
    assert literal("StringLessThan", "b\U0001f600", "a\U0001f600") is True


# -- Is* type guards ---------------------------------------------------------------------

GUARDS = {
    "IsNull": {"null"},
    "IsBoolean": {"bool"},
    "IsNumeric": {"int", "float"},
    "IsString": {"string", "timestamp"},
    "IsTimestamp": {"timestamp"},
    "IsPresent": set(SAMPLES),
}


@pytest.mark.parametrize("guard", sorted(GUARDS))
@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_type_guards(guard, kind):
    holds = kind in GUARDS[guard]
    assert literal(guard, True, SAMPLES[kind]) is holds
    assert literal(guard, False, SAMPLES[kind]) is (not holds)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("2024-02-29T23:59:59Z", True),
        ("2024-02-29T23:59:59.123456789Z", True),
        ("2024-02-29T23:59:59.1+05:30", True),
        ("2024-02-29T23:59Z", True),
        ("2024-02-29T23:59:59-18:00", True),
        ("2023-02-29T00:00:00Z", False),
        ("2024-13-01T00:00:00Z", False),
        ("2024-01-01T24:00:00Z", False),
        ("2024-01-01T00:00:60Z", False),
        ("2024-01-01T00:00:00.1234567890Z", False),
        ("2024-01-01T00:00:00+19:00", False),
        ("2024-01-01T00:00:00+05", False),
        ("2024-01-01 00:00:00Z", False),
        ("2024-01-01T00:00:00z", False),
        ("2024-01-01T00:00:00", False),
        ("2024-01-01", False),
        ("", False),
        ("２０２４-01-01T00:00:00Z", False),
    ],
)
def test_is_timestamp(text, ok):
    assert literal("IsTimestamp", True, text) is ok


def test_is_present_answers_for_missing_paths():
    assert literal("IsPresent", True, None) is True
    rule = make({"Variable": "$.gone.deeper", "IsPresent": False, "Next": "Yes"})
    assert rule.evaluate({"v": 1}, ENV) is True
    assert rule.evaluate({"gone": {"deeper": 0}}, ENV) is False
    indexed = make({"Variable": "$.list[3]", "IsPresent": True, "Next": "Yes"})
    assert indexed.evaluate({"list": [0, 1]}, ENV) is False


# -- run-time errors -------------------------------------------------------------------


def missing_path_detail(path):
    return f"Invalid path '{path}': The choice state's condition path references an invalid value."


@pytest.mark.parametrize(
    ("op", "operand"),
    [
        ("StringEquals", "x"),
        ("StringMatches", "*"),
        ("NumericLessThan", 1),
        ("BooleanEquals", True),
        ("TimestampEquals", "2020-01-01T00:00:00Z"),
        ("IsNull", True),
        ("IsString", False),
        ("IsTimestamp", True),
        ("NumericEqualsPath", "$.w"),
    ],
)
def test_a_missing_variable_fails_the_state(op, operand):
    rule = make({"Variable": "$.absent", op: operand, "Next": "Yes"})
    with pytest.raises(StateFieldError) as caught:
        rule.evaluate({"w": 1}, ENV)
    assert caught.value.error == "States.Runtime"
    assert caught.value.detail == missing_path_detail("$.absent")


def test_a_missing_path_operand_fails_the_state():
    rule = make({"Variable": "$.v", "StringEqualsPath": "$.other", "Next": "Yes"})
    with pytest.raises(StateFieldError) as caught:
        rule.evaluate({"v": "x"}, ENV)
    assert caught.value.detail == missing_path_detail("$.other")


def test_equality_against_a_path_operand_of_another_type_is_false():
    assert via_path("NumericEquals", "1", 1) is False
    assert via_path("StringEquals", 1, 1) is False
    assert via_path("BooleanEquals", "true", True) is False
    assert via_path("TimestampEquals", "yesterday", "2020-01-01T00:00:00Z") is False


@pytest.mark.parametrize(
    ("op", "operand", "value"),
    [
        ("StringGreaterThan", 1, "a"),
        ("StringLessThanEquals", None, 1),
        ("NumericLessThan", "1", 0),
        ("TimestampGreaterThanEquals", "not a time", "2020-01-01T00:00:00Z"),
    ],
)
def test_ordering_against_a_path_operand_of_another_type_fails_the_state(op, operand, value):
    with pytest.raises(StateFieldError) as caught:
        via_path(op, operand, value)
    assert caught.value.detail == "Invalid value provided at path '$.w'"


# -- StringMatches ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("report-*.csv", "report-2024.csv", True),
        ("report-*.csv", "report-.csv", True),
        ("report-*.csv", "report-2024.tsv", False),
        ("*", "", True),
        ("*", "anything at all", True),
        ("", "", True),
        ("", "x", False),
        ("a*b*c", "abc", True),
        ("a*b*c", "aXbYbZc", True),
        ("a*b*c", "acb", False),
        ("**", "x", True),
        ("*.*", "foo.bar.baz", True),
        ("ab*ba", "aba", False),
        ("x?y", "xay", False),
        ("x?y", "x?y", True),
        ("[ab]", "a", False),
        ("[ab]", "[ab]", True),
        ("FOO*", "foobar", False),
        ("line*end", "line\nin the middle\nend", True),
        (r"\*", "*", True),
        (r"\*", "x", False),
        (r"a\*b*", "a*bcd", True),
        (r"a\*b*", "axbcd", False),
        ("\\\\*", "\\tail", True),
        ("\\\\*", "tail", False),
        ("\\\\\\*", "\\*", True),
        ("\\a", "a", True),
        ("end\\", "end\\", True),
    ],
)
def test_string_matches(pattern, text, expected):
    assert literal("StringMatches", pattern, text) is expected


def test_string_matches_is_false_for_non_strings():
    assert literal("StringMatches", "*", 5) is False
    assert literal("StringMatches", "*", None) is False


def test_pathological_patterns_do_not_backtrack():
    text = "a" * 20_000
    assert literal("StringMatches", "*a" * 40 + "*b", text) is False
    assert literal("StringMatches", "*a" * 40 + "*", text) is True
    assert literal("StringMatches", "a*" * 40 + "ab", text + "b") is True


# -- And / Or / Not ---------------------------------------------------------------


def test_boolean_composition():
    rule = make(
        {
            "And": [
                {"Variable": "$.kind", "StringEquals": "order"},
                {
                    "Or": [
                        {"Variable": "$.total", "NumericGreaterThanEquals": 100},
                        {"Not": {"Variable": "$.vip", "BooleanEquals": False}},
                    ]
                },
            ],
            "Next": "Priority",
        }
    )
    assert rule.next == "Priority"
    assert rule.evaluate({"kind": "order", "total": 150, "vip": False}, ENV) is True
    assert rule.evaluate({"kind": "order", "total": 15, "vip": True}, ENV) is True
    assert rule.evaluate({"kind": "order", "total": 15, "vip": False}, ENV) is False
    assert rule.evaluate({"kind": "refund", "total": 150, "vip": True}, ENV) is False


def test_a_single_rule_and_or():
    assert make({"And": [{"Variable": "$.v", "IsNull": True}], "Next": "N"}).evaluate({"v": None}, ENV)
    assert not make({"Or": [{"Variable": "$.v", "IsNull": True}], "Next": "N"}).evaluate({"v": 0}, ENV)


def test_and_or_stop_at_the_first_deciding_rule():
    absent = {"Variable": "$.absent", "IsNull": True}
    falsy = {"Variable": "$.v", "IsNull": True}
    truthy = {"Variable": "$.v", "IsNull": False}
    assert make({"And": [falsy, absent], "Next": "N"}).evaluate({"v": 1}, ENV) is False
    assert make({"Or": [truthy, absent], "Next": "N"}).evaluate({"v": 1}, ENV) is True
    with pytest.raises(StateFieldError):
        make({"And": [truthy, absent], "Next": "N"}).evaluate({"v": 1}, ENV)
    with pytest.raises(StateFieldError):
        make({"Not": absent, "Next": "N"}).evaluate({"v": 1}, ENV)


def test_not_inverts():
    inner = {"Variable": "$.v", "StringMatches": "a*"}
    positive = make({**inner, "Next": "N"})
    negative = make({"Not": inner, "Next": "N"})
    double = make({"Not": {"Not": inner}, "Next": "N"})
    for value in ("abc", "bca", ""):
        assert negative.evaluate({"v": value}, ENV) is not positive.evaluate({"v": value}, ENV)
        assert double.evaluate({"v": value}, ENV) is positive.evaluate({"v": value}, ENV)


# -- roots: $, $$, $variables -------------------------------------------------------


def test_whole_input_and_context_object_and_workflow_variables():
    env = Env(
        context={"Execution": {"Input": {"limit": 3}}},
        variables=Variables(Variables(local={"config": {"mode": "fast"}}), local={"count": 5}),
    )
    assert make({"Variable": "$", "StringEquals": "go", "Next": "N"}).evaluate("go", env)
    assert make({"Variable": "$$.Execution.Input.limit", "NumericEquals": 3, "Next": "N"}).evaluate({}, env)
    scoped = make({"Variable": "$config.mode", "StringEquals": "fast", "Next": "N"})
    assert scoped.evaluate({}, env)
    assert scoped.variables == frozenset({"config"})
    compared = make({"Variable": "$count", "NumericGreaterThanPath": "$$.Execution.Input.limit", "Next": "N"})
    assert compared.evaluate({}, env)
    assert compared.variables == frozenset({"count"})
    with pytest.raises(StateFieldError) as caught:
        make({"Variable": "$unset", "IsNull": True, "Next": "N"}).evaluate({}, env)
    assert caught.value.detail == missing_path_detail("$unset")


def test_variables_lists_every_variable_a_rule_reads():
    rule = make(
        {
            "Or": [
                {"Variable": "$a", "IsPresent": True},
                {"Not": {"Variable": "$.x", "StringEqualsPath": "$b.name"}},
                {"Variable": "$$.State.Name", "StringEquals": "S"},
            ],
            "Next": "N",
        }
    )
    assert rule.variables == frozenset({"a", "b"})


def test_bracket_and_index_steps():
    rule = make({"Variable": "$['odd key'][1]", "NumericEquals": 2, "Next": "N"})
    assert rule.evaluate({"odd key": [1, 2]}, ENV)
