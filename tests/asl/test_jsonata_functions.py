"""The functions Step Functions adds to JSONata, and the ones it disables or re-times."""

from __future__ import annotations

import hashlib
import re

import pytest

from fakesfn.asl.context import Env, Variables
from fakesfn.asl.errors import StateFieldError
from fakesfn.asl.jsonata import compile_expression
from fakesfn.random import SeededRandom

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def make_env(seed: int = 5, **variables) -> Env:
    return Env(variables=Variables(local=dict(variables)), random=SeededRandom(seed))


def run(text: str, value=None, env: Env | None = None, context: dict | None = None):
    states = {"input": value, "context": context if context is not None else {}}
    return compile_expression(text).evaluate(states, env or make_env(), "Output")


def signature(function: str, argument: int) -> str:
    return (
        "threw an error during evaluation. "
        f'T0410: Argument {argument} of function "{function}" does not match function signature'
    )


def detail(text: str, value=None, env: Env | None = None, context: dict | None = None) -> str:
    with pytest.raises(StateFieldError) as info:
        run(text, value, env, context)
    assert info.value.error == "States.QueryEvaluationError"
    return info.value.detail.split(" specified for the field 'Output' ", 1)[1]


# $partition -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "size", "expected"),
    [
        ([7], 1, [[7]]),
        ([7, 8, 9], 1, [[7], [8], [9]]),
        ([7, 8, 9, 10, 11], 2, [[7, 8], [9, 10], [11]]),
        (["a", "b"], 2, [["a", "b"]]),
        (["a", "b"], 10, [["a", "b"]]),
        ([{"k": 1}, [2], None], 2, [[{"k": 1}, [2]], [None]]),
        ([1, 2, 3, 4, 5], 2.9, [[1, 2], [3, 4], [5]]),
    ],
)
def test_partition_splits_an_array_into_chunks(items, size, expected):
    assert (
        run("{% $partition($states.input.items, $states.input.size) %}", {"items": items, "size": size})
        == expected
    )


def test_partition_without_a_size_is_one_chunk():
    assert run("{% $partition([4, 5]) %}") == [[4, 5]]


@pytest.mark.parametrize(
    "text", ["{% $partition([], 2) %}", "{% $partition([1], 0) %}", "{% $partition([1], 0.5) %}"]
)
def test_partition_of_nothing_is_undefined(text):
    assert detail(text) == "returned nothing (undefined)."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{% $partition([1, 2], -2) %}", "D3137: Second argument must be zero or greater"),
        (
            "{% $partition([1, 2], 'two') %}",
            'T0410: Argument 2 of function "partition" does not match function signature',
        ),
        (
            "{% $partition([1, 2], 1, 0) %}",
            'T0410: Argument 3 of function "partition" does not match function signature',
        ),
        (
            "{% $partition('ab', 1) %}",
            'T0412: Argument 1 of function "partition" must be an array of undefined',
        ),
    ],
)
def test_partition_argument_errors(text, message):
    assert detail(text) == f"threw an error during evaluation. {message}"


def test_partition_can_be_passed_as_a_function_and_partially_applied():
    assert run("{% $map([[1, 2, 3]], $partition) %}") == [[1, 2, 3]]
    assert run("{% $partition(?, 2)([1, 2, 3]) %}") == [[1, 2], [3]]


# $range ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ("0, 8, 4", [0, 4, 8]),
        ("0, 9, 4", [0, 4, 8]),
        ("2, 12, 5", [2, 7, 12]),
        ("5, 1, -2", [5, 3, 1]),
        ("-1.7, 2, 1", [-1, 0, 1, 2]),
        ("3, 3, 1", 3),
        ("4, 6, 5", 4),
    ],
)
def test_range_counts_from_start_to_end_by_step(arguments, expected):
    assert run(f"{{% $range({arguments}) %}}") == expected


def test_a_one_element_range_collapses_but_can_be_kept_as_an_array():
    assert run("{% [$range(4, 6, 5)] %}") == [4]


@pytest.mark.parametrize("arguments", ["1, 5", "1, 5, 0", "5, 1, 1", "1, 5, -1"])
def test_a_range_without_a_usable_step_is_undefined(arguments):
    assert detail(f"{{% $range({arguments}) %}}") == "returned nothing (undefined)."


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ("'1', 5, 1", 'T0410: Argument 1 of function "range" does not match function signature'),
        ("1, true, 1", 'T0410: Argument 2 of function "range" does not match function signature'),
        ("1, 5, 1, 1", 'T0410: Argument 4 of function "range" does not match function signature'),
    ],
)
def test_range_argument_errors(arguments, message):
    assert detail(f"{{% $range({arguments}) %}}") == f"threw an error during evaluation. {message}"


