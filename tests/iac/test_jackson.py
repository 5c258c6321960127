"""The JSON text CloudFormation's Step Functions handler writes: Jackson's default pretty printer."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakesfn.iac.jackson import java_double, pretty


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (1.5, "1.5"),
        (100.0, "100.0"),
        (0.001, "0.001"),
        (1e-4, "1.0E-4"),
        (1.25e-10, "1.25E-10"),
        (1e7, "1.0E7"),
        (12345678.9, "1.23456789E7"),
        (-3.5e21, "-3.5E21"),
    ],
)
def test_doubles_print_as_java_prints_them(value, text):
    assert java_double(value) == text


def test_the_shape_of_jacksons_default_pretty_printer():
    value = {"b": [1, {"c": None}, []], "a": {}, "s": 'q"\\\n\t\x01é/', "t": True, "f": False}
    assert pretty(value, sort_keys=True) == (
        "{\n"
        '  "a" : { },\n'
        '  "b" : [ 1, {\n'
        '    "c" : null\n'
        "  }, [ ] ],\n"
        '  "f" : false,\n'
        '  "s" : "q\\"\\\\\\n\\t\\u0001é/",\n'
        '  "t" : true\n'
        "}"
    )
    assert pretty({"z": 1, "a": 2}, sort_keys=False).startswith('{\n  "z" : 1')


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_the_text_is_json_holding_the_same_value(value):
    assert json.loads(pretty(value, sort_keys=False)) == value
