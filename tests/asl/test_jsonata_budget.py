"""What one JSONata evaluation may spend: AWS's bounds on depth and memory, and the fake's on work."""

from __future__ import annotations

import pytest

from fakesfn.asl.context import Env, Variables
from fakesfn.asl.errors import StateFieldError
from fakesfn.asl.jsonata import JsonataSyntaxError, compile_expression
from fakesfn.asl.jsonata import budget as budget_module
from fakesfn.asl.jsonata.nesting import MAX_EXPRESSION_NESTING, nesting
from fakesfn.random import SeededRandom

MEMORY = (
    "threw an error during evaluation: Expression evaluation memory limit exceeded: "
    "Check for excessive memory usage"
)
TIMEOUT = "threw an error during evaluation: Expression evaluation timeout: Check for infinite loop"
STACK = (
    "threw an error during evaluation: Stack overflow error: Check for non-terminating recursive function. "
    "Consider rewriting as tail-recursive."
)


def evaluate(expression, value=None):
    env = Env(variables=Variables(None, {}), random=SeededRandom(1))
    return compile_expression("{% " + expression + " %}").evaluate(
        {"input": value, "context": {}}, env, "Output"
    )


def failure(expression, value=None) -> str:
    with pytest.raises(StateFieldError) as caught:
        evaluate(expression, value)
    assert caught.value.error == "States.QueryEvaluationError"
    return caught.value.detail


# --- AWS's measured bounds (floci #2737, #2783) ----------------------------------------------


def test_the_largest_sequence_aws_holds_is_held_and_one_more_is_not():
    assert evaluate("[1..873782] ~> $count()") == 873782
    assert failure("[1..873783] ~> $count()").endswith(MEMORY)
    assert failure("$sum([1..900000])").endswith(MEMORY)


def test_a_string_of_2_to_the_22_characters_is_held_and_one_of_2_to_the_23_is_not():
    doubled = "($p := function($s, $n) { $n = 0 ? $s : $p($s & $s, $n - 1) }; $length($p('x', {n})))"
    assert evaluate(doubled.replace("{n}", "22")) == 2**22
    assert failure(doubled.replace("{n}", "23")).endswith(MEMORY)


def test_a_range_past_jsonatas_own_limit_is_jsonata_js_d2014():
    assert failure("[1..20000000]").endswith(
        "threw an error during evaluation. D2014: The size of the sequence allocated by the range "
        "operator (..) must not exceed 1e7.  Attempted to allocate 20000000."
    )


def test_recursion_past_awss_depth_is_a_stack_overflow():
    recursive = "($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f({n}))"
    assert evaluate(recursive.replace("{n}", "20")) == 20
    assert failure(recursive.replace("{n}", "60")).endswith(STACK)


# --- issue 16 item 3: one expression cannot take the process's memory -----------------------


@pytest.mark.parametrize(
    "expression",
    [
        "$count([1..300000].[1..300000])",
        "$reduce([1..64], function($a, $b) { $a & $a }, 'x')",
        "$pad('', 2000000000, 'x')",
        "$pad('', -2000000000, 'x')",
        "$join([1..1000].$pad('', 100000, 'x'))",
        "($s := $pad('', 100000, 'x'); $string([1..100000].$s))",
        "($s := $pad('', 100000, 'x'); [1..100000].$s & '')",
        "($s := $pad('', 100000, 'x'); $replace($s, 'x', $s))",
        "$map([1..100000], function($i) { $pad('', 100000, 'x') & $i })",
    ],
)
def test_an_expression_that_would_take_the_memory_fails_the_state_with_awss_error(expression):
    assert failure(expression).endswith(MEMORY)


def test_an_endless_tail_call_stops_after_a_fixed_number_of_steps(monkeypatch):
    monkeypatch.setattr(budget_module, "MAX_STEPS", 5000)
    assert failure("($loop := function($n) { $loop($n + 1) }; $loop(0))").endswith(TIMEOUT)


def test_ordinary_work_over_a_full_payload_fits_the_budget():
    items = [{"id": index, "name": f"item-{index}", "tags": ["a", "b"]} for index in range(3000)]
    total = evaluate("$sum($states.input.id) + $count($states.input['a' in tags])", items)
    assert total == sum(range(3000)) + 3000
    text = evaluate("$join($states.input.name, ',')", items)
    assert len(text) > 20000
    csv = evaluate("$reduce($states.input, function($acc, $v) { $acc & $v.name & ',' }, '')", items)
    assert csv.count(",") == 3000


# --- nesting is bounded before the parser recurses ---------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "(" * n + "1" + ")" * n,
        lambda n: "+".join(["1"] * n),
        lambda n: "-" * n + "1",
        lambda n: "$not(" * n + "true" + ")" * n,
        lambda n: "[" * n + "1" + "]" * n,
        lambda n: "{'a':" * n + "1" + "}" * n,
        lambda n: "/**/" * n + "1",
    ],
)
def test_an_expression_nested_past_the_bound_is_refused_without_a_recursion_error(make):
    for depth in (MAX_EXPRESSION_NESTING + 1, 5000, 100_000):
        with pytest.raises(JsonataSyntaxError) as caught:
            compile_expression("{% " + make(depth) + " %}")
        assert caught.value.code == "INVALID_JSONATA_EXPRESSION"
        assert caught.value.message == f"Expression is nested more than {MAX_EXPRESSION_NESTING} levels deep"
    assert nesting(make(MAX_EXPRESSION_NESTING // 2)) <= MAX_EXPRESSION_NESTING
    compile_expression("{% " + make(MAX_EXPRESSION_NESTING // 2) + " %}")


def test_strings_regexes_and_comments_do_not_count_as_nesting():
    assert nesting("'((((((((((' & \"[[[[[[[[\" & $match('x', /((((((((((x))))))))))/)") < 10
    assert nesting("$states.input.a.b.c") <= 5


# --- issue 16 item 5: numbers beyond a double ------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("$states.input", "Infinity"),  # JavaScript reads a 400-digit integer as Infinity
        ("[$states.input]", ["Infinity"]),
        ("$sort([$states.input, 1])", [1, "Infinity"]),
        ("$round($states.input)", "Infinity"),
    ],
)
def test_an_integer_beyond_a_double_is_javascripts_infinity_not_an_overflow_error(expression, expected):
    assert evaluate(expression, 10**400) == expected


def test_arithmetic_on_an_integer_beyond_a_double_is_out_of_range():
    assert failure("$states.input + 1", 10**400).endswith("D1001: Number out of range: null")


def test_a_library_failure_on_a_huge_number_fails_the_state_not_the_fake():
    assert "threw an error during evaluation" in failure("$formatInteger($states.input, '#')", 10**400)


def test_distinct_works_in_one_pass_and_tells_booleans_from_numbers():
    # The library compared every item with every kept one: an hour for [1..200000],
    # inside one call that no step budget sees.
    assert evaluate("$count($distinct([1..200000]))") == 200000
    assert evaluate(
        "$distinct([1, 1.0, true, 'a', 'a', null, null, {'a': 1, 'b': 2}, {'b': 2, 'a': 1}])"
    ) == [
        1,
        True,
        "a",
        None,
        {"a": 1, "b": 2},
    ]
