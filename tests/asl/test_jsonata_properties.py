"""Properties of the JSONata adapter over widely varying inputs."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakesfn.asl.context import Env, Variables
from fakesfn.asl.errors import StateFieldError
from fakesfn.asl.jsonata import JsonataSyntaxError, compile_expression, compile_template
from fakesfn.random import SeededRandom

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**25), max_value=10**25)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=6), children, max_size=5)
    ),
    max_leaves=25,
)


def as_aws_prints(value):
    """The value as AWS writes it back: whole numbers below 1e21 without a fraction."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        if abs(value) >= 1e21:
            return float(value)
        return int(value) if float(value).is_integer() else value
    if isinstance(value, list):
        return [as_aws_prints(item) for item in value]
    return {key: as_aws_prints(item) for key, item in value.items()}


def same_json(left, right) -> bool:
    return json.dumps(left, sort_keys=True) == json.dumps(right, sort_keys=True)


def make_env(**variables) -> Env:
    return Env(variables=Variables(local=variables), random=SeededRandom(1))


def evaluate(text: str, value=None, **variables):
    return compile_expression(text).evaluate({"input": value, "context": {}}, make_env(**variables), "Output")


@given(json_values)
def test_the_state_input_comes_back_unchanged(value):
    assert same_json(evaluate("{% $states.input %}", value), as_aws_prints(value))


@given(json_values)
def test_a_variable_comes_back_unchanged(value):
    assert same_json(evaluate("{% $held %}", held=value), as_aws_prints(value))


def _leaves_to_variables(value, variables: dict):
    if isinstance(value, list):
        return [_leaves_to_variables(item, variables) for item in value]
    if isinstance(value, dict):
        return {key: _leaves_to_variables(item, variables) for key, item in value.items()}
    name = f"leaf{len(variables)}"
    variables[name] = value
    return f"{{% ${name} %}}"


@given(json_values)
def test_a_template_of_expressions_rebuilds_the_value_they_read(value):
    variables: dict = {}
    template = compile_template(_leaves_to_variables(value, variables))
    result = template.evaluate({"input": None}, make_env(**variables), "Output")
    assert same_json(result, as_aws_prints(value))


@given(json_values.filter(lambda value: "{%" not in json.dumps(value)))
def test_a_template_without_expressions_is_its_own_value(value):
    template = compile_template(value)
    assert template.is_constant
    assert template.evaluate({"input": None}, make_env(), "Output") is value


@given(st.lists(scalars, min_size=1, max_size=30), st.integers(min_value=1, max_value=12))
def test_partition_then_append_gives_the_array_back(items, size):
    chunks = evaluate("{% $partition($items, $size) %}", items=items, size=size)
    assert all(len(chunk) == size for chunk in chunks[:-1])
    assert 1 <= len(chunks[-1]) <= size
    flat = [item for chunk in chunks for item in chunk]
    assert same_json(flat, as_aws_prints(items))
    rejoined = evaluate("{% $reduce($partition($items, $size), $append) %}", items=items, size=size)
    assert same_json(rejoined, as_aws_prints(items))


@given(
    st.integers(min_value=-60, max_value=60),
    st.integers(min_value=-60, max_value=60),
    st.integers(min_value=-9, max_value=9).filter(bool),
)
def test_range_includes_the_end_when_the_step_lands_on_it(start, end, step):
    text = f"{{% $range({start}, {end}, {step}) %}}"
    if (step > 0 and start > end) or (step < 0 and start < end):
        with pytest.raises(StateFieldError) as info:
            evaluate(text)
        assert info.value.detail.endswith("returned nothing (undefined).")
        return
    expected = list(range(start, end + (1 if step > 0 else -1), step))
    result = evaluate(text)
    assert result == (expected[0] if len(expected) == 1 else expected)


@given(st.text(max_size=40), st.sampled_from(["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"]))
def test_hash_matches_the_digest(text, algorithm):
    name = algorithm.replace("-", "").lower()
    assert (
        evaluate("{% $hash($t, $a) %}", t=text, a=algorithm) == hashlib.new(name, text.encode()).hexdigest()
    )


def as_aws_parses(value):
    """AWS's $parse reads integers as 64-bit longs and anything wider as a double."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if -(2**63) <= value < 2**63 else as_aws_prints(float(value))
    if isinstance(value, float):
        return as_aws_prints(value)
    if isinstance(value, list):
        return [as_aws_parses(item) for item in value]
    return {key: as_aws_parses(item) for key, item in value.items()}


@given(json_values)
def test_parse_reads_back_what_json_writes(value):
    text = json.dumps(value)
    assert same_json(evaluate("{% $parse($t) %}", t=text), as_aws_parses(json.loads(text)))


@given(st.integers(min_value=-(2**70), max_value=2**70))
def test_a_seeded_random_is_reproducible_and_in_the_unit_interval(seed):
    first = evaluate("{% $random($s) %}", s=seed)
    assert 0 <= first < 1
    assert evaluate("{% $random($s) %}", s=seed) == first


_TOKEN_TEXT = """
    $states.input $states $v $x . a [ ] ( ) { } , : ; ? + - * / % & = != < > and or in ~> := .. ^ # @
    's' "t" 1 0 2.5 true null function($x){$x} $sum $partition $range $string $keys $map $uuid
    $random $parse $hash $now $count $append
"""
_TOKENS = st.sampled_from(_TOKEN_TEXT.split())


def outcome(body: str, value, variable):
    """What compiling and evaluating ``{% body %}`` comes to: ("refused"|"failed"|"value", detail)."""
    try:
        expression = compile_expression("{% " + body + " %}")
    except JsonataSyntaxError as error:
        return "refused", error.code
    env = Env(variables=Variables(local={"v": variable}), random=SeededRandom(2))
    try:
        result = expression.evaluate({"input": value, "context": {}}, env, "Output")
    except StateFieldError as error:
        prefix = f"The JSONata expression '{expression.source}' specified for the field 'Output' "
        return "failed", (error.error, error.detail.startswith(prefix))
    return "value", json.dumps(result, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TOKENS, max_size=12).map(" ".join), json_values, json_values)
def test_no_library_exception_escapes(body, value, variable):
    """Whatever the text, it compiles or is refused, and evaluates or fails as AWS would."""
    kind, detail = outcome(body, value, variable)
    if kind == "refused":
        assert detail in {"INVALID_JSONATA_EXPRESSION", "UNSUPPORTED_JSONATA_EXPRESSION"}
    elif kind == "failed":
        assert detail == ("States.QueryEvaluationError", True)
    else:
        assert isinstance(detail, str)
