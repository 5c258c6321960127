"""The shortcut for simple JSONata expressions answers exactly as the library does, or defers to it."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakesfn.asl.context import Env, Variables
from fakesfn.asl.errors import StateFieldError
from fakesfn.asl.jsonata import compile_expression
from fakesfn.random import SeededRandom

KEYS = ["input", "context", "n", "a", "Map", "Item", "Value"]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**22), max_value=10**22)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([0, 1, 3, -2, 0.5, -0.0, 1e308])
    | st.text(max_size=4)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(KEYS), children, max_size=4)
    ),
    max_leaves=12,
)
paths = st.lists(st.sampled_from(KEYS), min_size=1, max_size=4).map(lambda keys: "$states." + ".".join(keys))
literals = st.one_of(
    st.integers(min_value=-1000, max_value=1000).map(str),
    st.sampled_from(["0", "3", "2.5", "1e308", "0.1"]),
    st.text(alphabet="ab1 ", max_size=3).map(json.dumps),
)
OPERATORS = ["+", "-", "*", "/", "%", "=", "!=", "<", "<=", ">", ">=", "&", "and", "in"]
expressions = st.recursive(
    paths | literals,
    lambda inner: st.tuples(inner, st.sampled_from(OPERATORS), inner).map(" ".join),
    max_leaves=4,
)
states = st.fixed_dictionaries({"input": json_values, "context": json_values})


def _outcome(expression, binding):
    env = Env(variables=Variables(local={}), random=SeededRandom(1))
    try:
        return "value", json.dumps(expression.evaluate(binding, env, "Output"), sort_keys=True)
    except StateFieldError as error:
        return "error", str(error)


@settings(max_examples=400, deadline=None)
@given(expressions, states)
def test_the_shortcut_answers_as_the_library(text, binding):
    expression = compile_expression("{% " + text + " %}")
    library_only = dataclasses.replace(expression, _shortcut=None)
    assert _outcome(expression, binding) == _outcome(library_only, binding)


def test_simple_expressions_have_a_shortcut_and_others_do_not():
    simple = [
        "$states.input.n",
        "$states.context.Map.Item.Value",
        "$states.input.n % 3 = 0",
        "$states.input.a + 1",
    ]
    others = [
        "$states",
        "$states.input.n[0]",
        "$states.input.(n)",
        "$x.a",
        "$count($states.input)",
        "1 & 2",
    ]
    assert all(compile_expression("{% " + text + " %}")._shortcut is not None for text in simple)
    assert all(compile_expression("{% " + text + " %}")._shortcut is None for text in others)


def test_a_field_of_the_input_and_an_arithmetic_error_read_as_before():
    expression = compile_expression("{% $states.input.n % 3 = 0 %}")
    env = Env(variables=Variables(local={}), random=SeededRandom(1))
    assert expression.evaluate({"input": {"n": 9}, "context": {}}, env, "Condition") is True
    assert expression.evaluate({"input": {"n": 10}, "context": {}}, env, "Condition") is False
    with pytest.raises(StateFieldError) as refused:
        expression.evaluate({"input": {"n": "nine"}, "context": {}}, env, "Condition")
    assert str(refused.value).endswith('T2001: The left side of the "%" operator must evaluate to a number')
