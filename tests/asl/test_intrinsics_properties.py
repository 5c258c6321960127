"""Property tests: laws the intrinsics keep over widely varying inputs."""

from __future__ import annotations

import json
from decimal import ROUND_FLOOR, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakesfn.asl.context import Env
from fakesfn.asl.intrinsics import IntrinsicFailure, compile_intrinsic
from fakesfn.asl.intrinsics.render import java_double
from fakesfn.asl.intrinsics.spec import java_round
from fakesfn.random import SeededRandom

PROPERTY = settings(max_examples=150, deadline=None)

ENV = Env(random=SeededRandom(1))

scalars = st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.text(max_size=8)
finite_floats = st.floats(allow_nan=False, allow_infinity=False)
json_values = st.recursive(
    scalars | finite_floats,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=12,
)


def call(text, value):
    return compile_intrinsic(text).evaluate(value, ENV)


def quote(text: str) -> str:
    """Write ``text`` as an intrinsic string literal."""
    escaped = "".join("\\" + char if char in "'{}\\" else char for char in text)
    return f"'{escaped}'"


@PROPERTY
@given(st.lists(json_values, max_size=30), st.integers(1, 12))
def test_partition_then_concatenate_gives_back_the_array(items, size):
    chunks = call("States.ArrayPartition($.items, $.size)", {"items": items, "size": size})
    assert [item for chunk in chunks for item in chunk] == items
    assert all(len(chunk) == size for chunk in chunks[:-1])
    assert all(0 < len(chunk) <= size for chunk in chunks)


@PROPERTY
@given(st.text(max_size=300))
def test_base64_round_trip(text):
    encoded = call("States.Base64Encode($.t)", {"t": text})
    assert call("States.Base64Decode($.t)", {"t": encoded}) == text


@PROPERTY
@given(st.lists(json_values, max_size=20))
def test_array_unique_is_idempotent_and_keeps_every_item(items):
    once = call("States.ArrayUnique($.i)", {"i": items})
    assert call("States.ArrayUnique($.i)", {"i": once}) == once
    assert len(once) <= len(items)
    for item in items:
        assert call("States.ArrayContains($.u, $.x)", {"u": once, "x": item})


@PROPERTY
@given(st.lists(json_values, max_size=10), json_values)
def test_array_contains_agrees_with_membership_of_its_own_items(items, extra):
    for item in items:
        assert call("States.ArrayContains($.i, $.x)", {"i": items, "x": item}) is True
    assert call("States.ArrayContains($.i, $.x)", {"i": [*items, extra], "x": extra}) is True


@PROPERTY
@given(st.text(max_size=40))
def test_string_literals_round_trip_through_the_grammar(text):
    assert call(f"States.Array({quote(text)})", {}) == [text]


@PROPERTY
@given(st.integers(-(10**15), 10**15) | finite_floats)
def test_number_literals_round_trip_through_the_grammar(number):
    result = call(f"States.Array({number!r})", {})
    assert result == [number]
    assert type(result[0]) is type(number)


@PROPERTY
@given(st.lists(st.text(max_size=6), max_size=6), st.text(max_size=10))
def test_format_fills_placeholders_in_order(values, joiner):
    # The joiner is escaped literal text; only the bare {} are placeholders.
    template = "'" + quote(joiner)[1:-1].join(["{}"] * len(values)) + "'" if values else "'x'"
    expected = joiner.join(values) if values else "x"
    args = "".join(f", {quote(value)}" for value in values)
    assert call(f"States.Format({template}{args})", {}) == expected


@PROPERTY
@given(json_values)
def test_json_to_string_then_string_to_json_round_trips(value):
    text = call("States.JsonToString($.v)", {"v": value})
    assert json.loads(text) == value
    assert call("States.StringToJson($.t)", {"t": text}) == value


@PROPERTY
@given(finite_floats)
def test_java_double_text_parses_back_to_the_same_double(number):
    text = java_double(number)
    assert float(text) == number
    assert "." in text


@PROPERTY
@given(st.integers(-50, 50), st.integers(-50, 50), st.integers(-7, 7).filter(bool))
def test_array_range_matches_an_inclusive_python_range(first, last, step):
    stop = last + (1 if step > 0 else -1)
    assert call(f"States.ArrayRange({first}, {last}, {step})", {}) == list(range(first, stop, step))


@PROPERTY
@given(finite_floats.filter(lambda f: abs(f) < 1e15), st.integers(-(10**6), 10**6))
def test_math_add_rounds_half_up_like_java(a, b):
    # Math.round(x) is floor(x + 1/2) computed exactly.
    exact = int((Decimal(a) + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR))
    assert java_round(a) == exact
    if -(2**31) <= exact < 2**31:
        assert call("States.MathAdd($.a, $.b)", {"a": a, "b": b}) == exact + b
    else:
        # AWS: "You must specify integer values in the range of -2147483648 and 2147483647."
        with pytest.raises(IntrinsicFailure):
            call("States.MathAdd($.a, $.b)", {"a": a, "b": b})


@PROPERTY
@given(st.integers(-1000, 1000), st.integers(1, 1000), st.integers(-(2**40), 2**40))
def test_seeded_math_random_is_deterministic_and_in_range(start, width, seed):
    text = f"States.MathRandom({start}, {start + width}, {seed})"
    first = call(text, {})
    assert start <= first < start + width
    assert call(text, {}) == first


@PROPERTY
@given(st.text(max_size=30), st.text(min_size=1, max_size=3))
def test_string_split_pieces_contain_no_delimiter(text, delimiters):
    pieces = call("States.StringSplit($.t, $.d)", {"t": text, "d": delimiters})
    assert all(piece and not set(piece) & set(delimiters) for piece in pieces)
    assert "".join(pieces) == "".join(char for char in text if char not in delimiters)
