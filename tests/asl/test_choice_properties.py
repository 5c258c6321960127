"""Property tests of Choice rules against independent reference implementations."""

from __future__ import annotations

import datetime as dt
import operator
import re

from hypothesis import given
from hypothesis import strategies as st

from fakesfn.asl.choice import compile_choice_rule
from fakesfn.asl.context import Env
from fakesfn.asl.problems import ProblemCollector

ENV = Env()
ORDERINGS = {
    "Equals": operator.eq,
    "LessThan": operator.lt,
    "GreaterThan": operator.gt,
    "LessThanEquals": operator.le,
    "GreaterThanEquals": operator.ge,
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=5,
)
numbers = st.integers(min_value=-(2**60), max_value=2**60) | st.floats(allow_nan=False, allow_infinity=False)


def rule(fields):
    problems = ProblemCollector()
    compiled = compile_choice_rule({**fields, "Next": "N"}, "/States/S/Choices[0]", problems)
    assert problems.problems == []
    return compiled


def holds(op, operand, value):
    return rule({"Variable": "$.v", op: operand}).evaluate({"v": value}, ENV)


def escape(text):
    return text.replace("\\", "\\\\").replace("*", "\\*")


def reference_glob(pattern):
    """An independent StringMatches: translate to a regular expression."""
    out = []
    chars = iter(pattern)
    for char in chars:
        if char == "\\":
            out.append(re.escape(next(chars, "\\")))
        elif char == "*":
            out.append(".*")
        else:
            out.append(re.escape(char))
    return re.compile("".join(out), re.DOTALL)


@given(st.text(alphabet="ab*\\", max_size=10), st.text(alphabet="ab*\\", max_size=12))
def test_string_matches_agrees_with_a_regex(pattern, text):
    expected = reference_glob(pattern).fullmatch(text) is not None
    assert holds("StringMatches", pattern, text) is expected


@given(st.text(max_size=20), st.text(max_size=20))
def test_string_matches_without_wildcards_is_string_equals(literal, text):
    pattern = escape(literal)
    assert holds("StringMatches", pattern, text) is holds("StringEquals", literal, text)
    assert holds("StringMatches", pattern, literal) is True


@given(st.integers(min_value=1, max_value=60), st.integers(min_value=0, max_value=5000))
def test_pathological_patterns_answer_correctly(stars, length):
    text = "a" * length
    assert holds("StringMatches", "*a" * stars + "*b", text) is False
    assert holds("StringMatches", "*a" * stars + "*", text) is (length >= stars)


@given(numbers, numbers)
def test_numeric_operators_follow_python_ordering(operand, value):
    for suffix, compare in ORDERINGS.items():
        assert holds(f"Numeric{suffix}", operand, value) is compare(value, operand)


@given(st.text(max_size=6), st.text(max_size=6))
def test_string_operators_follow_java_utf16_ordering(operand, value):
    units_value, units_operand = value.encode("utf-16-be"), operand.encode("utf-16-be")
    for suffix, compare in ORDERINGS.items():
        assert holds(f"String{suffix}", operand, value) is compare(units_value, units_operand)


offsets = st.integers(min_value=-18 * 60, max_value=18 * 60).map(
    lambda m: dt.timezone(dt.timedelta(minutes=m))
)
moments = st.datetimes(
    min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=offsets
).map(lambda moment: moment.replace(fold=0))


def stamp(moment):
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


@given(moments, moments)
def test_timestamp_operators_compare_instants(operand, value):
    for suffix, compare in ORDERINGS.items():
        assert holds(f"Timestamp{suffix}", stamp(operand), stamp(value)) is compare(value, operand)


@given(moments, offsets)
def test_a_moment_equals_itself_in_every_offset(moment, offset):
    assert holds("TimestampEquals", stamp(moment), stamp(moment.astimezone(offset))) is True


comparisons = st.one_of(
    st.tuples(st.sampled_from([f"String{s}" for s in ORDERINGS]), st.text(max_size=4)),
    st.tuples(st.sampled_from([f"Numeric{s}" for s in ORDERINGS]), numbers),
    st.tuples(st.just("BooleanEquals"), st.booleans()),
    st.tuples(st.just("StringMatches"), st.text(alphabet="ab*", max_size=4)),
    st.tuples(
        st.sampled_from(["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"]),
        st.booleans(),
    ),
)


@given(comparisons, json_values)
def test_not_inverts_every_operator(comparison, value):
    op, operand = comparison
    data_test = {"Variable": "$.v", op: operand}
    positive = rule(data_test).evaluate({"v": value}, ENV)
    assert rule({"Not": data_test}).evaluate({"v": value}, ENV) is (not positive)
    assert rule({"Not": {"Not": data_test}}).evaluate({"v": value}, ENV) is positive


@given(st.lists(st.tuples(comparisons, json_values), min_size=1, max_size=4))
def test_and_or_are_all_and_any(tests):
    rules = [{"Variable": f"$.v{i}", op: operand} for i, ((op, operand), _value) in enumerate(tests)]
    data = {f"v{i}": value for i, (_comparison, value) in enumerate(tests)}
    verdicts = [rule(r).evaluate(data, ENV) for r in rules]
    assert rule({"And": rules}).evaluate(data, ENV) is all(verdicts)
    assert rule({"Or": rules}).evaluate(data, ENV) is any(verdicts)