def test_a_range_too_large_to_hold_fails_before_building_it():
    assert detail("{% $range(0, 1000000000000, 1) %}") == (
        "threw an error during evaluation: Expression evaluation memory limit exceeded: "
        "Check for excessive memory usage"
    )
    assert len(run("{% $range(1, 360145, 1) %}")) == 360145


# $hash ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("algorithm", "name"),
    [("MD5", "md5"), ("SHA-1", "sha1"), ("SHA-256", "sha256"), ("SHA-384", "sha384"), ("SHA-512", "sha512")],
)
def test_hash_is_the_hex_digest_of_the_utf8_text(algorithm, name):
    text = "grüße 🚀"
    assert (
        run(f"{{% $hash($states.input, '{algorithm}') %}}", text)
        == hashlib.new(name, text.encode()).hexdigest()
    )


def test_hash_without_an_algorithm_is_undefined():
    assert detail("{% $hash('x') %}") == "returned nothing (undefined)."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{% $hash('x', 'sha-256') %}",
            "D3137: Hash algorithm 'sha-256' must be one of SHA-1, SHA-384, SHA-256, SHA-512, MD5",
        ),
        ("{% $hash(42, 'MD5') %}", 'T0410: Argument 1 of function "hash" does not match function signature'),
        ("{% $hash('x', 1) %}", 'T0410: Argument 2 of function "hash" does not match function signature'),
    ],
)
def test_hash_argument_errors(text, message):
    assert detail(text) == f"threw an error during evaluation. {message}"


# $random --------------------------------------------------------------------------------


def test_a_seeded_random_is_java_util_random():
    # java.util.Random(42).nextDouble() and Random(0).nextDouble().
    assert run("{% $random(42) %}") == 0.7275636800328681
    assert run("{% $random(0) %}") == 0.730967787376657
    assert run("{% $random(42.9) %}") == 0.7275636800328681


def test_an_unseeded_random_draws_from_the_execution_seed():
    first = run("{% [$random(), $random()] %}", env=make_env(seed=9))
    again = run("{% [$random(), $random()] %}", env=make_env(seed=9))
    other = run("{% [$random(), $random()] %}", env=make_env(seed=10))
    assert first == again
    assert first != other
    assert all(0 <= number < 1 for number in first)
    assert first[0] != first[1]


def test_random_rejects_a_second_argument_and_a_non_numeric_seed():
    assert detail("{% $random(1, 2) %}") == signature("random", 2)
    assert "T0410: Argument 1" in detail("{% $random('seed') %}")


def test_a_function_aws_does_not_have_is_not_a_function():
    assert (
        detail("{% $randomSeeded(3) %}")
        == "threw an error during evaluation. T1006: Attempted to invoke a non-function"
    )


# $shuffle -------------------------------------------------------------------------------


def test_shuffle_draws_from_the_execution_seed_not_pythons_global_random():
    # Issue 16 item 6: jsonata-python shuffled with the global random module.
    import random as global_random

    global_random.seed(1)
    first = run("{% $shuffle([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) %}", env=make_env(seed=9))
    global_random.seed(2)
    again = run("{% $shuffle([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) %}", env=make_env(seed=9))
    other = run("{% $shuffle([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) %}", env=make_env(seed=10))
    assert first == again
    assert first != other
    assert sorted(first) == list(range(1, 11))
    assert run("{% $shuffle([7]) %}") == [7]


# $round and $formatBase beyond jsonata-python's decimal context ---------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{% $round(1e300, 2) %}", 1e300),
        ("{% $round(123.456, 400) %}", 123.456),
        ("{% $round(123.456, -400) %}", 0),
        ("{% $round(123.456, 2) %}", 123.46),
        ("{% $round(2.5) %}", 2),
        ("{% $round(3.5) %}", 4),
        ("{% $round(-2.5) %}", -2),
        ("{% $round(125, -1) %}", 120),
        ("{% $round(135, -1) %}", 140),
        ("{% $formatBase(1e20, 16) %}", "56bc75e2d63100000"),
        ("{% $formatBase(-255, 2) %}", "-11111111"),
        ("{% $formatBase(2.5) %}", "2"),
    ],
)
def test_round_and_format_base_answer_for_every_double(text, expected):
    # Issue 16 item 5: decimal.InvalidOperation escaped for 1e300 or a precision of 400.
    assert run(text) == expected


def test_format_base_of_the_largest_doubles_is_their_exact_digits():
    assert run("{% $formatBase(1e300, 2) %}") == format(int(1e300), "b")


def test_a_rounded_number_too_large_for_a_double_is_out_of_range():
    assert detail("{% $round(1.7976931348623157e308, -308) %}") == (
        "threw an error during evaluation. D1001: Number out of range: null"
    )
    assert "D3100" in detail("{% $formatBase(10, 37) %}")


def test_hash_of_a_lone_surrogate_hashes_what_javascript_encodes():
    # Issue 16 item 5: UnicodeEncodeError. JavaScript encodes a lone surrogate as U+FFFD.
    assert run("{% $hash($states.input, 'SHA-256') %}", "a\ud800b") == (
        hashlib.sha256("a\ufffdb".encode()).hexdigest()
    )


# $uuid ----------------------------------------------------------------------------------


def test_uuid_is_a_v4_uuid_from_the_execution_seed():
    value = run("{% $uuid() %}", env=make_env(seed=1))
    assert UUID4.match(value)
    assert run("{% $uuid() %}", env=make_env(seed=1)) == value
    assert run("{% $uuid() %}", env=make_env(seed=2)) != value
    pair = run("{% [$uuid(), $uuid()] %}")
    assert pair[0] != pair[1]


def test_uuid_takes_no_argument():
    assert detail("{% $uuid(1) %}") == signature("uuid", 1)


def test_per_call_functions_need_a_random_source():
    with pytest.raises(RuntimeError):
        compile_expression("{% $uuid() %}").evaluate({"input": {}}, Env(), "Output")


# $parse ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": [1, 2.5, null], "b": {"c": true}}', {"a": [1, 2.5, None], "b": {"c": True}}),
        ("[]", []),
        ('"quoted"', "quoted"),
        ("-0", 0),
        ("3.0", 3),
        ("false", False),
        ("null", None),
        ("123456789012345678901234", 1.2345678901234568e23),
    ],
)
def test_parse_reads_a_json_string(text, expected):
    result = run("{% $parse($states.input) %}", text)
    assert result == expected
    assert type(result) is type(expected)


def test_parse_results_are_navigable():
    assert run("{% $parse($states.input).a[1] %}", '{"a": [5, 6]}') == 6
    assert run("{% $exists($parse('null')) %}") is True


@pytest.mark.parametrize("text", ["", "{", '{"a": 1} 2', '{"a": 1, "a": 2}', "NaN", "Infinity", "{'a': 1}"])
def test_parse_refuses_what_is_not_strict_json(text):
    assert (
        detail("{% $parse($states.input) %}", text) == "threw an error during evaluation. D3137: Invalid JSON"
    )


def test_parse_argument_errors():
    assert detail("{% $parse(1) %}") == signature("parse", 1)
    assert "T0410: Argument 2" in detail("{% $parse('1', '2') %}")
    assert detail("{% $parse($states.input.none) %}", {}) == "returned nothing (undefined)."


# the clock --------------------------------------------------------------------------------


ENTERED = {
    "State": {"EnteredTime": "2031-07-08T09:10:11.125Z"},
    "Execution": {"StartTime": "2031-07-08T09:00:00.000Z"},
}


def test_now_and_millis_read_the_state_entry_time_not_the_wall_clock():
    assert run("{% $now() %}", context=ENTERED) == "2031-07-08T09:10:11.125Z"
    assert run("{% $millis() %}", context=ENTERED) == 1941268211125
    assert run("{% $now('[Y0001]-[M01]-[D01]') %}", context=ENTERED) == "2031-07-08"
    assert run("{% $now('[H01]:[m01]', '+0200') %}", context=ENTERED) == "11:10"


def test_now_falls_back_to_the_execution_start():
    assert run("{% $now() %}", context={"Execution": ENTERED["Execution"]}) == "2031-07-08T09:00:00.000Z"


def test_now_without_any_known_instant_is_undefined():
    assert detail("{% $now() %}", context={}) == "returned nothing (undefined)."
    assert detail("{% $millis() %}", context={"State": {"EnteredTime": "not a time"}}) == (
        "returned nothing (undefined)."
    )


# shadowing --------------------------------------------------------------------------------


def test_a_variable_shadows_a_function_of_the_same_name():
    assert run("{% $uuid %}", env=make_env(uuid="mine")) == "mine"
    assert run("{% $sum %}", env=make_env(sum=3)) == 3
